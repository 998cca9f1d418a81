"""The report's HTML, from the autoescaped Jinja templates in ``templates/`` (``story/``, ``batch/``).

Uses the one template helper of the toolkit (:mod:`cop_toolkit.figures.html`):
every value is escaped unless it is trusted, already-made HTML marked with
:class:`~markupsafe.Markup`.

Examples
--------
>>> render("story/heading.html.j2", text="<Hub>", level=2)
'<h2>&lt;Hub&gt;</h2>'
"""

from __future__ import annotations

from typing import Any

from cop_toolkit.figures.html import Markup, render_from

__all__ = ["Markup", "render"]


def render(template_name: str, **context: Any) -> str:
    """Render ``templates/<template_name>`` of the reports with every value escaped; return plain text.

    Examples
    --------
    >>> render("story/paragraph.html.j2", text="A & B", cls="cop-note")
    '<p class="cop-note">A &amp; B</p>'
    """
    return render_from("cop_toolkit.reports", template_name, **context)
