"""The dashboard server: `create_app(db_url)` gives the FastAPI application, `serve()` runs it on
uvicorn.

Like datasette's one object handed to every view, the app holds one `Queries` (the store opened
once per process, views cached) in `app.state.queries`; every route reads through it. Every
response carries an ETag (the SHA-256 of its bytes) and Cache-Control, and a request whose
If-None-Match names the ETag gets 304 without a body. Errors are JSON with a message under
/api, a small HTML page elsewhere; never a stack trace.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from veikart.errors import VeikartError
from veikart.i18n import N_, _, set_language
from veikart.web import api, pages
from veikart.web.queries import Queries, QueryError, View

__all__ = ["asset_folders", "create_app", "serve"]

log = logging.getLogger(__name__)

#: Pages and API answers: cheap to revalidate (ETag), so a short freshness.
CACHE_PAGES = "public, max-age=60"
#: Assets change only with the code.
CACHE_ASSETS = "public, max-age=86400"
_STATIC = Path(__file__).parent / "static"


def asset_folders() -> dict[str, Path]:
    """Designsystemet's files from node_modules (scripts/setup.sh runs `npm ci`): the folder
    VEIKART_NODE_MODULES names, else node_modules at the repository root."""
    root = Path(os.environ.get("VEIKART_NODE_MODULES") or Path(__file__).resolve().parents[3] / "node_modules")
    return {
        "ds/designsystemet.css": root / "@digdir" / "designsystemet-css" / "dist" / "src" / "index.css",
        "ds/theme.css": root / "@digdir" / "designsystemet-theme" / "brand" / "digdir.css",
    }


def assets() -> dict[str, tuple[bytes, str]]:
    """Every static file the pages use: name -> (bytes, media type)."""
    from veikart.views.render import vega_embed_bundle

    out: dict[str, tuple[bytes, str]] = {}
    for name, path in asset_folders().items():
        try:
            out[name] = (path.read_bytes(), "text/css; charset=utf-8")
        except OSError:
            log.warning("Designsystemet's %s is missing (%s): run scripts/setup.sh (npm ci)", name, path)
            out[name] = (b"/* Designsystemet is not installed: run scripts/setup.sh */\n", "text/css; charset=utf-8")
    out["web.css"] = ((_STATIC / "web.css").read_bytes(), "text/css; charset=utf-8")
    out["charts.js"] = ((_STATIC / "charts.js").read_bytes(), "text/javascript; charset=utf-8")
    out["vega-embed.js"] = (vega_embed_bundle().encode("utf-8"), "text/javascript; charset=utf-8")
    return out


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def respond(request: Request, body: bytes, media_type: str, *, cache: str = CACHE_PAGES, status: int = 200,
            headers: dict[str, str] | None = None, tag: str | None = None) -> Response:
    """A response with ETag and Cache-Control; 304 when If-None-Match names its ETag."""
    tag = tag or etag_of(body)
    common = {"ETag": tag, "Cache-Control": cache, **(headers or {})}
    if status == 200:
        wanted = request.headers.get("if-none-match", "")
        if wanted and (wanted.strip() == "*" or tag in [w.strip().removeprefix("W/") for w in wanted.split(",")]):
            return Response(status_code=304, headers=common)
    return Response(body, status_code=status, media_type=media_type, headers=common)


class EtagEverywhere:
    """ASGI middleware: a response the routes did not tag (FastAPI's OpenAPI document and docs
    page) gets its ETag and Cache-Control here, and 304 on a matching If-None-Match."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        passing = False

        async def capture(message: Any) -> None:
            nonlocal passing
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                if b"etag" in names or message["status"] != 200:
                    passing = True
                    await send(message)
                else:
                    start.update(message)
                return
            if passing:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            tag = etag_of(body)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-length",)]
            headers += [(b"etag", tag.encode()), (b"cache-control", CACHE_PAGES.encode())]
            wanted = {k.lower(): v for k, v in scope.get("headers", [])}.get(b"if-none-match", b"").decode()
            if wanted and tag in [w.strip().removeprefix("W/") for w in wanted.split(",")]:
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
            headers.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": start["status"], "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)


def answer(q: Queries, request: Request, view: View, make: Callable[[], bytes], media_type: str,
           headers: dict[str, str] | None = None) -> Response:
    """The answer to this URL in this view, made once and remembered (with its ETag) until the
    view changes: a repeated request costs the store's vintage query and a lookup."""
    key = (request.url.path, request.url.query, view.token)

    def make_tagged() -> tuple[bytes, str]:
        body = make()
        return body, etag_of(body)

    body, tag = q.remember(key, make_tagged)
    return respond(request, body, media_type, headers=headers, tag=tag)


