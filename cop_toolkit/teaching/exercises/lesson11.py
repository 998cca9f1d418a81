"""Exercises for lesson 11, Telling the story (notebooks/11_telling_the_story.ipynb)."""

from __future__ import annotations

import functools
from typing import Any

from cop_toolkit.teaching.exercises._data import owa_2017
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ChoiceExercise,
    ElementExercise,
    ReflectionExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "EXERCISES"]


@functools.cache
def _story() -> dict[str, Any]:
    """owa-2017 with ``result = cop.what_if(m, remove=["lvsc"])`` as the notebook has it."""
    ns = dict(owa_2017())
    ns["result"] = ns["cop"].what_if(ns["m"], remove=["lvsc"])
    return ns


q1 = ValueExercise(
    id="11.1",
    title="The headline number",
    prompt=(
        "result = cop.what_if(m, remove=['lvsc']). How many elements would lose their only route "
        "to the rest of the map (the table result.cut_off)?"
    ),
    var="n_cut_off",
    setup=_story,
    solution="n_cut_off = len(result.cut_off)",
    hints=["result.cut_off is a table with one row per element cut off.", "len(result.cut_off)"],
    mistakes=[
        Mistake("len(result.to_the_fore)", "That table lists elements that gain importance, not those cut off."),
    ],
    units="elements",
    explanation="One number a meeting will remember: say it with the names of two or three of those groups.",
)

q2 = ElementExercise(
    id="11.2",
    title="Who comes to the fore",
    prompt=(
        "In result.to_the_fore, 'rank_gain' says how many places an element climbs as a go-between "
        "once LVSC has gone. Which element climbs the most?"
    ),
    var="rising_star",
    setup=_story,
    solution='rising_star = result.to_the_fore["rank_gain"].idxmax()',
    hints=["result.to_the_fore is indexed by element ID.", "result.to_the_fore['rank_gain'].idxmax()"],
    mistakes=[
        Mistake('result.to_the_fore["betweenness_after"].idxmax()',
                "That is the biggest go-between afterwards, not the one that climbs the most."),
    ],
    explanation="A story needs people: the organisations that could step up are the hopeful half of it.",
)

q3 = ValueExercise(
    id="11.3",
    title="Still connected",
    prompt=(
        "result.summary has a row 'share of pairs still connected'. What share of pairs of elements "
        "could still reach each other without LVSC (the 'after' column, between 0 and 1)?"
    ),
    var="share_connected",
    setup=_story,
    solution='share_connected = result.summary.loc["share of pairs still connected", "after"]',
    hints=[
        "Pick one cell of a table with .loc[row, column].",
        "result.summary.loc['share of pairs still connected', 'after']",
    ],
    mistakes=[
        Mistake('result.summary.loc["share of pairs still connected", "before"]',
                "That is before LVSC goes; the question asks about after."),
    ],
    rel_tol=1e-3,
    explanation="In words: 'about six in seven pairs could still reach each other' — round it for people.",
)

q4 = ChoiceExercise(
    id="11.4",
    title="Which version for whom",
    prompt=(
        "You are sending the report to a funder and putting it on your website. Which version do "
        "you send?"
    ),
    var="version",
    options={
        "a": "the full report, made without public=True",
        "b": "the public report, made with public=True",
        "c": "the master spreadsheet, so they can see everything",
    },
    solution="version = 'b'",
    why_not={
        "a": "The full report can show private groups and people who have not agreed to be shown.",
        "c": "The master copy holds contact details and notes: it never leaves the map manager.",
    },
    hints=["Anything that leaves your team should hold only what everyone on it agreed to show."],
    explanation="public=True leaves out private elements, people without consent and private fields.",
)

q5 = ReflectionExercise(
    id="11.5",
    title="Your three-sentence story",
    prompt=(
        "Write the story of this map for a funder in three sentences: what the network is, what "
        "would happen if the hub went, and what you ask them to support."
    ),
    var="my_story",
    min_words=30,
    hints=["Use one number, two names and one clear ask."],
    points=[
        "one number people remember (how many would be cut off)",
        "names of real groups, not only measures",
        "the hopeful half: who could step up",
        "a clear ask: what money or time would change",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5)
