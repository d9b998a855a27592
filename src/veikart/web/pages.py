"""The dashboard's pages as HTML, the same for the server and the static site.

A `PageContext` knows the language, the page's own path and how links are written: root-relative
with the view's query (`?period=...&as_of=...`) on the server, relative and ending in
`index.html` in the static site (so it works from any folder, host or the file system). The
render functions take a `View` (public data only, see queries.py) and return the page's text.
Wording comes from the report's composer and the views (one vocabulary for deck and dashboard).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from veikart.core.model import IndicatorKind, Provenance
from veikart.i18n import current_language, fmt_date, fmt_number
from veikart.i18n.labels import badge, label, progress_badge
from veikart.web.queries import Queries, View, illustrative_notice, tr
from veikart.web.texts import texts

__all__ = ["PAGES", "PageContext", "render"]

_TEMPLATES = Path(__file__).parent / "templates"
#: Page name -> path within a language (the static site writes `<path>index.html`).
PAGES = {
    "front": "",
    "status": "status/",
    "since": "siden-forrige-rapport/",
    "method": "metode/",
    "accessibility": "tilgjengelighetserklaering/",
    "search": "sok/",
}


#: An indicator page's data table shows at most this many rows (a filter narrows them; the CSV
#: download has them all): a table of 20,000 rows helps no reader and no screen reader.
MAX_TABLE_ROWS = 500


def goal_path(goal_id: str) -> str:
    return f"mal/{goal_id}/"


def indicator_path(ind_id: str) -> str:
    return f"indikator/{ind_id}/"


def lang_root(lang: str) -> str:
    return "" if lang == "nb" else f"{lang}/"


@dataclass
class PageContext:
    lang: str
    path: str  # the page's path within its language, e.g. "indikator/x/"
    static: bool = False
    query: dict[str, str] = field(default_factory=dict)  # period / as_of carried on every link

    def _site_path(self, lang: str, target: str) -> str:
        return lang_root(lang) + target

    def _from_here(self, site_path: str) -> str:
        here = self._site_path(self.lang, self.path).rstrip("/") or "."
        file = site_path + ("index.html" if site_path == "" or site_path.endswith("/") else "")
        return posixpath.relpath(file, here)

    def url(self, target: str, lang: str | None = None, **params: str) -> str:
        site = self._site_path(lang or self.lang, target)
        if self.static:
            return self._from_here(site)
        q = {**self.query, **{k: v for k, v in params.items() if v}}
        return "/" + site + (("?" + urlencode(q)) if q else "")

    def asset(self, name: str) -> str:
        if self.static:
            return self._from_here(f"static/{name}")
        return f"/static/{name}"

    def api(self, name: str) -> str:
        """A file of the API: `/api/v1/<name>` on the server, `api/v1/<name>` in the static site."""
        if self.static:
            return self._from_here(f"api/v1/{name}")
        return f"/api/v1/{name}" + (("?" + urlencode(self.query)) if self.query else "")

    def download(self, ind_id: str, name: str) -> str:
        if self.static:
            return self._from_here(f"{lang_root(self.lang)}{indicator_path(ind_id)}{name}")
        return self.url(indicator_path(ind_id) + name)


@cache
def _environment() -> Environment:
    from veikart.report.html import badge_style, inline_markdown

    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = inline_markdown
    env.filters["number"] = fmt_number
    env.globals["badge_style"] = badge_style
    return env


def _badge_html(b: Any) -> Markup:
    from veikart.report.html import badge_style

    return Markup('<span class="vk-badge" style="{}">{}</span>').format(badge_style(b), b.label)


def _status_badge(status: str) -> Markup:
    return _badge_html(progress_badge(status))


def _headline_badge(view: View, r: Any) -> Markup:
    """The indicator's headline badge as the deck shows it (views.explain.headline_badge): the
    trend without an ambition, and marked and pale when it rests on illustrative data."""
    from veikart.views.explain import headline_badge

    return _badge_html(headline_badge(r, view.illustrative(r.indicator.id)))


def _latest(view: View, r: Any) -> tuple[str, str]:
    """The latest value and its period, by the one rule of views.vocabulary (as the deck)."""
    from veikart.views.vocabulary import latest_value

    latest = latest_value(view.data.observations.get(r.indicator.id))
    return latest.cells(r.indicator) if latest is not None else ("-", "-")


def _common(q: Queries, view: View, ctx: PageContext, title: str) -> dict[str, Any]:
    fw = view.framework
    t = texts()
    other = "en" if ctx.lang == "nb" else "nb"
    banner = None
    if view.past:
        parts = []
        if not view.latest_period and view.period is not None:
            parts.append(t["past_period"].format(period=tr(view.period, "title")))
        if view.as_of is not None:
            parts.append(t["past_as_of"].format(date=fmt_date(view.as_of.date())))
        banner = t["past_banner"].format(what=", ".join(parts))
    return {
        "t": t,
        "ctx": ctx,
        "lang": ctx.lang,
        "other_lang": other,
        "other_url": ctx.url(ctx.path, lang=other),
        "now_url": "/" + lang_root(ctx.lang) + ctx.path,
        "other_label": "English" if other == "en" else "Norsk (bokmål)",
        "title": title,
        "site_title": tr(fw, "title"),
        "owner": fw.owner,
        "view": view,
        "banner": banner,
        "periods": [(p.id, tr(p, "title")) for p in reversed(view.periods)],
        "period_id": view.period.id if view.period else "",
        "as_of": view.as_of.date().isoformat() if view.as_of else "",
        "data_as_of": view.data_as_of,
        "nav": [
            (t["home"], ctx.url("")),
            (t["status_page"], ctx.url(PAGES["status"])),
            (t["since_page"], ctx.url(PAGES["since"])),
            (t["method_page"], ctx.url(PAGES["method"])),
            (t["search"], ctx.url(PAGES["search"])),
        ],
        "a11y_url": ctx.url(PAGES["accessibility"]),
        "api_url": ctx.api("framework.json" if ctx.static else "framework"),
        "goal_url": lambda gid: ctx.url(goal_path(gid)),
        "indicator_url": lambda iid: ctx.url(indicator_path(iid)),
        "tr": tr,
    }


def tr_list(obj: Any, name: str) -> list[str]:
    """A list field (bullets) in the current language, from its translations if it has them."""
    translated = (getattr(obj, "translations", None) or {}).get(current_language(), {}).get(name)
    return list(translated) if isinstance(translated, list) and translated else list(getattr(obj, name) or [])


def _goal_row(view: View, ctx: PageContext, goal: Any) -> dict[str, Any]:
    a = view.assessment(goal.id)
    rs = view.goal_results(goal.id)
    counts: dict[Markup, int] = {}
    for r in rs:
        if r.indicator.kind is IndicatorKind.INDICATOR and r.assessed:
            b = _headline_badge(view, r)
            counts[b] = counts.get(b, 0) + 1
    return {
        "id": goal.id,
        "title": tr(goal, "title"),
        "url": ctx.url(goal_path(goal.id)),
        "badge": _badge_html(badge(a.status)) if a is not None else None,
        "summary": tr_list(a, "summary") if a is not None else [],
        "status_note": tr(a, "status_note") if a is not None else "",
        "counts": list(counts.items()),
        "n_indicators": len(rs),
    }


def _indicator_row(view: View, ctx: PageContext, r: Any) -> dict[str, Any]:
    value, period = _latest(view, r)
    ind = r.indicator
    return {
        "id": ind.id,
        "title": tr(ind, "title"),
        "url": ctx.url(indicator_path(ind.id)),
        "badge": _headline_badge(view, r),
        "latest": value,
        "period": period,
        "kind": ind.kind,
        "illustrative": view.illustrative(ind.id),
        "illustrative_label": label(Provenance.ILLUSTRATIVE),
    }


def front(q: Queries, view: View, ctx: PageContext) -> str:
    slide = q.since_last(view)
    ctxd = _common(q, view, ctx, tr(view.framework, "title"))
    ctxd.update(
        description=tr(view.framework, "description"),
        goals=[_goal_row(view, ctx, g) for g in view.framework.goals],
        since_first=slide.sections[0] if slide.sections else None,
        since_url=ctx.url(PAGES["since"]),
        period=view.period,
    )
    return _environment().get_template("front.html.j2").render(ctxd)


def goal(q: Queries, view: View, ctx: PageContext, goal_id: str) -> str:
    g = view.goal(goal_id)
    a = view.assessment(goal_id)
    t = texts()
    rs = view.goal_results(goal_id)
    subgoals = []
    for s in g.subgoals:
        subgoals.append(
            {
                "code": s.code,
                "title": tr(s, "title"),
                "url": s.url,
                "indicators": [
                    (tr(r.indicator, "title"), ctx.url(indicator_path(r.indicator.id)))
                    for r in rs
                    if s.code in r.indicator.subgoals
                ],
            }
        )
    ctxd = _common(q, view, ctx, t["goal_title"].format(id=g.id, title=tr(g, "title")))
    ctxd.update(
        goal=g,
        description=tr(g, "description"),
        assessment=a,
        a_badge=_badge_html(badge(a.status)) if a is not None else None,
        a_note=tr(a, "status_note") if a is not None else "",
        a_text={k: tr_list(a, k) for k in ("summary", "positive_events", "challenges", "strategic_questions")}
        if a is not None
        else {},
        subgoals=subgoals,
        indicators=[_indicator_row(view, ctx, r) for r in rs if r.indicator.kind is IndicatorKind.INDICATOR],
        statistics=[_indicator_row(view, ctx, r) for r in rs if r.indicator.kind is IndicatorKind.STATISTIC],
        period=view.period,
    )
    return _environment().get_template("goal.html.j2").render(ctxd)


def _chart_markup(q: Queries, view: View, ind_id: str) -> dict[str, Any] | None:
    from veikart.report.html import _svg_inline, script_json

    chart = view.chart(ind_id)
    if chart is None:
        return None
    svg = q.svg(chart.spec)
    return {
        "id": chart.id,
        "alt": chart.alt,
        "provenance": chart.provenance,
        "illustrative": chart.illustrative,
        "svg": _svg_inline(svg, prefix=chart.id, alt=chart.alt),
        "spec": script_json(chart.spec),
    }


def indicator(
    q: Queries, view: View, ctx: PageContext, ind_id: str, filters: dict[str, list[str]] | None = None
) -> str:
    from veikart.core.model import Flag, Provenance
    from veikart.report.compose import ambition_callout, sources_text
    from veikart.views.explain import explain_indicator, explain_series, headline_label, marked
    from veikart.views.format import fmt_period, fmt_value

    r = view.indicator(ind_id)
    ind = r.indicator
    t = texts()
    table = view.table(ind_id)
    rows_i = q.observations(view, ind_id, filters=filters)
    dims = list(table.dimensions) if table is not None else [d.id for d in ind.dimensions]
    declared = {d.id: d for d in ind.dimensions}

    def value_label(dim_id: str, code: str) -> str:
        if not code:
            return t["filter_total"]
        d = declared.get(dim_id)
        return next((v.label or v.code for v in d.values if v.code == code), code) if d else code

    filter_form = []
    for j, dim_id in enumerate(dims):
        present = sorted({k[j] for k in table.keys}) if table is not None else []
        d = declared.get(dim_id)
        order = [v.code for v in d.values] if d else []
        codes = ([""] if "" in present else []) + [c for c in order if c in present] + [c for c in present if c and c not in order]
        chosen = set((filters or {}).get(dim_id, []))
        filter_form.append(
            {
                "id": dim_id,
                "title": tr(d, "title") if d else dim_id,
                "options": [
                    ("_total" if c == "" else c, value_label(dim_id, c), ("_total" if c == "" else c) in chosen)
                    for c in codes
                ],
            }
        )
    sources = {s.id: s for s in ind.sources}
    rows = []
    if table is not None:
        for i in rows_i[:MAX_TABLE_ROWS]:
            value, n = table.values[i], table.n[i]
            rows.append(
                {
                    "dims": [value_label(d, table.keys[i][j]) for j, d in enumerate(dims)],
                    "period": fmt_period(table.periods[i]),
                    "value": fmt_value(value, ind.unit) if value is not None else "",
                    "n": fmt_number(n) if n is not None else "",
                    "flags": ", ".join(label(Flag(f)) for f in table.flags[i].split(";") if f),
                    "provenance": label(Provenance(table.provenance[i])),
                    "source": (sources[table.source[i]].organisation if table.source[i] in sources else table.source[i]),
                    "note": table.note[i],
                }
            )
    kinds = sorted(set(table.provenance)) if table is not None else []
    fresh = view.freshness(ind_id)
    callout = ambition_callout(ind)
    series = []
    for s in r.series:
        name = t["filter_total"] if s.is_total else ", ".join(value_label(d, v) for d, v in s.scope.items())
        series.append(
            {
                "name": name,
                "badge": _status_badge(s.progress.status.value if s.progress else "not_assessed"),
                "score": fmt_number(s.progress.score, 1) if s.progress and s.progress.score is not None else "-",
                "explanation": marked(explain_series(ind, s), view.illustrative(ind_id)),
                "latest": fmt_value(s.values[-1], ind.unit) if s.values else "-",
            }
        )
    goal_obj = view.framework.goal(ind.goal)
    ctxd = _common(q, view, ctx, tr(ind, "title"))
    own = view.vintage_of(ind_id)
    ctxd.update(
        data_as_of=fmt_date(own.date()) if own else None,
        ind=ind,
        r=r,
        kind_label=t["statistics"] if ind.kind is IndicatorKind.STATISTIC else t["indicators"],
        goal_title=tr(goal_obj, "title") if goal_obj else ind.goal,
        goal_link=ctx.url(goal_path(ind.goal)),
        definition=tr(ind, "definition"),
        sources_text=sources_text(ind),
        source_links=[(s.organisation + (f": {s.name}" if s.name else ""), s.url) for s in ind.sources],
        frequency=label(ind.update_frequency) if ind.update_frequency else "-",
        unit=ind.unit_label or label(ind.unit),
        provenance=[label(Provenance(k)) for k in kinds],
        illustrative=view.illustrative(ind_id),
        notice=illustrative_notice(ctx.lang),
        callout=callout,
        ambition_assessment=ind.ambition_assessment,
        status_badge=_headline_badge(view, r),
        status_label=headline_label(r, view.illustrative(ind_id)),
        explanation=marked(explain_indicator(r), view.illustrative(ind_id)),
        series=series if len(series) > 1 else [],
        chart=_chart_markup(q, view, ind_id),
        dims=[f["title"] for f in filter_form],
        filter_form=filter_form if not ctx.static else [],
        rows=rows,
        rows_matching=len(rows_i),
        rows_total=len(table) if table is not None else 0,
        fresh={
            "latest": fmt_period(fresh[0]) if fresh and fresh[0] != "-" else "-",
            "due": fmt_date(fresh[1]) if fresh and fresh[1] else "-",
            "overdue": bool(fresh and fresh[2]),
        }
        if fresh
        else None,
        method_url=ctx.url(PAGES["method"]),
        downloads=[
            (t["dl_csv"], ctx.download(ind_id, "data.csv"), "CSV"),
            (t["dl_json"], ctx.download(ind_id, "data.json"), "JSON"),
            (t["dl_jsonstat"], ctx.download(ind_id, "data.jsonstat.json"), "JSON-stat"),
        ]
        + (
            [(t["dl_svg"], ctx.download(ind_id, "chart.svg"), "SVG"), (t["dl_png"], ctx.download(ind_id, "chart.png"), "PNG")]
            if view.chart(ind_id) is not None
            else []
        ),
        embed_url=ctx.asset("vega-embed.js"),
        embed_init=ctx.asset("charts.js"),
        subgoals=[(s.code, tr(s, "title"), s.url) for g in view.framework.goals for s in g.subgoals if s.code in ind.subgoals],
        footnotes=list(ind.footnotes),
    )
    return _environment().get_template("indicator.html.j2").render(ctxd)


def status(q: Queries, view: View, ctx: PageContext) -> str:
    t = texts()
    rows = []
    totals = [0, 0, 0, 0]
    for g in view.framework.goals:
        rs = view.goal_results(g.id)
        n = len(rs)
        with_data = sum(1 for r in rs if view.table(r.indicator.id) is not None)
        with_amb = sum(1 for r in rs if r.indicator.ambitions)
        with_status = sum(1 for r in rs if r.assessed and r.status.value not in ("unable_to_assess",))
        for k, v in enumerate((n, with_data, with_amb, with_status)):
            totals[k] += v
        rows.append((g.id, tr(g, "title"), ctx.url(goal_path(g.id)), n, with_data, with_amb, with_status))
    by_status: dict[Markup, int] = {}
    for r in view.results:
        b = _headline_badge(view, r)  # as the deck and the other pages say it
        by_status[b] = by_status.get(b, 0) + 1
    ctxd = _common(q, view, ctx, t["status_page"])
    ctxd.update(rows=rows, totals=totals, by_status=list(by_status.items()))
    return _environment().get_template("status.html.j2").render(ctxd)


def since(q: Queries, view: View, ctx: PageContext) -> str:
    slide = q.since_last(view)
    ctxd = _common(q, view, ctx, texts()["since_page"])
    ctxd.update(sections=slide.sections)
    return _environment().get_template("sections.html.j2").render(ctxd)


def method(q: Queries, view: View, ctx: PageContext) -> str:
    from veikart.report.compose import ReportInputs, method_slide

    slide = method_slide(
        ReportInputs(view.data, view.period, ctx.lang, lambda *_a: None, provenance={"data_as_of": view.data_as_of})
    )
    ctxd = _common(q, view, ctx, texts()["method_page"])
    ctxd.update(sections=slide.sections, intro=texts()["method_intro"])
    return _environment().get_template("sections.html.j2").render(ctxd)


def accessibility(q: Queries, view: View, ctx: PageContext) -> str:
    ctxd = _common(q, view, ctx, texts()["a11y_page"])
    return _environment().get_template("accessibility.html.j2").render(ctxd)


def search(q: Queries, view: View, ctx: PageContext, text: str | None) -> str:
    hits = []
    if ctx.static:
        # a static site cannot search: its search page is the index of every goal and indicator
        found = [("goal", g.id, g) for g in view.framework.goals]
        found += [("indicator", i.id, i) for i in view.data.indicators.values()]
    else:
        found = q.search(view, text) if text else []
    if found:
        for kind, key, obj in found:
            if kind == "goal":
                hits.append((texts()["goal"] + f" {key}: " + tr(obj, "title"), ctx.url(goal_path(key)), tr(obj, "description")))
            else:
                hits.append((tr(obj, "title"), ctx.url(indicator_path(key)), tr(obj, "definition")))
    ctxd = _common(q, view, ctx, texts()["search"])
    ctxd.update(query=text or "", hits=hits, static_search=ctx.static)
    return _environment().get_template("search.html.j2").render(ctxd)


def error(view: View | None, ctx: PageContext, status_code: int, message: str) -> str:
    t = texts()
    title = t["not_found"] if status_code == 404 else t["error"]
    return _environment().get_template("error.html.j2").render(
        t=t, ctx=ctx, lang=ctx.lang, title=title, message=message, home=ctx.url("")
    )


def render(name: str, q: Queries, view: View, ctx: PageContext, **kw: Any) -> str:
    makers: dict[str, Callable[..., str]] = {
        "front": front,
        "status": status,
        "since": since,
        "method": method,
        "accessibility": accessibility,
        "search": search,
    }
    return makers[name](q, view, ctx, **kw)
