"""The public dashboard: pages, the open-data API and the same site as static files.

    server.py   create_app(db_url) -> FastAPI; serve(db_url, host, port, workers)
    site.py     build_site(db_url, out_dir) -> SiteSummary (the static site, incremental)
    queries.py  every read (store, progress, views) and the one publication rule
    pages.py    the HTML pages (server and static site alike); api.py the API's models
"""
