"""`make run`: migrate, load sample data, make sure an officer can sign in, then serve.

Serves with gunicorn (a production WSGI server) on 127.0.0.1:$PORT (default 8000)."""

from __future__ import annotations

import os
import sys

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


def main() -> int:
    prepare()
    port = os.environ.get("PORT", "8000")
    workers = os.environ.get("WEB_WORKERS", "2")
    args = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", workers,
            "--threads", os.environ.get("WEB_THREADS", "4"), "--preload", "--access-logfile", "-",
            "web.wsgi:app"]
    print(f"serving on http://127.0.0.1:{port}", flush=True)
    os.execv(sys.executable, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
