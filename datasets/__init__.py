"""Bundled sample data of cop_toolkit (installed as ``cop_toolkit.datasets_files``); see datasets/README.md."""
