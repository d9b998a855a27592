"""Dashboard benchmarks: the server under load beside nginx, and the static build of a corpus.

    .venv/bin/python benchmarks/bench_web.py [--seconds 10] [--connections 64] [--workers 1]
    .venv/bin/python benchmarks/bench_web.py --site [--corpus /work/shared/corpora/opensdg-uk]

Load (default): the bundled default (its period published) in a SQLite store in a temporary
folder; `veikart.web.server.serve` on a free loopback port (uvicorn, --workers processes); nginx
(Debian's package, started here with a configuration of its own in the temporary folder, one
worker process) on another loopback port serving the same bytes as static files. wrk (Debian's
package) runs --seconds against each of the indicator page and one API JSON answer, with
--connections connections and two threads; requests/s and the 50th and 99th percentile latency
are printed beside nginx's, with the ratio. Every process started here is stopped at the end,
whatever happens; each wrk run is bounded by its duration.

Site (--site): the corpus (an Open SDG data repository) imported into a SQLite store, then
`build_site` cold (empty folder and chart cache), again with nothing changed, and after one value
of one indicator changed (re-imported), each in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

PAGE = "/indikator/pll-nasjonalt/"
API = "/api/v1/indicators/pll-nasjonalt"
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  types {{ text/html html; application/json json; }}
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {{
    listen 127.0.0.1:{port};
    root {tmp}/www;
    etag on;
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:  # type: ignore[type-arg]
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the process serving {url} ended (exit {proc.returncode})")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s")


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        capture_output=True, text=True, timeout=seconds + 30, check=True,
    ).stdout

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\b", out, re.MULTILINE)
        if not m:
            raise SystemExit(f"wrk printed no {label} latency:\n{out}")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%"), "non2xx": int(errors.group(1)) if errors else 0}


def load(args: argparse.Namespace) -> None:
    import httpx

    from tests.web.conftest import load_default

    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is not installed (Debian package {tool})")
    tmp = Path(tempfile.mkdtemp(prefix="veikart-bench-web-"))
    tmp.chmod(0o755)  # nginx's worker runs as an unprivileged user and must read www/
    procs: list[subprocess.Popen] = []  # type: ignore[type-arg]
    try:
        url = f"sqlite:///{tmp / 'store.db'}"
        load_default(url, with_secrets=False)
        port = free_port()
        code = (
            "from veikart.web.server import serve; "
            f"serve({url!r}, host='127.0.0.1', port={port}, workers={args.workers}, log_level='warning')"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        procs.append(subprocess.Popen([sys.executable, "-c", code], env=env))
        base = f"http://127.0.0.1:{port}"
        wait_for(base + PAGE, procs[-1])
        (tmp / "www" / "page").mkdir(parents=True)
        (tmp / "www" / "page" / "index.html").write_bytes(httpx.get(base + PAGE).content)
        (tmp / "www" / "api.json").write_bytes(httpx.get(base + API).content)
        nport = free_port()
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, port=nport))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        procs.append(subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                                      stderr=subprocess.DEVNULL))
        nbase = f"http://127.0.0.1:{nport}"
        wait_for(nbase + "/api.json", procs[-1])
        rows = []
        for name, ours, theirs in (("indicator page", base + PAGE, nbase + "/page/"),
                                   ("API JSON", base + API, nbase + "/api.json")):
            size = len(httpx.get(ours).content)
            wrk(ours, 2, args.connections)  # warm up: every worker's caches filled
            a = wrk(ours, args.seconds, args.connections)
            b = wrk(theirs, args.seconds, args.connections)
            rows.append((name, size, a, b))
        print(f"\n{args.connections} connections, {args.seconds} s each, veikart serve --workers {args.workers}, "
              f"nginx 1 worker; {os.cpu_count()} CPUs shared with wrk\n")
        print("| response | bytes | veikart req/s | p50 ms | p99 ms | nginx req/s | p50 ms | p99 ms | req/s ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, size, a, b in rows:
            print(f"| {name} | {size:,} | {a['rps']:,.0f} | {a['p50']:.1f} | {a['p99']:.1f} | {b['rps']:,.0f} | "
                  f"{b['p50']:.2f} | {b['p99']:.2f} | {a['rps'] / b['rps']:.1%} |")
            if a["non2xx"] or b["non2xx"]:
                print(f"  (non-2xx answers: veikart {a['non2xx']}, nginx {b['non2xx']})")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


_SITE_STEP = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from veikart.web.site import build_site
r = build_site(sys.argv[1], Path(sys.argv[2]), chart_cache=Path(sys.argv[3]))
print(json.dumps({"seconds": time.perf_counter() - t, "files": r.files, "written": r.written, "pages": r.pages}))
"""

_IMPORT_STEP = """
import sys
from pathlib import Path
from veikart.opensdg import import_opensdg
from veikart.store.store import Store
data, _report = import_opensdg(Path(sys.argv[2]), default_direction="higher_is_better")
if len(sys.argv) > 3:  # change one value of one indicator
    t = data.observations[sys.argv[3]]
    t.values[-1] = t.values[-1] + 1
s = Store(sys.argv[1]); s.migrate(); s.import_data(data, actor="bench"); s.close()
print(len(data.indicators), data.observation_count())
"""


def site(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="veikart-bench-site-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    try:
        url = f"sqlite:///{tmp / 'store.db'}"
        out = subprocess.run([sys.executable, "-c", _IMPORT_STEP, url, str(args.corpus)], env=env,
                             capture_output=True, text=True, check=True, timeout=600).stdout.split()
        print(f"\ncorpus {args.corpus}: {out[0]} indicators, {int(out[1]):,} observations\n")

        def build(label: str) -> None:
            t0 = time.perf_counter()
            res = subprocess.run([sys.executable, "-c", _SITE_STEP, url, str(tmp / "site"), str(tmp / "charts")],
                                 env=env, capture_output=True, text=True, check=True, timeout=900)
            wall = time.perf_counter() - t0
            r = json.loads(res.stdout.strip().splitlines()[-1])
            print(f"| {label} | {wall:.2f} | {r['seconds']:.2f} | {r['files']:,} | {r['pages']:,} | {r['written']:,} |")

        print("| build | wall s (process) | build_site s | files | pages | written |")
        print("|---|---:|---:|---:|---:|---:|")
        build("cold (no site, no chart cache)")
        build("again, nothing changed")
        from veikart.opensdg import import_opensdg

        data, _rep = import_opensdg(args.corpus, default_direction="higher_is_better")
        one = next(i for i, t in data.observations.items() if len(t) > 20)
        subprocess.run([sys.executable, "-c", _IMPORT_STEP, url, str(args.corpus), one], env=env,
                       capture_output=True, text=True, check=True, timeout=600)
        build(f"after one value of {one} changed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--site", action="store_true", help="the static build of a corpus instead of the load test")
    ap.add_argument("--corpus", type=Path, default=Path("/work/shared/corpora/opensdg-uk"))
    args = ap.parse_args()
    if not 1 <= args.seconds <= 120:
        raise SystemExit("--seconds must be between 1 and 120")
    site(args) if args.site else load(args)


if __name__ == "__main__":
    main()
