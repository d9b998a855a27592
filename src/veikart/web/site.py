"""`veikart site build DIR`: the dashboard as static files, Open SDG's deployment model.

    DIR/index.html, DIR/mal/<id>/index.html, DIR/indikator/<id>/index.html, ...   bokmål pages
    DIR/en/...                                                                     English pages
    DIR/<lang>/indikator/<id>/data.csv, data.json, data.jsonstat.json, chart.svg, chart.png
    DIR/api/v1/framework.json, goals.json, goals/<id>.json, indicators.json,
        indicators/<id>.json, indicators/<id>.csv, indicators/<id>.jsonstat.json,
        progress.json, periods.json, vintages.json                                the API's answers
    DIR/static/...                                                                 stylesheets, scripts
    DIR/.veikart-site.json                                                         hash of every file

Every link is relative and names its file (`index.html`), so the site works from any folder, any
host and the file system. The pages are those of `veikart serve` (pages.py) for the latest
published period as known now; everything comes from a `queries.View`, so the publication rule
holds here as on the server.

Incremental: every file is made, but written only when its bytes differ from what the previous
build wrote (the SHA-256 in `.veikart-site.json`, checked against the file's size); files of the
previous build that are no longer made are removed. Charts are drawn once and cached by spec
(views/render.py), so a rebuild after one change redraws only that indicator's charts.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from veikart.i18n import current_language, set_language

if TYPE_CHECKING:  # the web app's modules load when a site is built
    from veikart.web import pages
    from veikart.web.queries import Queries, View

__all__ = ["MANIFEST", "SiteSummary", "build_site"]

MANIFEST = ".veikart-site.json"


@dataclass
class SiteSummary:
    directory: Path
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    pages: int = 0
    kept_groups: int = 0  # indicators (per language) whose files were not made again
    written_paths: list[str] = field(default_factory=list)


def _same(body: bytes) -> bytes:
    return body


def _search(q: Queries, view: View, ctx: pages.PageContext) -> str:
    from veikart.web import pages

    return pages.search(q, view, ctx, None)


def _download(q: Queries, view: View, ind_id: str, name: str, lang: str) -> bytes:
    from veikart.web.server import download_bytes

    return download_bytes(q, view, ind_id, name, lang)[0]


def _files(q, view, *, languages: tuple[str, ...], reuse: Callable[[str], dict | None] = lambda _i: None) -> Iterator[tuple[str | None, str, Callable[[], bytes]]]:  # type: ignore[no-untyped-def]
    """(group, path, make bytes) of every file of the site. A group is one indicator's files in
    one language (`nb:<id>`, `en:<id>`, `api:<id>`): made only when its digest changed."""
    from veikart.web import api, pages
    from veikart.web.queries import illustrative_notice
    from veikart.web.server import DOWNLOADS, assets

    for name, (body, _media) in assets().items():
        yield None, f"static/{name}", partial(_same, body)

    def page(lang: str, path: str, make: Callable[[pages.PageContext], str],
             group: str | None = None) -> tuple[str | None, str, Callable[[], bytes]]:
        ctx = pages.PageContext(lang, path, static=True)
        return group, pages.lang_root(lang) + path + "index.html", lambda: make(ctx).encode("utf-8")

    for lang in languages:
        set_language(lang)
        for name, path in pages.PAGES.items():
            if name == "search":
                yield page(lang, path, partial(_search, q, view))
            else:
                yield page(lang, path, partial(pages.render, name, q, view))
        for g in view.framework.goals:
            yield page(lang, pages.goal_path(g.id), partial(pages.goal, q, view, goal_id=g.id))
        for r in view.results:
            ind_id = r.indicator.id
            group = f"{lang}:{ind_id}"
            yield page(lang, pages.indicator_path(ind_id), partial(pages.indicator, q, view, ind_id=ind_id), group)
            for dl in DOWNLOADS:
                if dl.startswith("chart.") and not _has_chart(r):
                    continue
                yield (
                    group,
                    f"{pages.lang_root(lang)}{pages.indicator_path(ind_id)}{dl}",
                    partial(_download, q, view, ind_id, dl, lang),
                )

    set_language("nb")

    def doc(model) -> bytes:  # type: ignore[no-untyped-def]
        if isinstance(model, list):
            return b"[" + b",".join(m.model_dump_json().encode() for m in model) + b"]"
        return model.model_dump_json().encode()

    yield None, "api/v1/framework.json", lambda: doc(api.framework_doc(view, "nb"))
    yield None, "api/v1/goals.json", lambda: doc([api.goal_doc(view, g.id) for g in view.framework.goals])
    for g in view.framework.goals:
        yield None, f"api/v1/goals/{g.id}.json", partial(lambda gid: doc(api.goal_doc(view, gid)), g.id)
    yield None, "api/v1/indicators.json", lambda: doc([api._summary(view, r) for r in view.results])
    for r in view.results:
        ind_id = r.indicator.id
        group = f"api:{ind_id}"
        files = {"csv": f"{ind_id}.csv", "jsonstat": f"{ind_id}.jsonstat.json"}
        yield (
            group,
            f"api/v1/indicators/{ind_id}.json",
            partial(lambda i, f: doc(api.indicator_doc(view, i, f, illustrative_notice("nb"))), ind_id, files),
        )
        yield group, f"api/v1/indicators/{ind_id}.csv", partial(_download, q, view, ind_id, "data.csv", "nb")
        yield (
            group,
            f"api/v1/indicators/{ind_id}.jsonstat.json",
            partial(_download, q, view, ind_id, "data.jsonstat.json", "nb"),
        )
    def progress() -> bytes:
        # an unchanged indicator's record is the one its own file holds (made by the same code
        # from the same inputs: its group's digest says so), not made again
        records = [reuse(r.indicator.id) or view.record(r.indicator.id) for r in view.results]
        return doc(api.ProgressOut(period=view.period.id if view.period else None, indicators=records))

    yield None, "api/v1/progress.json", progress
    yield None, "api/v1/periods.json", lambda: doc(api.periods_doc(view))
    yield None, "api/v1/vintages.json", lambda: doc([api.VintageOut(**v) for v in q.vintages()])


def _has_chart(r) -> bool:  # type: ignore[no-untyped-def]
    from veikart.views.charts import chart_kind

    return chart_kind(r) is not None


@cache
def _code_key() -> str:
    """What of the code a site's files are made with: the open-data build key's parts (code,
    catalogues, libraries) and this package's own templates, styles and scripts."""
    from veikart.opendata.export import code_fingerprint

    h = hashlib.sha256(code_fingerprint().encode())
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2", ".css", ".js"):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _group_digests(view) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Per group, the hash of everything its files are made from: the code and catalogues, the
    indicator, its published rows and vintage, the framework's years, title, owner and the
    indicator's goal, the period shown, the day (data freshness) and the language."""
    from veikart.i18n import catalogues_digest
    from veikart.opendata.render import indicator_digest

    fw = view.framework
    common = "|".join(
        [_code_key(), catalogues_digest(), fw.title, fw.owner, repr(fw.translations),
         view.period.id if view.period else "-", str(view.period.date) if view.period else "-",
         date.today().isoformat()]
    )
    out = {}
    for r in view.results:
        ind = r.indicator
        when = view.vintage_of(ind.id)
        base = indicator_digest(common, fw, ind, view.table(ind.id), when.isoformat() if when else None)
        for prefix in ("nb", "en", "api"):
            out[f"{prefix}:{ind.id}"] = hashlib.sha256(f"{prefix}|{base}".encode()).hexdigest()
    return out


