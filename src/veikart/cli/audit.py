"""`veikart audit`: the audit trail."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from veikart.app.audit import audit_records
from veikart.cli._common import app, open_app, out, user_errors
from veikart.i18n import _

__all__ = ["audit_cmd"]


@app.command("audit")
def audit_cmd(
    ctx: typer.Context,
    framework: Annotated[str | None, typer.Option(help="Only changes to this framework.")] = None,
    limit: Annotated[int, typer.Option(help="How many entries, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines: one object per line.")] = False,
) -> None:
    """The audit trail: who changed what, when, old -> new."""
    with user_errors(), open_app(ctx) as app_ctx:
        records = audit_records(app_ctx, framework, limit)
    if as_json:
        for r in records:
            line = {**r, "at": r["at"].isoformat()}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        return
    table = Table()
    for col in (_("Change"), _("When (UTC)"), _("Who"), _("Action"), _("What"), _("Operation")):
        table.add_column(col)
    for r in records:
        table.add_row(
            str(r["changeset"]),
            r["at"].strftime("%d.%m.%Y %H:%M:%S"),
            escape(r["actor"]),
            escape(r["action"]),
            escape(f"{r['entity']}:{r['id']}"),
            escape(r["op"]),
        )
    out.print(table)
