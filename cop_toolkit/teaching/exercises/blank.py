"""The blank ``____`` a learner replaces with an answer, and how to spot one left blank."""

from __future__ import annotations

from typing import Any

__all__ = ["____", "BLANK", "is_blank"]


class _Blank:
    """The placeholder ``____`` that learners replace with their answer."""

    _instance: _Blank | None = None

    def __new__(cls) -> _Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __bool__(self) -> bool:
        return False

    def __call__(self, *args: Any, **kwargs: Any) -> _Blank:
        return self


#: The blank a learner replaces with an answer (``answer = ____``).
____ = _Blank()
BLANK = ____


def is_blank(value: Any) -> bool:
    """Return True when an answer has not been filled in yet.

    ``None``, ``____``, ``...`` and empty or underscore-only text count as blank.

    Examples
    --------
    >>> is_blank(____), is_blank(None), is_blank("  "), is_blank(0)
    (True, True, True, False)
    """
    if value is None or value is ____ or value is Ellipsis:
        return True
    if isinstance(value, str):
        return value.strip().strip("_") == ""
    return False
