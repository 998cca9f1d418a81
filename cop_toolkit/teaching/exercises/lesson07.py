"""Exercises for lesson 07, Networks on the map (notebooks/07_networks_on_the_map.ipynb)."""

from __future__ import annotations

import functools
from typing import Any

from cop_toolkit.teaching.exercises._data import owa_2017
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import ReflectionExercise, ValueExercise
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "EXERCISES"]


@functools.cache
def _places() -> dict[str, Any]:
    """owa-2017 with ``places``, ``summary`` and ``flows`` as the notebook has them."""
    ns = dict(owa_2017())
    cop = ns["cop"]
    ns["places"] = cop.locate(ns["m"])
    ns["summary"] = cop.borough_summary(ns["m"])
    ns["flows"] = cop.borough_flows(ns["m"])
    return ns


q1 = ValueExercise(
    id="07.1",
    title="Placed only roughly",
    prompt=(
        "Some elements have no coordinates and no postcode we could look up, so they are placed "
        "only roughly, somewhere inside their borough. How many elements are placed only roughly "
        "(the 'approximate' column of places is True)?"
    ),
    var="n_rough",
    setup=_places,
    solution='n_rough = int(places["approximate"].sum())',
    expected=lambda ns: int((ns["places"]["approximate"] == True).sum()),  # noqa: E712
    hints=[
        "places['approximate'] is a column of True and False.",
        "Adding up True/False values counts the Trues: places['approximate'].sum().",
    ],
    mistakes=[
        Mistake('int((places["placed_by"] == "coordinates").sum())',
                "That counts the elements placed exactly from their coordinates — the opposite of what is asked."),
        Mistake("len(places)", "That is every element on the map; count only those whose 'approximate' is True."),
    ],
    units="elements",
    explanation="Elements placed only by borough are drawn inside their borough but not at their real address.",
)

q2 = ValueExercise(
    id="07.2",
    title="Where collaboration happens",
    prompt=(
        "Which borough has the most ties *within* it (both ends in the same borough)? "
        "Give its ONS code, the index of summary (for example 'E09000030')."
    ),
    var="most_local_ties",
    setup=_places,
    solution='most_local_ties = summary["ties_within"].idxmax()',
    hints=[
        "summary has one row per borough and a column 'ties_within'.",
        ".idxmax() gives the index (the borough code) of the largest value.",
    ],
    mistakes=[
        Mistake('summary["ties_out"].idxmax()',
                "That borough has the most ties going *out* to other boroughs, not within."),
    ],
    explanation="Ties within a borough are local collaboration; a borough can have many elements but few local ties.",
)

q3 = ValueExercise(
    id="07.3",
    title="Flows between boroughs",
    prompt=(
        "The flows table counts ties from each borough (origin, code_a) to each borough (destination, code_b). "
        "How many ties cross from one borough to a *different* borough?"
    ),
    var="cross_ties",
    setup=_places,
    solution='cross_ties = int(flows.loc[flows["code_a"] != flows["code_b"], "ties"].sum())',
    hints=[
        "Keep the rows where origin and destination differ: flows[flows['code_a'] != flows['code_b']].",
        "Then add up their 'ties' column with .sum().",
    ],
    mistakes=[
        Mistake('int(flows["ties"].sum())',
                "That includes the ties that stay inside one borough; keep only rows where origin and destination differ."),
        Mistake('len(flows[flows["code_a"] != flows["code_b"]])',
                "That counts pairs of boroughs, not ties: add up the 'ties' column instead."),
    ],
    units="ties",
    explanation="Ties across borough lines are how ideas and referrals travel across London.",
)

q4 = ValueExercise(
    id="07.4",
    title="Resources versus collaboration",
    prompt=(
        "In summary, 'share_of_resources' is a borough's share of all the assets and offers on the "
        "map, and 'share_of_ties' its share of all ties. In how many boroughs is the share of "
        "resources bigger than the share of ties (resources that collaboration has not reached yet)?"
    ),
    var="n_resource_rich",
    setup=_places,
    solution='n_resource_rich = int((summary["share_of_resources"] > summary["share_of_ties"]).sum())',
    hints=[
        "Compare the two columns: summary['share_of_resources'] > summary['share_of_ties'] gives True/False per borough.",
        "Count the Trues with .sum().",
    ],
    mistakes=[
        Mistake('int((summary["share_of_resources"] < summary["share_of_ties"]).sum())',
                "That counts the boroughs where ties outweigh resources — the other way round."),
    ],
    units="boroughs",
    explanation="These boroughs hold more of London's resources than their share of the collaboration.",
)

q5 = ReflectionExercise(
    id="07.5",
    title="Your own patch",
    prompt=(
        "Think of the borough you know best. Where do groups collaborate, and where are the "
        "resources (rooms, kitchens, vans, volunteers)? Are they in the same places?"
    ),
    var="my_patch",
    min_words=15,
    hints=["Think of a room or kitchen that sits empty most of the week, and who might use it."],
    points=[
        "resources and collaboration are not always in the same places",
        "borough boundaries are not how people travel: neighbours across a border may share more",
        "a map placed only by borough is rough: add postcodes or coordinates for local work",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5)
