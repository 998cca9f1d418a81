"""Exercises for lesson 12, A community of practice (notebooks/12_a_community_of_practice.ipynb)."""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from cop_toolkit.teaching.exercises._data import basics
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ChoiceExercise,
    ElementExercise,
    ReflectionExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "EXERCISES", "PROVIDERS"]

#: The support providers of the unlocking-networks sample (element IDs).
PROVIDERS = ["power-to-change", "locality", "co-operatives-uk", "hub-for-london", "social-change-agency",
             "shared-assets"]


@functools.cache
def _unlocking() -> dict[str, Any]:
    """``u`` (unlocking-networks), ``ties``, ``peer_ids``, ``members`` and ``reached`` as the notebook has them."""
    ns = dict(basics())
    u = ns["cop"].datasets.load("unlocking-networks")
    ties = u.connections
    peer_ids = set(u.elements.loc[u.elements["Type"] == "Borough network", "ID"])
    members = ties[ties["Type"] == "Membership"]

    def peer_networks_reached(provider: str) -> int:
        ends = list(ties.loc[ties["From"] == provider, "To"]) + list(ties.loc[ties["To"] == provider, "From"])
        return len(set(ends) & peer_ids)

    ns.update(u=u, ties=ties, peer_ids=peer_ids, members=members,
              reached=pd.Series({p: peer_networks_reached(p) for p in PROVIDERS}, name="peer networks"))
    return ns


q1 = ValueExercise(
    id="12.1",
    title="How many peer networks",
    prompt="The peer networks are the elements of Type 'Borough network' in u. How many are there?",
    var="n_peer_networks",
    setup=_unlocking,
    solution='n_peer_networks = int((u.elements["Type"] == "Borough network").sum())',
    expected=lambda ns: len(ns["peer_ids"]),
    hints=[
        "Compare the Type column with 'Borough network'.",
        "Count the Trues: (u.elements['Type'] == 'Borough network').sum().",
    ],
    mistakes=[
        Mistake('int((u.elements["Type"] == "Network of networks").sum())',
                "Those are the national networks of networks (Locality, Co-operatives UK), not the peer networks."),
    ],
    units="peer networks",
    explanation="Thirteen local peer networks of community businesses, each with its own members.",
)

q2 = ValueExercise(
    id="12.2",
    title="Members who bridge networks",
    prompt=(
        "members holds the Membership ties (From = the business, To = its network). How many "
        "businesses belong to more than one network?"
    ),
    var="n_bridging_members",
    setup=_unlocking,
    solution='n_bridging_members = int((members["From"].value_counts() > 1).sum())',
    hints=[
        "members['From'].value_counts() counts how many networks each business belongs to.",
        "Keep the counts above 1 and count them: (... > 1).sum().",
    ],
    mistakes=[
        Mistake('int(members["From"].nunique())', "That is every business with a membership; count those with more than one."),
    ],
    units="businesses",
    explanation="Members of two networks carry news and ideas between them: a network of networks grows from them.",
)

q3 = ElementExercise(
    id="12.3",
    title="The support provider with the widest reach",
    prompt=(
        "reached counts, for each support provider, how many peer networks it has a direct tie to. "
        "Which provider reaches the most peer networks?"
    ),
    var="widest_reach",
    setup=_unlocking,
    map_var="u",
    solution="widest_reach = reached.idxmax()",
    hints=["reached is a Series indexed by provider ID.", ".idxmax() gives the ID with the largest value."],
    mistakes=[
        Mistake(lambda ns: ns["reached"].drop("power-to-change").idxmax(),
                "That is the widest reach among the others; include every provider, the funder too."),
    ],
    explanation="A funder that supports every network is also the one whose loss would be felt everywhere.",
)

q4 = ChoiceExercise(
    id="12.4",
    title="Three domains of connecting",
    prompt=(
        "Food bank coordinators from six boroughs meet every month to swap what works, with no "
        "shared project or manager. Which of the three domains of connecting is this?"
    ),
    var="domain",
    options={
        "a": "a work team",
        "b": "a community of practice",
        "c": "a social network",
    },
    solution="domain = 'b'",
    why_not={
        "a": "A work team shares a task and is managed to deliver it; these coordinators share a practice, not a task.",
        "c": "A social network is the wider web of who knows whom; this group meets on purpose to learn together.",
    },
    hints=[
        "Ask: do they share a task (team), a practice they learn about together, or only acquaintance?",
        "They come together to get better at the same kind of work.",
    ],
    explanation="A community of practice is people who share a practice and learn it together (Wenger).",
)

q5 = ReflectionExercise(
    id="12.5",
    title="What your network needs from support",
    prompt=(
        "Think of a peer network you belong to, or would like to. What would it need from a "
        "support provider, and what could it offer other peer networks?"
    ),
    var="my_peer_network",
    min_words=20,
    hints=["Think of time, space, money, facilitation, introductions, and what you already know how to do."],
    points=[
        "support providers connect peer networks to each other, not only to themselves",
        "members in two networks are natural bridges",
        "a community of practice needs a rhythm (regular meetings) and a shared practice",
        "do not depend on one funder or provider: spread the ties",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5)