class AnswerCache:
    """ASGI middleware in front of the whole app: a GET whose URL was answered (200, with an
    ETag) while the store had the vintage it has now is answered from memory, without routing.
    The vintage is asked of the store at most every `recheck` seconds, so a change in the store
    is served within that time (default 1 s; 0 asks on every request)."""

    def __init__(self, app: Any, queries: Queries, recheck: float, budget: int = 64 * 2**20):
        self.app, self.queries, self.recheck, self.budget = app, queries, recheck, budget
        self._bytes = 0
        self._answers: dict[tuple[str, bytes], tuple[Any, int, list[tuple[bytes, bytes]], bytes, bytes]] = {}
        self._token: Any = None
        self._checked = -1e9

    def _current(self) -> Any:
        import time

        now = time.monotonic()
        if self.recheck <= 0 or now - self._checked >= self.recheck:
            self._token = self.queries.vintage()
            self._checked = now
        return self._token

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        token = self._current()
        hit = self._answers.get(key)
        if hit is not None and hit[0] == token:
            _t, status, headers, body, tag = hit
            wanted = dict(scope.get("headers", [])).get(b"if-none-match", b"")
            if wanted and tag in [w.strip().removeprefix(b"W/") for w in wanted.split(b",")]:
                await send({"type": "http.response.start", "status": 304,
                            "headers": [h for h in headers if h[0] not in (b"content-length", b"content-type")]})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start.get("status") == 200:
                    headers = list(start.get("headers", []))
                    tag = next((v for k, v in headers if k.lower() == b"etag"), None)
                    body = b"".join(chunks)
                    if tag is not None and len(body) <= self.budget // 16:
                        old = self._answers.pop(key, None)
                        self._bytes -= len(old[3]) if old else 0
                        while self._answers and self._bytes + len(body) > self.budget:  # oldest first
                            self._bytes -= len(self._answers.pop(next(iter(self._answers)))[3])
                        self._answers[key] = (token, 200, headers, body, tag)
                        self._bytes += len(body)
            await send(message)

        await self.app(scope, receive, capture)


def _lang_of(request: Request) -> str:
    path = request.url.path
    return "en" if path == "/en" or path.startswith("/en/") or request.query_params.get("lang") == "en" else "nb"


def _error(request: Request, status: int, message: str) -> Response:
    body: bytes
    if request.url.path.startswith("/api/"):
        body = api.ErrorOut(message=message, status=status).model_dump_json().encode()
        return respond(request, body, "application/json", status=status, cache="no-store")
    lang = _lang_of(request)
    set_language(lang)
    ctx = pages.PageContext(lang, "")
    return respond(request, pages.error(None, ctx, status, message).encode(), "text/html; charset=utf-8",
                   status=status, cache="no-store")


