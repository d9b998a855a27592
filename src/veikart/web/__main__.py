"""`python -m veikart.web serve|site build DIR`: the dashboard until `veikart serve` and
`veikart site build` are wired into the command line (they call the same two functions).

    python -m veikart.web [--db URL] serve [--host 127.0.0.1] [--port 8000] [--workers N]
    python -m veikart.web [--db URL] site build DIR
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from platformdirs import user_data_path

    from veikart.store.store import StoreError, normalise_url

    ap = argparse.ArgumentParser(prog="python -m veikart.web")
    ap.add_argument("--db", default=os.environ.get("VEIKART_DATABASE_URL")
                    or f"sqlite:///{user_data_path('veikart') / 'veikart.sqlite'}")
    ap.add_argument("--framework", default=None)
    sub = ap.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    site = sub.add_parser("site")
    site.add_argument("action", choices=["build"])
    site.add_argument("dir", type=Path)
    args = ap.parse_args(argv)
    url = normalise_url(args.db)
    try:
        if args.command == "serve":
            from veikart.web.server import serve as run

            print(f"http://{args.host}:{args.port}/  (English: /en/, open data: /api/v1/docs)", file=sys.stderr)
            run(url, args.host, args.port, args.workers, framework_id=args.framework)
        else:
            from veikart.web.site import build_site

            r = build_site(url, args.dir, framework_id=args.framework)
            print(f"{args.dir}: {r.files} files, {r.written} written, {r.unchanged} unchanged, "
                  f"{r.removed} removed ({r.seconds:.1f} s)")
    except StoreError as exc:
        print(exc.translated(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
