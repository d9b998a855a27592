"""Use cases on Open SDG data repositories: import one as a framework, export a framework as one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from veikart.app.context import AppContext, parse_as_of
from veikart.app.framework import import_unless_changed_elsewhere
from veikart.core.model import Direction
from veikart.errors import UsageError
from veikart.i18n import N_

if TYPE_CHECKING:
    from veikart.opensdg.exporter import OpenSdgExport
    from veikart.opensdg.report import OpenSdgReport
    from veikart.store.store import ImportSummary

__all__ = ["ACTION", "export_opensdg", "import_opensdg"]

#: The audit trail's action of an Open SDG import
ACTION = "import-opensdg"


def import_opensdg(
    ctx: AppContext,
    directory: Path,
    framework_id: str | None = None,
    *,
    default_direction: Direction = Direction.NONE,
    on_report: Callable[[OpenSdgReport], None] | None = None,
    replace: bool = False,
) -> tuple[OpenSdgReport, ImportSummary]:
    """Read an Open SDG repository (rows that cannot be read are skipped and reported) and store
    it as a framework, all or nothing; a store that does not exist yet is created.
    `on_report(report)` sees the reading's report before anything is stored.

    A framework of the same id that was not itself imported from an Open SDG repository (a
    package, the bundled default) is never replaced unless `replace`: a folder that happens to
    be named like it would otherwise overwrite it."""
    if not directory.is_dir():
        raise UsageError(
            N_("{path} is not a folder; give the folder of an Open SDG data repository (with data/ and meta/)"),
            path=str(directory),
        )
    from veikart.opensdg import import_opensdg as read

    data, report = read(directory, framework_id, default_direction=default_direction)
    if on_report is not None:
        on_report(report)
    if report.indicators_imported == 0:
        raise UsageError(
            N_("{path} holds no Open SDG indicator (no data/*.csv or meta/*.md could be read); nothing was stored"),
            path=str(directory),
        )
    from veikart.store.store import AuditEntry

    written = import_unless_changed_elsewhere(ctx, data, action=ACTION, force=replace)
    if isinstance(written, AuditEntry):
        raise UsageError(
            N_(
                "the store holds a framework {fid!r} that was not imported from an Open SDG repository "
                "(last change: {action}); give this one another id with --framework-id, or replace it with --replace"
            ),
            fid=data.framework.id,
            action=written.action,
        )
    return report, written


def export_opensdg(
    ctx: AppContext, directory: Path, framework: str | None = None, *, as_of: str | None = None
) -> OpenSdgExport:
    """Write a framework as an Open SDG data repository (as known on `as_of`)."""
    from veikart.opensdg.exporter import export_opensdg as write

    when = parse_as_of(as_of)
    data = ctx.store().load(framework, as_of=when)
    return write(data, directory)
