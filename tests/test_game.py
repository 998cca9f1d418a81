"""The Living Lab game: rules, time budget, scoring, turns, determinism and clear refusals."""

from __future__ import annotations

import pandas as pd
import pytest

from cop_toolkit.core.errors import MapError, UnknownElementError
from cop_toolkit.teaching.game import (
    Game,
    GameError,
    Player,
    default_players,
    measure,
    tiny_map,
)


def one_player(role="Community group", element="rise", **kw):
    kw.setdefault("events", False)
    return Game(tiny_map(), [Player("Ama", role, element)], hub="hub", **kw)


def test_default_hub_is_the_most_central_element():
    g = Game(tiny_map(), [Player("Ama", "Community group", "rise")])
    assert g.hub == "hub"


def test_measure_finds_who_is_cut_off_if_the_hub_goes():
    g = one_player()
    assert g.current["cut_off_ids"] == ["far", "fund", "homes"]
    assert g.current["fragmentation"] == 0.0


def test_introduction_that_rescues_an_organisation_scores_three_points():
    g = one_player()
    move = g.introduce("Southside Food Bank", "homes")
    assert move.rescued == 1 and move.points == 3 and move.cost == 2
    assert g.current["cut_off_ids"] == ["far", "fund"]
    added = g.map.connections.iloc[-1]
    assert (added["From"], added["To"], added["Type"]) == ("food", "homes", "Information sharing")


def test_a_new_tie_to_the_hub_rescues_nobody():
    g = one_player(element="homes", role="Community group")
    # homes is tied to the hub only; a tie to the far end adds reach but rescues no one
    move = g.new_tie("far")
    assert move.rescued == 0
    assert g.current["cut_off_if_hub_goes"] == 3  # homes and far now cut off together, with the funder


def test_game_never_changes_the_users_map():
    m = tiny_map()
    before = m.connections.copy()
    g = Game(m, [Player("Ama", "Community group", "rise")], hub="hub", events=False)
    g.introduce("food", "homes")
    pd.testing.assert_frame_equal(m.connections, before)
    assert len(g.map.connections) == len(before) + 1


def test_action_beyond_the_time_budget_is_refused_with_a_clear_message():
    g = one_player(budget=4)
    g.new_tie("homes")  # 3 units, 1 left
    with pytest.raises(GameError, match="costs 3 time units but you have only 1 left this round") as err:
        g.new_tie("far")
    assert "end your turn" in str(err.value)
    assert g.time_left() == 1
    assert len(g.moves) == 1


def test_budget_is_restored_at_the_next_round():
    g = one_player(budget=3)
    g.new_tie("homes")
    assert g.time_left() == 0
    g.end_turn()
    assert g.round == 2 and g.time_left() == 3


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda g: g.introduce("food", "food"), "to itself"),
        (lambda g: g.introduce("food", "bnet"), "already have a tie"),
        (lambda g: g.introduce("homes", "far"), "knows neither"),
        (lambda g: g.introduce("rise", "far"), "cannot introduce yourself"),
        (lambda g: g.new_tie("bnet"), "already has a tie"),
        (lambda g: g.share("homes", "helicopter"), "has no 'helicopter' to share"),
        (lambda g: g.fund("far"), "only a funder can fund"),
        (lambda g: g.play("dance", "far"), "not an action"),
        (lambda g: g.play("introduce", "far"), "wrong number of names"),
    ],
)
def test_invalid_moves_are_refused_in_plain_words(call, words):
    g = one_player()
    with pytest.raises(GameError, match=words) as err:
        call(g)
    assert "How to fix:" in str(err.value)
    assert isinstance(err.value, MapError)
    assert g.moves == [] and g.time_left() == 6


def test_unknown_element_suggests_close_names():
    g = one_player()
    with pytest.raises(UnknownElementError, match="Southside Food Bank"):
        g.introduce("Southside Food Bnk x", "homes")


def test_unknown_role_is_refused():
    with pytest.raises(GameError, match="not a role"):
        Player("Ama", "Wizard", "rise")


def test_role_strengths_change_costs():
    assert one_player("Hub", "hub").cost("introduce", "food", "far") == 1
    bn = one_player("Borough network", "bnet")
    assert bn.cost("introduce", "food", "homes") == 1  # both in Lambeth like the network
    assert bn.cost("introduce", "food", "far") == 2
    assert one_player("Community group", "rise").cost("share") == 1
    assert one_player("Funder", "fund").cost("share") == 2


def test_sharing_a_needed_resource_meets_the_need_and_scores():
    g = one_player()
    move = g.share("homes", "kitchen")
    assert move.needs_met == 1 and move.cost == 1
    assert "kitchen" not in g.needs("homes")
    assert move.points >= 2 + 3  # need met, and homes rescued by the new tie
    assert g.map.connections.iloc[-1]["Type"] == "Shared premises"


