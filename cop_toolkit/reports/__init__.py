"""Reports: the papermill runner, the report's sections, batches and the command line.

* :mod:`.runner` — runs a report notebook with papermill and writes the offline HTML page;
* :mod:`.story` — the report's sections; :mod:`.background` — sections worked out in a second process;
* :mod:`.batch` — one report per map or per borough, with an index page; :mod:`.cli` — ``cop-report``.

May import: every layer below (core, io, geo, analysis, building, figures); never :mod:`cop_toolkit.teaching`.
"""
