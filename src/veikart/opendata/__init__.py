"""The open-data export: per indicator a tidy CSV and a JSON file (metadata, observations,
progress, Vega-Lite chart), an index, the framework, the published periods and a ZIP of it all,
rebuilt incrementally. See docs/opendata.md."""

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
]
