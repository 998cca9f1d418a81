"""Exercises for lesson 10, Keeping the map alive (notebooks/10_keeping_the_map_alive.ipynb)."""

from __future__ import annotations

import functools
from typing import Any

from cop_toolkit.teaching.exercises._data import owa_2017
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ReflectionExercise,
    SetExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "EXERCISES", "merge_waves"]


def merge_waves(old_elements, new_elements):
    """The lesson's merge of element tables: the new wave wins, nothing old is lost, unconfirmed rows flagged."""
    new_e = new_elements.set_index("ID")
    old_e = old_elements.set_index("ID")
    merged_e = new_e.combine_first(old_e)
    merged_e["In latest wave"] = merged_e.index.isin(new_e.index)
    return merged_e


@functools.cache
def _upkeep() -> dict[str, Any]:
    """owa-2017 (``m``) and owa-2018 (``new``), with ``merged_e`` as the notebook builds it."""
    ns = dict(owa_2017())
    cop = ns["cop"]
    ns["new"] = cop.datasets.load("owa-2018")
    ns["merged_e"] = merge_waves(ns["m"].elements, ns["new"].elements)
    return ns


q1 = ValueExercise(
    id="10.1",
    title="Stale entries",
    prompt=(
        "stale_elements(m) lists elements last verified more than a year before the map's date. "
        "How many are there?"
    ),
    var="n_stale",
    setup=_upkeep,
    solution="from cop_toolkit.core.quality import stale_elements\n\nn_stale = len(stale_elements(m))",
    hints=[
        "stale_elements(m) returns a table with one row per stale element.",
        "len(...) counts the rows.",
    ],
    mistakes=[
        Mistake("from cop_toolkit.core.quality import stale_elements\n\nn_stale = len(stale_elements(m, days=730))",
                "That uses two years; the lesson's rule is one year (the standard)."),
    ],
    units="elements",
    explanation="Each of them needs a quick call or email: are you still running, and are these details right?",
)

q2 = SetExercise(
    id="10.2",
    title="A suspected duplicate",
    prompt=(
        "suspected_duplicates(m) lists pairs of elements with (nearly) the same name. Give the two "
        "elements of the first pair, as a list of their IDs or labels."
    ),
    var="duplicate_pair",
    setup=_upkeep,
    solution=(
        "from cop_toolkit.core.quality import suspected_duplicates\n\n"
        "dups = suspected_duplicates(m)\n"
        'duplicate_pair = [dups["ID_a"].iloc[0], dups["ID_b"].iloc[0]]'
    ),
    hints=[
        "The table has columns ID_a and ID_b: the two elements of each pair.",
        "Take both from the first row: [dups['ID_a'].iloc[0], dups['ID_b'].iloc[0]].",
    ],
    mistakes=[
        Mistake(lambda ns: ["eastside-food-network"], "A duplicate has two halves: give both elements of the pair."),
    ],
    explanation="Before merging the two, check with the group which name is right and move the ties across.",
)

q3 = ValueExercise(
    id="10.3",
    title="Not confirmed by the new wave",
    prompt=(
        "After merging the 2018 wave into the 2017 map, the column 'In latest wave' of merged_e is "
        "False for elements that the 2018 wave did not mention. How many are there?"
    ),
    var="n_to_check",
    setup=_upkeep,
    solution='n_to_check = int((~merged_e["In latest wave"]).sum())',
    expected=lambda ns: len(set(ns["m"].elements["ID"]) - set(ns["new"].elements["ID"])),
    hints=[
        "~ turns True into False and back: ~merged_e['In latest wave'] is True for the ones to check.",
        "Count the Trues with .sum().",
    ],
    mistakes=[
        Mistake('int(merged_e["In latest wave"].sum())', "Those are the elements the new wave confirmed; count the others."),
        Mistake("len(merged_e)", "That is every element in the merged map."),
    ],
    units="elements",
    explanation="Not in the new wave does not mean closed: these are the ones to check before removing anything.",
)

q4 = ValueExercise(
    id="10.4",
    title="What changed in a year",
    prompt=(
        "diff = cop.compare_maps(m, new) compares the 2017 and 2018 maps. How many elements were "
        "removed (the table diff.elements_removed)?"
    ),
    var="n_removed",
    setup=_upkeep,
    solution="diff = cop.compare_maps(m, new)\nn_removed = len(diff.elements_removed)",
    hints=[
        "diff has several tables: elements_added, elements_removed, elements_renamed ...",
        "len(diff.elements_removed) counts the removed elements.",
    ],
    mistakes=[
        Mistake("diff = cop.compare_maps(m, new)\nn_removed = len(diff.elements_added)",
                "Those are the elements added in 2018, not removed."),
    ],
    units="elements",
    explanation="Renamed elements keep their ID, so they are not counted as removed and added again.",
)

q5 = ValueExercise(
    id="10.5",
    title="The public version",
    prompt=(
        "How many elements does the public version of the map (m.public()) leave out — private "
        "elements and people who have not agreed to be shown?"
    ),
    var="n_hidden",
    setup=_upkeep,
    solution="n_hidden = len(m.elements) - len(m.public().elements)",
    hints=[
        "m.public() is a map too; compare the number of rows of the two element tables.",
        "len(m.elements) - len(m.public().elements)",
    ],
    mistakes=[
        Mistake("len(m.public().elements)", "That is how many are *kept*; the question asks how many are left out."),
    ],
    units="elements",
    explanation="Nothing private goes into a public report, not even hidden in the page's code.",
)

q6 = ReflectionExercise(
    id="10.6",
    title="Consent in your network",
    prompt=(
        "How do (or would) you ask people and groups whether they agree to appear on a shared map? "
        "What would you do when someone says no, or asks to be removed later?"
    ),
    var="my_consent_plan",
    min_words=20,
    hints=["Think about the moment of asking (the survey), what you say the map is for, and who will see it."],
    points=[
        "ask at the time of collecting, saying what the map is for and who will see it",
        "record the answer in a Consent column; a missing answer means no",
        "keep private parts private: publish only m.public()",
        "removal requests: delete from the master copy and from any published version",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5, q6)
