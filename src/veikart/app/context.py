"""The application object: what every use case needs, made once per command (the CLI) or per
process (the web app) and passed in, never kept in a module global."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Self

from platformdirs import user_data_path

from veikart.core.periods import as_of_time
from veikart.errors import UsageError
from veikart.i18n import N_

if TYPE_CHECKING:  # the database layer loads only for use cases that open the store
    from veikart.store.store import Store

__all__ = ["AppContext", "default_actor", "default_db_url", "parse_as_of"]


def default_db_url() -> str:
    """The SQLite file in the user's data folder (platformdirs)."""
    return f"sqlite:///{user_data_path('veikart') / 'veikart.sqlite'}"


def default_actor() -> str:
    """Who makes a change when nobody says: VEIKART_ACTOR, else the login name."""
    env = os.environ.get("VEIKART_ACTOR")
    if env:
        return env
    try:
        return getpass.getuser()
    except OSError:
        return "unknown"


def parse_as_of(value: str | None) -> datetime | None:
    """A date (the end of that day, UTC) or an ISO timestamp (veikart.core.periods.as_of_time);
    None stays None."""
    if value is None:
        return None
    try:
        return as_of_time(value)
    except ValueError:
        raise UsageError(N_("--as-of {value!r} is not a date; write YYYY-MM-DD"), value=value) from None


@dataclass
class AppContext:
    """The store's URL, who acts, the language of messages; the open store.

    Use it as a context manager (or call `close()`): closing the store ends its connections
    and, for SQLite, leaves the whole database in its file."""

    db_url: str = field(default_factory=default_db_url)
    actor: str = field(default_factory=default_actor)
    lang: str = "nb"
    _store: Store | None = field(default=None, repr=False)
    _ready: bool = field(default=False, repr=False)

    def store(self, *, create: bool = False) -> Store:
        """The store, opened on first use. `create`: make or upgrade its schema (init, import);
        otherwise it must be ready (a schema of this version)."""
        from veikart.store.store import Store

        if self._store is None:
            self._store = Store(self.db_url)
        if create:
            self._store.migrate()
            self._ready = True
        elif not self._ready:
            self._store.check_ready()
            self._ready = True
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self._ready = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
