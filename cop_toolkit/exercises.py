"""The old import path: ``cop_toolkit.exercises`` is :mod:`cop_toolkit.teaching.exercises`."""

from cop_toolkit.teaching.exercises import *  # the old path
