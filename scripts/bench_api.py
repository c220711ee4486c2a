"""Load-test POST /api/v1/match: latency percentiles, throughput, errors, server memory.

    python scripts/bench_api.py                 # start gunicorn on a temp SQLite DB, 20 s
    python scripts/bench_api.py --seconds 10 --clients 20
    python scripts/bench_api.py --url http://127.0.0.1:8000 --token sim_...  # a running server
    python scripts/bench_api.py --in-process 300 [--profile 25]  # CPU ms per call, no server

By default it starts gunicorn as `make run` does (the options of web/serve.py's
gunicorn_layout: `-w 3 --threads 1 -k sync --preload --timeout 120`, with its access log;
`--workers/--threads/--worker-class/--no-access-log` to compare layouts) on 127.0.0.1:PORT with
DATABASE_URL pointing at a fresh, migrated SQLite file in a temp directory, creates an officer and
an API token there, and calls with `Authorization: Bearer <token>` as an integration would: such
calls are counted per token against TOKEN_RATE_LIMIT (default 6000/minute), not the public
per-address limit (`--anonymous` calls without a token, with PUBLIC_RATE_LIMIT raised instead).
Then N client threads, each with its own keep-alive http.client connection, post varied realistic
profiles for a bounded time (each request's description carries a varying suffix, so the server
cannot answer from a cache of the 20 base profiles). It
prints p50/p90/p99 latency, throughput, the error count and the resident memory (VmRSS, and the
peak VmHWM) of the gunicorn master and workers, read from /proc, and the CPU per request of
the server (its processes' utime + stime over the run, from /proc: a figure that holds on a
loaded machine where the latencies do not) and of the client threads. The quality bar (DESIGN §7) is
p99 under 50 ms with 20 concurrent clients and the web process under 500 MB resident.

Note that the client threads run on the same machine as the server and share its cores.

`--in-process N` starts no server: it makes N token calls through `app.test_client()` in this
process (same profiles, same suffixes, a fresh migrated SQLite file) and prints the CPU time
(process_time) per call, end to end, next to the engine's own CPU per match for the same
profiles, so the part outside the engine can be read off a loaded machine; `--replay` makes the
engine answer with records made beforehand, so what is measured is the web's own cost (with a
started server too: its CPU per request is then the web's and gunicorn's);
`--profile K` adds the K costliest functions (cProfile; BENCH_SORT=tottime to sort by own
time) of the calls.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from web.serve import (  # noqa: E402  (the layout `make run` serves)
    WEB_THREADS,
    WEB_WORKER_CLASS,
    WEB_WORKERS,
    gunicorn_layout,
)

PROFILES: list[dict] = [
    {"name": "上海示例芯科技有限公司", "description": "拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，配套建设封装测试中试线。",
     "project_type": "manufacturing", "investment": "45亿元", "land": "150亩", "employees": "800",
     "origin": "domestic", "traits": ["high_tech", "ipo_planned"], "preferred_districts": ["浦东新区"]},
    {"name": "Example Biologics (Shanghai) Co., Ltd.",
     "description": "Bispecific antibodies and antibody-drug conjugates; a biologics CDMO plant with 2000 L single-use bioreactors and an R&D centre.",
     "project_type": "rd_center", "investment": "USD 120m", "land": "6.7公顷", "origin": "foreign"},
    {"description": "新能源汽车动力电池研发与生产，建设电池包和电驱动系统生产线", "investment": "20亿元",
     "land": "200亩"},
    {"description": "經營範圍：積體電路設計、軟體開發、技術服務、技術諮詢", "investment": "3億元",
     "land": "40畝", "origin": "hk_mo_tw"},
    {"description": "工业机器人减速器与伺服电机研发制造，服务汽车和3C行业自动化产线",
     "project_type": "manufacturing", "investment": "5000万元", "employees": "120",
     "traits": "specialized_sme"},
    {"description": "We build large language model platforms and AI inference chips for data centres.",
     "project_type": "headquarters", "origin": "foreign", "preferred_districts": "Xuhui, Minhang"},
    {"description": "民用航空发动机零部件精密加工与维修服务", "investment": "8亿元", "land": "80亩"},
    {"description": "经营范围：一般项目：医疗器械销售；第二类医疗器械生产；技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广。",
     "industry_label": "专用设备制造业", "address": "上海市闵行区"},
    {"description": "Offshore wind turbine blades and hydrogen fuel-cell stacks for heavy trucks.",
     "investment": "USD 30m", "land": "50,000 sqm"},
    {"description": "化妆品及美容护肤品研发生产，建设智能化灌装车间", "project_type": "manufacturing",
     "investment": "2亿元", "preferred_districts": ["奉贤区"]},
    {"description": "高端医疗影像设备（CT、MRI）整机研发与制造", "traits": ["high_tech", "listed"]},
    {"description": "跨境电商与供应链金融服务平台", "project_type": "sales_service"},
    {"description": "Quantum computing research lab and photonic chip prototyping.",
     "project_type": "rd_center", "origin": "foreign"},
    {"description": "智能网联汽车自动驾驶算法与激光雷达", "investment": "1.2亿", "employees": "60"},
    {"description": "商业航天卫星制造及卫星互联网终端", "investment": "15亿元", "land": "120亩"},
    {"description": "半导体光刻胶和电子特气等集成电路关键材料生产", "land": "60亩"},
    {"description": "细胞与基因治疗CAR-T药物研发及GMP生产基地", "project_type": "manufacturing"},
    {"description": "工业互联网平台和工业软件（CAD/CAE）研发", "origin": "domestic"},
    {"description": "船舶与海洋工程装备，LNG运输船配套", "investment": "30亿元"},
    {"description": "芯片", "investment": "100万元"},
]

HEADERS = {"Content-Type": "application/json", "Accept": "application/json",
           "Connection": "keep-alive"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def migrate(database_url: str) -> None:
    """Bring a fresh database to the latest schema (in a child process: no app state here)."""
    code = ("from web import create_app\nfrom web.cli import migrate_database\n"
            f"app = create_app({{'DATABASE_URL': {database_url!r}}})\n"
            "with app.app_context():\n    migrate_database(app)\n"
            "app.extensions['db_engine'].dispose()\n")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                   env={**os.environ, "DATABASE_URL": database_url})


def make_token(database_url: str) -> str:
    """An officer and an API token in the fresh database (child process); the raw token."""
    code = ("import secrets\nfrom web import create_app\nfrom web.db import session_scope\n"
            "from web.services.users import create_token, create_user\n"
            f"app = create_app({{'DATABASE_URL': {database_url!r}}})\n"
            "with session_scope(app.extensions['db_engine']) as s:\n"
            "    user = create_user(session=s, username='bench', password=secrets.token_hex(16))\n"
            "    print(create_token(session=s, user=user, name='bench')[1])\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True,
                         text=True, env={**os.environ, "DATABASE_URL": database_url})
    return out.stdout.strip().splitlines()[-1]


def start_gunicorn(port: int, workers: int, threads: int, workdir: Path, preload: bool,
                   anonymous: bool = False, worker_class: str = WEB_WORKER_CLASS,
                   access_log: bool = True, replay: bool = False):
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    migrate(db_url)
    if not anonymous:
        HEADERS["Authorization"] = f"Bearer {make_token(db_url)}"
    env = {**os.environ, "DATABASE_URL": db_url,
           "JOBS_DIR": str(workdir / "jobs"), "PYTHONUNBUFFERED": "1"}
    if anonymous:
        env["PUBLIC_RATE_LIMIT"] = "100000000/minute"
    env.pop("APP_ENV", None)
    layout = gunicorn_layout(str(workers), str(threads), worker_class)
    if not preload:
        layout.remove("--preload")
    cmd = [sys.executable, "-m", "gunicorn", *layout, "-b", f"127.0.0.1:{port}",
           "--log-level", "warning"]
    if access_log:  # as make run: one line per request to stdout (here: the log file)
        cmd += ["--access-logfile", "-"]
    if replay:
        cmd += ["--pythonpath", str(ROOT / "scripts"), "bench_api:replay_app()"]
    else:
        cmd.append("web.wsgi:app")
    log = open(workdir / "gunicorn.log", "wb")  # noqa: SIM115  (closed in stop_gunicorn)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    proc.log_file = log
    proc.log_path = workdir / "gunicorn.log"
    return proc


def stop_gunicorn(proc) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.log_file.close()


def wait_ready(host: str, port: int, timeout: float, proc=None) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}:\n"
                             + proc.log_path.read_text(errors="replace")[-3000:])
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("POST", "/api/v1/match", body=json.dumps(PROFILES[0]), headers=HEADERS)
            resp = conn.getresponse()
            resp.read()
            conn.close()
            if resp.status == 200:
                return
            last = f"HTTP {resp.status}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    tail = proc.log_path.read_text(errors="replace")[-3000:] if proc is not None else ""
    raise SystemExit(f"server not ready after {timeout:.0f} s ({last})\n{tail}")


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(entry.name))
    return out


def memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) in kB of one process."""
    rss = hwm = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return rss, hwm


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (and of their children that have ended), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / tick