def test_funder_can_fund_and_tie_is_a_funding_tie():
    g = one_player("Funder", "fund")
    move = g.fund("far")
    assert move.cost == 2
    assert g.map.connections.iloc[-1]["Type"] == "Funding"


def test_turns_pass_between_players_and_rounds_end_after_the_last():
    players = [Player("Ama", "Community group", "rise"), Player("Bo", "Hub", "hub")]
    g = Game(tiny_map(), players, rounds=2, events=False)
    assert g.player.name == "Ama"
    assert g.end_turn() == "Bo to play (round 1)."
    g.introduce("homes", "far")
    msg = g.end_turn()
    assert msg.startswith("Round 1 is over.") and g.round == 2 and g.player.name == "Ama"
    g.end_turn()
    g.end_turn()
    assert g.finished
    with pytest.raises(GameError, match="game is over"):
        g.new_tie("far")


def test_score_table_has_one_row_per_round_and_player_with_running_totals():
    players = [Player("Ama", "Community group", "rise"), Player("Bo", "Hub", "hub")]
    g = Game(tiny_map(), players, rounds=2, events=False)
    g.introduce("food", "homes")  # Ama: 3 points
    g.end_turn()
    g.introduce("bnet", "far")  # Bo: rescues far
    g.end_turn()
    g.end_turn()
    g.end_turn()
    table = g.score_table()
    assert list(table["round"]) == [1, 1, 2, 2]
    assert list(table["player"]) == ["Ama", "Bo", "Ama", "Bo"]
    assert table.loc[0, "points"] == 3 and table.loc[0, "time_used"] == 2
    assert table.loc[1, "points"] >= 3
    assert list(table["total_points"][2:]) == list(table["total_points"][:2])
    out = g.outcomes()
    assert list(out["round"]) == [0, 1, 2]
    assert out.loc[0, "cut_off_if_hub_goes"] == 3 and out.loc[2, "cut_off_if_hub_goes"] == 1
    assert g.leaderboard().loc[0, "points"] >= g.leaderboard().loc[1, "points"]


def test_same_seed_gives_the_same_game_and_events_depend_on_the_seed():
    def play(seed):
        g = Game(tiny_map(), [Player("Ama", "Community group", "rise")], rounds=6, seed=seed)
        for _ in range(6):
            g.end_turn()
        return g.outcomes()

    pd.testing.assert_frame_equal(play(7), play(7))
    events = {tuple(play(s)["event"]) for s in range(8)}
    assert len(events) > 1


def test_events_never_remove_hub_ties_or_ties_made_in_the_game():
    g = Game(tiny_map(), [Player("Ama", "Community group", "rise")], rounds=20, seed=5)
    g.introduce("food", "homes")
    for _ in range(20):
        g.end_turn()
    c = g.map.connections
    assert "game-1" in set(c["ID"])
    assert ((c["From"] == "hub") | (c["To"] == "hub")).sum() == 4


def test_ideas_are_legal_affordable_and_their_points_come_true():
    g = one_player()
    ideas = g.ideas(top=5)
    assert not ideas.empty and (ideas["cost"] <= g.time_left()).all()
    best = ideas.iloc[0]
    args = [best["a"], best["b"]] if best["action"] == "introduce" else [best["a"]]
    if best["action"] == "share":
        args.append(best["item"])
    move = g.play(best["action"], *args)
    assert move.points == best["points"]


def test_default_players_cover_every_role_and_are_repeatable():
    m = tiny_map()
    a, b = default_players(m, seed=1), default_players(m, seed=1)
    assert [p.role for p in a] == ["Community group", "Borough network", "Funder", "Hub"]
    assert [p.element for p in a] == [p.element for p in b]


def test_measure_counts_fragmentation_of_a_split_network():
    import networkx as nx

    G = nx.Graph([("a", "b"), ("c", "d")])
    r = measure(G, None)
    assert r["fragmentation"] == round(1 - 2 / 6, 4)
    assert r["cut_off_if_hub_goes"] == 0


def test_measure_gives_the_same_answer_for_a_map_and_its_networkx_graph():
    m = tiny_map()
    by_map, by_graph = measure(m, "hub"), measure(m.to_networkx(), "hub")
    assert by_map == by_graph
    assert by_map["cut_off_ids"] == ["far", "fund", "homes"]


