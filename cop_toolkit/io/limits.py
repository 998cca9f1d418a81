"""Limits on what a map file may ask of the computer that reads it.

A file that is too big, a zip bomb dressed as a workbook, a sheet of millions
of cells, JSON nested thousands deep or numbers thousands of digits long
would otherwise take all the memory or time of a laptop, or end in a
traceback. Each limit gives one :class:`~cop_toolkit.core.errors.MapError`
naming the file, the limit and how to raise it. Only regular files are read:
a pipe (FIFO), a device (such as a link to ``/dev/zero``) or a socket is
refused at once, before it is opened.

The defaults admit a London-sized map (120,000 elements and a million ties, as
JSON, CSV, a workbook, GEXF or GraphML) and fit a computer with 2 cores and
4 GB of memory. Raise them with
``read_map(path, limits=ReadLimits(max_file_mb=500))``, or on the command line
with ``cop-report MAP --limits max_file_mb=500,max_cells=20000000``
(which sets the ``COP_TOOLKIT_LIMITS`` environment variable, so the report's
own processes read with the same limits).

May import: :mod:`cop_toolkit.core` only.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cop_toolkit.core.errors import MapError

__all__ = [
    "DEFAULT_LIMITS",
    "LIMITS_VARIABLE",
    "ReadLimits",
    "check_regular",
    "current_limits",
    "limit_error",
    "parse_json",
    "read_file_bytes",
    "use_limits",
]

#: The environment variable holding limits as ``KEY=VALUE,...`` (set by ``cop-report --limits``).
LIMITS_VARIABLE = "COP_TOOLKIT_LIMITS"

_MB = 1_000_000


@dataclass(frozen=True)
class ReadLimits:
    """How much a map file may ask of the computer (see the module notes).

    Parameters
    ----------
    max_file_mb : the largest file read, in megabytes (each file of a folder or CSV pair on its own).
    max_unzipped_mb : the largest an ``.xlsx`` may be once unzipped, in megabytes (checked before opening it).
    max_cells : the most cells (rows × columns) in one sheet or CSV file.
    max_json_depth : the deepest nesting of ``[...]`` and ``{...}`` in a JSON file or cell.
    max_number_digits : the longest number (in characters) in a JSON file.

    Examples
    --------
    >>> ReadLimits().max_file_mb
    300
    >>> ReadLimits.from_text("max_file_mb=500, max_cells=5000000").max_cells
    5000000
    """

    max_file_mb: float = 300
    max_unzipped_mb: float = 600
    max_cells: int = 10_000_000
    max_json_depth: int = 100
    max_number_digits: int = 100

    @classmethod
    def from_text(cls, text: str) -> ReadLimits:
        """Read ``"max_file_mb=500,max_cells=5000000"`` (the form ``--limits`` takes).

        Examples
        --------
        >>> ReadLimits.from_text("size=5")
        Traceback (most recent call last):
        ...
        cop_toolkit.core.errors.MapError: 'size' is not a limit this toolkit knows. How to fix: use one of max_file_mb, max_unzipped_mb, max_cells, max_json_depth, max_number_digits, e.g. --limits max_file_mb=500.
        """
        names = [f.name for f in dataclasses.fields(cls)]
        values: dict[str, Any] = {}
        for item in (p.strip() for p in text.split(",") if p.strip()):
            key, sep, value = (s.strip() for s in item.partition("="))
            if key not in names:
                raise MapError(f"'{key}' is not a limit this toolkit knows",
                               fix=f"use one of {', '.join(names)}, e.g. --limits max_file_mb=500")
            kind = float if key.endswith("_mb") else int
            try:
                number = kind(value)
            except ValueError:
                number = -1
            if not sep or number <= 0:
                raise MapError(f"the limit '{item}' is not of the form {key}=NUMBER (a number above 0)",
                               fix=f"write --limits {key}={getattr(cls(), key)}")
            values[key] = number
        return cls(**values)

    def as_text(self) -> str:
        """The limits in the form :meth:`from_text` reads.

        Examples
        --------
        >>> ReadLimits(max_cells=10).as_text()
        'max_file_mb=300,max_unzipped_mb=600,max_cells=10,max_json_depth=100,max_number_digits=100'
        """
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in dataclasses.fields(self))


DEFAULT_LIMITS = ReadLimits()


def current_limits() -> ReadLimits:
    """The limits in force: those of ``COP_TOOLKIT_LIMITS`` if it is set, else the defaults.

    Examples
    --------
    >>> current_limits() == DEFAULT_LIMITS or LIMITS_VARIABLE in os.environ
    True
    """
    text = os.environ.get(LIMITS_VARIABLE, "").strip()
    return ReadLimits.from_text(text) if text else DEFAULT_LIMITS


def use_limits(text: str) -> ReadLimits:
    """Check ``--limits`` text and make it the limits of this process and the ones it starts.

    Examples
    --------
    >>> use_limits("max_cells=0")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: the limit 'max_cells=0' is not of the form max_cells=NUMBER (a number above 0). How to fix: write --limits max_cells=10000000.
    """
    limits = ReadLimits.from_text(text)
    os.environ[LIMITS_VARIABLE] = limits.as_text()
    return limits


def _raise_to(needed: float, kind: type) -> str:
    """A round value above ``needed`` to suggest as the new limit."""
    if needed <= 0:
        return "1"
    magnitude = 10 ** max(0, len(str(int(needed))) - 1)
    value = (int(needed) // magnitude + 1) * magnitude
    return str(kind(value)) if kind is int else f"{value:g}"


def limit_error(problem: str, name: str, needed: float, limits: ReadLimits, *, file: str,
                sheet: str | None = None) -> MapError:
    """One line naming the file, the limit and how to raise it.

    Examples
    --------
    >>> print(limit_error("the file is 350 MB", "max_file_mb", 350, DEFAULT_LIMITS, file="big.csv"))
    big.csv: the file is 350 MB, more than the limit max_file_mb=300 allows. How to fix: check it is the right file; to read it anyway, raise the limit: read_map(path, limits=ReadLimits(max_file_mb=400)), or cop-report MAP --limits max_file_mb=400.
    """
    value = _raise_to(needed, float if name.endswith("_mb") else int)
    allowed = getattr(limits, name)
    allowed = allowed if isinstance(allowed, int) else f"{allowed:g}"
    return MapError(f"{problem}, more than the limit {name}={allowed} allows",
                    fix=f"check it is the right file; to read it anyway, raise the limit: read_map(path, "
                    f"limits=ReadLimits({name}={value})), or cop-report MAP --limits {name}={value}",
                    file=file, sheet=sheet)


def check_regular(path: Path, limits: ReadLimits) -> int:
    """Refuse anything but a regular file within the size limit; return its size in bytes.

    The check uses ``os.stat`` only, so a pipe or a device is never opened.

    Examples
    --------
    >>> check_regular(Path("/dev/null"), DEFAULT_LIMITS)
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: null: this is a device, not a file, so it is not read. How to fix: save the map as an ordinary file and read that.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise MapError(f"the file could not be opened ({exc.strerror})", fix="check it exists and you may read it",
                       file=path.name) from None
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        what = ("a folder" if stat.S_ISDIR(mode) else "a pipe (FIFO)" if stat.S_ISFIFO(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "not an ordinary file")
        raise MapError(f"this is {what}, not a file, so it is not read",
                       fix="save the map as an ordinary file and read that", file=path.name)
    if info.st_size > limits.max_file_mb * _MB:
        mb = info.st_size / _MB
        raise limit_error(f"the file is {mb:,.0f} MB", "max_file_mb", mb, limits, file=path.name)
    return info.st_size


def read_file_bytes(path: Path, limits: ReadLimits) -> bytes:
    """The bytes of a regular file, refusing pipes, devices and files over the size limit.

    Examples
    --------
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "m.csv"
    >>> _ = p.write_bytes(b"From,To\\nA,B\\n")
    >>> read_file_bytes(p, DEFAULT_LIMITS)
    b'From,To\\nA,B\\n'
    >>> read_file_bytes(p, ReadLimits(max_file_mb=0.000001))
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: m.csv: the file is 0 MB, more than the limit max_file_mb=1e-06 allows. How to fix: check it is the right file; to read it anyway, raise the limit: read_map(path, limits=ReadLimits(max_file_mb=1)), or cop-report MAP --limits max_file_mb=1.
    """
    size = check_regular(path, limits)
    cap = int(limits.max_file_mb * _MB)
    with open(path, "rb") as fh:
        data = fh.read(min(size, cap) + 1)  # read(n) sets n bytes aside, so never more than needed
        if len(data) > size:  # the file grew since it was checked
            data += fh.read(cap + 1 - len(data))
    if len(data) > cap:
        raise limit_error(f"the file is over {limits.max_file_mb:g} MB", "max_file_mb", len(data) / _MB, limits,
                    file=path.name)
    return data


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _json_depth(text: str) -> int:
    """The deepest nesting of brackets in JSON text (brackets inside strings do not count)."""
    bare = _STRING.sub('""', text) if '"' in text else text
    depth = deepest = 0
    for ch in re.findall(r"[\[\]{}]", bare):
        depth += 1 if ch in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


_BRACKETS = np.zeros(256, dtype=bool)
_BRACKETS[[ord(c) for c in "[]{}"]] = True
_OPENS = np.zeros(256, dtype=np.int8)
_OPENS[[ord("["), ord("{")]] = 1
_OPENS[[ord("]"), ord("}")]] = -1


_NUMBER_CHARS = np.zeros(256, dtype=bool)
_NUMBER_CHARS[[ord(c) for c in "-+0123456789.eE"]] = True


def _longest_run(mask: np.ndarray) -> int:
    """The longest stretch of ``True`` in a boolean array."""
    steps = np.diff(mask.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(steps == 1), np.flatnonzero(steps == -1)
    return int((ends - starts).max()) if len(starts) else 0


def valid_json_depth(raw: bytes) -> int:
    """The deepest nesting of brackets in JSON (UTF-8 bytes) that ``json.loads`` accepted (vectorised).

    Exact for valid JSON only, where every backslash begins an escape inside a
    string; for other text use the slower scan that :func:`parse_json` falls back to.

    Examples
    --------
    >>> valid_json_depth(b'{"a": [1, {"b": "]]\\\\\\"[["}]}'), valid_json_depth(b"3")
    (3, 0)
    """
    if b"\\" in raw:
        raw = re.sub(rb"\\.", b"", raw, flags=re.DOTALL)  # escapes, so every quote left opens or closes a string
    codes = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(codes == ord('"'))
    brackets = np.flatnonzero(_BRACKETS[codes])
    outside = brackets[np.searchsorted(quotes, brackets) % 2 == 0]  # an even number of quotes before: not in a string
    if not len(outside):
        return 0
    return max(int(np.cumsum(_OPENS[codes[outside]], dtype=np.int64).max()), 0)


def _parse_plain_json(text: str, limits: ReadLimits, *, file: str, sheet: str | None) -> Any:
    """The quick way for the usual file: ``json.loads`` alone, then the depth of what it read.

    Returns ``_NOT_PLAIN`` when the text may hold a number over the limit or does
    not parse, so that :func:`parse_json` reads it the careful way (which then
    gives the same result or error as it always did).
    """
    raw = text.encode("utf-8", errors="surrogatepass")  # brackets, quotes and digits are one byte each in UTF-8
    if _longest_run(_NUMBER_CHARS[np.frombuffer(raw, dtype=np.uint8)]) > limits.max_number_digits:
        return _NOT_PLAIN  # maybe a number too long (or only a long run of digits in a string)
    depth = valid_json_depth(raw)  # the true depth if the text parses, as it then is valid JSON
    del raw  # before parsing, which needs the memory
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_PLAIN
    if depth > limits.max_json_depth:
        raise limit_error(f"the JSON is nested {depth:,} deep", "max_json_depth", depth, limits, file=file, sheet=sheet)
    return data


_NOT_PLAIN = object()


def parse_json(text: str, limits: ReadLimits, *, file: str, sheet: str | None = None) -> Any:
    """``json.loads`` within the depth and number-size limits.

    ``NaN`` and ``Infinity`` are read as floats (the readers warn about them
    and blank them). Damaged JSON raises :class:`json.JSONDecodeError` as usual.

    Examples
    --------
    >>> parse_json('{"a": [1, 2.5]}', DEFAULT_LIMITS, file="m.json")
    {'a': [1, 2.5]}
    >>> parse_json("[" * 200 + "]" * 200, DEFAULT_LIMITS, file="m.json")
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: m.json: the JSON is nested 200 deep, more than the limit max_json_depth=100 allows. How to fix: check it is the right file; to read it anyway, raise the limit: read_map(path, limits=ReadLimits(max_json_depth=300)), or cop-report MAP --limits max_json_depth=300.
    """
    data = _parse_plain_json(text, limits, file=file, sheet=sheet)
    if data is not _NOT_PLAIN:
        return data
    depth = _json_depth(text)
    if depth > limits.max_json_depth:
        raise limit_error(f"the JSON is nested {depth:,} deep", "max_json_depth", depth, limits, file=file, sheet=sheet)

    def number(kind: type) -> Any:
        def parse(digits: str) -> Any:
            if len(digits) > limits.max_number_digits:
                raise limit_error(f"the JSON holds a number {len(digits):,} characters long", "max_number_digits",
                            len(digits), limits, file=file, sheet=sheet)
            return kind(digits)
        return parse

    try:
        return json.loads(text, parse_int=number(int), parse_float=number(float))
    except RecursionError:  # deeper than Python allows even within the limit
        raise limit_error("the JSON is nested too deep for Python", "max_json_depth", depth, limits,
                    file=file, sheet=sheet) from None
