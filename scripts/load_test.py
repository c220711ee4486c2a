"""Load-test the officer API and the public pages on loopback: bounded concurrency, bounded time.

    python scripts/load_test.py                       # gunicorn on a temp SQLite DB, 20 clients, 15 s
    python scripts/load_test.py --clients 20 --seconds 15 --json
    python scripts/load_test.py --url http://127.0.0.1:8000 --token sim_...   # a running server

Without --url it starts `gunicorn -w 2 --threads 4 web.wsgi:app` on a fresh, migrated SQLite
database in a temporary folder (the helpers of scripts/bench_api.py), creates an officer with
`flask --app web create-user` and an API token with `flask --app web create-token`, and seeds a
few leads. Then --clients threads, each with its own keep-alive connection (and, for the public
form, its own anonymous CSRF cookie), cycle through a fixed mix for --seconds:

    officer (Bearer token)  GET /api/v1/leads, GET /api/v1/leads?q=, GET /api/v1/leads/<id>,
                            POST /api/v1/leads, PATCH /api/v1/leads/<id>, POST .../notes
    public                  GET /, GET /assess, POST /assess (the form, with its CSRF token),
                            POST /api/v1/match

It prints, per endpoint and in total: requests, errors (an unexpected status or a failed
connection), throughput, p50 and p99 latency; and the server's memory. The exit status is 1
when any request failed. Only loopback addresses are accepted: this is a test, not an attack
tool. Client threads share the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_api  # (same folder) gunicorn start/stop, readiness, memory, percentiles

ROOT = bench_api.ROOT
PROFILES = bench_api.PROFILES
LOOPBACK = ("127.0.0.1", "localhost", "::1")
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
OFFICER = "loadtest"
PASSWORD = "Load-test-Pa55word-only"


def flask_cli(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("APP_ENV", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "web", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip()


class Conn:
    """A keep-alive HTTP connection that reconnects after an error."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=30)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        return resp.status, data, resp

    def close(self) -> None:
        self.conn.close()


