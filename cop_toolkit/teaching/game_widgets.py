"""The Living Lab game on screen: an ipywidgets board for a laptop or a projector.

The rules and scoring live in :mod:`cop_toolkit.teaching.game`; this module only draws
them. One person can play every role in turn at a laptop; a facilitator can
put the board on a projector (``big=True``) and let tables take turns.

In a notebook::

    from cop_toolkit.teaching.game_widgets import play
    board = play(m)                       # four players, one per role
    board = play(m, players=[Player("Table 1", "Community group", "...")], big=True)

The board shows whose turn it is and how much time they have left, a choice
of action with the organisations it needs, buttons to do it, to ask for ideas
and to end the turn, a message line saying what happened and why it scored,
the score table, the network's outcomes round by round and (optionally) a
picture of the network with the new ties highlighted.
"""

from __future__ import annotations

import html
from typing import Any

from IPython.display import display

from cop_toolkit.core.errors import MapError
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.teaching.game import ROLES, Game, Player, default_players

__all__ = ["GameBoard", "play"]

ACTIONS = [
    ("Introduce two organisations", "introduce"),
    ("Make a new tie with your organisation", "new_tie"),
    ("Share a resource", "share"),
    ("Fund an organisation (funders)", "fund"),
]


class GameBoard:
    """An ipywidgets board driving a :class:`~cop_toolkit.teaching.game.Game`.

    Parameters
    ----------
    game : the game to show.
    big : larger text for a projector.
    picture : draw the network (plotly) under the board after every move.

    Attributes
    ----------
    widget : the board (an ``ipywidgets.VBox``); displaying the board shows it.
    message : the last message shown (plain text).

    Examples
    --------
    >>> from cop_toolkit.teaching.game import tiny_map
    >>> board = GameBoard(Game(tiny_map(), [Player("Ama", "Community group", "rise")], events=False),
    ...                   picture=False)
    >>> board.choose("introduce", "food", "homes")
    >>> board.do()
    >>> board.message.startswith("Ama introduced Southside Food Bank to Homes For All")
    True
    """

    def __init__(self, game: Game, *, big: bool = False, picture: bool = True) -> None:
        import ipywidgets as w  # deferred: heavy

        self.game = game
        self.big = big
        self.picture = picture
        self.message = ""
        size = "20px" if big else "14px"
        self._style = f"font-size:{size};line-height:1.4"
        labels = game.map.elements.sort_values("Label", key=lambda s: s.str.lower())
        options = [(str(lab), str(eid)) for eid, lab in zip(labels["ID"], labels["Label"])]
        width = "460px" if big else "360px"
        # each drop-down has its own Layout: hiding one ("Item", say) must not hide the others
        self.header = w.HTML()
        self.action = w.Dropdown(options=ACTIONS, description="Action", layout=w.Layout(width=width))
        self.first = w.Dropdown(options=options, description="With", layout=w.Layout(width=width))
        self.second = w.Dropdown(options=options, description="and", layout=w.Layout(width=width))
        self.item = w.Dropdown(options=[], description="Item", layout=w.Layout(width=width))
        self.do_button = w.Button(description="Do it", button_style="primary", icon="check")
        self.ideas_button = w.Button(description="Show ideas", icon="lightbulb-o")
        self.end_button = w.Button(description="End turn", button_style="warning", icon="forward")
        self.feedback = w.HTML()
        self.scores = w.HTML()
        self.out = w.Output()
        self.do_button.on_click(lambda _b: self.do())
        self.ideas_button.on_click(lambda _b: self.show_ideas())
        self.end_button.on_click(lambda _b: self.end_turn())
        self.action.observe(lambda _c: self._update_fields(), names="value")
        self.widget = w.VBox([
            self.header,
            w.VBox([self.action, self.first, self.second, self.item]),
            w.HBox([self.do_button, self.ideas_button, self.end_button]),
            self.feedback,
            self.scores,
            self.out,
        ])
        self._update_fields()
        self.refresh()

    # ---------------------------------------------------------------- display
    def _ipython_display_(self) -> None:
        display(self.widget)

    def _html(self, text: str, colour: str = "#222") -> str:
        return f'<div style="{self._style};color:{colour}">{text}</div>'

    def _update_fields(self) -> None:
        action = self.action.value
        self.first.description = "With" if action in ("new_tie", "fund", "share") else "Introduce"
        self.second.layout.display = "" if action == "introduce" else "none"
        self.item.layout.display = "" if action == "share" else "none"
        if action == "share" and not self.game.finished:
            held = self.game.resources(self.game.player.element)
            self.item.options = held
            if held:
                self.item.value = held[0]

    def refresh(self) -> None:
        """Redraw whose turn it is, the time left, the score table and the picture."""
        g = self.game
        if g.finished:
            head = f"<b>The game is over.</b> {html.escape(g.summary())}"
        else:
            p = g.player
            head = (f"<b>Round {g.round} of {g.rounds}</b> — <b>{html.escape(p.name)}</b> plays "
                    f"{html.escape(p.role.lower())} <i>{html.escape(g.map.label_of(p.element))}</i> "
                    f"({html.escape(ROLES[p.role])}). Time left: <b>{g.time_left()}</b> of {g.budget}. "
                    f"If {html.escape(g.map.label_of(g.hub))} went, "
                    f"<b>{g.current['cut_off_if_hub_goes']}</b> organisations would be cut off.")
        self.header.value = self._html(head)
        for b in (self.do_button, self.ideas_button, self.end_button):
            b.disabled = g.finished
        table = g.score_table()
        outcomes = g.outcomes()
        parts = ['<div style="display:flex;gap:2em;flex-wrap:wrap">']
        if not table.empty:
            parts.append("<div><b>Scores</b>" + table.to_html(index=False, escape=True) + "</div>")
        parts.append("<div><b>The network, round by round</b>" + outcomes.to_html(index=False, escape=True)
                     + "</div></div>")
        self.scores.value = self._html("".join(parts))
        self._update_fields()
        if self.picture:
            self._draw()

    def _draw(self) -> None:
        from cop_toolkit.figures import plot_network  # deferred: heavy (plotly)

        new = [mv.b for mv in self.game.moves if mv.b] + [mv.a for mv in self.game.moves]
        fig = plot_network(self.game.map, elements=sorted(set(new)) or None, label_top=8,
                           title="The network now: the ends of new ties are ringed", menus=False,
                           height=700 if self.big else 520)
        self.out.clear_output(wait=True)
        with self.out:
            display(fig)

    def _say(self, text: str, ok: bool = True) -> None:
        self.message = text
        self.feedback.value = self._html(html.escape(text), "#1b5e20" if ok else "#b71c1c")

    # ---------------------------------------------------------------- actions
    def choose(self, action: str, first: str, second: str | None = None, item: str | None = None) -> None:
        """Set the board's choices from code (what clicking the drop-downs does)."""
        self.action.value = action
        self.first.value = self.game.map.resolve(first)
        if second is not None:
            self.second.value = self.game.map.resolve(second)
        if item is not None:
            self._update_fields()
            self.item.value = item

    def do(self) -> None:
        """Play the chosen action (the "Do it" button). Refusals are shown, never raised."""
        g = self.game
        action = self.action.value
        args: list[Any] = [self.first.value]
        if action == "introduce":
            args.append(self.second.value)
        if action == "share":
            args.append(self.item.value or "")
        try:
            move = g.play(action, *args)
        except MapError as exc:
            self._say(str(exc), ok=False)
            return
        self._say(move.message)
        self.refresh()

    def show_ideas(self) -> None:
        """Show the best moves for the current player (the "Show ideas" button)."""
        ideas = self.game.ideas(top=5)
        if ideas.empty:
            self._say("No affordable ideas left: end your turn.", ok=False)
            return
        lines = []
        for r in ideas.itertuples():
            what = {"introduce": f"introduce {r.a_label} to {r.b_label}", "new_tie": f"make a tie with {r.a_label}",
                    "fund": f"fund {r.a_label}", "share": f"share {r.item} with {r.a_label}"}[r.action]
            lines.append(f"{what} ({r.cost} time, {r.points} points)")
        self._say("Ideas: " + "; ".join(lines) + ".")

    def end_turn(self) -> None:
        """End the current player's turn (the "End turn" button)."""
        try:
            text = self.game.end_turn()
        except MapError as exc:
            self._say(str(exc), ok=False)
            return
        self._say(text)
        self.refresh()


def play(m: NetworkMap, players: list[Player] | None = None, *, rounds: int = 4, budget: int = 6,
         hub: str | None = None, seed: int = 42, big: bool = False, picture: bool = True) -> GameBoard:
    """Start a Living Lab game on ``m`` and return its board (display it to play).

    Parameters
    ----------
    m : the map to play on (never changed).
    players : the players in turn order; by default four, one per role
        (see :func:`cop_toolkit.teaching.game.default_players`).
    rounds, budget, hub, seed : see :class:`cop_toolkit.teaching.game.Game`.
    big : larger text for a projector.
    picture : draw the network after every move.

    Examples
    --------
    >>> from cop_toolkit.teaching.game import tiny_map
    >>> board = play(tiny_map(), picture=False)
    >>> [p.role for p in board.game.players]
    ['Community group', 'Borough network', 'Funder', 'Hub']
    """
    if not players:
        players = default_players(m, hub=hub, seed=seed)
        hub = hub or players[-1].element  # the Hub plays the map's hub: worked out once, not again by the Game
    game = Game(m, players, rounds=rounds, budget=budget, hub=hub, seed=seed)
    return GameBoard(game, big=big, picture=picture)
