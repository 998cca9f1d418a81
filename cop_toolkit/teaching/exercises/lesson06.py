"""Exercises for lesson 06, What if a hub goes (notebooks/06_what_if_a_hub_goes.ipynb)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cop_toolkit.core.model import NetworkMap
from cop_toolkit.teaching.exercises._data import owa_2017_what_if
from cop_toolkit.teaching.exercises.exercise import Case, Mistake
from cop_toolkit.teaching.exercises.kinds import (
    FunctionExercise,
    ReflectionExercise,
    SetExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "EXERCISES"]


def _chain(ns: dict[str, Any]) -> Any:
    """A small map: two groups hang on a hub, which links to a triangle."""
    elements = pd.DataFrame({"ID": ["a", "b", "hub", "c", "d", "e"],
                             "Label": ["Arts Hub", "Bike Co-op", "The Hub", "Carers", "Drop-in", "Elders Club"]})
    connections = pd.DataFrame({"From": ["a", "b", "hub", "c", "d", "e"], "To": ["hub", "hub", "c", "d", "e", "c"]})
    return NetworkMap(elements, connections)


q1 = ValueExercise(
    id="06.1",
    title="How many are cut off?",
    prompt="If LVSC goes, how many elements lose their only route to the main part of the map?",
    var="n_cut_off",
    setup=owa_2017_what_if,
    solution="n_cut_off = len(result.cut_off)",
    hints=["result = cop.what_if(m, remove=['lvsc']) has a table result.cut_off.", "len(result.cut_off) counts its rows."],
    mistakes=[
        Mistake(
            'metrics.loc["lvsc", "degree"]',
            "That is how many direct contacts LVSC has. Most of them have other routes; count only those cut off (result.cut_off).",
        ),
    ],
    units="elements",
    explanation="These groups reached everyone else only through LVSC.",
)

q2 = SetExercise(
    id="06.2",
    title="Who is cut off?",
    prompt="Which elements are cut off when LVSC goes?",
    var="cut_off",
    setup=owa_2017_what_if,
    solution="cut_off = result.cut_off.index",
    hints=["The table result.cut_off is indexed by ID.", "result.cut_off.index gives the IDs."],
    mistakes=[
        Mistake(
            'list(m.to_networkx().neighbors("lvsc"))',
            "Those are all of LVSC's contacts; most of them can still reach the rest through others. Use result.cut_off.",
        ),
    ],
    explanation="They are the groups to call first when a hub closes.",
)

q3 = SetExercise(
    id="06.3",
    title="Who comes to the fore?",
    prompt="Which three elements gain the most betweenness when LVSC goes? Rank them, biggest gain first.",
    var="top3_gain",
    setup=owa_2017_what_if,
    ordered=True,
    solution=(
        "fore = result.to_the_fore\n"
        'gain = fore["betweenness_after"] - fore["betweenness_before"]\n'
        "top3_gain = gain.nlargest(3).index"
    ),
    hints=[
        "result.to_the_fore has betweenness_before and betweenness_after for each element.",
        "Subtract one from the other to get the gain, then .nlargest(3).index.",
    ],
    mistakes=[
        Mistake(
            'result.to_the_fore["rank_gain"].nlargest(3).index',
            "Those climb the most places in the ranking — mostly from very low down. The question asks who gains the most betweenness.",
        ),
        Mistake(
            'result.to_the_fore["betweenness_after"].nlargest(3).index',
            "Those have the highest betweenness afterwards, but some were already high. Subtract betweenness_before to get the gain.",
        ),
    ],
    explanation="Networks of networks step forward as go-betweens when the hub goes.",
)

q4 = FunctionExercise(
    id="06.4",
    title="Write your own what-if",
    prompt=(
        "Write cut_off_by(m, name): the set of IDs of elements that are in the largest connected "
        "part of the map before name is removed, but not after (leave name itself out)."
    ),
    var="cut_off_by",
    setup=owa_2017_what_if,
    solution=(
        "import networkx as nx\n\n"
        "def cut_off_by(m, name):\n"
        "    target = m.resolve(name)\n"
        "    before = max(nx.connected_components(m.to_networkx()), key=len)\n"
        "    after = max(nx.connected_components(m.without([target]).to_networkx()), key=len)\n"
        "    return set(before) - set(after) - {target}"
    ),
    cases=[
        Case(lambda ns: (_chain(ns), "hub"), "a small map where two groups hang on a hub"),
        Case(lambda ns: (_chain(ns), "Arts Hub"), "removing a group at the edge (nobody is cut off)"),
        Case(lambda ns: (ns["m"], "lvsc"), "LVSC in the sample map"),
    ],
    mistakes=[
        Mistake(
            "def cut_off_by(m, name):\n    target = m.resolve(name)\n    return set(m.to_networkx().neighbors(target))",
            "That returns all the element's contacts. Compare the largest connected part before and after removing it.",
        ),
    ],
    hints=[
        "nx.connected_components(G) lists the separate parts of a graph; max(..., key=len) picks the largest.",
        "Compare that largest part for m.to_networkx() and for m.without([target]).to_networkx().",
        "return set(before) - set(after) - {target}",
    ],
    explanation="This is what cop.what_if does for cut_off — now you know how.",
)

q5 = SetExercise(
    id="06.5",
    title="Key players",
    prompt="Which three elements does the network depend on most (cop.key_players with k=3, goal 'fragment')?",
    var="players",
    setup=owa_2017_what_if,
    solution='players = cop.key_players(m, k=3, goal="fragment").index',
    hints=["cop.key_players(m, k=3) returns a table indexed by ID.", "Take its .index."],
    mistakes=[
        Mistake(
            'metrics["betweenness"].nlargest(3).index',
            "Those are the top three in betweenness. Key players are chosen together: the second is "
            "the one whose loss does most harm once the first is gone.",
        ),
    ],
    explanation="Key players are picked as a team, so they do not all sit in the same place.",
)

q6 = ReflectionExercise(
    id="06.6",
    title="Keeping a network from fading away",
    prompt=(
        "LVSC closed in 2018. If your network's hub closed tomorrow, who would be cut off, who "
        "could step forward, and what could you do now so the network does not fade away?"
    ),
    var="resilience_plan",
    min_words=25,
    hints=[
        "Look at who hangs on the hub alone (cut off) and who comes to the fore.",
        "Think of introductions you could make now, and of sharing the hub's roles among several bodies.",
    ],
    points=[
        "contact the groups who would be cut off and introduce them to a second network",
        "support the networks that come to the fore before they are needed",
        "share the hub's jobs (news, convening, referrals) among several bodies",
        "keep the map up to date so changes are seen early",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5, q6)