def server_memory(master: int) -> dict:
    pids = [master, *children(master)]
    per = {}
    for pid in pids:
        try:
            per[pid] = memory_kb(pid)
        except OSError:
            continue
    rss = [v[0] for v in per.values()]
    return {"processes": len(per), "pids": list(per),
            "rss_sum_mb": sum(rss) / 1024, "rss_max_mb": max(rss) / 1024,
            "hwm_max_mb": max(v[1] for v in per.values()) / 1024,
            "per_process_mb": {pid: round(v[0] / 1024, 1) for pid, v in per.items()}}


def find_master_by_port(port: int) -> int | None:
    """For --url on this machine: the gunicorn master listening on the port, if any."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inode = parts[9]
                break
        if inode:
            break
    if not inode:
        return None
    owners = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                if os.readlink(fd) == f"socket:[{inode}]":
                    owners.append(int(entry.name))
                    break
        except OSError:
            continue
    if not owners:
        return None
    owner_set = set(owners)
    for pid in owners:  # the master is the one whose parent does not hold the socket
        try:
            ppid = int((Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split())[1])
        except OSError:
            continue
        if ppid not in owner_set:
            return pid
    return owners[0]


class Client(threading.Thread):
    def __init__(self, index: int, host: str, port: int, deadline: float, warmup: int):
        super().__init__(name=f"client-{index}", daemon=True)
        self.index, self.host, self.port = index, host, port
        self.deadline, self.warmup = deadline, warmup
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.done = 0
        self.profiles = PROFILES

    def _connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def run(self) -> None:
        conn = self._connect()
        n = self.index
        done = 0
        while time.monotonic() < self.deadline:
            profile = dict(self.profiles[n % len(self.profiles)])
            profile["description"] += f" {n // len(self.profiles)}-{self.index}"  # no repeats
            body = json.dumps(profile, ensure_ascii=False).encode()
            n += 1
            start = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/match", body=body, headers=HEADERS)
                resp = conn.getresponse()
                data = resp.read()
                elapsed = time.perf_counter() - start
                if resp.status != 200 or b'"industries"' not in data:
                    self.errors.append(f"HTTP {resp.status}: {data[:120]!r}")
                    if resp.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = self._connect()
                    continue
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = self._connect()
                continue
            done += 1
            self.done = done
            if done > self.warmup:
                self.latencies.append(elapsed)
        conn.close()


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def _profile_body(n: int, index: int = 0) -> dict:
    profile = dict(PROFILES[n % len(PROFILES)])
    profile["description"] += f" {n // len(PROFILES)}-{index}"  # no repeats
    return profile


def _replay_engine() -> None:
    """Matcher.match answers with records made beforehand: what is left is the web's cost."""
    from matcher import Matcher, get_matcher

    matcher = get_matcher()
    records = [matcher.match(p) for p in PROFILES]
    count = iter(range(10**9))
    Matcher.match = lambda self, profile, row=0: dict(records[next(count) % len(records)])