class Client(threading.Thread):
    """One simulated user: the fixed mix of officer and public requests, in turn."""

    MIX = ("POST /api/v1/match", "GET /api/v1/leads", "GET /assess", "GET /api/v1/leads/<id>",
           "POST /assess", "GET /api/v1/leads?q=", "POST /api/v1/match", "GET /",
           "PATCH /api/v1/leads/<id>", "GET /api/v1/leads", "POST /api/v1/leads/<id>/notes",
           "POST /api/v1/match", "POST /api/v1/leads")

    def __init__(self, index: int, host: str, port: int, token: str | None, lead_ids: list[int],
                 deadline: float, warmup: int):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index, self.host, self.port, self.token = index, host, port, token
        self.lead_ids, self.deadline, self.warmup = lead_ids, deadline, warmup
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.cookie = ""
        self.csrf = ""

    def _api(self) -> dict:
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                "Accept": "application/json"}

    def _call(self, name: str, n: int) -> tuple[int, bytes, set[int]]:
        conn, profile = self.http, PROFILES[n % len(PROFILES)]
        lead = self.lead_ids[n % len(self.lead_ids)] if self.lead_ids else 0
        if name == "POST /api/v1/match":
            body = json.dumps(profile, ensure_ascii=False).encode()
            status, data, _ = conn.request("POST", "/api/v1/match", body,
                                           {"Content-Type": "application/json"})
            return status, data, {200}
        if name == "GET /":
            return (*conn.request("GET", "/")[:2], {200})
        if name == "GET /assess":
            status, data, resp = conn.request("GET", "/assess",
                                              headers={"Cookie": self.cookie} if self.cookie
                                              else {})
            found = CSRF_RE.search(data.decode("utf-8", "replace"))
            for header in resp.headers.get_all("Set-Cookie") or []:
                if header.startswith("anon_csrf="):
                    self.cookie = header.split(";", 1)[0]
            if found:
                self.csrf = found.group(1)
            return status, data, {200}
        if name == "POST /assess":
            if not self.csrf:
                self._call("GET /assess", n)
            form = {"csrf_token": self.csrf, "description": profile["description"],
                    "investment": str(profile.get("investment", "")),
                    "land": str(profile.get("land", ""))}
            status, data, _ = conn.request(
                "POST", "/assess", urlencode(form).encode(),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie})
            return status, data, {200}
        if self.token is None:
            return 0, b"", set()  # officer endpoints skipped without a token
        if name == "GET /api/v1/leads":
            return (*conn.request("GET", "/api/v1/leads?per_page=20",
                                  headers=self._api())[:2], {200})
        if name == "GET /api/v1/leads?q=":
            q = urlencode({"q": "芯片" if n % 2 else "battery", "per_page": 20})
            return (*conn.request("GET", f"/api/v1/leads?{q}", headers=self._api())[:2], {200})
        if name == "GET /api/v1/leads/<id>":
            return (*conn.request("GET", f"/api/v1/leads/{lead}", headers=self._api())[:2],
                    {200})
        if name == "POST /api/v1/leads":
            body = json.dumps({**profile, "name": f"load-{self.index}-{n}",
                               "on_duplicate": "keep"},  # synthetic names look alike
                              ensure_ascii=False).encode()
            return (*conn.request("POST", "/api/v1/leads", body, self._api())[:2], {201})
        if name == "PATCH /api/v1/leads/<id>":
            status = ["contacted", "visit", "negotiation"][n % 3]
            body = json.dumps({"status": status}).encode()
            return (*conn.request("PATCH", f"/api/v1/leads/{lead}", body, self._api())[:2],
                    {200})
        if name == "POST /api/v1/leads/<id>/notes":
            body = json.dumps({"body": f"跟进记录 {self.index}-{n}"}, ensure_ascii=False).encode()
            return (*conn.request("POST", f"/api/v1/leads/{lead}/notes", body,
                                  self._api())[:2], {201})
        raise ValueError(name)

    def run(self) -> None:
        self.http = Conn(self.host, self.port)
        n = self.index
        done = 0
        try:
            while time.monotonic() < self.deadline:
                name = self.MIX[n % len(self.MIX)]
                n += 1
                start = time.perf_counter()
                try:
                    status, data, expected = self._call(name, n)
                except (OSError, http.client.HTTPException) as exc:
                    self.errors[name].append(f"{type(exc).__name__}: {exc}")
                    continue
                elapsed = time.perf_counter() - start
                if not expected:
                    continue
                if status not in expected:
                    self.errors[name].append(f"HTTP {status}: {data[:160]!r}")
                    continue
                done += 1
                if done > self.warmup:
                    self.latency[name].append(elapsed)
        finally:
            self.http.close()


