"""Report notebook templates of cop_toolkit (installed as ``cop_toolkit.report_notebooks``)."""
