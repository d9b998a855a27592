"""`veikart serve --workers 2` on PostgreSQL: uvicorn's worker processes each build
the app from the import-string factory and answer from the same store."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import load_default
from tests.web.test_browser import _free_port

ROOT = Path(__file__).resolve().parents[2]


def test_two_workers_on_postgresql_answer_pages_and_api(pg_url):
    load_default(pg_url)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "veikart", "--db", pg_url, "serve", "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail("the server ended: " + proc.stderr.read().decode()[-2000:])  # type: ignore[union-attr]
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer within 30 s")
        with httpx.Client(base_url=base, timeout=10) as c:
            tags = set()
            for _ in range(8):  # new connections: both workers get some
                with httpx.Client(base_url=base, timeout=10) as one:
                    r = one.get("/api/v1/framework")
                    assert r.status_code == 200 and r.json()["period"] == "2026-01"
                    tags.add(r.headers["etag"])
            assert len(tags) == 1  # every worker gives the same bytes
            assert c.get("/en/indikator/pll-nasjonalt/").status_code == 200
            assert c.get("/api/v1/indicators/nope").status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=20)