def seed(host: str, port: int, token: str, n: int = 20) -> list[int]:
    conn = Conn(host, port)
    ids = []
    try:
        for i in range(n):
            body = json.dumps({**PROFILES[i % len(PROFILES)], "name": f"seed-{i}"},
                              ensure_ascii=False).encode()
            status, data, _ = conn.request("POST", "/api/v1/leads", body, {
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            if status != 201:
                raise SystemExit(f"seeding failed: HTTP {status} {data[:300]!r}")
            ids.append(json.loads(data)["id"])
    finally:
        conn.close()
    return ids


def report(clients: list[Client], wall: float) -> dict:
    names = sorted({k for c in clients for k in (*c.latency, *c.errors)})
    rows = {}
    for name in names:
        ms = sorted(x * 1000 for c in clients for x in c.latency.get(name, []))
        errors = [e for c in clients for e in c.errors.get(name, [])]
        rows[name] = {"requests": len(ms) + len(errors), "errors": len(errors),
                      "rps": round(len(ms) / wall, 1) if wall else 0.0,
                      "p50_ms": round(bench_api.percentile(ms, 0.50), 1) if ms else None,
                      "p99_ms": round(bench_api.percentile(ms, 0.99), 1) if ms else None,
                      "example_error": errors[0] if errors else None}
    all_ms = sorted(x * 1000 for c in clients for v in c.latency.values() for x in v)
    n_err = sum(r["errors"] for r in rows.values())
    total = {"requests": len(all_ms) + n_err, "errors": n_err,
             "rps": round(len(all_ms) / wall, 1) if wall else 0.0,
             "p50_ms": round(bench_api.percentile(all_ms, 0.50), 1) if all_ms else None,
             "p99_ms": round(bench_api.percentile(all_ms, 0.99), 1) if all_ms else None}
    return {"endpoints": rows, "total": total}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="test a server already running on loopback")
    ap.add_argument("--token", help="with --url: an officer's API token (else public only)")
    ap.add_argument("--seconds", type=float, default=15.0, help="measured duration (default 15)")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    ap.add_argument("--warmup", type=int, default=2, help="unmeasured requests per client")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args(argv)
    if not 1 <= args.clients <= 200:
        ap.error("--clients must be between 1 and 200")
    if not 0 < args.seconds <= 600:
        ap.error("--seconds must be above 0 and at most 600")

    proc = workdir = None
    try:
        if args.url:
            parts = urlsplit(args.url)
            host, port = parts.hostname or "127.0.0.1", parts.port or 80
            if host not in LOOPBACK:
                ap.error("only loopback servers (127.0.0.1, localhost, ::1) are load-tested")
            bench_api.wait_ready(host, port, 60)
            token, master = args.token, bench_api.find_master_by_port(port)
        else:
            workdir = Path(tempfile.mkdtemp(prefix="load_test_"))
            host, port = "127.0.0.1", bench_api.free_port()
            t0 = time.monotonic()
            proc = bench_api.start_gunicorn(port, args.workers, args.threads, workdir, True)
            db_url = f"sqlite:///{workdir / 'bench.db'}"
            flask_cli(db_url, "create-user", OFFICER, "--password", PASSWORD)
            token = flask_cli(db_url, "create-token", OFFICER, "--name", "load-test")
            bench_api.wait_ready(host, port, 180, proc)
            for _ in range(args.workers * 4):  # every worker loads the model first
                bench_api.wait_ready(host, port, 60, proc)
            print(f"gunicorn -w {args.workers} --threads {args.threads} ready on "
                  f"http://{host}:{port} in {time.monotonic() - t0:.1f} s", flush=True)
            master = proc.pid
        lead_ids = seed(host, port, token) if token else []

        deadline = time.monotonic() + args.seconds
        clients = [Client(i, host, port, token, lead_ids, deadline, args.warmup)
                   for i in range(args.clients)]
        started = time.monotonic()
        for c in clients:
            c.start()
        for c in clients:
            c.join(args.seconds + 60)
        wall = time.monotonic() - started
        result = report(clients, wall)
        result.update(clients=args.clients, seconds=round(wall, 1),
                      memory=bench_api.server_memory(master) if master else None)

        print(f"\n{args.clients} concurrent clients for {wall:.1f} s on http://{host}:{port}"
              + ("" if token else " (no token: public endpoints only)"))
        print(f"  {'endpoint':34} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
              f"{'p99 ms':>7}")
        for name, r in sorted(result["endpoints"].items()):
            print(f"  {name:34} {r['requests']:>8} {r['errors']:>6} {r['rps']:>7} "
                  f"{r['p50_ms'] if r['p50_ms'] is not None else '-':>7} "
                  f"{r['p99_ms'] if r['p99_ms'] is not None else '-':>7}")
        t = result["total"]
        print(f"  {'total':34} {t['requests']:>8} {t['errors']:>6} {t['rps']:>7} "
              f"{t['p50_ms']:>7} {t['p99_ms']:>7}")
        for name, r in sorted(result["endpoints"].items()):
            if r["example_error"]:
                print(f"  e.g. {name}: {r['example_error']}")
        mem = result["memory"]
        if mem:
            print(f"  server RSS: largest process {mem['rss_max_mb']:.0f} MB, "
                  f"{mem['processes']} processes, {mem['rss_sum_mb']:.0f} MB together")
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        return 1 if t["errors"] else 0
    finally:
        if proc is not None:
            bench_api.stop_gunicorn(proc)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
