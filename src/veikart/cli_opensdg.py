"""`veikart import-opensdg` and `veikart export-opensdg` (registered on the main app)."""

from veikart.cli import app  # noqa: F401
