"""The open-data export: per indicator a tidy CSV and a JSON file (metadata, observations,
progress, Vega-Lite chart), an index, the framework, the published periods and a ZIP of it all,
rebuilt incrementally. See docs/opendata.md.

The names below load on first use, so that `veikart.opendata.builder` can be imported before
the command line's libraries (see there)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from veikart._lazy import lazy_names

if TYPE_CHECKING:
    from veikart.opendata.export import (
        CACHE_DIR,
        INDEX_FILE,
        ZIP_FILE,
        CacheMiss,
        ExportError,
        ExportResult,
        export_open_data,
        published_periods,
        store_vintages,
    )
    from veikart.opendata.render import ILLUSTRATIVE_NOTICE, published_table

_WHERE = {
    "CACHE_DIR": "export",
    "INDEX_FILE": "export",
    "ZIP_FILE": "export",
    "CacheMiss": "export",
    "ExportError": "export",
    "ExportResult": "export",
    "export_open_data": "export",
    "published_periods": "export",
    "store_vintages": "export",
    "ILLUSTRATIVE_NOTICE": "render",
    "published_table": "render",
}

__all__ = [
    "CACHE_DIR",
    "ILLUSTRATIVE_NOTICE",
    "INDEX_FILE",
    "ZIP_FILE",
    "CacheMiss",
    "ExportError",
    "ExportResult",
    "export_open_data",
    "published_periods",
    "published_table",
    "store_vintages",
]  # the names of _WHERE (tests/test_architecture.py holds them equal)
__getattr__ = lazy_names(__name__, _WHERE)
