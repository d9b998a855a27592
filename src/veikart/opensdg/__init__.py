"""Import an Open SDG data repository (https://open-sdg.org) as a veikart framework, and export a
framework as one.

See docs/opensdg.md for the rules. The names below are loaded when first used (PEP 562): a
command that needs only the importer does not pay for the exporter's imports at start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from veikart._lazy import lazy_names

if TYPE_CHECKING:
    from veikart.opensdg.exporter import NotAnOpenSdgRepository, OpenSdgExport, export_opensdg, render_opensdg
    from veikart.opensdg.importer import REPOSITORY_SOURCE_ID, import_opensdg
    from veikart.opensdg.report import OpenSdgReport

_WHERE = {
    "NotAnOpenSdgRepository": "exporter",
    "OpenSdgExport": "exporter",
    "export_opensdg": "exporter",
    "render_opensdg": "exporter",
    "REPOSITORY_SOURCE_ID": "importer",
    "import_opensdg": "importer",
    "OpenSdgReport": "report",
}

__all__ = [
    "REPOSITORY_SOURCE_ID",
    "NotAnOpenSdgRepository",
    "OpenSdgExport",
    "OpenSdgReport",
    "export_opensdg",
    "import_opensdg",
    "render_opensdg",
]  # the names of _WHERE (tests/test_architecture.py holds them equal)
__getattr__ = lazy_names(__name__, _WHERE)
