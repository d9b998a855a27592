"""The store's user-facing error, importable without loading the database layer."""

from __future__ import annotations

from veikart.errors import VeikartError

__all__ = ["StoreError"]


class StoreError(VeikartError):
    """A problem with the store the user can act on (wrong URL, not initialised, locked, damaged).

    `template` is an English msgid of the message catalogue and `args` its placeholders, so
    a front end can show it in the user's language; str() gives the English text."""
