"""The map's schema: standard columns, directions, levels, types and consent words.

Field conventions are described in CONTRIBUTING.md; this module is the one place they are written down in code.
"""

from __future__ import annotations

__all__ = [
    "ELEMENT_COLUMNS",
    "CONNECTION_COLUMNS",
    "NUMERIC_COLUMNS",
    "DIRECTIONS",
    "LEVELS",
    "ELEMENT_TYPES",
    "CONNECTION_TYPES",
    "CONSENT_YES",
]

#: The standard element columns, in order; custom fields follow them.
ELEMENT_COLUMNS = ["ID", "Label", "Type", "Description", "Tags"]
#: The standard connection columns, in order; custom fields follow them.
CONNECTION_COLUMNS = ["ID", "From", "To", "Type", "Direction", "Strength"]
#: Columns held as numbers wherever they appear.
NUMERIC_COLUMNS = ["Strength", "Latitude", "Longitude", "X", "Y"]
#: Allowed values of a connection's ``Direction``.
DIRECTIONS = ("directed", "undirected", "mutual")
#: Allowed values of an element's ``Level``, from bottom to top (compared ignoring case, spaces and dashes).
LEVELS = ("grassroots", "borough", "pan-London")
#: The element types the sample data and the lessons use (a map may use others).
ELEMENT_TYPES = (
    "Pan-London body",
    "Borough network",
    "CVS",
    "Network of networks",
    "Community group",
    "Social enterprise",
    "Funder",
    "Public body",
    "University",
    "Person",
)
#: The connection types the sample data and the lessons use (a map may use others).
#: A ``Membership`` tie points from the member to the network it belongs to.
CONNECTION_TYPES = ("Membership", "Funding", "Partnership", "Referral", "Information sharing", "Shared premises")
#: Answers to the consent question (``Consent``, lower case) that mean "yes, show me".
CONSENT_YES = frozenset({"yes", "y", "true", "1", "consented", "agreed"})
