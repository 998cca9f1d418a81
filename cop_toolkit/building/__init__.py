"""Building the network: from a survey to a map, and from a map to ties worth making.

* :mod:`.survey` — a survey export to a map; :mod:`.resources` — needs matched to offers, assets;
* :mod:`.sharing` — nearby pairs that could share; :mod:`.weaving` — introductions worth making.
* :mod:`.merge` — contributors' maps merged into one; :mod:`.verification` — a verification round.

May import: :mod:`cop_toolkit.core`, :mod:`cop_toolkit.io`, :mod:`cop_toolkit.geo`,
:mod:`cop_toolkit.analysis`.
"""
