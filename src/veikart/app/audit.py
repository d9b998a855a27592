"""Use case: the audit trail as records."""

from __future__ import annotations

from typing import Any

from veikart.app.context import AppContext
from veikart.errors import UsageError
from veikart.i18n import N_

__all__ = ["audit_records"]


def audit_records(ctx: AppContext, framework: str | None = None, limit: int | None = 50) -> list[dict[str, Any]]:
    """Who changed what, when, old -> new: newest first, at most `limit` entries (None: all)."""
    if limit is not None and limit < 1:
        raise UsageError(N_("--limit must be 1 or more, not {limit}"), limit=limit)
    entries = ctx.store().audit_trail(framework, limit)
    return [
        {
            "changeset": e.changeset_id,
            "at": e.at,
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "id": e.entity_id,
            "op": e.op,
            "old": e.old,
            "new": e.new,
        }
        for e in entries
    ]