def replay_app():
    """gunicorn's app for a started server with --replay (`bench_api:replay_app()`): the web as
    served, with the engine replaying records, so the server's CPU per request is the web's and
    gunicorn's own."""
    _replay_engine()
    from web.wsgi import app

    return app


def in_process(calls: int, profile_top: int = 0, replay: bool = False) -> dict:
    """CPU ms per token call through app.test_client() and per bare engine match."""
    if replay:
        _replay_engine()
    import cProfile
    import pstats

    workdir = Path(tempfile.mkdtemp(prefix="bench_api_inproc_"))
    db_url = f"sqlite:///{workdir / 'bench.db'}"
    os.environ["DATABASE_URL"] = db_url
    os.environ["JOBS_DIR"] = str(workdir / "jobs")
    try:
        migrate(db_url)
        token = make_token(db_url)
        from web import create_app
        from web.services.matching import current_matcher

        app = create_app({"DATABASE_URL": db_url})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        bodies = [json.dumps(_profile_body(n), ensure_ascii=False).encode()
                  for n in range(calls + 20)]
        for body in bodies[:20]:  # warm-up: model loaded, caches filled as a server's would be
            r = client.post("/api/v1/match", data=body, headers=headers,
                            content_type="application/json")
            assert r.status_code == 200, r.get_data(as_text=True)[:300]
        sizes = []
        profiler = cProfile.Profile() if profile_top else None

        def run_calls():
            for body in bodies[20:]:
                r = client.post("/api/v1/match", data=body, headers=headers,
                                content_type="application/json")
                if r.status_code != 200:
                    raise SystemExit(f"HTTP {r.status_code}: {r.get_data(as_text=True)[:300]}")
                sizes.append(len(r.data))

        cpu0, wall0 = time.process_time(), time.perf_counter()
        run_calls()
        cpu_call = (time.process_time() - cpu0) / calls * 1000
        wall_call = (time.perf_counter() - wall0) / calls * 1000
        matcher = current_matcher()
        profiles = [{k: v for k, v in json.loads(b).items() if v is not None}
                    for b in bodies[20:]]
        profiles = [{**p, "description": p["description"] + " engine"} for p in profiles]
        cpu0 = time.process_time()
        for p in profiles:
            matcher.match(p)
        cpu_engine = (time.process_time() - cpu0) / calls * 1000
        if profiler is not None:
            bodies[20:] = [b.replace(b'"description": "', b'"description": "p ', 1)
                           for b in bodies[20:]]
            sizes.clear()
            profiler.runcall(run_calls)
            pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(profile_top)
        app.extensions["db_engine"].dispose()
        return {"calls": calls, "cpu_ms_per_call": round(cpu_call, 2),
                "wall_ms_per_call": round(wall_call, 2),
                "engine_cpu_ms_per_match": round(cpu_engine, 2),
                "outside_engine_cpu_ms": round(cpu_call - cpu_engine, 2),
                "response_bytes_mean": round(statistics.fmean(sizes)) if sizes else None}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="benchmark a running server instead of starting gunicorn")
    ap.add_argument("--seconds", type=float, default=20.0, help="measured duration (default 20)")
    ap.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    ap.add_argument("--warmup", type=int, default=3, help="unmeasured requests per client")
    ap.add_argument("--workers", type=int, default=int(WEB_WORKERS))
    ap.add_argument("--threads", type=int, default=int(WEB_THREADS))
    ap.add_argument("--worker-class", default=WEB_WORKER_CLASS,
                    help=f"gunicorn worker class (default {WEB_WORKER_CLASS}, as make run)")
    ap.add_argument("--no-access-log", dest="access_log", action="store_false",
                    help="without gunicorn's access log (make run writes one)")
    ap.add_argument("--no-preload", dest="preload", action="store_false",
                    help="without gunicorn --preload (each worker loads its own model)")
    ap.add_argument("--port", type=int, default=0, help="port for the started server")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument("--token", help="with --url: the API token to call with (else anonymous)")
    ap.add_argument("--anonymous", action="store_true",
                    help="call without a token (public limit raised for the run)")
    ap.add_argument("--in-process", type=int, default=0, metavar="N",
                    help="no server: N token calls via app.test_client(); CPU ms per call")
    ap.add_argument("--replay", action="store_true",
                    help="the engine replays records made beforehand, so the CPU per call "
                         "(in one process, or the started server's) is the web's own (auth, "
                         "limits, schemas, JSON, and gunicorn's)")
    ap.add_argument("--profile", type=int, default=0, metavar="K",
                    help="with --in-process: print the K costliest functions (cProfile)")
    args = ap.parse_args(argv)

    if args.in_process:
        res = in_process(args.in_process, args.profile, args.replay)
        print(f"\nPOST /api/v1/match in one process (app.test_client(), a token), "
              f"{res['calls']} calls")
        print(f"  CPU per call    {res['cpu_ms_per_call']} ms (wall {res['wall_ms_per_call']} ms)")
        print(f"  engine alone    {res['engine_cpu_ms_per_match']} ms CPU per match "
              f"(Matcher.match, same profiles)")
        print(f"  outside engine  {res['outside_engine_cpu_ms']} ms CPU per call "
              f"(auth, rate limit, schemas, JSON, Flask)")
        print(f"  response        {res['response_bytes_mean']} bytes mean")
        if args.json:
            print(json.dumps(res))
        return 0

    proc = None
    workdir = None
    try:
        if args.url:
            if args.token:
                HEADERS["Authorization"] = f"Bearer {args.token}"
            parts = urlsplit(args.url)
            host, port = parts.hostname or "127.0.0.1", parts.port or 80
            wait_ready(host, port, 60)
            master = find_master_by_port(port) if host in ("127.0.0.1", "localhost") else None
        else:
            workdir = Path(tempfile.mkdtemp(prefix="bench_api_"))
            host, port = "127.0.0.1", args.port or free_port()
            t0 = time.monotonic()
            proc = start_gunicorn(port, args.workers, args.threads, workdir, args.preload,
                                  args.anonymous, args.worker_class, args.access_log,
                                  args.replay)
            wait_ready(host, port, 180, proc)
            print(f"gunicorn -w {args.workers} --threads {args.threads} -k {args.worker_class}"
                  f"{'' if args.access_log else ' (no access log)'} ready on "
                  f"http://{host}:{port} in {time.monotonic() - t0:.1f} s", flush=True)
            master = proc.pid
            # every worker loads the model on its first request: touch them all first
            for _ in range(args.workers * 4):
                wait_ready(host, port, 60, proc)

        deadline = time.monotonic() + args.seconds
        clients = [Client(i, host, port, deadline, args.warmup) for i in range(args.clients)]
        server_pids = [master, *children(master)] if master else []
        server_cpu0, client_cpu0 = cpu_seconds(server_pids), time.process_time()
        started = time.monotonic()
        for c in clients:
            c.start()
        for c in clients:
            c.join(args.seconds + 60)
        wall = time.monotonic() - started
        server_cpu = cpu_seconds(server_pids) - server_cpu0
        client_cpu = time.process_time() - client_cpu0
        memory = server_memory(master) if master else None

        latencies = sorted(x for c in clients for x in c.latencies)
        errors = [e for c in clients for e in c.errors]
        ms = [x * 1000 for x in latencies]
        # every request sent in the window, warm-up ones too (they cost CPU as well)
        answered = max(1, sum(len(c.latencies) + min(c.warmup, c.done) + len(c.errors)
                              for c in clients))
        result = {
            "clients": args.clients, "seconds": round(wall, 2), "requests": len(ms),
            "errors": len(errors), "throughput_rps": round(len(ms) / wall, 1) if wall else 0.0,
            "p50_ms": round(percentile(ms, 0.50), 1), "p90_ms": round(percentile(ms, 0.90), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
            "max_ms": round(ms[-1], 1) if ms else None,
            "memory": memory,
            "server_cpu_ms_per_request": round(server_cpu * 1000 / answered, 2)
            if server_pids else None,
            "client_cpu_ms_per_request": round(client_cpu * 1000 / answered, 2),
        }
        who = "with an API token" if "Authorization" in HEADERS else "anonymous"
        print(f"\nPOST /api/v1/match ({who}), {args.clients} concurrent keep-alive clients, "
              f"{wall:.1f} s measured")
        print(f"  requests     {result['requests']}  ({result['throughput_rps']} req/s)")
        print(f"  errors       {result['errors']}"
              + (f"  e.g. {errors[0]}" if errors else ""))
        print(f"  latency ms   p50 {result['p50_ms']}  p90 {result['p90_ms']}  "
              f"p99 {result['p99_ms']}  mean {result['mean_ms']}  max {result['max_ms']}")
        print(f"  CPU ms/req   server {result['server_cpu_ms_per_request']} (master + workers, "
              f"/proc), clients {result['client_cpu_ms_per_request']} (this process)")
        if memory:
            print(f"  server RSS   sum {memory['rss_sum_mb']:.0f} MB, max {memory['rss_max_mb']:.0f} "
                  f"MB over {memory['processes']} processes (master + workers); peak "
                  f"VmHWM {memory['hwm_max_mb']:.0f} MB; per pid {memory['per_process_mb']}")
        else:
            print("  server RSS   unknown (server not on this machine)")
        verdict_p99 = "meets" if result["p99_ms"] < 50 else "misses"
        print(f"  DESIGN §7: p99 {result['p99_ms']} ms {verdict_p99} the 50 ms bar", end="")
        if memory:
            verdict_mem = "meets" if memory["rss_max_mb"] < 500 else "misses"
            print(f"; largest process {memory['rss_max_mb']:.0f} MB {verdict_mem} the 500 MB bar")
        else:
            print()
        if args.json:
            print(json.dumps(result, ensure_ascii=False))
        return 1 if errors and not ms else 0
    finally:
        if proc is not None:
            stop_gunicorn(proc)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