def _prerender(q, view, languages: tuple[str, ...], todo: set[str]) -> None:  # type: ignore[no-untyped-def]
    """Draw the charts of the groups to make that are not yet in the chart cache, in parallel
    worker processes."""
    specs = []
    for lang in languages:
        set_language(lang)
        for r in view.results:
            if f"{lang}:{r.indicator.id}" not in todo:
                continue
            chart = view.chart(r.indicator.id)
            if chart is not None:
                specs.append(chart.spec)
    q.renderer.prerender(specs, svg=True, png=True)


def _read_manifest(out: Path) -> tuple[dict[str, list], dict[str, str], dict[str, str]]:
    """The previous build's files (path -> [sha256, size]), groups (group -> digest) and the
    group of each file."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        files = {k: v for k, v in data.get("files", {}).items() if isinstance(v, list) and len(v) == 2}
        groups = {k: v for k, v in data.get("groups", {}).items() if isinstance(v, str)}
        members = {k: v for k, v in data.get("members", {}).items() if isinstance(v, str)}
        return files, groups, members
    except (OSError, ValueError, AttributeError):
        return {}, {}, {}


def _write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(body)
    os.replace(tmp, path)


def build_site(
    db_url: str,
    out_dir: Path,
    *,
    framework_id: str | None = None,
    languages: tuple[str, ...] = ("nb", "en"),
    chart_cache: Path | None | bool = None,
    progress: Callable[[str, int], None] | None = None,
) -> SiteSummary:
    """Write the static site of the store at `db_url` into `out_dir` (created if missing);
    rewrite only files whose bytes changed since the last build there."""
    from veikart.web.queries import Queries

    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    previous, old_groups, old_members = _read_manifest(out)
    before = current_language()
    q = Queries(db_url, framework_id=framework_id, chart_cache=chart_cache)
    summary = SiteSummary(out)
    made: dict[str, list] = {}
    members: dict[str, str] = {}
    try:
        view = q.view()
        digests = _group_digests(view)
        # a group is kept as it is when its digest is the previous build's and all its files are there
        kept = {g for g, d in digests.items() if old_groups.get(g) == d}
        for rel, g in old_members.items():
            if g in kept and not (out / rel).is_file():
                kept.discard(g)
        summary.kept_groups = len(kept)
        _prerender(q, view, languages, set(digests) - kept)
        def reuse(ind_id: str) -> dict | None:
            if f"api:{ind_id}" not in kept:
                return None
            try:
                return json.loads((out / f"api/v1/indicators/{ind_id}.json").read_bytes())["progress"]
            except (OSError, ValueError, KeyError, TypeError):
                return None

        for group, rel, make in _files(q, view, languages=languages, reuse=reuse):
            if group is not None:
                members[rel] = group
                if group in kept and rel in previous:
                    made[rel] = previous[rel]
                    summary.files += 1
                    summary.unchanged += 1
                    summary.pages += rel.endswith(".html")
                    continue
            body = make()
            digest = hashlib.sha256(body).hexdigest()
            made[rel] = [digest, len(body)]
            summary.files += 1
            if rel.endswith(".html"):
                summary.pages += 1
            target = out / rel
            old = previous.get(rel)
            if old == [digest, len(body)] and target.is_file() and target.stat().st_size == len(body):
                summary.unchanged += 1
            else:
                _write(target, body)
                summary.written += 1
                summary.written_paths.append(rel)
            if progress is not None:
                progress(rel, summary.files)
        for rel in sorted(set(previous) - set(made)):
            stale = out / rel
            if stale.is_file():
                stale.unlink()
                summary.removed += 1
        manifest = {
            "format": 2,
            "files": dict(sorted(made.items())),
            "groups": dict(sorted(digests.items())),
            "members": dict(sorted(members.items())),
        }
        _write(out / MANIFEST, json.dumps(manifest, indent=0, sort_keys=True).encode("utf-8"))
    finally:
        q.close()
        set_language(before)
    summary.seconds = time.perf_counter() - started
    return summary
