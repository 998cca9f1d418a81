"""Lesson exercises 00-06: the reference answers tell the sample map's story, and the
answers learners typically give get feedback that points them the right way."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import plotly.express as px

from cop_toolkit.teaching.exercises import (
    lesson00,
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
)


def test_lesson00_counts_every_element_of_the_sample_map():
    m = lesson00.q3.namespace()["m"]
    assert lesson00.q3.reference_answer() == len(m.elements) > 100
    assert lesson00.q4.evaluate("London Metropolitan University").correct


def test_lesson01_minibus_needs_include_capitalised_spellings():
    answer = set(lesson01.q3.reference_answer())
    m = lesson01.q3.namespace()["m"]
    typed = m.elements.set_index("ID")["Needs"].loc[list(answer)]
    assert any("Minibus" in cell for cell in typed)  # the case trap is real in the data


def test_lesson01_funding_answer_accepts_labels():
    m = lesson01.q4.namespace()["m"]
    labels = [m.label_of(i) for i in lesson01.q4.reference_answer()]
    assert lesson01.q4.evaluate(labels).correct


def test_lesson01_chart_may_be_drawn_straight_from_value_counts():
    m = lesson01.q5.namespace()["m"]
    assert lesson01.q5.evaluate(px.bar(m.elements["Type"].value_counts())).correct


def test_lesson02_reconciling_finds_fewer_organisations_than_spellings():
    ns = lesson02.q2.namespace()
    raw = ns["survey"]["Name of your organisation or group"].nunique()
    assert lesson02.q2.reference_answer() < raw


def test_lesson02_changed_names_table_may_have_its_index_reset():
    table = lesson02.q3.reference_answer().reset_index(drop=True)
    assert lesson02.q3.evaluate(table).correct
    assert "missing the column 'canonical'" in lesson02.q3.evaluate(table[["raw", "method"]]).message


def test_lesson03_lvsc_tops_the_betweenness_ranking():
    assert list(lesson03.q1.reference_answer())[0] == "lvsc"
    assert lesson03.q2.reference_answer() != "lvsc"


def test_lesson03_ranking_given_as_labels_in_the_wrong_order_is_told_about_order():
    m = lesson03.q1.namespace()["m"]
    labels = [m.label_of(i) for i in lesson03.q1.reference_answer()]
    assert lesson03.q1.evaluate(labels).correct
    assert "order is wrong" in lesson03.q1.evaluate(list(reversed(labels))).message


def test_lesson03_horizontal_bar_chart_is_accepted():
    top10 = lesson03.q5.namespace()["metrics"].nlargest(10, "betweenness")
    fig = px.bar(top10, y="Label", x="betweenness", orientation="h")
    assert lesson03.q5.evaluate(fig).correct
    assert "bar chart" in lesson03.q5.evaluate(px.scatter(top10, x="Label", y="betweenness")).message


def test_lesson04_lvsc_has_its_own_outward_looking_cluster():
    assert lesson04.q2.reference_answer() == "LVSC cluster"
    assert lesson04.q4.reference_answer() > lesson04.q1.reference_answer()


def test_lesson05_function_that_only_works_on_the_sample_map_fails_the_hidden_cases():
    ns = lesson05.q4.namespace()
    lvsc_answer = lesson05.q4.reference_answer()(ns["m"], "lvsc")

    def hard_coded(m, name):
        return set(lvsc_answer)

    result = lesson05.q4.evaluate(hard_coded)
    assert result.status == "incorrect" and "small map" in result.message


def test_lesson05_hanging_on_may_return_a_list():
    def as_list(m, name):
        G = m.to_networkx()
        t = m.resolve(name)
        return sorted(n for n in G.neighbors(t) if G.degree(n) == 1)

    assert lesson05.q4.evaluate(as_list).correct


def test_a_learner_function_that_changes_the_map_cannot_change_the_sample_for_later_exercises():
    import cop_toolkit as cop

    def hanging_on_then_relabel(m, name):
        G = m.to_networkx()
        target = m.resolve(name)
        answer = {n for n in G.neighbors(target) if G.degree(n) == 1}
        m.elements["Label"] = "X"  # changes the map it was given, in place
        return answer

    assert lesson05.q4.evaluate(hanging_on_then_relabel).correct
    assert lesson05.q4.evaluate(hanging_on_then_relabel).correct  # the second time too
    fresh = cop.datasets.load("owa-2017")
    for ex in (lesson05.q4, lesson03.q1, lesson00.q4):
        sample = ex.namespace()["m"]
        pd.testing.assert_frame_equal(sample.elements, fresh.elements)
        assert ex.evaluate(ex.reference_answer()).correct
    assert "X" not in set(fresh.elements["Label"])


def test_lesson05_cut_points_match_networkx():
    ns = lesson05.q2.namespace()
    assert set(lesson05.q2.reference_answer()) == set(nx.articulation_points(ns["m"].to_networkx()))


def test_lesson06_reference_what_if_matches_cop_what_if_for_lvsc():
    ns = lesson06.q4.namespace()
    mine = lesson06.q4.reference_answer()(ns["m"], "LVSC")
    assert mine == set(ns["result"].cut_off.index)
    assert lesson06.q1.reference_answer() == len(mine) > 0


def test_lesson06_function_that_forgets_to_leave_out_the_removed_element_is_caught():
    def includes_target(m, name):
        target = m.resolve(name)
        before = max(nx.connected_components(m.to_networkx()), key=len)
        after = max(nx.connected_components(m.without([target]).to_networkx()), key=len)
        return set(before) - set(after)

    assert lesson06.q4.evaluate(includes_target).status == "incorrect"


def test_lesson06_key_players_differ_from_the_top_betweenness_three():
    ns = lesson06.q5.namespace()
    top3 = set(ns["metrics"]["betweenness"].nlargest(3).index)
    assert set(lesson06.q5.reference_answer()) != top3
    assert isinstance(lesson06.q3.namespace()["result"].to_the_fore, pd.DataFrame)