def create_app(db_url: str, *, framework_id: str | None = None, chart_cache: Path | None | bool = None,
               recheck: float = 1.0) -> FastAPI:
    """The dashboard and the open-data API over the store at `db_url` (SQLite or PostgreSQL).
    The store is opened here, once; it must be initialised and hold the framework. A change in
    the store is served within `recheck` seconds (0: at once, one query per request)."""
    queries = Queries(db_url, framework_id=framework_id, chart_cache=chart_cache)
    app = FastAPI(
        title="Veikart open data",
        version="1",
        description="Read-only open data of the strategy: framework, goals, indicators, observations, progress, "
        "periods and vintages. Nothing unpublished, draft or suppressed is ever included.",
        docs_url="/api/v1/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.queries = queries
    app.add_middleware(EtagEverywhere)
    app.add_middleware(AnswerCache, queries=queries, recheck=recheck)
    static = assets()

    @app.exception_handler(VeikartError)
    async def _user_error(request: Request, exc: VeikartError) -> Response:
        # a bad parameter (QueryError: 400, NotFound: 404); any other user-facing error is the
        # store's (locked, damaged, gone): 503, with its message and no stack trace
        set_language(_lang_of(request))
        status = exc.status if isinstance(exc, QueryError) else 503
        return _error(request, status, exc.translated())

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        set_language(_lang_of(request))
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path"))
            parts.append(f"{where}: {e.get('msg', '')}")
        return _error(request, 422, _("bad request parameter: {details}").format(details="; ".join(parts)))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        set_language(_lang_of(request))
        message = _("there is nothing at {path}").format(path=request.url.path) if exc.status_code == 404 else str(exc.detail)
        return _error(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error at %s", request.url.path)
        set_language(_lang_of(request))
        return _error(request, 500, _("the server could not answer this request; the error is logged"))

    @app.get("/static/{name:path}", include_in_schema=False)
    def static_file(request: Request, name: str) -> Response:
        if name not in static:
            return _error(request, 404, _("there is nothing at {path}").format(path=request.url.path))
        body, media = static[name]
        return respond(request, body, media, cache=CACHE_ASSETS)

    for lang in ("nb", "en"):
        app.include_router(_page_router(queries, lang), prefix="" if lang == "nb" else "/en")
    app.include_router(_api_router(queries), prefix="/api/v1")
    return app


# --- pages ------------------------------------------------------------------------------------


Period = Annotated[str | None, Query(description="A published period id, e.g. 2026-01", max_length=40)]
AsOf = Annotated[str | None, Query(description="Data as known on this date (YYYY-MM-DD) or ISO time", max_length=40)]


def _view(q: Queries, period: str | None, as_of: str | None) -> tuple[View, dict[str, str]]:
    view = q.view(period or None, q.parse_as_of(as_of))
    query = {k: v for k, v in (("period", period), ("as_of", as_of)) if v}
    return view, query


def _page_router(q: Queries, lang: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def html(request: Request, make: Callable[[View, pages.PageContext], str], path: str,
             period: str | None, as_of: str | None) -> Response:
        set_language(lang)
        view, query = _view(q, period, as_of)
        ctx = pages.PageContext(lang, path, query=query)
        return answer(q, request, view, lambda: make(view, ctx).encode("utf-8"), "text/html; charset=utf-8")

    def simple(name: str) -> None:
        path = pages.PAGES[name]

        def page(request: Request, period: Period = None, as_of: AsOf = None) -> Response:
            return html(request, lambda v, c: pages.render(name, q, v, c), path, period, as_of)

        router.add_api_route("/" + path, page, methods=["GET"], name=f"{lang}-{name}")

    for name in ("front", "status", "since", "method", "accessibility"):
        simple(name)

    @router.get("/" + pages.PAGES["search"], name=f"{lang}-search")
    def search(request: Request, q_: Annotated[str | None, Query(alias="q", max_length=200)] = None,
               period: Period = None, as_of: AsOf = None) -> Response:
        return html(request, lambda v, c: pages.search(q, v, c, q_), pages.PAGES["search"], period, as_of)

    @router.get("/mal/{goal_id}/", name=f"{lang}-goal")
    def goal(request: Request, goal_id: str, period: Period = None, as_of: AsOf = None) -> Response:
        return html(request, lambda v, c: pages.goal(q, v, c, goal_id), pages.goal_path(goal_id), period, as_of)

    @router.get("/indikator/{ind_id}/", name=f"{lang}-indicator")
    def indicator(request: Request, ind_id: str, period: Period = None, as_of: AsOf = None) -> Response:
        set_language(lang)
        view, _query = _view(q, period, as_of)
        ind = view.indicator(ind_id).indicator
        shown = view.table(ind_id)
        dim_ids = {d.id for d in ind.dimensions} | set(shown.dimensions if shown is not None else ())
        filters = {k: [v] for k, v in request.query_params.items() if k in dim_ids and v}
        unknown = [k for k in request.query_params if k not in dim_ids and k not in ("period", "as_of")]
        if unknown:
            raise QueryError(
                N_("unknown parameter {name!r}; this page takes period, as_of and the dimensions {dims}"),
                name=unknown[0],
                dims=", ".join(sorted(dim_ids)) or "-",
            )
        return html(request, lambda v, c: pages.indicator(q, v, c, ind_id, filters), pages.indicator_path(ind_id),
                    period, as_of)

    @router.get("/indikator/{ind_id}/{name}", name=f"{lang}-download")
    def download(request: Request, ind_id: str, name: str, period: Period = None, as_of: AsOf = None) -> Response:
        set_language(lang)
        view, _query = _view(q, period, as_of)
        if name not in DOWNLOADS:
            download_bytes(q, view, ind_id, name, lang)  # says what there is
        return answer(q, request, view, lambda: download_bytes(q, view, ind_id, name, lang)[0], DOWNLOADS[name],
                      headers={"Content-Disposition": f'attachment; filename="{ind_id}-{name}"'})

    return router


DOWNLOADS = {
    "data.csv": "text/csv; charset=utf-8",
    "data.json": "application/json",
    "data.jsonstat.json": "application/json",
    "chart.svg": "image/svg+xml",
    "chart.png": "image/png",
}


def download_bytes(q: Queries, view: View, ind_id: str, name: str, lang: str) -> tuple[bytes, str]:
    """One download of an indicator (the same bytes on the server and in the static site)."""
    from veikart.opendata.render import dumps
    from veikart.web.jsonstat import jsonstat_dataset
    from veikart.web.queries import NotFound, illustrative_notice

    if name not in DOWNLOADS:
        raise NotFound(N_("there is no download {name!r}; there are: {names}"), name=name, names=", ".join(DOWNLOADS))
    view.indicator(ind_id)
    if name in ("data.csv", "data.json"):
        return q.indicator_files(view, ind_id)["csv" if name == "data.csv" else "json"], DOWNLOADS[name]
    if name == "data.jsonstat.json":
        r = view.indicator(ind_id)
        notice = illustrative_notice(lang) if view.illustrative(ind_id) else None
        doc = jsonstat_dataset(r.indicator, view.table(ind_id), lang=lang, vintage=view.vintage_of(ind_id), notice=notice)
        return dumps(doc), DOWNLOADS[name]
    chart = view.chart(ind_id)
    if chart is None:
        raise NotFound(N_("indicator {indicator!r} has no chart (no published observations)"), indicator=ind_id)
    if name == "chart.svg":
        return q.svg(chart.spec).encode("utf-8"), DOWNLOADS[name]
    return q.png(chart.spec), DOWNLOADS[name]


# --- API --------------------------------------------------------------------------------------


JSON = "application/json"
Lang = Annotated[str, Query(pattern="^(nb|en)$", description="Language of titles and explanations")]


def dump(model: Any) -> bytes:
    """A response model (or a list of them) as JSON."""
    if isinstance(model, list):
        return b"[" + b",".join(m.model_dump_json().encode() for m in model) + b"]"
    return model.model_dump_json().encode()


def _known_parameters(request: Request) -> None:
    """A query parameter the route does not take is an error, not silently ignored (a typo in
    `indicatr=` would otherwise answer with every indicator)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    names = {p.alias or p.name for p in dependant.query_params}
    unknown = sorted(set(request.query_params) - names)
    if unknown:
        raise QueryError(
            N_("unknown parameter {name!r}; this address takes: {names}"),
            name=unknown[0],
            names=", ".join(sorted(names)) or "-",
        )


def _api_router(q: Queries) -> APIRouter:
    from fastapi import Depends

    router = APIRouter(tags=["open data"], dependencies=[Depends(_known_parameters)],
                       responses={400: {"model": api.ErrorOut}, 404: {"model": api.ErrorOut},
                                  422: {"model": api.ErrorOut}})

    def view(lang: str, period: str | None, as_of: str | None) -> View:
        set_language(lang)
        return _view(q, period, as_of)[0]

    @router.get("/framework", response_model=api.FrameworkOut, summary="The framework, its goals and indicators")
    def framework(request: Request, lang: Lang = "nb", period: Period = None, as_of: AsOf = None) -> Response:
        v = view(lang, period, as_of)
        return answer(q, request, v, lambda: dump(api.framework_doc(v, lang)), JSON)

    @router.get("/goals", response_model=list[api.GoalOut], summary="Every goal with its sub-goals")
    def goals(request: Request, lang: Lang = "nb", period: Period = None, as_of: AsOf = None) -> Response:
        v = view(lang, period, as_of)
        return answer(q, request, v, lambda: dump([api.goal_doc(v, g.id) for g in v.framework.goals]), JSON)

    @router.get("/goals/{goal_id}", response_model=api.GoalOut, summary="One goal")
    def goal(request: Request, goal_id: str, lang: Lang = "nb", period: Period = None, as_of: AsOf = None) -> Response:
        v = view(lang, period, as_of)
        v.goal(goal_id)  # 404 before anything is remembered
        return answer(q, request, v, lambda: dump(api.goal_doc(v, goal_id)), JSON)

    @router.get("/indicators", response_model=list[api.IndicatorSummaryOut], summary="Every indicator and statistic")
    def indicators(request: Request, lang: Lang = "nb", period: Period = None, as_of: AsOf = None) -> Response:
        v = view(lang, period, as_of)
        return answer(q, request, v, lambda: dump([api._summary(v, r) for r in v.results]), JSON)

    @router.get("/indicators/{ind_id}", response_model=api.IndicatorOut, summary="One indicator: metadata and progress")
    def indicator(request: Request, ind_id: str, lang: Lang = "nb", period: Period = None,
                  as_of: AsOf = None) -> Response:
        from veikart.web.queries import illustrative_notice

        v = view(lang, period, as_of)
        files = {k: f"/api/v1/indicators/{ind_id}/{k}" for k in ("csv", "jsonstat")}
        v.indicator(ind_id)
        return answer(q, request, v, lambda: dump(api.indicator_doc(v, ind_id, files, illustrative_notice(lang))), JSON)

    @router.get("/indicators/{ind_id}/csv", summary="One indicator's observations as CSV",
                response_class=Response, responses={200: {"content": {"text/csv": {}}}})
    def indicator_csv(request: Request, ind_id: str, lang: Lang = "nb", period: Period = None,
                      as_of: AsOf = None) -> Response:
        v = view(lang, period, as_of)
        v.indicator(ind_id)
        return answer(q, request, v, lambda: download_bytes(q, v, ind_id, "data.csv", lang)[0], DOWNLOADS["data.csv"])

    @router.get("/indicators/{ind_id}/jsonstat", summary="One indicator's observations as JSON-stat 2.0",
                response_model=dict[str, Any])
    def indicator_jsonstat(request: Request, ind_id: str, lang: Lang = "nb", period: Period = None,
                           as_of: AsOf = None) -> Response:
        v = view(lang, period, as_of)
        v.indicator(ind_id)
        return answer(q, request, v, lambda: download_bytes(q, v, ind_id, "data.jsonstat.json", lang)[0], JSON)

    @router.get("/observations", response_model=api.ObservationsOut, summary="Observations, filtered and paged")
    def observations(
        request: Request,
        indicator: Annotated[list[str], Query(description="Indicator ids (repeat); none: all", max_length=100)] = [],  # noqa: B006
        dimension: Annotated[
            list[str], Query(description="dimension=code (repeat); _total for the total", max_length=50)
        ] = [],  # noqa: B006
        period_from: Annotated[str | None, Query(description="First period, e.g. 2020 or 2020-Q1", max_length=20)] = None,
        period_to: Annotated[str | None, Query(description="Last period", max_length=20)] = None,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
        lang: Lang = "nb",
        as_of: AsOf = None,
    ) -> Response:
        v = view(lang, None, as_of)
        filters: dict[str, list[str]] = {}
        for item in dimension:
            name, sep, code = item.partition("=")
            if not sep or not name or not code:
                raise QueryError(N_("dimension={value!r} is not dimension=code (e.g. region=helse-vest)"), value=item)
            filters.setdefault(name, []).append(code)
        return answer(q, request, v, lambda: dump(api.observations_doc(
            q, v, indicator, filters=filters, period_from=period_from, period_to=period_to, offset=offset,
            limit=limit)), JSON)

    @router.get("/progress", response_model=api.ProgressOut, summary="Status, score and projection of every indicator")
    def progress(request: Request, lang: Lang = "nb", period: Period = None, as_of: AsOf = None) -> Response:
        v = view(lang, period, as_of)
        return answer(q, request, v, lambda: dump(api.progress_doc(v)), JSON)

    @router.get("/periods", response_model=list[api.PeriodOut], summary="The published reporting periods")
    def periods(request: Request, lang: Lang = "nb", as_of: AsOf = None) -> Response:
        v = view(lang, None, as_of)
        return answer(q, request, v, lambda: dump(api.periods_doc(v)), JSON)

    @router.get("/vintages", response_model=list[api.VintageOut], summary="The store's changes (data vintages)")
    def vintages(request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Response:
        return answer(q, request, view("nb", None, None), lambda: dump([api.VintageOut(**v) for v in q.vintages(limit)]),
                      JSON)

    return router


# --- running ----------------------------------------------------------------------------------


def app_from_environment() -> FastAPI:
    """The factory uvicorn calls in each worker process (`--workers N`): the store URL from
    VEIKART_WEB_DB (set by `serve`)."""
    url = os.environ.get("VEIKART_WEB_DB")
    if not url:
        raise RuntimeError("VEIKART_WEB_DB is not set (start the server with veikart serve)")
    return create_app(url, framework_id=os.environ.get("VEIKART_WEB_FRAMEWORK") or None)


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000, workers: int = 1, *,
          framework_id: str | None = None, log_level: str = "info") -> None:
    """Run the dashboard on uvicorn until stopped. Several workers are separate processes, each
    opening the store itself (use PostgreSQL for them; SQLite works for readers too)."""
    import uvicorn

    if workers <= 1:
        uvicorn.run(create_app(db_url, framework_id=framework_id), host=host, port=port, log_level=log_level)
        return
    os.environ["VEIKART_WEB_DB"] = db_url
    if framework_id:
        os.environ["VEIKART_WEB_FRAMEWORK"] = framework_id
    uvicorn.run("veikart.web.server:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level=log_level)
