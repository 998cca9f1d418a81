"""Lesson notebooks of cop_toolkit (installed as ``cop_toolkit.lesson_notebooks``)."""
