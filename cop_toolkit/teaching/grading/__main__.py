"""``python -m cop_toolkit.teaching.grading``: the same as ``cop-grade``."""

from cop_toolkit.teaching.grading.cli import main

raise SystemExit(main())
