"""Use cases on a framework: create the store, import and export packages, validate, load a
framework for a period, and the summary table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from veikart.app.context import AppContext, parse_as_of
from veikart.core.model import Indicator, Provenance, ReportingPeriod
from veikart.core.periods import date_as_fractional_year
from veikart.errors import UsageError
from veikart.i18n import N_

if TYPE_CHECKING:
    from veikart.core.dataset import FrameworkData
    from veikart.store.store import AuditEntry, ImportSummary

__all__ = [
    "DEFAULT_PACKAGE",
    "InitResult",
    "Loaded",
    "SummaryRow",
    "SummaryView",
    "backup_store",
    "export_package",
    "import_package",
    "import_unless_changed_elsewhere",
    "init_store",
    "load_framework",
    "read_package",
    "summary",
    "validate_package",
]

#: The bundled default inside the installed package: the e-health roadmap of 29.01.2026.
DEFAULT_PACKAGE = "data/default"


def read_package(path: Path, *, stored: bool = True) -> FrameworkData:
    """A framework package read and validated; PackageInvalid with every problem otherwise.
    `stored=False` (validation alone) does not say that nothing was stored."""
    from veikart.package.problems import PackageInvalid
    from veikart.package.reader import check_package

    data, problems = check_package(path)
    if problems or data is None:
        raise PackageInvalid(problems, stored=stored)
    return data


def validate_package(path: Path) -> FrameworkData:
    """`veikart validate`: the package's data, or PackageInvalid."""
    return read_package(path, stored=False)


def default_package() -> FrameworkData:
    """The bundled default, read from the installed package."""
    with as_file(files("veikart") / DEFAULT_PACKAGE) as path:
        return read_package(Path(path))


@dataclass
class InitResult:
    summary: ImportSummary | None  # None: nothing loaded (an empty store, or the user's framework kept)
    kept_by: str | None = None  # when the user's newer framework was kept: who changed it last
    kept_at: datetime | None = None
    framework_id: str | None = None


def init_store(ctx: AppContext, *, empty: bool = False, reset: bool = False) -> InitResult:
    """Create the store (or bring its schema up to date). Unless `empty`, load the bundled
    default, but never over a user's own changes: if the store's framework of the same id was
    last changed by anything but `init`, it is kept as it is (`reset` loads the default over
    it, as a new version: the user's versions stay in the history)."""
    from veikart.store.store import AuditEntry

    ctx.store(create=True)
    if empty:
        return InitResult(None)
    data = default_package()
    written = import_unless_changed_elsewhere(ctx, data, action="init", force=reset)
    if isinstance(written, AuditEntry):
        return InitResult(None, kept_by=written.actor, kept_at=written.at, framework_id=data.framework.id)
    return InitResult(written, framework_id=data.framework.id)


def import_unless_changed_elsewhere(
    ctx: AppContext, data: FrameworkData, *, action: str, force: bool = False
) -> ImportSummary | AuditEntry:
    """Store `data` as a change of kind `action`, unless the store's framework of that id was
    last changed by another kind of change (an import over the bundled default, a package over
    an Open SDG import): then nothing is written and that change's audit entry is returned.
    `force` stores it all the same. The check and the write are tied by the framework's head
    change: a change landing between them makes the write refuse (StaleBase) and the check is
    made again."""
    from veikart.store.store import StaleBase

    store = ctx.store(create=True)
    fid = data.framework.id
    for _ in range(3):
        head = store.head_change(fid)
        if not force and head:
            last = store.audit_trail(fid, limit=1)
            if last and last[0].action != action:
                return last[0]
        try:
            return store.import_data(data, actor=ctx.actor, action=action, base_change=head)
        except StaleBase:
            continue
    raise UsageError(N_("the store is being changed by others all the time; try again"))


def import_package(ctx: AppContext, path: Path) -> ImportSummary:
    """Load a package, all or nothing; a store that does not exist yet is created."""
    data = read_package(path)
    return ctx.store(create=True).import_data(data, actor=ctx.actor)


def export_package(
    ctx: AppContext, directory: Path, framework: str | None = None, as_of: str | None = None
) -> tuple[list[str], FrameworkData]:
    """Write a framework as a package in canonical form (as known on `as_of`)."""
    from veikart.package.writer import write_package

    when = parse_as_of(as_of)
    data = ctx.store().load(framework, as_of=when)
    return write_package(data, directory), data


def backup_store(ctx: AppContext, target: Path) -> Path:
    """A consistent copy of the SQLite store in the new file `target` (SQLite's backup API,
    safe while others read and write). PostgreSQL: a StoreError advising pg_dump."""
    ctx.store().backup(target)
    return target


@dataclass
class Loaded:
    """A framework as known on a date, with the reporting period asked for."""

    data: FrameworkData
    period: ReportingPeriod | None
    now: float | None  # the period's date as a fractional year: pace is counted from it
    as_of: datetime | None


def load_framework(
    ctx: AppContext, framework: str | None = None, *, as_of: str | None = None, period: str | None = None
) -> Loaded:
    """The framework (the store's only one unless named) as known on `as_of`, and `period`."""
    when = parse_as_of(as_of)
    data = ctx.store().load(framework, as_of=when)
    per = None
    if period is not None:
        per = data.periods.get(period)
        if per is None:
            raise UsageError(
                N_("period {id!r} is not in the framework; it has: {ids}"),
                id=period,
                ids=", ".join(data.periods) or "-",
            )
    return Loaded(data, per, date_as_fractional_year(per.date) if per else None, when)


@dataclass
class SummaryRow:
    indicator: Indicator
    latest: str  # '84 % (2025)' or '-'
    ambition: str  # the national ambitions, 'projection only', or '-'
    provenance: str  # the provenances of its rows, as labels


@dataclass
class SummaryView:
    data: FrameworkData
    goals: list[tuple[str, str, list[SummaryRow]]] = field(default_factory=list)  # id, title, rows


def summary(ctx: AppContext, framework: str | None = None) -> SummaryView:
    """The strategy as a table: per goal its indicators, latest values and ambitions, worded as
    in the deck (veikart.views.vocabulary)."""
    from veikart.i18n import _
    from veikart.i18n.labels import label
    from veikart.views.vocabulary import ambition_text, latest_value

    data = ctx.store().load(framework)
    view = SummaryView(data)
    by_goal: dict[str, list[Indicator]] = {}
    for ind in data.indicators.values():
        by_goal.setdefault(ind.goal, []).append(ind)
    for goal in data.framework.goals:
        rows = []
        for ind in by_goal.get(goal.id, []):
            table = data.observations.get(ind.id)
            latest = latest_value(table)
            kinds = sorted(set(table.provenance)) if table is not None else []
            ambition = "; ".join(ambition_text(a, ind) for a in ind.ambitions if not a.scope)
            if ind.projection_only:
                ambition = _("projection only")
            rows.append(
                SummaryRow(
                    ind,
                    latest.text(ind) if latest else "-",
                    ambition or "-",
                    ", ".join(label(Provenance(k)) for k in kinds) or "-",
                )
            )
        view.goals.append((goal.id, goal.title, rows))
    return view
