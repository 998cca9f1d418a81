"""The Living Lab game: weave a network, round by round, within a budget of time.

A simulation in the spirit of the Living Lab workshops. Players take roles —
a community group, a borough network, a funder, the Hub — and each round spend
a budget of *time units* on actions that change a real map:

* **introduce** two organisations who do not know each other yet (you must
  know at least one of them);
* make a **new tie** between your own organisation and another;
* **share a resource** you hold (an asset or an offer) with someone who needs it;
* **fund** an organisation (funders only).

After every action the game measures the whole map and credits the player
with points. At the end of each round the scores go into a table, and (if
``events=True``) something happens that every network knows: a volunteer moves
on and a weak tie fades.

Rules
-----
* Each player has ``budget`` time units per round (default 6). An action that
  costs more than you have left is refused with a clear message.
* Costs (time units): introduce 2, new tie 3, share a resource 2, fund 2.
  Role strengths: the **Hub** knows everyone, so its introductions cost 1;
  a **borough network** introduces two organisations in its own borough for 1;
  a **community group** shares a resource for 1.
* You can only introduce organisations when you have a tie to at least one of
  them (the Hub has a tie to almost everyone, by design). Two organisations
  that are already tied cannot be introduced again.
* ``fund`` is for the funder only; the funded organisation gets a *Funding* tie.
* ``share`` needs an item listed in your ``Assets`` or ``Offers``; if the
  other side lists it under ``Needs``, the need is met (and scores).

Scoring (points for the player whose action it was)
---------------------------------------------------
* **3 points** for every organisation *rescued*: one that would have been cut
  off from the main network if the hub went, and no longer would be;
* **2 points** for every need met by a shared resource;
* **1 point** for every 5 new pairs of organisations who are now within two
  steps of each other (more reach for the network as a whole).

Ties to the hub itself rescue nobody if the hub goes — the game's main lesson:
resilience comes from ties *across*, not ties to the centre.

The game works for one person at a laptop (one player, or several roles
played in turn) and for a facilitator at a projector (several players take
turns: :meth:`Game.end_turn` passes to the next player; a round ends when
everybody has ended their turn). The ipywidgets front end is in
:mod:`cop_toolkit.teaching.game_widgets`.

Examples
--------
>>> g = Game(tiny_map(), [Player("Ama", "Community group", "rise")], hub="hub", events=False)
>>> g.introduce("food", "homes").points
3
>>> g.time_left()
4
>>> g.end_turn()
'Round 1 is over. Round 2 begins: Ama to play.'
>>> g.score_table()[["round", "player", "time_used", "points"]].to_dict("records")
[{'round': 1, 'player': 'Ama', 'time_used': 2, 'points': 3}]
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from cop_toolkit.analysis.engine import build_igraph, two_step_reach
from cop_toolkit.analysis.metrics import element_metrics
from cop_toolkit.analysis.resilience import connected_pairs, top_broker
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.core.text import join_values, normalise_name, split_values

if TYPE_CHECKING:  # pragma: no cover
    import igraph

__all__ = [
    "Game",
    "Player",
    "Move",
    "GameError",
    "ROLES",
    "ACTION_COSTS",
    "measure",
    "tiny_map",
]

#: The roles a player can take, and what each is good at.
ROLES: dict[str, str] = {
    "Community group": "knows its neighbours; shares resources for 1 time unit",
    "Borough network": "introduces two organisations in its own borough for 1 time unit",
    "Funder": "can fund organisations (a Funding tie)",
    "Hub": "knows almost everyone; introductions cost 1 time unit",
}

#: What each action costs in time units, before role strengths.
ACTION_COSTS: dict[str, int] = {"introduce": 2, "new_tie": 3, "share": 2, "fund": 2}

#: Points per organisation rescued, per need met, and pairs per reach point.
POINTS_PER_RESCUE = 3
POINTS_PER_NEED_MET = 2
PAIRS_PER_REACH_POINT = 5


class GameError(MapError):
    """A move the rules do not allow, explained in plain words with a way forward."""


@dataclass
class Player:
    """One player: a name, a role (see :data:`ROLES`) and the element they play.

    Parameters
    ----------
    name : what to call the player on the score table ("Ama", "Table 3").
    role : one of ``ROLES``: "Community group", "Borough network", "Funder", "Hub".
    element : the ID or label of the organisation the player speaks for.

    Examples
    --------
    >>> Player("Ama", "community group", "rise").role
    'Community group'
    """

    name: str
    role: str
    element: str
    points: int = 0

    def __post_init__(self) -> None:
        folded = {normalise_name(r): r for r in ROLES}
        role = folded.get(normalise_name(self.role))
        if role is None:
            raise GameError(
                f"'{self.role}' is not a role in the game",
                fix="choose one of " + ", ".join(f"'{r}'" for r in ROLES),
            )
        self.role = role


@dataclass
class Move:
    """What one action did: who, what, the cost, the points and why (``message``)."""

    round: int
    player: str
    action: str
    a: str
    b: str | None
    item: str | None
    cost: int
    rescued: int
    needs_met: int
    new_pairs: int
    points: int
    message: str


def _parts_without(g: igraph.Graph, hub: str) -> list[set[str]]:
    """The parts the hub's component falls into without the hub, largest first (ties broken by name).

    Elements that were never connected to the hub (isolates, separate groups)
    are not counted: they are not cut off by the hub going.
    """
    h = g.vs["name"].index(hub)
    sub = g.induced_subgraph([v for v in g.subcomponent(h) if v != h])
    names = sub.vs["name"] if sub.vcount() else []
    parts = [{names[i] for i in part} for part in sub.connected_components()]
    return sorted(parts, key=lambda c: (-len(c), min(map(str, c))))


def measure(G: NetworkMap | nx.Graph, hub: str | None) -> dict[str, Any]:
    """Measure a network for the game: reach, fragmentation and "what if the hub goes".

    Parameters
    ----------
    G : the map, or an undirected networkx graph (e.g. ``m.to_networkx()``).
    hub : the element whose loss is tested (or None).

    Returns
    -------
    dict with ``elements``, ``ties``, ``average_reach`` (mean number of others
    within two steps), ``pairs_within_two`` (pairs of elements within two steps),
    ``fragmentation`` (share of pairs that cannot reach each other at all, 0–1),
    ``cut_off_if_hub_goes`` (elements connected to the rest only through the hub:
    outside the largest group once it is removed; elements that were never
    connected are not counted) and ``cut_off_ids`` (their IDs, sorted).

    Examples
    --------
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("b", "c")])
    >>> r = measure(G, "hub")
    >>> r["cut_off_if_hub_goes"], r["cut_off_ids"], r["fragmentation"], r["average_reach"]
    (1, ['a'], 0.0, 2.5)
    """
    g = build_igraph(G)
    n = g.vcount()
    reach = two_step_reach(g)
    all_pairs = n * (n - 1) // 2
    fragmentation = 1 - connected_pairs(g) / all_pairs if all_pairs else 0.0
    cut_off: list[str] = []
    if hub is not None and str(hub) in set(g.vs["name"] if n else []):
        parts = _parts_without(g, str(hub))
        cut_off = sorted(str(v) for c in parts[1:] for v in c)
    return {
        "elements": n,
        "ties": g.ecount(),
        "average_reach": round(int(reach.sum()) / n, 2) if n else 0.0,
        "pairs_within_two": int(reach.sum()) // 2,
        "fragmentation": round(fragmentation, 4),
        "cut_off_if_hub_goes": len(cut_off),
        "cut_off_ids": cut_off,
    }


class Game:
    """A Living Lab game on a network map.

    Parameters
    ----------
    m : the map to play on (a copy is taken; your map is never changed).
    players : the players, in the order they take turns. At least one.
    rounds : how many rounds to play (default 4).
    budget : time units per player per round (default 6).
    hub : the element whose loss is tested ("what if the hub goes"). By
        default the map's top broker (:func:`cop_toolkit.top_broker`, the same
        element the report takes out), worked out with the engine so that it is
        quick on a London-scale map.
    seed : makes the end-of-round events repeatable.
    events : when True (the default) a weak tie may fade at the end of a round.

    Attributes
    ----------
    map : the map as it stands now (new ties are added to ``map.connections``).
    moves : every action taken, as :class:`Move` objects.
    round : the current round (1, 2, ...); ``finished`` is True after the last.

    Examples
    --------
    >>> g = Game(tiny_map(), [Player("Sam", "Hub", "hub")], seed=3)
    >>> g.hub
    'hub'
    >>> g.introduce("food", "homes").cost
    1
    """

    def __init__(
        self,
        m: NetworkMap,
        players: list[Player] | None = None,
        *,
        rounds: int = 4,
        budget: int = 6,
        hub: str | None = None,
        seed: int = 42,
        events: bool = True,
    ) -> None:
        if not players:
            raise GameError("the game needs at least one player", fix="pass players=[Player(name, role, element)]")
        if int(rounds) < 1 or int(budget) < 1:
            raise GameError("rounds and budget must be at least 1", fix="use e.g. rounds=4, budget=6")
        self.map = m.copy()
        self.rounds = int(rounds)
        self.budget = int(budget)
        self.seed = seed
        self.events = bool(events)
        self._rng = random.Random(seed)
        names = [p.name for p in players]
        if len(set(names)) != len(names):
            raise GameError("two players have the same name", fix="give each player a different name")
        for p in players:
            p.element = self.map.resolve(p.element)
        self.players = list(players)
        self.G = self.map.to_networkx()
        self.hub = top_broker(element_metrics(self.map)) if hub is None else self.map.resolve(hub)
        self.round = 1
        self.turn = 0
        self.finished = False
        self.moves: list[Move] = []
        self.events_log: list[str] = []
        self._spent: dict[str, int] = {p.name: 0 for p in players}
        self._rows: list[dict[str, Any]] = []
        self._new_tie_count = 0
        self.current = measure(self.map, self.hub)
        self.start = dict(self.current)
        self._outcomes: list[dict[str, Any]] = [self._outcome_row(0)]

    # ----------------------------------------------------------------- state
    @property
    def player(self) -> Player:
        """The player whose turn it is."""
        return self.players[self.turn]

    def time_left(self, player: str | None = None) -> int:
        """Time units the player (default: the current one) has left this round."""
        p = self._player(player)
        return self.budget - self._spent[p.name]

    def _player(self, name: str | None) -> Player:
        if name is None:
            return self.player
        for p in self.players:
            if normalise_name(p.name) == normalise_name(name):
                return p
        raise GameError(f"no player is called '{name}'", fix="use one of " + ", ".join(p.name for p in self.players))

    def cost(self, action: str, a: str | None = None, b: str | None = None) -> int:
        """What ``action`` would cost the current player, after role strengths.

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("Bo", "Borough network", "bnet")])
        >>> g.cost("introduce", "food", "homes"), g.cost("introduce", "food", "far")
        (1, 2)
        """
        if action not in ACTION_COSTS:
            raise GameError(f"'{action}' is not an action in the game", fix="use one of " + ", ".join(ACTION_COSTS))
        p = self.player
        base = ACTION_COSTS[action]
        if action == "introduce" and p.role == "Hub":
            return 1
        if action == "introduce" and p.role == "Borough network" and a is not None and b is not None:
            home = self._borough(p.element)
            if home and self._borough(self.map.resolve(a)) == home == self._borough(self.map.resolve(b)):
                return 1
        if action == "share" and p.role == "Community group":
            return 1
        return base

    def _borough(self, element_id: str) -> str | None:
        if "Borough" not in self.map.elements.columns:
            return None
        row = self.map.elements.loc[self.map.elements["ID"] == element_id, "Borough"]
        if not len(row) or not isinstance(row.iloc[0], str):
            return None
        return normalise_name(row.iloc[0])

    def _label(self, element_id: str) -> str:
        return self.map.label_of(element_id)

    # ----------------------------------------------------------------- moves
    def _check_can_act(self, action: str, cost: int) -> Player:
        if self.finished:
            raise GameError("the game is over", fix="look at the score table, or start a new game")
        p = self.player
        left = self.time_left()
        if cost > left:
            raise GameError(
                f"{p.name}: this {action.replace('_', ' ')} costs {cost} time unit{'s' * (cost != 1)} "
                f"but you have only {left} left this round",
                fix="choose a cheaper action, or end your turn",
            )
        return p

    def _tied(self, a: str, b: str) -> bool:
        return self.G.has_edge(a, b)

    def introduce(self, a: str, b: str) -> Move:
        """Introduce two organisations (by ID or label) who have no tie yet.

        You must have a tie to at least one of them. Adds an *Information
        sharing* tie of strength 1 between them.

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("Ama", "Community group", "rise")], events=False)
        >>> print(g.introduce("food", "far").message)
        Ama introduced Southside Food Bank to Far End Tenants (2 time units): 3 points — 1 organisation would no longer be cut off if the hub went; 2 more pairs are now within two steps of each other.
        """
        a_id, b_id = self.map.resolve(a), self.map.resolve(b)
        p = self.player
        if a_id == b_id:
            raise GameError(f"you cannot introduce {self._label(a_id)} to itself", fix="choose two different organisations")
        if p.element in (a_id, b_id):
            raise GameError(
                "you cannot introduce yourself", fix="use a new tie to connect your own organisation to someone"
            )
        if self._tied(a_id, b_id):
            raise GameError(
                f"{self._label(a_id)} and {self._label(b_id)} already have a tie",
                fix="introduce two organisations who do not know each other yet",
            )
        if p.role != "Hub" and not (self._tied(p.element, a_id) or self._tied(p.element, b_id)):
            raise GameError(
                f"{self._label(p.element)} knows neither {self._label(a_id)} nor {self._label(b_id)}",
                fix="introduce organisations you have a tie to, or make a new tie first",
            )
        cost = self.cost("introduce", a_id, b_id)
        self._check_can_act("introduce", cost)
        return self._apply(
            "introduce", a_id, b_id, None, cost, "Information sharing",
            f"{p.name} introduced {self._label(a_id)} to {self._label(b_id)}",
        )

    def new_tie(self, other: str) -> Move:
        """Make a new *Partnership* tie between your own organisation and ``other``.

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("Ama", "Community group", "rise")], events=False)
        >>> g.new_tie("Far End Tenants").rescued
        1
        """
        o = self.map.resolve(other)
        p = self.player
        if o == p.element:
            raise GameError("you cannot make a tie with yourself", fix="choose another organisation")
        if self._tied(p.element, o):
            raise GameError(
                f"{self._label(p.element)} already has a tie to {self._label(o)}",
                fix="choose an organisation you are not tied to yet",
            )
        cost = self.cost("new_tie")
        self._check_can_act("new tie", cost)
        return self._apply("new_tie", p.element, o, None, cost, "Partnership",
                           f"{p.name} made a new tie with {self._label(o)}")

    def share(self, other: str, item: str) -> Move:
        """Share a resource (an item of your ``Assets`` or ``Offers``) with ``other``.

        If ``other`` lists the item under ``Needs`` the need is met and taken off
        its list. Adds a *Shared premises* tie when the item is a space, otherwise
        a *Partnership* tie (if the two have no tie yet).

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("Ama", "Community group", "rise")], events=False)
        >>> move = g.share("Far End Tenants", "minibus")
        >>> move.needs_met, g.needs("far")
        (1, ['volunteers'])
        """
        o = self.map.resolve(other)
        p = self.player
        if o == p.element:
            raise GameError("you cannot share with yourself", fix="choose another organisation")
        held = self.resources(p.element)
        folded = {normalise_name(x): x for x in held}
        if normalise_name(item) not in folded:
            raise GameError(
                f"{self._label(p.element)} has no '{item}' to share",
                fix=("share one of: " + ", ".join(held)) if held else "this organisation lists no assets or offers",
            )
        item = folded[normalise_name(item)]
        cost = self.cost("share")
        self._check_can_act("share", cost)
        space = any(w in item.lower() for w in ("room", "space", "hall", "kitchen", "premises", "office", "warehouse"))
        return self._apply("share", p.element, o, item, cost, "Shared premises" if space else "Partnership",
                           f"{p.name} shared '{item}' with {self._label(o)}")

    def fund(self, other: str) -> Move:
        """Fund an organisation (funders only): adds a *Funding* tie from you to it.

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("Flo", "Funder", "fund")], events=False)
        >>> g.fund("homes").cost
        2
        """
        o = self.map.resolve(other)
        p = self.player
        if p.role != "Funder":
            raise GameError(f"{p.name} plays a {p.role.lower()}, and only a funder can fund", fix="choose another action")
        if o == p.element:
            raise GameError("you cannot fund yourself", fix="choose another organisation")
        if self._tied(p.element, o):
            raise GameError(f"you already have a tie to {self._label(o)}", fix="fund an organisation you have no tie to yet")
        cost = self.cost("fund")
        self._check_can_act("fund", cost)
        return self._apply("fund", p.element, o, None, cost, "Funding", f"{p.name} funded {self._label(o)}")

    def play(self, action: str, *args: str) -> Move:
        """Play an action by name: ``play("introduce", a, b)``, ``play("share", other, item)``...

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("Ama", "Community group", "rise")])
        >>> g.play("dance", "food")
        Traceback (most recent call last):
        ...
        cop_toolkit.teaching.game.GameError: 'dance' is not an action in the game. How to fix: use one of introduce, new_tie, share, fund.
        """
        methods = {"introduce": self.introduce, "new_tie": self.new_tie, "share": self.share, "fund": self.fund}
        key = str(action).strip().lower().replace(" ", "_")
        if key not in methods:
            raise GameError(f"'{action}' is not an action in the game", fix="use one of " + ", ".join(methods))
        try:
            return methods[key](*args)
        except TypeError as exc:
            raise GameError(
                f"'{key}' was given the wrong number of names",
                fix="introduce needs two organisations; new_tie and fund one; share an organisation and an item",
            ) from exc

    def resources(self, element: str) -> list[str]:
        """Items an element can share: its ``Assets`` and ``Offers`` (no repeats)."""
        eid = self.map.resolve(element)
        out: list[str] = []
        for col in ("Assets", "Offers"):
            if col in self.map.elements.columns:
                for v in self.map.multi(col).get(eid, []):
                    if normalise_name(v) not in {normalise_name(x) for x in out}:
                        out.append(v)
        return out

    def needs(self, element: str) -> list[str]:
        """Needs an element still has (met needs are taken off the list)."""
        eid = self.map.resolve(element)
        return list(self.map.multi("Needs").get(eid, [])) if "Needs" in self.map.elements.columns else []

    def _apply(self, action: str, a: str, b: str, item: str | None, cost: int, tie_type: str, text: str) -> Move:
        p = self.player
        before = self.current
        needs_met = 0
        if item is not None:
            remaining = [n for n in self.needs(b) if normalise_name(n) != normalise_name(item)]
            if len(remaining) < len(self.needs(b)):
                needs_met = 1
                idx = self.map.elements.index[self.map.elements["ID"] == b][0]
                self.map.elements.loc[idx, "Needs"] = join_values(remaining) if remaining else float("nan")
        if not self.G.has_edge(a, b):
            self._new_tie_count += 1
            row = {"ID": f"game-{self._new_tie_count}", "From": a, "To": b, "Type": tie_type,
                   "Direction": "undirected", "Strength": 1.0,
                   "Description": f"Living Lab game, round {self.round}: {text}"}
            self.map.connections = pd.concat([self.map.connections, pd.DataFrame([row])], ignore_index=True)
            self.G.add_edge(a, b, weight=1.0, distance=1.0, n_connections=1, Type=tie_type)
        after = measure(self.map, self.hub)
        rescued = max(0, before["cut_off_if_hub_goes"] - after["cut_off_if_hub_goes"])
        new_pairs = max(0, after["pairs_within_two"] - before["pairs_within_two"])
        points = POINTS_PER_RESCUE * rescued + POINTS_PER_NEED_MET * needs_met + new_pairs // PAIRS_PER_REACH_POINT
        self.current = after
        self._spent[p.name] += cost
        p.points += points
        why = []
        if rescued:
            why.append(f"{rescued} organisation{'s' * (rescued != 1)} would no longer be cut off if the hub went")
        if needs_met:
            why.append("a need was met")
        if new_pairs:
            why.append(f"{new_pairs} more pairs are now within two steps of each other")
        message = f"{text} ({cost} time unit{'s' * (cost != 1)}): {points} point{'s' * (points != 1)}"
        message += (" — " + "; ".join(why) + ".") if why else " — nothing changed for the network as a whole."
        move = Move(self.round, p.name, action, a, b, item, cost, rescued, needs_met, new_pairs, points, message)
        self.moves.append(move)
        return move

    # ----------------------------------------------------------------- turns
    def end_turn(self) -> str:
        """End the current player's turn; after the last player the round ends.

        Returns a sentence saying what happens next (for the screen).

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("A", "Hub", "hub"), Player("B", "Funder", "fund")], events=False)
        >>> g.end_turn()
        'B to play (round 1).'
        """
        if self.finished:
            raise GameError("the game is over", fix="look at the score table, or start a new game")
        self.turn += 1
        if self.turn < len(self.players):
            return f"{self.player.name} to play (round {self.round})."
        return self._end_round()

    def _end_round(self) -> str:
        for p in self.players:
            mine = [mv for mv in self.moves if mv.round == self.round and mv.player == p.name]
            self._rows.append({
                "round": self.round,
                "player": p.name,
                "role": p.role,
                "actions": len(mine),
                "time_used": self._spent[p.name],
                "points": sum(mv.points for mv in mine),
                "total_points": p.points,
            })
        event = self._event() if self.events else None
        if event:
            self.events_log.append(event)
        self._outcomes.append(self._outcome_row(self.round, event))
        self.turn = 0
        self._spent = {p.name: 0 for p in self.players}
        if self.round >= self.rounds:
            self.finished = True
            return f"Round {self.round} is over. " + (event + " " if event else "") + "The game is over."
        self.round += 1
        return f"Round {self.round - 1} is over. " + (event + " " if event else "") + \
            f"Round {self.round} begins: {self.player.name} to play."

    def _event(self) -> str | None:
        """A volunteer moves on: one weak tie (strength 1, not the hub's, not made in the game) may fade."""
        if self._rng.random() >= 0.5:
            return None
        c = self.map.connections
        strength = pd.to_numeric(c.get("Strength"), errors="coerce").fillna(1.0) if "Strength" in c else 1.0
        weak = c[(strength <= 1) & ~c["ID"].astype(str).str.startswith("game-")
                 & (c["From"] != self.hub) & (c["To"] != self.hub)]
        if weak.empty:
            return None
        row = weak.iloc[self._rng.randrange(len(weak))]
        self.map.connections = c[c["ID"] != row["ID"]].reset_index(drop=True)
        self.G = self.map.to_networkx()
        self.current = measure(self.map, self.hub)
        return (f"A volunteer moved on: the tie between {self._label(row['From'])} and "
                f"{self._label(row['To'])} faded.")

    def _outcome_row(self, rnd: int, event: str | None = None) -> dict[str, Any]:
        c = self.current
        return {"round": rnd, "ties": c["ties"], "average_reach": c["average_reach"],
                "fragmentation": c["fragmentation"], "cut_off_if_hub_goes": c["cut_off_if_hub_goes"],
                "event": event or ""}

    # ----------------------------------------------------------------- tables
    def score_table(self) -> pd.DataFrame:
        """One row per round and player: actions, time used, points, running total.

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("A", "Hub", "hub")], events=False)
        >>> _ = g.introduce("food", "far"); _ = g.end_turn()
        >>> g.score_table()[["round", "actions", "time_used", "points"]].to_dict("records")
        [{'round': 1, 'actions': 1, 'time_used': 1, 'points': 3}]
        """
        cols = ["round", "player", "role", "actions", "time_used", "points", "total_points"]
        return pd.DataFrame(self._rows, columns=cols)

    def outcomes(self) -> pd.DataFrame:
        """The network after each round (round 0 = the start): ties, reach, fragmentation, hub test.

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("A", "Hub", "hub")], events=False)
        >>> _ = g.introduce("food", "far"); _ = g.end_turn()
        >>> g.outcomes()["cut_off_if_hub_goes"].tolist()
        [3, 2]
        """
        cols = ["round", "ties", "average_reach", "fragmentation", "cut_off_if_hub_goes", "event"]
        return pd.DataFrame(self._outcomes, columns=cols)

    def leaderboard(self) -> pd.DataFrame:
        """Players ranked by points (ties broken by name).

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("A", "Hub", "hub"), Player("B", "Funder", "fund")], events=False)
        >>> _ = g.introduce("food", "far")
        >>> g.leaderboard()["player"].tolist()
        ['A', 'B']
        """
        df = pd.DataFrame([{"player": p.name, "role": p.role, "element": self._label(p.element), "points": p.points}
                           for p in self.players])
        return df.sort_values(["points", "player"], ascending=[False, True]).reset_index(drop=True)

    def history(self) -> pd.DataFrame:
        """Every move as a table (round, player, action, cost, points, message)."""
        return pd.DataFrame([mv.__dict__ for mv in self.moves],
                            columns=list(Move.__dataclass_fields__))

    def ideas(self, top: int = 8) -> pd.DataFrame:
        """Good moves for the current player, tried out in advance, best first.

        Each affordable introduction (among the player's contacts and the
        organisations cut off if the hub goes) and resource share is simulated on a
        copy of the network and scored with the game's rules. Useful as a hint.

        Examples
        --------
        >>> g = Game(tiny_map(), [Player("Ama", "Community group", "rise")], events=False)
        >>> best = g.ideas(top=1).iloc[0]
        >>> best["action"], bool(best["points"] > 0)
        ('share', True)
        """
        p = self.player
        left = self.time_left()
        cut = set(self.current["cut_off_ids"])
        mine = [v for v in self.G[p.element] if v != self.hub] if p.element in self.G else []
        pool_b = sorted(cut) or sorted(self.G, key=lambda v: self.G.degree(v))[:20]
        candidates: list[tuple[str, str, str | None, str | None]] = []
        if p.role == "Hub":
            pool_a = sorted(v for v in self.G if v not in cut and v != self.hub)[:40]
        else:
            pool_a = sorted(mine)
        for a in pool_a:
            for b in pool_b:
                if a != b and p.element not in (a, b) and not self.G.has_edge(a, b):
                    candidates.append(("introduce", a, b, None))
        for o in pool_b:
            if o != p.element and not self.G.has_edge(p.element, o):
                candidates.append(("new_tie", o, None, None))
                if p.role == "Funder":
                    candidates.append(("fund", o, None, None))
        held = {normalise_name(x): x for x in self.resources(p.element)}
        if held and "Needs" in self.map.elements.columns:
            for eid, needs in self.map.multi("Needs").items():
                for n in needs:
                    if normalise_name(n) in held and eid != p.element:
                        candidates.append(("share", eid, None, held[normalise_name(n)]))
        rows = []
        seen = set()
        gain = self._gain_function()
        for action, a, b, item in candidates:
            key = (action, a, b, item)
            if key in seen:
                continue
            seen.add(key)
            cost = self.cost(action, a, b) if action == "introduce" else self.cost(action)
            if cost > left:
                continue
            x, y = (a, b) if action == "introduce" else (p.element, a)
            rescued, pairs = gain(x, y)
            met = int(item is not None and normalise_name(item) in {normalise_name(n) for n in self.needs(a)})
            pts = POINTS_PER_RESCUE * rescued + POINTS_PER_NEED_MET * met + pairs // PAIRS_PER_REACH_POINT
            rows.append({"action": action, "a": a, "a_label": self._label(a),
                         "b": b, "b_label": self._label(b) if b else None, "item": item,
                         "cost": cost, "points": pts, "points_per_time": round(pts / cost, 2)})
            if len(rows) >= 400:
                break
        cols = ["action", "a", "a_label", "b", "b_label", "item", "cost", "points", "points_per_time"]
        df = pd.DataFrame(rows, columns=cols)
        if df.empty:
            return df
        return df.sort_values(["points_per_time", "points", "a", "b"], ascending=[False, False, True, True],
                              na_position="last").head(top).reset_index(drop=True)

    def _gain_function(self):
        """Return ``gain(x, y) -> (rescued, new_pairs)`` for a new tie x–y, worked out without copying the graph.

        Rescued: if the hub went, the tie joins a cut-off group to the main group.
        New pairs: x now reaches y and y's neighbours; y now reaches x's neighbours
        (pairs that were not already within two steps).
        """
        G, hub = self.G, self.hub
        comp: dict[str, int] = {}
        sizes: list[int] = []
        main = -1
        if hub is not None and hub in G:
            comps = _parts_without(build_igraph(self.map), hub)
            for i, c in enumerate(comps):
                sizes.append(len(c))
                for v in c:
                    comp[v] = i
            main = 0
        within: dict[str, set] = {}

        def two(v: str) -> set:
            if v not in within:
                near = set(G[v])
                for u in list(near):
                    near.update(G[u])
                near.add(v)
                within[v] = near
            return within[v]

        def gain(x: str, y: str) -> tuple[int, int]:
            if G.has_edge(x, y) or x == y:
                return 0, 0
            rescued = 0
            cx, cy = comp.get(x), comp.get(y)
            if hub not in (x, y) and cx is not None and cy is not None and cx != cy and main in (cx, cy):
                rescued = sizes[cy if cx == main else cx]
            new = len(({y} | set(G[y])) - two(x)) + len(set(G[x]) - two(y))
            return rescued, new

        return gain

    def summary(self) -> str:
        """A few plain sentences on how the network changed since the start.

        Examples
        --------
        >>> print(Game(tiny_map(), [Player("A", "Hub", "hub")]).summary())  # doctest: +NORMALIZE_WHITESPACE
        The network started with 7 ties; it now has 7. On average an organisation could reach 4.29 others
        within two steps; now 4.29. If The Hub went, 3 organisations would have been cut off at the start; now 3.
        """
        s, c = self.start, self.current
        return (
            f"The network started with {s['ties']} ties; it now has {c['ties']}. "
            f"On average an organisation could reach {s['average_reach']} others within two steps; "
            f"now {c['average_reach']}. If {self._label(self.hub) if self.hub else 'the hub'} went, "
            f"{s['cut_off_if_hub_goes']} organisations would have been cut off at the start; "
            f"now {c['cut_off_if_hub_goes']}."
        )


def default_players(m: NetworkMap, hub: str | None = None, seed: int = 42) -> list[Player]:
    """Four players, one per role, playing typical elements of the map (repeatable with ``seed``).

    The Hub plays ``hub`` (by default the top broker, :func:`cop_toolkit.top_broker`;
    on a map where no element stands out, the first by ID); the others play a
    randomly chosen community group, borough network and funder.

    Examples
    --------
    >>> [p.role for p in default_players(tiny_map(), hub="hub")]
    ['Community group', 'Borough network', 'Funder', 'Hub']
    """
    rng = random.Random(seed)
    hub = (top_broker(element_metrics(m)) or min(m.elements["ID"].astype(str))) if hub is None else m.resolve(hub)
    types = m.elements.set_index("ID")["Type"].fillna("") if "Type" in m.elements else pd.Series(dtype=object)
    players = []
    wanted = [("Community group", "Community group"), ("Borough network", "Borough network"), ("Funder", "Funder")]
    for role, etype in wanted:
        ids = sorted(str(i) for i, t in types.items() if etype in split_values(t) and i != hub)
        if ids:
            players.append(Player(role.split()[0] if role != "Borough network" else "Borough", role, rng.choice(ids)))
    players.append(Player("Hub", "Hub", hub))
    return players


def tiny_map() -> NetworkMap:
    """A seven-element practice map: a hub, a borough network, a funder and four groups.

    ``far`` and ``homes`` hang on the hub alone, so they are cut off if it goes.

    Examples
    --------
    >>> tiny_map()
    <NetworkMap 'Practice map': 7 elements, 7 connections>
    """
    e = pd.DataFrame({
        "ID": ["hub", "bnet", "fund", "rise", "food", "homes", "far"],
        "Label": ["The Hub", "Southside Network", "Small Grants Fund", "Rise Youth Club",
                  "Southside Food Bank", "Homes For All", "Far End Tenants"],
        "Type": ["Pan-London body", "Borough network", "Funder", "Community group",
                 "Community group", "Community group", "Community group"],
        "Borough": ["E09000028", "E09000022", "E09000033", "E09000022", "E09000022", "E09000022", "E09000008"],
        "Assets": [None, "meeting room", None, "kitchen|minibus", "cold storage", None, None],
        "Needs": [None, None, None, None, "volunteers", "kitchen", "minibus|volunteers"],
        "Offers": [None, "training", "grants", "volunteers", "food parcels", "housing advice", None],
    })
    c = pd.DataFrame({
        "From": ["bnet", "rise", "food", "rise", "fund", "homes", "far"],
        "To": ["hub", "bnet", "bnet", "food", "hub", "hub", "hub"],
        "Type": ["Membership", "Membership", "Membership", "Partnership", "Funding", "Membership", "Membership"],
        "Strength": [3, 2, 2, 1, 3, 1, 1],
    })
    return NetworkMap(e, c, metadata={"name": "Practice map"})
