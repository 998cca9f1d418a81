"""Exercises for lesson 08, Assets, needs and offers (notebooks/08_assets_needs_and_offers.ipynb)."""

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

__all__ = ["q1", "q2", "q3", "q4", "q5", "EXERCISES"]


@functools.cache
def _resources() -> dict[str, Any]:
    """owa-2017 with ``matches`` and ``assets`` as the notebook has them."""
    ns = dict(owa_2017())
    cop = ns["cop"]
    ns["matches"] = cop.match_needs_offers(ns["m"])
    ns["assets"] = cop.asset_map(ns["m"])
    return ns


q1 = ValueExercise(
    id="08.1",
    title="The commonest asset",
    prompt=(
        "assets.inventory lists every asset with the number of elements holding it ('holders'). "
        "Which asset is held by the most elements? Give its name as text."
    ),
    var="commonest_asset",
    setup=_resources,
    solution='commonest_asset = assets.inventory.set_index("item")["holders"].idxmax()',
    hints=[
        "Turn the 'item' column into the index, then look at the 'holders' column.",
        "assets.inventory.set_index('item')['holders'].idxmax()",
    ],
    mistakes=[
        Mistake('matches["item"].value_counts().idxmax()',
                "That is the item that appears in the most need-offer matches, not the asset most elements hold."),
    ],
    explanation="A common asset is a resilient one: if one holder closes, others can step in.",
)

q2 = ElementExercise(
    id="08.2",
    title="A single point of failure",
    prompt=(
        "assets.sole_holders lists assets that only one element holds. Which element is the only "
        "holder of an asset? Give its ID or label."
    ),
    var="sole_holder",
    setup=_resources,
    solution='sole_holder = assets.sole_holders["ID"].iloc[0]',
    hints=[
        "Look at assets.sole_holders: it has an 'ID' and a 'Label' column.",
        "assets.sole_holders['ID'].iloc[0] takes the first (here the only) one.",
    ],
    mistakes=[
        Mistake('assets.inventory["holder_ids"].iloc[0][0]',
                "That is a holder of the commonest asset, which many elements hold."),
    ],
    explanation="If this element closed, nobody else on the map could offer that asset.",
)

q3 = ValueExercise(
    id="08.3",
    title="Needs that a partner could already meet",
    prompt=(
        "In matches, each row pairs a need with someone who offers that thing. How many of these "
        "pairs are between two elements that *already have a tie* (the 'already_tied' column)?"
    ),
    var="n_already_tied",
    setup=_resources,
    solution='n_already_tied = int(matches["already_tied"].sum())',
    hints=[
        "matches['already_tied'] is True where the two already know each other.",
        "Count the Trues: matches['already_tied'].sum().",
    ],
    mistakes=[
        Mistake("len(matches)", "That is every need-offer pair; count only those where 'already_tied' is True."),
        Mistake('int((~matches["already_tied"]).sum())', "That counts the pairs with no tie yet — the opposite."),
    ],
    units="pairs",
    explanation="These needs could be met with one conversation: the two already know each other.",
)

q4 = ValueExercise(
    id="08.4",
    title="Sharing within walking distance",
    prompt=(
        "cop.local_sharing(m, within_km=...) finds pairs with no tie, near each other, where one "
        "has or offers what the other needs. How many such pairs are within **1 km** of each other?"
    ),
    var="n_walkable",
    setup=_resources,
    solution='n_walkable = len(cop.local_sharing(m, within_km=1.0))',
    hints=[
        "Call cop.local_sharing with within_km=1.0.",
        "len(...) counts the rows (pairs) of the table it returns.",
    ],
    mistakes=[
        Mistake("len(cop.local_sharing(m))", "That uses the standard 2 km; the question asks for pairs within 1 km."),
    ],
    units="pairs",
    explanation="Pairs within a kilometre could share a room or a kitchen next week.",
)

q5 = ReflectionExercise(
    id="08.5",
    title="One sharing you could start",
    prompt=(
        "Pick one local sharing pair or one need-offer match from this lesson (or from your own "
        "network). Who would you talk to first, and what would you ask?"
    ),
    var="my_sharing_idea",
    min_words=15,
    hints=["The 'reason' column explains each pair in words; start from a pair that already has a tie."],
    points=[
        "start with pairs that already know each other (already_tied)",
        "be specific: the room, the time, the cost, who holds the key",
        "a sole holder is a single point of failure: find a second holder",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5)
