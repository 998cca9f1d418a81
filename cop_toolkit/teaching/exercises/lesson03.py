"""Exercises for lesson 03, Who is central (notebooks/03_who_is_central.ipynb)."""

from __future__ import annotations

from cop_toolkit.teaching.exercises._data import owa_2017_metrics
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ChoiceExercise,
    ElementExercise,
    FigureExercise,
    ReflectionExercise,
    SetExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "EXERCISES"]

q1 = SetExercise(
    id="03.1",
    title="The top five go-betweens",
    prompt="Rank the five elements with the highest betweenness, highest first.",
    var="top5_betweenness",
    setup=owa_2017_metrics,
    ordered=True,
    solution='top5_betweenness = metrics["betweenness"].nlargest(5).index',
    expected=lambda ns: list(ns["metrics"].sort_values("betweenness", ascending=False).index[:5]),
    hints=[
        "metrics['betweenness'] is a column with one number per element.",
        "metrics['betweenness'].nlargest(5) keeps the five biggest; .index gives their IDs.",
    ],
    mistakes=[
        Mistake(
            'metrics["degree"].nlargest(5).index',
            "Those are the five with the most connections (degree). Betweenness counts how often an "
            "element lies on the shortest route between two others.",
        ),
        Mistake(
            'metrics["betweenness"].nsmallest(5).index',
            "Those are the five LOWEST. Use nlargest, or sort_values(ascending=False).",
        ),
    ],
    explanation="High betweenness: the element holds parts of the network together.",
)

q2 = ElementExercise(
    id="03.2",
    title="Who hears first (after LVSC)?",
    prompt=(
        "LVSC has the highest closeness. Leaving LVSC out, which element is closest to everyone "
        "else — who would hear news first?"
    ),
    var="quickest",
    setup=owa_2017_metrics,
    solution='quickest = metrics.drop("lvsc")["closeness"].idxmax()',
    hints=[
        "metrics.drop('lvsc') is the table without LVSC's row.",
        "Then take the 'closeness' column and idxmax() — the ID of its largest value.",
    ],
    mistakes=[
        Mistake("'lvsc'", "LVSC is first, but the question asks for the one after LVSC: leave LVSC out with metrics.drop('lvsc')."),
        Mistake(
            'metrics.drop("lvsc")["degree"].idxmax()',
            "That element has the most direct connections (degree). Closeness is about how few steps it takes to reach everyone.",
        ),
    ],
    explanation="Closeness: few steps to everyone, so news reaches it — and spreads from it — quickly.",
)

q3 = ValueExercise(
    id="03.3",
    title="Reach of the Borough Networks Forum",
    prompt="How many elements can the Borough Networks Forum reach within two steps (its reach)?",
    var="bnf_reach",
    setup=owa_2017_metrics,
    solution='bnf_reach = metrics.loc["borough-networks-forum", "reach"]',
    expected=lambda ns: len(
        __import__("networkx").single_source_shortest_path_length(ns["m"].to_networkx(), "borough-networks-forum", cutoff=2)
    ) - 1,
    hints=[
        "metrics.loc[ID, column] picks one value from the table.",
        "The ID is 'borough-networks-forum' and the column is 'reach'.",
    ],
    mistakes=[
        Mistake(
            'metrics.loc["borough-networks-forum", "degree"]',
            "That is its direct contacts (degree). Reach also counts the contacts of its contacts: everyone within two steps.",
        ),
    ],
    units="elements",
    explanation="A network of networks reaches far in two steps, through its members' own contacts.",
)

q4 = ChoiceExercise(
    id="03.4",
    title="Which measure for which question?",
    prompt="You want to know who would hear news first if it started anywhere in the network. Which measure?",
    var="measure",
    options={"a": "degree", "b": "betweenness", "c": "closeness", "d": "eigenvector"},
    solution="measure = 'c'",
    why_not={
        "a": "Degree counts direct contacts. Someone with many contacts can still be far from the rest of the map.",
        "b": "Betweenness says who sits between others (who holds it together), not who is nearest to everyone.",
        "d": "Eigenvector says who is tied to well-connected others (influence), not who is fewest steps from everyone.",
    },
    hints=["Hearing first is about distance: how many steps to everyone?", "The measure of short distances to everyone is closeness."],
    explanation="Closeness: short routes to everyone.",
)

q5 = FigureExercise(
    id="03.5",
    title="Chart the top ten go-betweens",
    prompt="Make a bar chart of the ten elements with the highest betweenness: one bar each, labelled with the element's Label.",
    var="fig",
    setup=owa_2017_metrics,
    solution='top10 = metrics.nlargest(10, "betweenness")\nfig = px.bar(top10, x="Label", y="betweenness")',
    hints=[
        "metrics.nlargest(10, 'betweenness') keeps the ten rows with the highest betweenness.",
        "px.bar(top10, x='Label', y='betweenness') — or make it horizontal with x and y swapped and orientation='h'.",
    ],
    mistakes=[
        Mistake(
            'top10 = metrics.nlargest(10, "degree")\nfig = px.bar(top10, x="Label", y="degree")',
            "That chart shows degree (most connections). This one asks for betweenness.",
        ),
    ],
    explanation="A ranking chart makes LVSC's lead impossible to miss.",
)

q6 = ReflectionExercise(
    id="03.6",
    title="Centrality in your own network",
    prompt=(
        "Think of a network you know. Who would have the highest betweenness — who holds it "
        "together? Is that the same as who has most contacts? What would happen if they left?"
    ),
    var="my_centrality_thoughts",
    min_words=20,
    hints=[
        "Think of the person or body people go through to reach others.",
        "Compare them with the busiest person: are they the same? What would break if the go-between left?",
    ],
    points=[
        "the go-between is often a small infrastructure body or one connector, not the biggest organisation",
        "many contacts (degree) is not the same as holding the network together (betweenness)",
        "if the go-between leaves, some groups may lose their only route to others",
        "measures describe position in the map, not the worth of an organisation",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5, q6)
