"""User-facing errors and warnings about network maps.

A :class:`MapError` is a mistake in the user's data or request (a missing
column, an unknown element, an unreadable file). It carries *where* the
problem is (file, sheet, row, column) and *how to fix it*, and its message is
one plain sentence meant for a community worker, not a programmer.

A :class:`MapWarning` is a softer problem (an isolated element, a self-link,
a missing borough) that does not stop the map from loading. Warnings are
collected on the map (``m.warnings``) and listed with ``m.warnings_table()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["MapError", "MapWarning", "UnknownElementError", "location_text"]


def location_text(
    file: str | None = None,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> str:
    """Describe a place in a map file in words.

    Examples
    --------
    >>> location_text("map.xlsx", "Connections", 12, "To")
    "map.xlsx, sheet 'Connections', row 12, column 'To'"
    >>> location_text()
    ''
    """
    parts = []
    if file:
        parts.append(str(file))
    if sheet:
        parts.append(f"sheet '{sheet}'")
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


class MapError(ValueError):
    """A mistake in a map file or a request, explained in one line.

    Parameters
    ----------
    problem : what is wrong, in plain words.
    fix : how to put it right.
    file, sheet, row, column : where the problem is (row numbers are the
        ones a spreadsheet shows: the header is row 1).

    Examples
    --------
    >>> err = MapError("the column 'Label' is missing", fix="add a 'Label' column",
    ...                file="groups.csv", row=1)
    >>> str(err)
    "groups.csv, row 1: the column 'Label' is missing. How to fix: add a 'Label' column."
    """

    def __init__(
        self,
        problem: str,
        *,
        fix: str | None = None,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.file = None if file is None else str(file)
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = location_text(self.file, self.sheet, self.row, self.column)
        text = f"{where}: {self.problem}" if where else self.problem
        text = text.rstrip(".") + "."
        if self.fix:
            fix = self.fix.rstrip(".")
            text += f" How to fix: {fix}" + ("" if fix.endswith("?") else ".")
        return text

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class UnknownElementError(MapError, KeyError):
    """A name or ID that matches no element of the map (with close matches).

    Examples
    --------
    >>> str(UnknownElementError("LVCS", ["LVSC"]))
    "no element is called 'LVCS'. How to fix: did you mean 'LVSC'?"
    """

    def __init__(self, name: str, suggestions: list[str] | None = None, **where: Any) -> None:
        self.name = name
        self.suggestions = list(suggestions or [])
        if self.suggestions:
            fix = "did you mean " + " or ".join(f"'{s}'" for s in self.suggestions) + "?"
        else:
            fix = "check the spelling against the map's labels or IDs"
        MapError.__init__(self, f"no element is called '{name}'", fix=fix, **where)

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.message


@dataclass(frozen=True)
class MapWarning:
    """A soft data-quality problem found while loading a map.

    Examples
    --------
    >>> w = MapWarning("isolated", "'Oak Tree Club' has no connections", element="e12")
    >>> w.kind
    'isolated'
    """

    kind: str
    message: str
    element: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def as_dict(self) -> dict[str, Any]:
        """Return the warning as a flat dict (one row of ``warnings_table``)."""
        return {
            "kind": self.kind,
            "message": self.message,
            "element": self.element,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
        }
