"""`make run`: migrate, load sample data, make sure an officer can sign in, then serve.

Serves with gunicorn (a production WSGI server) on 127.0.0.1:$PORT (default 8000), and runs the
batch-job worker (`python -m web.worker`) beside it as a child process, restarted if it dies
(START_WORKER=0 leaves it out, for a worker run elsewhere)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlmodel import select


def prepare() -> None:
    from web import create_app
    from web.cli import migrate_database, random_password, seed_database
    from web.db import session_scope
    from web.models import User
    from web.services.users import create_user

    app = create_app()
    with app.app_context():
        migrate_database(app)
        engine = app.extensions["db_engine"]
        with session_scope(engine) as session:
            has_users = session.exec(select(User)).first() is not None
            if not has_users:
                password = random_password()
                create_user(session=session, username="officer", password=password, role="admin",
                            display_name="Officer")
                banner = "=" * 68
                print(f"\n{banner}\n  First start: an officer account was created.\n"
                      f"  Sign in at http://127.0.0.1:{os.environ.get('PORT', '8000')}/auth/login\n"
                      f"  username: officer\n  password: {password}\n"
                      f"  (shown once; change it with: flask --app web reset-password officer)\n"
                      f"{banner}\n", flush=True)
        added = seed_database(owner_username="officer")
        if added:
            print(f"loaded {added} sample leads from seeds/", flush=True)


# Matching is CPU-bound Python: threads of one worker take turns on its GIL, and a request
# then waits for the others in its worker. Measured on 2 cores (README "Speed"), one thread
# per worker (gunicorn's sync worker) kept p99 at 1.3-1.7x the mean latency, where 2-4
# threads per worker gave 1.8-3.2x; 3 workers let one wait on the database while two compute.
# A sync worker is restarted when one request runs past --timeout: 120 s leaves room for the
# longest (exports). WEB_WORKERS / WEB_THREADS / WEB_WORKER_CLASS override (threads > 1:
# gunicorn's gthread).
WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT, WEB_WORKER_CLASS = "3", "1", "120", "sync"


def gunicorn_layout(workers: str | None = None, threads: str | None = None,
                    worker_class: str | None = None) -> list[str]:
    """gunicorn's options for the process layout (`make run`'s; bench_api.py starts the same)."""
    env = os.environ.get
    return ["--workers", workers or env("WEB_WORKERS", WEB_WORKERS),
            "--threads", threads or env("WEB_THREADS", WEB_THREADS),
            "--worker-class", worker_class or env("WEB_WORKER_CLASS", WEB_WORKER_CLASS),
            "--preload", "--timeout", env("WEB_TIMEOUT", WEB_TIMEOUT)]


def _gunicorn_args() -> list[str]:
    port = os.environ.get("PORT", "8000")
    return [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *gunicorn_layout(),
            "--access-logfile", "-", "web.wsgi:app"]


def _die_with_parent() -> None:
    """In a child, before exec: Linux sends it SIGTERM when this supervisor dies."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def supervise() -> int:
    """Run gunicorn and the job worker; restart the worker when it dies; stop both together."""
    web = subprocess.Popen(_gunicorn_args(), preexec_fn=_die_with_parent)
    worker_args = [sys.executable, "-m", "web.worker"]

    def start_worker():
        return subprocess.Popen(worker_args, preexec_fn=_die_with_parent)

    worker = start_worker()
    stopping = False
    restarts: list[float] = []

    def _stop(signum, _frame):
        nonlocal stopping
        stopping = True
        for proc in (web, worker):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while True:
        if web.poll() is not None:
            stopping = True
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
            return web.returncode or 0
        if worker.poll() is not None and not stopping:
            now = time.monotonic()
            restarts = [t for t in restarts if now - t < 60] + [now]
            wait = 2 if len(restarts) < 5 else 30
            print(f"job worker exited ({worker.returncode}); restarting in {wait}s; its jobs "
                  "resume from their last finished chunk", file=sys.stderr, flush=True)
            time.sleep(wait)
            if not stopping:
                worker = start_worker()
        time.sleep(0.5)


def main() -> int:
    if "--supervise" in sys.argv[1:]:
        return supervise()
    prepare()
    port = os.environ.get("PORT", "8000")
    print(f"serving on http://127.0.0.1:{port}", flush=True)
    if os.environ.get("START_WORKER", "1").strip().lower() in ("0", "false", "no", "off"):
        os.execv(sys.executable, _gunicorn_args())
    # a fresh process, without the memory that preparing (and seeding) took
    os.execv(sys.executable, [sys.executable, "-m", "web.serve", "--supervise"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
