"""`veikart serve` and `veikart site build`: the public dashboard and its static site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from veikart.app import web as uc
from veikart.cli._common import app, err, open_app, out, user_errors
from veikart.i18n import _, fmt_number

__all__ = ["serve_cmd", "site_build_cmd"]

site = typer.Typer(help="The dashboard as static files.", no_args_is_help=True)
app.add_typer(site, name="site")


@app.command("serve")
def serve_cmd(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on (behind a TLS proxy: keep 127.0.0.1).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (several: use PostgreSQL).")] = 1,
    framework: Annotated[str | None, typer.Option(help="Framework id, when the store holds several.")] = None,
) -> None:
    """Serve the public dashboard and open-data API (Ctrl-C stops)."""

    def announce() -> None:
        err.print(
            _("The dashboard: http://{host}:{port}/ (English: /en/, open data: /api/v1/docs)").format(host=host, port=port),
            soft_wrap=True,
            markup=False,
        )

    with user_errors(), open_app(ctx) as app_ctx:
        uc.serve(app_ctx, host=host, port=port, workers=workers, framework=framework, on_ready=announce)


@site.command("build")
def site_build_cmd(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Folder for the site (made if missing; a previous build is updated).")],
    framework: Annotated[str | None, typer.Option(help="Framework id, when the store holds several.")] = None,
) -> None:
    """Write the dashboard's pages, API files and downloads as static files, with relative
    links; only files whose bytes changed are rewritten."""
    with user_errors(), open_app(ctx) as app_ctx:
        r = uc.build_site(app_ctx, directory, framework=framework)
    out.print(
        _("{path}: {files} files, {written} written, {unchanged} unchanged, {removed} removed ({seconds} s).").format(
            path=directory,
            files=fmt_number(r.files),
            written=fmt_number(r.written),
            unchanged=fmt_number(r.unchanged),
            removed=fmt_number(r.removed),
            seconds=fmt_number(r.seconds, 1),
        ),
        soft_wrap=True,
        markup=False,
    )
