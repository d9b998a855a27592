"""What every command shares: the Typer app and its global options, the consoles, the one
error handler, and the application context each command opens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

import veikart
from veikart.app.context import AppContext, default_actor, default_db_url
from veikart.errors import VeikartError
from veikart.i18n import _, fmt_number, set_language

if TYPE_CHECKING:
    from veikart.store.store import ImportSummary

__all__ = ["app", "err", "fail", "open_app", "out", "print_import", "safe_url", "user_errors"]

app = typer.Typer(
    name="veikart",
    help="Veikart: strategi, indikatorer, framdrift og statusrapport.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# No emoji codes (":100:" in "file.csv:100:2" would become an emoji) and no highlighting.
out = Console(highlight=False, emoji=False)
err = Console(stderr=True, highlight=False, emoji=False)


@dataclass
class GlobalOptions:
    db: str
    lang: str


def _version(value: bool) -> None:
    if value:
        out.print(f"veikart {veikart.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="VEIKART_DATABASE_URL", help="Database URL (SQLite file or PostgreSQL)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", envvar="VEIKART_LANG", help="nb or en.")] = "nb",
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    try:
        set_language(lang)
    except ValueError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from None
    ctx.obj = GlobalOptions(db or default_db_url(), lang)


def open_app(ctx: typer.Context, actor: str | None = None) -> AppContext:
    """The application context of this command (close it, or use it in a `with`)."""
    options: GlobalOptions = ctx.obj if isinstance(ctx.obj, GlobalOptions) else GlobalOptions(default_db_url(), "nb")
    return AppContext(db_url=options.db, actor=actor or default_actor(), lang=options.lang)


def fail(message: str) -> typer.Exit:
    """Print `message` after "Error:" on stderr; the Exit (status 1) to raise."""
    err.print(f"[bold red]{escape(_('Error'))}:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(1)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn expected failures into a message on stderr and exit status 1, never a traceback:
    every error the application raises is a VeikartError (veikart/errors.py)."""
    try:
        yield
    except VeikartError as exc:
        if exc.bare:
            err.print(exc.translated(), soft_wrap=True, markup=False)
            raise typer.Exit(1) from None
        raise fail(exc.translated()) from None
    except OSError as exc:
        raise fail(f"{exc.filename or ''}: {exc.strerror}") from None


def print_import(summary: ImportSummary, source: str) -> None:
    if summary.changeset_id is None:
        message = _("{source}: no changes; the database already holds this framework.").format(source=source)
    else:
        message = _(
            "{source}: imported framework {fid} (change {cs}): {created} new, {updated} changed, "
            "{removed} removed; observations: {added} new, {revised} revised, {gone} removed."
        ).format(
            source=source,
            fid=summary.framework_id,
            cs=summary.changeset_id,
            created=len(summary.created),
            updated=len(summary.updated),
            removed=len(summary.removed),
            added=fmt_number(summary.observations_added),
            revised=fmt_number(summary.observations_revised),
            gone=fmt_number(summary.observations_removed),
        )
    out.print(message, soft_wrap=True, markup=False)


def safe_url(url: str) -> str:
    """The URL without a password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

