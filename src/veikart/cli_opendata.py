"""`veikart export-data` (registered on the main app)."""

from veikart.cli import app  # noqa: F401
