"""Where things are in London: boroughs, postcodes and placing elements on the map.

* :mod:`.boroughs` — the 33 boroughs (codes, names, boundaries, neighbours), bundled offline;
* :mod:`.postcodes` — the optional offline postcode look-up;
* :mod:`.locate` — places every element from coordinates, postcode or borough.

May import: :mod:`cop_toolkit.core`, :mod:`cop_toolkit.io`.
"""
