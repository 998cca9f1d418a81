"""The map itself and the rules every layer shares: the lowest layer.

* :mod:`.model` — :class:`NetworkMap` (element and connection tables, Kumu's conventions);
* :mod:`.schema` — standard column names, directions, levels, element and tie types;
* :mod:`.text` — several values in a cell, name folding, the one fuzzy matcher;
* :mod:`.errors` — :class:`MapError` (one plain line) and :class:`MapWarning`;
* :mod:`.validate`, :mod:`.quality` — checks of a map; :mod:`.privacy` — what may be published;
* :mod:`.vocabulary` — common wording of needs, offers and assets;
* :mod:`.files` — all-or-nothing file writes.

May import: nothing else in cop_toolkit.
"""
