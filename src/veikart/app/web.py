"""Use cases of the public dashboard: serve it, or build it as static files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from veikart.app.context import AppContext
from veikart.errors import UsageError
from veikart.i18n import N_

if TYPE_CHECKING:
    from veikart.web.site import SiteSummary

__all__ = ["build_site", "serve"]


def serve(
    ctx: AppContext,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    framework: str | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Run the dashboard until stopped (uvicorn). The store must be ready; with several workers
    each opens it itself (PostgreSQL for several writers' stores). `on_ready` is called once the
    options and the store are checked, just before the server starts."""
    if workers < 1:
        raise UsageError(N_("--workers must be 1 or more, not {n}"), n=workers)
    if not 0 < port < 65536:
        raise UsageError(N_("--port must be 1-65535, not {n}"), n=port)
    store = ctx.store()  # a missing or unready store is a message now, not in every worker
    store.resolve_framework(framework)
    url = store.url
    ctx.close()  # the server's processes open their own
    if on_ready is not None:
        on_ready()
    from veikart.web.server import serve as run

    run(url, host, port, workers, framework_id=framework)


def build_site(ctx: AppContext, out_dir: Path, *, framework: str | None = None) -> SiteSummary:
    """The dashboard's public pages, API files and downloads as static files in `out_dir`,
    rewriting only the files whose bytes changed since the last build there."""
    store = ctx.store()
    store.resolve_framework(framework)
    from veikart.web.site import build_site as build

    return build(store.url, out_dir, framework_id=framework)
