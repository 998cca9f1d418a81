"""Exercises for lesson 05, Brokers, bridges and the periphery (notebooks/05_brokers_bridges_and_the_periphery.ipynb)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cop_toolkit.core.model import NetworkMap
from cop_toolkit.teaching.exercises._data import owa_2017_metrics
from cop_toolkit.teaching.exercises.exercise import Case, Mistake
from cop_toolkit.teaching.exercises.kinds import (
    DataFrameExercise,
    ElementExercise,
    FunctionExercise,
    SetExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "EXERCISES"]


def _star_with_tail(ns: dict[str, Any]) -> Any:
    """A small map: a hub with three groups hanging on it, one of which has a partner."""
    elements = pd.DataFrame({"ID": ["hub", "a", "b", "c", "d"],
                             "Label": ["Hub", "Allotment Club", "Book Group", "Carers Cafe", "Dance Troupe"]})
    connections = pd.DataFrame({"From": ["a", "b", "c", "c"], "To": ["hub", "hub", "hub", "d"]})
    return NetworkMap(elements, connections)


q2 = SetExercise(
    id="05.2",
    title="Cut points",
    prompt="Which elements are articulation points (cut points): removing one splits its part of the map?",
    var="cut_points",
    setup=owa_2017_metrics,
    solution='cut_points = metrics.index[metrics["articulation_point"]]',
    expected=lambda ns: list(__import__("networkx").articulation_points(ns["m"].to_networkx())),
    hints=[
        "The 'articulation_point' column is True for cut points.",
        "metrics.index[metrics['articulation_point']] gives their IDs.",
    ],
    mistakes=[
        Mistake(
            'metrics["betweenness"].nlargest(8).index',
            "Those are the eight highest in betweenness. A cut point is different: without it, someone is cut off completely.",
        )
    ],
    explanation="A cut point is a single point of failure: without it, some elements lose every route to the rest.",
)

q1 = ElementExercise(
    id="05.1",
    title="The broker after LVSC",
    prompt=(
        "Constraint is low for brokers, whose contacts are not tied to each other. Leaving LVSC "
        "out, which element has the lowest constraint?"
    ),
    var="broker",
    setup=owa_2017_metrics,
    solution='broker = metrics.drop("lvsc")["constraint"].idxmin()',
    hints=["metrics.drop('lvsc') leaves LVSC out.", "Take the 'constraint' column and idxmin() — the ID of its smallest value."],
    mistakes=[
        Mistake(
            'metrics.drop("lvsc")["constraint"].idxmax()',
            "That is the HIGHEST constraint: an element whose contacts all know each other. Brokers have low constraint.",
        ),
        Mistake("'lvsc'", "LVSC is the top broker, but the question asks for the next one: leave LVSC out."),
    ],
    explanation="Low constraint means spanning structural holes: contacts in groups that do not otherwise meet.",
)

q3 = ValueExercise(
    id="05.3",
    title="How big is the core?",
    prompt="How many elements are in the innermost core (the highest coreness)?",
    var="core_size",
    setup=owa_2017_metrics,
    solution='core_size = (metrics["coreness"] == metrics["coreness"].max()).sum()',
    expected=lambda ns: len(__import__("networkx").k_core(ns["m"].to_networkx())),
    hints=[
        "metrics['coreness'].max() is the highest core number.",
        "Count the elements that have it: (metrics['coreness'] == metrics['coreness'].max()).sum().",
    ],
    mistakes=[
        Mistake('metrics["coreness"].max()', "That is the core number itself (k). Count how many elements have it."),
    ],
    units="elements",
    explanation="The core is where everyone has many ties among each other; the periphery hangs off it.",
)

q4 = FunctionExercise(
    id="05.4",
    title="Who hangs on one thread?",
    prompt=(
        "Write a function hanging_on(m, name) that returns the set of IDs of elements whose ONLY "
        "tie is to the element called name (an ID or a label)."
    ),
    var="hanging_on",
    setup=owa_2017_metrics,
    solution=(
        "def hanging_on(m, name):\n"
        "    G = m.to_networkx()\n"
        "    target = m.resolve(name)\n"
        "    return {n for n in G.neighbors(target) if G.degree(n) == 1}"
    ),
    cases=[
        Case(lambda ns: (_star_with_tail(ns), "hub"), "a small map where two of the hub's three groups have no other tie"),
        Case(lambda ns: (_star_with_tail(ns), "Carers Cafe"), "a label instead of an ID"),
        Case(lambda ns: (ns["m"], "lvsc"), "LVSC in the sample map"),
        Case(lambda ns: (ns["m"], "Borough Networks Forum"), "the Borough Networks Forum in the sample map"),
    ],
    mistakes=[
        Mistake(
            "def hanging_on(m, name):\n    G = m.to_networkx()\n    return set(G.neighbors(m.resolve(name)))",
            "That returns all its contacts. Keep only those with no other tie: G.degree(n) == 1.",
        ),
    ],
    hints=[
        "G = m.to_networkx() gives the graph; m.resolve(name) turns a label into an ID.",
        "G.neighbors(target) lists its contacts; G.degree(n) counts a contact's ties.",
        "return {n for n in G.neighbors(target) if G.degree(n) == 1}",
    ],
    explanation="Elements hanging on one thread are the first to be lost when that thread breaks.",
)

q5 = DataFrameExercise(
    id="05.5",
    title="The periphery",
    prompt="Make a table of the elements with exactly one tie, with their Label and Type columns.",
    var="periphery",
    setup=owa_2017_metrics,
    solution='periphery = metrics.loc[metrics["degree"] == 1, ["Label", "Type"]]',
    columns=["Label", "Type"],
    hints=["metrics['degree'] == 1 picks elements with a single tie.", "metrics.loc[metrics['degree'] == 1, ['Label', 'Type']]"],
    mistakes=[
        Mistake(
            'metrics.loc[metrics["degree"] == 0, ["Label", "Type"]]',
            "Those have no ties at all (isolates). The periphery here is the elements with exactly one tie.",
        ),
    ],
    explanation="The periphery is not unimportant: it is often where new people and ideas come in.",
)

EXERCISES = register(q1, q2, q3, q4, q5)