def test_game_plays_on_a_bundled_map():
    try:
        from cop_toolkit.io import datasets

        m = datasets.load("coursework-2019")
    except Exception as exc:  # pragma: no cover - the loader belongs to another part
        pytest.skip(f"datasets.load is not ready: {exc}")
    g = Game(m, default_players(m), seed=2)
    for _ in range(len(g.players)):
        ideas = g.ideas(top=3)
        if not ideas.empty:
            row = ideas.iloc[0]
            args = [row["a"], row["b"]] if row["action"] == "introduce" else [row["a"]]
            if row["action"] == "share":
                args.append(row["item"])
            g.play(row["action"], *args)
        g.end_turn()
    assert len(g.score_table()) == len(g.players)
    assert g.current["cut_off_if_hub_goes"] <= g.start["cut_off_if_hub_goes"]


# ---------------------------------------------------------------- the on-screen board
def test_board_plays_a_move_and_shows_why_it_scored():
    from cop_toolkit.teaching.game_widgets import GameBoard

    board = GameBoard(one_player(), picture=False)
    board.choose("introduce", "food", "homes")
    board.do()
    assert "3 points" in board.message and "no longer be cut off" in board.message
    assert "Time left: <b>4</b>" in board.header.value
    assert "Scores" not in board.scores.value  # no round finished yet
    board.end_turn()
    assert "Round 1 is over" in board.message and "Scores" in board.scores.value


def test_each_board_dropdown_has_its_own_layout_so_hiding_one_leaves_the_others_shown():
    from cop_toolkit.teaching.game_widgets import GameBoard

    board = GameBoard(one_player(), picture=False)
    dropdowns = [board.action, board.first, board.second, board.item]
    for i, one in enumerate(dropdowns):
        assert all(one.layout is not other.layout for other in dropdowns[i + 1:])

    def shown():
        return [d.layout.display != "none" for d in dropdowns]

    board.choose("introduce", "food", "homes")
    assert shown() == [True, True, True, False]
    board.choose("share", "homes")
    assert shown() == [True, True, False, True]
    board.choose("new_tie", "homes")
    assert shown() == [True, True, False, False]


def test_board_shows_refusals_instead_of_raising():
    from cop_toolkit.teaching.game_widgets import GameBoard

    board = GameBoard(one_player(), picture=False)
    board.choose("introduce", "homes", "far")
    board.do()
    assert "knows neither" in board.message
    assert "#b71c1c" in board.feedback.value
    assert board.game.moves == []


def test_board_escapes_names_on_screen():
    from cop_toolkit.teaching.game_widgets import GameBoard

    m = tiny_map()
    m.elements.loc[m.elements["ID"] == "rise", "Label"] = "<script>alert(1)</script>"
    board = GameBoard(Game(m, [Player("<b>Ama</b>", "Community group", "rise")], hub="hub"), picture=False)
    assert "<script>" not in board.header.value and "&lt;script&gt;" in board.header.value


def test_board_for_a_projector_has_big_text_and_ends_the_game():
    from cop_toolkit.teaching.game_widgets import play

    board = play(tiny_map(), rounds=1, big=True, picture=False)
    assert "font-size:20px" in board.header.value
    for _ in board.game.players:
        board.end_turn()
    assert board.game.finished and board.do_button.disabled
    assert "The game is over" in board.header.value
    board.show_ideas()  # never raises, even after the end


@pytest.mark.parametrize("role, element", [("Community group", "rise"), ("Hub", "hub"), ("Funder", "fund"),
                                           ("Borough network", "bnet")])
def test_every_idea_scores_exactly_what_it_promised(role, element):
    ideas = one_player(role, element).ideas(top=50)
    assert not ideas.empty
    for row in ideas.itertuples():
        g = one_player(role, element)
        args = [row.a, row.b] if row.action == "introduce" else [row.a]
        if row.action == "share":
            args.append(row.item)
        move = g.play(row.action, *args)
        assert (move.points, move.cost) == (row.points, row.cost), row


def test_elements_never_connected_are_not_counted_as_cut_off():
    m = tiny_map()
    m = type(m)(pd.concat([m.elements, pd.DataFrame({"ID": ["lone"], "Label": ["Lone Club"]})]), m.connections)
    g = Game(m, [Player("Ama", "Community group", "rise")], hub="hub", events=False)
    assert "lone" not in g.current["cut_off_ids"]
    ideas = g.ideas(top=100)
    g.new_tie("lone")  # joining the isolate rescues nobody
    assert g.moves[-1].rescued == 0
    assert not ideas.empty


def test_cut_off_count_agrees_with_what_if_on_the_sample_map():
    import cop_toolkit as cop

    try:
        m = cop.datasets.load("owa-2017")
        result = cop.what_if(m, remove=["lvsc"])
    except (ImportError, AttributeError) as exc:  # pragma: no cover - other parts
        pytest.skip(f"not ready: {exc}")
    g = Game(m, [Player("You", "Hub", "lvsc")], events=False)
    assert set(g.current["cut_off_ids"]) == set(result.cut_off.index)
