"""Name labels that do not overlap: a greedy placement worked out in screen pixels.

Plotly draws a point's text beside its marker (``textposition``), a fixed
number of pixels away, whatever the zoom. So each label is placed here in the
pixels of the plotting area the figure will most likely get: the candidate
positions round the marker are tried in turn, and the first whose box clears
every label already placed (and, where it can, every marker) is kept. A label
with no free place is left out, so the names shown never sit on top of each
other. Labels placed first win: give the most important first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

__all__ = ["POSITIONS", "LabelSpace", "label_box"]

Position = Literal["top center", "bottom center", "middle right", "middle left",
                   "top right", "top left", "bottom right", "bottom left"]
#: Where a label may go round its marker, in the order tried.
POSITIONS: tuple[Position, ...] = ("top center", "bottom center", "middle right", "middle left",
                                   "top right", "top left", "bottom right", "bottom left")
#: Width of an average character, as a share of the font size (Arial, a little generous).
CHAR_WIDTH = 0.6
#: Height of a line of text, as a share of the font size.
LINE_HEIGHT = 1.3
#: Share of the data's span plotly's autorange adds round it, each side (about).
PADDING = 0.06


def label_box(
    x: float, y: float, radius: float, text: str, position: str, font_size: float = 11
) -> tuple[float, float, float, float]:
    """The box ``(left, top, right, bottom)``, in pixels (y down), a label takes at ``position``.

    ``x``, ``y`` is the marker's centre in pixels and ``radius`` its radius;
    plotly puts the text ``radius / 0.8 + 1`` pixels from the centre.

    Examples
    --------
    >>> label_box(100, 100, 5, "abcde", "top center", font_size=10)
    (85.0, 79.75, 115.0, 92.75)
    >>> label_box(0, 0, 0, "ab", "somewhere")
    Traceback (most recent call last):
    ...
    ValueError: unknown label position 'somewhere'; choose one of: top center, bottom center, middle right, middle left, top right, top left, bottom right, bottom left
    """
    if position not in POSITIONS:
        raise ValueError(f"unknown label position {position!r}; choose one of: {', '.join(POSITIONS)}")
    gap = radius / 0.8 + 1 if radius > 0 else 0.0
    w = CHAR_WIDTH * font_size * max(len(text), 1)
    h = LINE_HEIGHT * font_size
    vertical, horizontal = position.split(" ")
    left = {"center": x - w / 2, "right": x + gap, "left": x - gap - w}[horizontal]
    top = {"middle": y - h / 2, "top": y - gap - h, "bottom": y + gap}[vertical]
    return (left, top, left + w, top + h)


class LabelSpace:
    """The plotting area of one panel, in pixels, and the labels placed on it so far.

    Parameters
    ----------
    x, y : every point drawn on the panel (data units): they set the scale.
    size : the plotting area's width and height in pixels (as expected).
    equal_aspect : the axes keep one scale (``scaleanchor``).
    radii : each drawn point's marker radius in pixels, for labels to keep clear of
        (none by default; add markers with :meth:`keep_clear`).
    font_size : the labels' font size.

    Examples
    --------
    >>> space = LabelSpace([0, 0.5, 0.501, 1], [0, 0.5, 0.5, 1], size=(400, 300))
    >>> space.place([0.5, 0.501], [0.5, 0.5], ["Borough Forum", "Borough Forum Two"], [5, 5])
    ['top center', 'bottom center']
    >>> space.place([0.5], [0.5], ["A third"], [5])  # above and below are taken
    ['middle right']
    >>> crowd = LabelSpace([0] * 10, [0] * 10, size=(400, 300))
    >>> placed = crowd.place([0] * 10, [0] * 10, [f"Group number {k}" for k in range(10)], [5] * 10)
    >>> sum(p is not None for p in placed), placed[-1]  # above, below, right and left; then no room
    (4, None)
    """

    def __init__(
        self,
        x: Sequence[float] | np.ndarray,
        y: Sequence[float] | np.ndarray,
        *,
        size: tuple[float, float],
        equal_aspect: bool = False,
        radii: Sequence[float] | np.ndarray | None = None,
        font_size: float = 11,
    ) -> None:
        xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        width, height = size
        x0, x1 = (float(xs.min()), float(xs.max())) if len(xs) else (0.0, 1.0)
        y0, y1 = (float(ys.min()), float(ys.max())) if len(ys) else (0.0, 1.0)
        xspan, yspan = max(x1 - x0, 1e-9) * (1 + 2 * PADDING), max(y1 - y0, 1e-9) * (1 + 2 * PADDING)
        self.sx, self.sy = width / xspan, height / yspan
        if equal_aspect:
            self.sx = self.sy = min(self.sx, self.sy)
        self.cx, self.cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.width, self.height = float(width), float(height)
        self.font_size = font_size
        self.boxes: list[tuple[float, float, float, float]] = []
        self.named: set[str] = set()
        self.mx, self.my, self.mr = np.empty(0), np.empty(0), np.empty(0)
        if radii is not None:
            self.keep_clear(xs, ys, radii)

    def keep_clear(
        self, x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray, radii: Sequence[float] | np.ndarray
    ) -> None:
        """Add markers that labels should not cover (their centres in data units, radii in pixels)."""
        mx, my = self.to_px(x, y)
        self.mx, self.my = np.r_[self.mx, mx], np.r_[self.my, my]
        self.mr = np.r_[self.mr, np.broadcast_to(np.asarray(radii, dtype=float), mx.shape)]

    def to_px(self, x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Data units to pixels of the plotting area (y down, the centre of the data in the middle)."""
        px = self.width / 2 + (np.asarray(x, dtype=float) - self.cx) * self.sx
        py = self.height / 2 - (np.asarray(y, dtype=float) - self.cy) * self.sy
        return px, py

    def _clashes(self, box: tuple[float, float, float, float]) -> bool:
        left, top, right, bottom = box
        return any(left < b[2] and b[0] < right and top < b[3] and b[1] < bottom for b in self.boxes)

    def _cost(self, box: tuple[float, float, float, float], own: tuple[float, float]) -> float:
        """How bad a free box is: markers it covers (other than its own), and leaving the area."""
        left, top, right, bottom = box
        near_x = np.clip(self.mx, left, right) - self.mx
        near_y = np.clip(self.my, top, bottom) - self.my
        covered = (near_x ** 2 + near_y ** 2) < self.mr ** 2
        covered &= (np.abs(self.mx - own[0]) > 0.5) | (np.abs(self.my - own[1]) > 0.5)
        outside = left < 0 or top < 0 or right > self.width or bottom > self.height
        return float(covered.sum()) + (100.0 if outside else 0.0)

    def place(
        self,
        x: Sequence[float] | np.ndarray,
        y: Sequence[float] | np.ndarray,
        texts: Sequence[str],
        radii: Sequence[float] | np.ndarray,
        *,
        force: bool = False,
        keys: Sequence[str] | None = None,
    ) -> list[str | None]:
        """Place these labels, in order: each one's ``textposition``, or None when no place is free.

        With ``force`` every label is placed: where it clashes least when no place is free.
        ``keys`` name what each label is of: a key named before is not named again (None).
        """
        px, py = self.to_px(x, y)
        chosen: list[str | None] = []
        keys = list(keys) if keys is not None else [None] * len(px)
        for cx, cy, text, r, key in zip(px.tolist(), py.tolist(), texts, radii, keys):
            if key is not None and key in self.named:
                chosen.append(None)
                continue
            best: tuple[float, str, tuple[float, float, float, float]] | None = None
            for k, position in enumerate(POSITIONS):
                box = label_box(cx, cy, float(r), str(text), position, self.font_size)
                clash = self._clashes(box)
                if clash and not force:
                    continue
                cost = self._cost(box, (cx, cy)) + (1000.0 if clash else 0.0) + k * 1e-3
                if best is None or cost < best[0]:
                    best = (cost, position, box)
                if cost < 1:  # free of labels and markers: the first such place is best
                    break
            if best is None:
                chosen.append(None)
                continue
            self.boxes.append(best[2])
            chosen.append(best[1])
            if key is not None:
                self.named.add(key)
        return chosen
