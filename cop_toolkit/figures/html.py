"""HTML from autoescaped Jinja templates: every value is escaped unless marked trusted.

Each package keeps its fragments in its own ``templates/`` folder;
:func:`render_from` renders one of them, :func:`render` one of this folder's.
Mark already-made, trusted HTML (a figure's div, a table pandas wrote with
``escape=True``) with :class:`markupsafe.Markup`; everything else, map text
above all, is escaped.

Examples
--------
>>> render("placeholder.html.j2", box="b1", height=300, spec="<b>").endswith('"b1">&lt;b&gt;</script>')
True
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

__all__ = ["Markup", "render", "render_from"]


@cache
def _environment(package: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render_from(package: str, template_name: str, **context: Any) -> str:
    """Render ``templates/<template_name>`` of ``package`` with every value escaped; return plain text.

    Examples
    --------
    >>> render_from("cop_toolkit.figures", "placeholder.html.j2", box="b", height=1, spec=Markup("{}")).endswith('"b">{}</script>')
    True
    """
    return str(_environment(package).get_template(template_name).render(**context))


def render(template_name: str, **context: Any) -> str:
    """Render one of the figure templates (``cop_toolkit/figures/templates``).

    Examples
    --------
    >>> render("placeholder.html.j2", box="b", height=1, spec="x & y").endswith('"b">x &amp; y</script>')
    True
    """
    return render_from("cop_toolkit.figures", template_name, **context)
