"""Exercises for lesson 04, Clusters and communities (notebooks/04_clusters_and_communities.ipynb)."""

from __future__ import annotations

from cop_toolkit.teaching.exercises._data import owa_2017_clusters
from cop_toolkit.teaching.exercises.exercise import Mistake
from cop_toolkit.teaching.exercises.kinds import (
    ReflectionExercise,
    SetExercise,
    ValueExercise,
)
from cop_toolkit.teaching.exercises.registry import register

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "EXERCISES"]

q1 = ValueExercise(
    id="04.1",
    title="How many clusters?",
    prompt="How many clusters did cop.find_clusters find in the sample map?",
    var="n_clusters",
    setup=owa_2017_clusters,
    solution='n_clusters = clusters["cluster"].nunique()',
    expected=lambda ns: len(ns["summary"]),
    hints=["The 'cluster' column gives each element's cluster number.", "clusters['cluster'].nunique() counts the different numbers."],
    mistakes=[Mistake("len(clusters)", "That is the number of elements (one row each). Count the different cluster numbers.")],
    units="clusters",
    explanation="Isolated elements make clusters of one each.",
)

q2 = ValueExercise(
    id="04.2",
    title="LVSC's cluster",
    prompt="What is the name of the cluster LVSC belongs to?",
    var="lvsc_cluster",
    setup=owa_2017_clusters,
    solution='lvsc_cluster = clusters.loc["lvsc", "cluster_name"]',
    hints=["Look up LVSC's row: clusters.loc['lvsc'].", "The name is in the 'cluster_name' column."],
    mistakes=[Mistake('clusters.loc["lvsc", "cluster"]', "That is the cluster's number. Give its name, from the 'cluster_name' column.")],
    explanation="Clusters are named after their hub — the member with most ties inside the cluster.",
)

q3 = SetExercise(
    id="04.3",
    title="The hubs of the clusters",
    prompt="Which elements are the hubs of the clusters? (One per cluster, from the cluster summary.)",
    var="hubs",
    setup=owa_2017_clusters,
    solution='hubs = summary["ID_hub"]',
    hints=["summary = cop.cluster_summary(m, clusters) has one row per cluster.", "Its 'ID_hub' column (or 'Label_hub') names each cluster's hub."],
    mistakes=[
        Mistake(
            'metrics["degree"].nlargest(len(summary)).index',
            "Those are the best-connected elements of the whole map. A cluster's hub is the best-connected INSIDE its own cluster.",
        )
    ],
    explanation="Each cluster's hub is the member with most ties inside it.",
)

q4 = ValueExercise(
    id="04.4",
    title="Turning the resolution knob",
    prompt="Find clusters again with resolution=2. How many clusters do you get now?",
    var="n_fine",
    setup=owa_2017_clusters,
    solution='n_fine = cop.find_clusters(m, resolution=2)["cluster"].nunique()',
    hints=["cop.find_clusters(m, resolution=2) gives a new table.", "Count its different 'cluster' numbers with .nunique()."],
    mistakes=[
        Mistake('clusters["cluster"].nunique()', "That is the number at the normal resolution (1). Run find_clusters again with resolution=2."),
        Mistake(
            'cop.find_clusters(m, resolution=0.5)["cluster"].nunique()',
            "That is resolution 0.5: below 1 gives fewer, bigger clusters. Use resolution=2.",
        ),
    ],
    units="clusters",
    explanation="A higher resolution splits the map into more, smaller clusters.",
)

q5 = ValueExercise(
    id="04.5",
    title="The most outward-looking cluster",
    prompt="Which cluster has the most ties to other clusters? Give its name.",
    var="most_outward",
    setup=owa_2017_clusters,
    solution='most_outward = summary.loc[summary["external_ties"].idxmax(), "cluster_name"]',
    hints=[
        "The summary's 'external_ties' column counts ties from a cluster to the others.",
        "summary['external_ties'].idxmax() gives the row; take its 'cluster_name'.",
    ],
    mistakes=[
        Mistake(
            'summary.loc[summary["internal_ties"].idxmax(), "cluster_name"]',
            "That cluster has the most ties INSIDE it. Look at 'external_ties': ties to other clusters.",
        )
    ],
    explanation="A cluster with more ties out than in is a bridge between the others.",
)

q6 = ReflectionExercise(
    id="04.6",
    title="Name the clusters",
    prompt=(
        "Look at the main types and boroughs of two clusters in the summary. What would you call "
        "them, in words their members would recognise? Why might they have formed?"
    ),
    var="cluster_names",
    min_words=20,
    hints=[
        "Look at summary[['cluster_name', 'main_types', 'main_boroughs']].",
        "Is a cluster about a place (a sub-region), a theme (say, equalities) or a funder's programme?",
    ],
    points=[
        "clusters often follow geography (east, south London...) because local groups work together",
        "some follow a theme or a funder's programme rather than a place",
        "a name in the members' own words is more useful than 'cluster 3'",
        "the algorithm suggests groups; people who know the network decide what they mean",
    ],
)

EXERCISES = register(q1, q2, q3, q4, q5, q6)
