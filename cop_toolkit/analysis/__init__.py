"""Measures of the network: from the map to tables of results.

* :mod:`.engine` — the tie table and the fast kernels (igraph), shared by every measure;
* :mod:`.metrics`, :mod:`.clusters`, :mod:`.resilience` (what if a hub goes), :mod:`.levels`,
  :mod:`.compare` (two snapshots), :mod:`.summary`, :mod:`.ego`, :mod:`.boroughs` (borough statistics).
* :mod:`.provenance` (who reported what), :mod:`.stages` (the network's stage and health over waves).

Functions take a map (or a networkx graph) and return pandas tables.
May import: :mod:`cop_toolkit.core`, :mod:`cop_toolkit.io`, :mod:`cop_toolkit.geo`.
"""
