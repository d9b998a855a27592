"""Import an Open SDG data repository (https://open-sdg.org) as a veikart framework.

See docs/opensdg.md for the rules."""

from veikart.opensdg.importer import REPOSITORY_SOURCE_ID, import_opensdg
from veikart.opensdg.report import OpenSdgReport

__all__ = ["REPOSITORY_SOURCE_ID", "OpenSdgReport", "import_opensdg"]
