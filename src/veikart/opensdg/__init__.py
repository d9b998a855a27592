"""Import an Open SDG data repository (https://open-sdg.org) as a veikart framework, and export a
framework as one.

See docs/opensdg.md for the rules."""

from veikart.opensdg.exporter import NotAnOpenSdgRepository, OpenSdgExport, export_opensdg, render_opensdg
from veikart.opensdg.importer import REPOSITORY_SOURCE_ID, import_opensdg
from veikart.opensdg.report import OpenSdgReport

__all__ = [
    "REPOSITORY_SOURCE_ID",
    "NotAnOpenSdgRepository",
    "OpenSdgExport",
    "OpenSdgReport",
    "export_opensdg",
    "import_opensdg",
    "render_opensdg",
]
