"""Exercises for lesson 09, Network weaving, bottom-across (notebooks/09_network_weaving.ipynb)."""

from __future__ import annotations

import functools
from typing import Any

from cop_toolkit.teaching.exercises._data import owa_2017
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ElementExercise,
    ReflectionExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register
from cop_toolkit.teaching.game import Game, Player

__all__ = ["q1", "q2", "q3", "q4", "q5", "EXERCISES", "FOCUS"]

#: The group the lesson looks for introductions for: its only tie is to LVSC.
FOCUS = "London Kurdish Elders' Association"


@functools.cache
def _weaving() -> dict[str, Any]:
    """owa-2017 with ``intros`` (top 20), ``focus_intros`` and a fresh one-player game ``g``."""
    ns = dict(owa_2017())
    cop, m = ns["cop"], ns["m"]
    ns["intros"] = cop.suggest_introductions(m, top=20)
    ns["focus_intros"] = cop.suggest_introductions(m, element=FOCUS, top=5)
    ns["Game"], ns["Player"] = Game, Player
    ns["g"] = Game(m, [Player("You", "Hub", "lvsc")], seed=1)
    return ns


def _partner(ns: dict[str, Any]) -> str:
    row = ns["focus_intros"].iloc[0]
    focus = ns["m"].resolve(FOCUS)
    return row["ID_b"] if row["ID_a"] == focus else row["ID_a"]


q1 = ElementExercise(
    id="09.1",
    title="Who to introduce first",
    prompt=(
        f"focus_intros holds the best five introductions for {FOCUS}, best first. Who is the "
        "organisation in the first suggestion that it should be introduced to?"
    ),
    var="first_partner",
    setup=_weaving,
    solution='first_partner = focus_intros["Label_a"].iloc[0]',
    expected=_partner,
    hints=[
        "Each row names two organisations: Label_a and Label_b. One of them is the focus group itself.",
        "Look at the first row (.iloc[0]) and take the one that is not the focus group.",
    ],
    mistakes=[
        Mistake('focus_intros["Label_b"].iloc[0]', "That is the focus group itself; take the other organisation."),
    ],
    explanation="The 'reason' column says why this introduction comes first.",
)

q2 = ValueExercise(
    id="09.2",
    title="Bridges between clusters",
    prompt=(
        "Of the top 20 suggestions in intros, how many are of the kind 'bridge' "
        "(they join two clusters that barely touch)?"
    ),
    var="n_bridges",
    setup=_weaving,
    solution='n_bridges = int((intros["kind"] == "bridge").sum())',
    hints=[
        "intros['kind'] says what sort of introduction each row is.",
        "Compare with 'bridge' and count the Trues: (intros['kind'] == 'bridge').sum().",
    ],
    mistakes=[
        Mistake('int((intros["kind"] == "open triangle").sum())',
                "Those are open triangles (two organisations with a shared contact), not bridges."),
        Mistake("len(intros)", "That is every suggestion; count only the bridges."),
    ],
    units="introductions",
    explanation="Bridges make the network less dependent on one hub; open triangles make it denser locally.",
)

q3 = ValueExercise(
    id="09.3",
    title="What if the hub goes, at the start of the game",
    prompt=(
        "In the game g, the hub is LVSC. At the start, how many organisations would be cut off "
        "from the main network if LVSC went? (g.current holds the game's measures.)"
    ),
    var="cut_off_at_start",
    setup=_weaving,
    solution='cut_off_at_start = g.current["cut_off_if_hub_goes"]',
    expected=lambda ns: len(ns["g"].current["cut_off_ids"]),
    hints=[
        "g.current is a dictionary of measures; print it to see the names.",
        "The measure is called 'cut_off_if_hub_goes'.",
    ],
    mistakes=[
        Mistake('g.current["average_reach"]', "That is the average reach, not the number cut off."),
    ],
    units="organisations",
    explanation="These organisations reach the rest of the map only through LVSC.",
)

q4 = ValueExercise(
    id="09.4",
    title="The best first move",
    prompt=(
        "g.ideas() tries out every affordable move for the current player and scores it with the "
        "game's rules, best first. What is the most points one move can score right now?"
    ),
    var="best_points",
    setup=_weaving,
    solution='best_points = int(g.ideas(top=1)["points"].iloc[0])',
    hints=[
        "g.ideas(top=5) returns a table with a 'points' column, best first.",
        "Take the first row's points: g.ideas(top=1)['points'].iloc[0].",
    ],
    mistakes=[
        Mistake('int(g.ideas(top=1)["cost"].iloc[0])', "That is what the move costs in time, not its points."),
    ],
    units="points",
    explanation="Moves that reconnect cut-off organisations score most: resilience comes from ties across.",
)

q5 = ReflectionExercise(
    id="09.5",
    title="Planning who to connect first",
    prompt=(
        "You have time for three introductions this month. Which would you make first, and why "
        "those? Think about who is cut off, who could help whom, and who would welcome the call."
    ),
    var="my_weaving_plan",
    min_words=20,
    hints=["Start from organisations whose only tie is to the hub; then look for needs and offers."],
    points=[
        "connect the periphery first: groups whose only tie is the hub",
        "introduce people who can help each other (needs and offers), not just anyone",
        "close open triangles: a shared contact makes an introduction warm",
        "ask both sides first; an introduction is a favour, not a data entry",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5)
