"""Exercises for lesson 00, Getting started (notebooks/00_getting_started.ipynb)."""

from __future__ import annotations

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

q1 = ValueExercise(
    id="00.1",
    title="Python as a calculator",
    prompt=(
        "A borough network has 14 member groups in Tower Hamlets, 9 in Hackney and 23 in "
        "Southwark. How many member groups is that altogether? Let Python do the sum."
    ),
    var="total_groups",
    solution="total_groups = 14 + 9 + 23",
    hints=[
        "Python adds with +, just like a calculator.",
        "Write the three numbers with + between them: 14 + 9 + ...",
    ],
    mistakes=[
        Mistake("14 + 9", "You have added Tower Hamlets and Hackney — don't forget Southwark's 23."),
        Mistake("(14 + 9 + 23) / 3", "That is the average per borough; the question asks for the total."),
    ],
    units="groups",
    explanation="Python works out 14 + 9 + 23 = 46 for you.",
)

q2 = ChoiceExercise(
    id="00.2",
    title="Two kinds of cell",
    prompt="The cell you are reading now, with headings and plain text, is which kind of cell?",
    var="cell_kind",
    options={"a": "a code cell", "b": "a markdown cell", "c": "an output"},
    solution="cell_kind = 'b'",
    why_not={
        "a": "Code cells hold Python and have In [ ] beside them; text cells are markdown.",
        "c": "An output is what appears under a code cell after you run it.",
    },
    hints=[
        "Double-click the text: if you see # signs and ** stars, it is written in a simple text format.",
        "That simple text format is called markdown.",
    ],
    explanation="Markdown cells hold text; code cells hold Python.",
)

q3 = ValueExercise(
    id="00.3",
    title="How big is the sample map?",
    prompt="How many elements (organisations, networks and people) does the sample map owa-2017 have?",
    var="n_elements",
    setup=owa_2017,
    solution="n_elements = len(m.elements)",
    expected=lambda ns: ns["m"].to_networkx().number_of_nodes(),
    hints=[
        "m.elements is a table with one row per element.",
        "len(...) counts the rows of a table: len(m.elements).",
    ],
    mistakes=[
        Mistake("len(m.connections)", "That is the number of connections (rows of m.connections), not elements."),
        Mistake("len(m.elements.columns)", "That counts the columns (the fields), not the rows (the elements)."),
    ],
    units="elements",
    explanation="One row of m.elements is one element.",
)

q4 = ElementExercise(
    id="00.4",
    title="Find the university",
    prompt=(
        "One element of the map has the Type 'University'. Which is it? Give its ID or its label."
    ),
    var="university",
    setup=owa_2017,
    solution='university = m.elements.loc[m.elements["Type"] == "University", "Label"].iloc[0]',
    hints=[
        "You can pick rows of a table by a condition: m.elements[m.elements['Type'] == 'University'].",
        "Add ['Label'].iloc[0] to take the label of the first (and only) matching row.",
    ],
    mistakes=[
        Mistake('m.elements["Label"].iloc[0]', "That is just the first row of the table; pick the row whose Type is 'University'."),
    ],
    explanation="Picking rows by a condition is how you will filter maps throughout the course.",
)

q5 = ReflectionExercise(
    id="00.5",
    title="What do you want from a map?",
    prompt=(
        "In two or three sentences: what do you hope a map of your network will help you "
        "(or your network) do?"
    ),
    var="my_hopes",
    min_words=12,
    hints=[
        "Think of a moment when you wished you knew who else worked on something near you.",
        "You might think about finding partners, spotting who is missing, or showing funders how you connect people.",
    ],
    points=[
        "seeing who is connected to whom, and who is left out",
        "finding partners, resources or people working on the same issue",
        "showing the value of a network to members or funders",
        "noticing where the network depends on one person or body",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5)
