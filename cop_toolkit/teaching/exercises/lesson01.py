"""Exercises for lesson 01, What is a network map (notebooks/01_what_is_a_network_map.ipynb)."""

from __future__ import annotations

from cop_toolkit.teaching.exercises._data import owa_2017
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ChoiceExercise,
    FigureExercise,
    SetExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "EXERCISES"]

q1 = ValueExercise(
    id="01.1",
    title="Count the connections",
    prompt="How many connections does the sample map have?",
    var="n_connections",
    setup=owa_2017,
    solution="n_connections = len(m.connections)",
    hints=[
        "Connections live in their own table, m.connections: one row per connection.",
        "len(m.connections) counts its rows.",
    ],
    mistakes=[
        Mistake("len(m.elements)", "That is the number of elements. Connections are in m.connections."),
        Mistake("len(m.connections.columns)", "That counts the columns (the fields) of m.connections, not its rows."),
    ],
    units="connections",
    explanation="Each row of m.connections is one connection between two elements.",
)

q2 = ValueExercise(
    id="01.2",
    title="How many community groups?",
    prompt="How many elements of the map have the Type 'Community group'?",
    var="n_groups",
    setup=owa_2017,
    solution='n_groups = (m.elements["Type"] == "Community group").sum()',
    expected=lambda ns: int(ns["m"].elements["Type"].value_counts()["Community group"]),
    hints=[
        "m.elements['Type'].value_counts() counts the elements of each type.",
        "Or compare: (m.elements['Type'] == 'Community group') is True for each group; .sum() counts the Trues.",
    ],
    mistakes=[
        Mistake('m.elements["Type"].nunique()', "That is the number of different types, not how many community groups there are."),
        Mistake("len(m.elements)", "That counts every element; keep only those whose Type is 'Community group'."),
    ],
    units="groups",
    explanation="Most of a community network map is grassroots groups.",
)

q3 = SetExercise(
    id="01.3",
    title="Who needs a minibus?",
    prompt=(
        "The Needs field can hold several needs in one cell, separated by |. Which elements list "
        "'minibus' among their needs? Watch out: people do not always type it the same way."
    ),
    var="need_minibus",
    setup=owa_2017,
    solution=(
        'needs = m.multi("Needs")\n'
        'need_minibus = [i for i, items in needs.items() if "minibus" in [x.lower() for x in items]]'
    ),
    expected=lambda ns: list(
        ns["m"].elements.loc[
            ns["m"].elements["Needs"].fillna("").str.lower().str.split("|").map(
                lambda items: "minibus" in [x.strip() for x in items]
            ),
            "ID",
        ]
    ),
    hints=[
        "m.multi('Needs') turns each cell into a list, e.g. ['minibus', 'storage'].",
        "Compare in lower case, so that 'Minibus' counts too: 'minibus' in [x.lower() for x in items].",
        "needs = m.multi('Needs'); need_minibus = [i for i, items in needs.items() if 'minibus' in [x.lower() for x in items]]",
    ],
    mistakes=[
        Mistake(
            'm.elements.loc[m.elements["Needs"] == "minibus", "ID"]',
            "That finds only the elements whose ONLY need is a minibus. A cell can hold several "
            "needs separated by | — use m.multi('Needs').",
        ),
        Mistake(
            '[i for i, items in m.multi("Needs").items() if "minibus" in items]',
            "Nearly! Some groups wrote 'Minibus' with a capital M. Compare in lower case.",
        ),
    ],
    explanation="Several values in one cell, separated by |, is Kumu's convention for fields like Needs and Tags.",
)

q4 = SetExercise(
    id="01.4",
    title="Whom does City Bridge Trust fund?",
    prompt=(
        "Funding connections point from the funder to the funded. Which elements does "
        "City Bridge Trust (ID 'city-bridge-trust') fund?"
    ),
    var="funded",
    setup=owa_2017,
    solution=(
        "c = m.connections\n"
        'funded = c.loc[(c["From"] == "city-bridge-trust") & (c["Type"] == "Funding"), "To"]'
    ),
    hints=[
        "Keep the rows of m.connections whose From is 'city-bridge-trust' and whose Type is 'Funding'.",
        "Combine two conditions with &, each in brackets: (c['From'] == ...) & (c['Type'] == ...). Then take the 'To' column.",
    ],
    mistakes=[
        Mistake(
            'm.connections.loc[m.connections["Type"] == "Funding", "To"].unique()',
            "That is everyone funded by ANY funder. Keep only the rows where From is 'city-bridge-trust'.",
        ),
        Mistake(
            'c = m.connections\n'
            'funded = c.loc[(c["From"] == "city-bridge-trust") & (c["Type"] == "Funding"), "From"].unique()',
            "That is the From column: City Bridge Trust itself. The funded elements are at the "
            "other end of each connection, in the To column.",
        ),
    ],
    if_empty=(
        "Your answer is empty: no connection matched. Check the two values you compared with: "
        "the From column holds IDs, and 'City Bridge Trust' is a label — use "
        "m.resolve('City Bridge Trust') (it gives 'city-bridge-trust'); and connection types are "
        "written 'Funding' with a capital F."
    ),
    explanation="A connection's From and To say which way it points.",
)

q5 = FigureExercise(
    id="01.5",
    title="A first chart: elements by type",
    prompt="Make a bar chart with one bar per element type, showing how many elements there are of each.",
    var="fig",
    setup=owa_2017,
    solution='counts = m.elements["Type"].value_counts()\nfig = px.bar(x=counts.index, y=counts.values)',
    hints=[
        "m.elements['Type'].value_counts() gives the count per type.",
        "px.bar(counts) draws a Series as bars; or px.bar(x=counts.index, y=counts.values).",
    ],
    mistakes=[
        Mistake(
            'counts = m.connections["Type"].value_counts()\nfig = px.bar(x=counts.index, y=counts.values)',
            "That chart counts connection types. This one is about elements: use m.elements['Type'].",
        ),
    ],
    explanation="Bars make it easy to see that community groups are the biggest part of the map.",
)

q6 = ChoiceExercise(
    id="01.6",
    title="Which way does Membership point?",
    prompt="A community group is a member of its borough network. Which way does the Membership connection point?",
    var="membership_direction",
    options={
        "a": "from the network to the member group",
        "b": "from the member group to the network",
        "c": "it has no direction",
    },
    solution="membership_direction = 'b'",
    why_not={
        "a": "Not this way round: in these maps a Membership tie points from the member to the network it belongs to.",
        "c": "Membership ties are directed: the member belongs to the network, not the other way round.",
    },
    hints=[
        "Look at a few rows: m.connections[m.connections['Type'] == 'Membership'].head(). Which is the network, From or To?",
        "The To end of a Membership row is always a network.",
    ],
    explanation="A Membership tie points from the member to the network it belongs to.",
)

EXERCISES = register(q1, q2, q3, q4, q5, q6)
