"""Namespaces the reference solutions run in (built once, on first use).

Each function rebuilds what a lesson notebook has at the point of its
exercises: ``cop`` (the package), ``pd``, ``px``, the sample map ``m`` and,
for later lessons, the tables computed from it. The objects are shared
between checks, so reference solutions must never change them.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

import cop_toolkit as cop
from cop_toolkit.building import survey as survey_module

__all__ = ["basics", "owa_2017", "owa_2017_metrics", "survey", "owa_2017_clusters", "owa_2017_what_if"]


@functools.cache
def basics() -> dict[str, Any]:
    """``cop``, ``pd`` and ``px`` only."""
    import plotly.express as px  # deferred: heavy

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


@functools.cache
def survey() -> dict[str, Any]:
    """The basics plus ``survey`` (the raw owa-survey-2017 export), ``names``
    (its organisation names reconciled) and ``survey_map`` (built from it)."""
    ns = dict(basics())
    cop = ns["cop"]
    ns["survey"] = cop.datasets.load_survey("owa-survey-2017")
    ns["names"] = survey_module.reconcile_names(ns["survey"]["Name of your organisation or group"])
    ns["survey_map"] = survey_module.survey_to_map(ns["survey"])
    ns["m"] = ns["survey_map"]
    return ns


@functools.cache
def owa_2017_clusters() -> dict[str, Any]:
    """owa-2017 with ``metrics``, ``clusters = cop.find_clusters(m)`` and
    ``summary = cop.cluster_summary(m, clusters)``."""
    ns = dict(owa_2017_metrics())
    cop = ns["cop"]
    ns["clusters"] = cop.find_clusters(ns["m"])
    ns["summary"] = cop.cluster_summary(ns["m"], ns["clusters"])
    return ns


@functools.cache
def owa_2017_what_if() -> dict[str, Any]:
    """owa-2017 with ``metrics`` and ``result = cop.what_if(m, remove=["lvsc"])``."""
    ns = dict(owa_2017_metrics())
    ns["result"] = ns["cop"].what_if(ns["m"], remove=["lvsc"])
    return ns
