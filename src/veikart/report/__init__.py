"""The council's status report: one document (document.py, compose.py) rendered as PPTX, PDF
and HTML (build.py)."""

#: The report's output formats, in the order they are built
FORMATS = ("pptx", "pdf", "html")
