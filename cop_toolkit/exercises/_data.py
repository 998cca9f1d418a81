"""Namespaces the reference solutions run in (built once, on first use).

Each function rebuilds what a lesson notebook has at the point of its
exercises: ``cop`` (the package), ``pd``, ``px``, the sample map ``m`` and,
for later lessons, the tables computed from it. The objects are shared
between checks, so reference solutions must never change them.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["basics", "owa_2017", "owa_2017_metrics"]


@functools.cache
def basics() -> dict[str, Any]:
    """``cop``, ``pd`` and ``px`` only."""
    import pandas as pd
    import plotly.express as px

    import cop_toolkit as cop

    return {"cop": cop, "pd": pd, "px": px}


@functools.cache
def owa_2017() -> dict[str, Any]:
    """The basics plus ``m``, the sample map owa-2017."""
    ns = dict(basics())
    ns["m"] = ns["cop"].datasets.load("owa-2017")
    return ns


@functools.cache
def owa_2017_metrics() -> dict[str, Any]:
    """owa-2017 plus ``metrics = cop.element_metrics(m)``."""
    ns = dict(owa_2017())
    ns["metrics"] = ns["cop"].element_metrics(ns["m"])
    return ns
