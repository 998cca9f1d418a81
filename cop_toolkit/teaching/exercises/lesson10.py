"""Exercises for lesson 10, Keeping the map alive (notebooks/10_keeping_the_map_alive.ipynb)."""

from __future__ import annotations

import functools
from typing import Any

from cop_toolkit.teaching.exercises._data import owa_2017
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ChoiceExercise,
    ReflectionExercise,
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
    """owa-2017 (``m``) and owa-2018 (``new``), with ``merged`` and ``report`` from ``cop.merge_maps``
    as the notebook builds them."""
    ns = dict(owa_2017())
    cop = ns["cop"]
    ns["new"] = cop.datasets.load("owa-2018")
    ns["merged"], ns["report"] = cop.merge_maps(ns["m"], ns["new"], sources=["2017 map", "2018 wave"])
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

q2 = ChoiceExercise(
    id="10.2",
    title="How the network is developing",
    prompt=(
        "cop.network_stage(new) names the development stage of the 2018 map by written rules, with "
        "the evidence. Which stage is it in?"
    ),
    var="stage",
    setup=_upkeep,
    options={
        "a": "scattered fragments",
        "b": "single hub-and-spoke",
        "c": "multi-hub small world",
        "d": "core and periphery",
    },
    solution="stage = cop.network_stage(new).stage",
    why_not={
        "a": "The network is not in pieces: its main component holds nearly all the elements.",
        "b": "Count the hubs in the evidence: more than one hub holds the 2018 network together.",
        "d": (
            "Not yet: the main core is large and loose (its density is far below 0.5), "
            "not a small, dense core that the other elements sit around."
        ),
    },
    hints=[
        "Run print(cop.network_stage(new).text()): the words after 'Stage:' name it.",
        "cop.network_stage(new).stage gives the stage as text; the option's letter or its text both count.",
    ],
    explanation=(
        "Several hubs hold the 2018 network together; the next stage needs a small, dense core of "
        "groups that work closely with each other, tied to most of the rest."
    ),
)

q3 = ValueExercise(
    id="10.3",
    title="Matched to the base map",
    prompt=(
        "merged, report = cop.merge_maps(m, new, ...) merged the 2018 wave into the 2017 map. How many "
        "elements of the 2018 wave were matched to an element already on the 2017 map (the table "
        "report.matches)?"
    ),
    var="n_matched",
    setup=_upkeep,
    solution="n_matched = len(report.matches)",
    expected=lambda ns: len(set(ns["new"].elements["ID"]) & set(ns["m"].elements["ID"])),
    hints=[
        "report.summary() counts each outcome; report.matches has one row per matched element.",
        "len(report.matches) counts its rows.",
    ],
    mistakes=[
        Mistake("len(report.added)", "Those are the elements the 2018 wave added as new; count the ones it matched."),
        Mistake("len(merged.elements)", "That is every element of the merged map, matched or not."),
        Mistake("len(new.elements)", "That is every element of the 2018 wave, including the new ones that were added."),
    ],
    units="elements",
    explanation=(
        "Matched elements keep one row each, with both sources in Reported By; a 2017 element the "
        "wave did not match is kept, not deleted — check it before removing anything."
    ),
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
