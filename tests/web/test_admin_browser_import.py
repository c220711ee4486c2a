"""In headless Chromium, in Chinese and in English: an officer imports a scored list of 450
companies (three pages of 200) into the pipeline with filters and select-all, which takes the
matching rows of every page, not only those shown; an identical name reads "identical"."""

from __future__ import annotations

import importlib.util
import io
import re
import threading
from pathlib import Path

import pytest
from test_web_browser import OFFICER, _requirements, browser, page  # noqa: F401  (shared)

pytestmark = [pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_data", ROOT / "tests" / "batch" / "make_data.py")
make_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_data)
N_ROWS = 450
TEXT = {"zh": {"identical": "与线索库中的线索名称相同", "imported": "条线索"},
        "en": {"identical": "identical name to a lead in the pipeline", "imported": "leads imported"}}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """An app with two scored 450-row lists (one per language) and a lead in the pipeline named
    exactly like each list's first company."""
    _requirements()
    from web import create_app
    from web.cli import migrate_database
    from web.db import session_scope
    from web.models import User
    from web.services import jobs as job_service
    from web.services.leads import create_lead
    from web.services.users import create_user
    from web.worker import run_pending_jobs

    folder = tmp_path_factory.mktemp("import-live")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'app.db'}",
                      "SECRET_KEY": "browser-import-secret-" + "x" * 20,
                      "JOBS_DIR": str(folder / "jobs"), "JOB_PROCESSES": 1})
    with app.app_context():
        migrate_database(app)
    jobs, lists = {}, {}
    with session_scope(app.extensions["db_engine"]) as s:
        officer = create_user(session=s, username=OFFICER[0], password=OFFICER[1])
        for lang, first in (("zh", 300), ("en", 1300)):
            rows = make_data.qcc_rows(N_ROWS, first=first)
            create_lead(session=s, user=s.get(User, officer.id),
                        data={"name": rows[0][0], "description": "集成电路设计"})
            job = job_service.create_job(
                session=s, base=job_service.jobs_dir(app.config),
                stream=io.BytesIO(make_data.qcc_csv(rows, "utf-8")), filename=f"qcc-{lang}.csv",
                owner_id=officer.id, chunk_size=200)
            job_service.start_job(session=s, job=job, mapping=job_service.mapping_of(job),
                                  encoding=job.encoding)
            jobs[lang], lists[lang] = job.id, rows
    run_pending_jobs(app, processes=1)
    yield app, jobs, lists
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def live_server(scored):
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    app = scored[0]
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def _counts(tab, lang: str) -> tuple[int, int, int]:
    """(matching, total, importable) as the page says them."""
    found = [int(n) for n in re.findall(r"\d+", tab.inner_text("[data-testid=match-count]"))]
    matching, total, importable = found if lang == "en" else (found[1], found[0], found[2])
    return matching, total, importable


def _flat(app, job_id) -> dict[int, dict]:
    from sqlmodel import Session

    from web.models import Job
    from web.services.jobs import job_folder, jobs_dir, read_flat

    with Session(app.extensions["db_engine"]) as s:
        job = s.get(Job, job_id)
        return {f["row"]: f for f in read_flat(job_folder(jobs_dir(app.config), job))}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_select_all_with_filters_takes_every_page(page, live_server, scored, lang):  # noqa: F811
    from sqlmodel import Session, select

    from web.models import Lead

    app, jobs, _lists = scored
    job_id, text = jobs[lang], TEXT[lang]
    page.goto(f"{live_server}/auth/login?lang={lang}&next=/batch/{job_id}/import")
    page.fill("input[name=username]", OFFICER[0])
    page.fill("input[name=password]", OFFICER[1])
    page.click("[data-testid=login-submit]")
    page.wait_for_url(re.compile(rf"/batch/{job_id}/import$"))

    # page 1 of 3: 200 rows; the first company's name is identical to a lead's
    assert page.locator("[data-testid=import-table] tbody tr").count() == 200
    assert page.locator("[data-testid=next-page]").count() == 1
    assert text["identical"] in page.inner_text("[data-testid=dup-3]")
    assert "(100)" not in page.inner_text("[data-testid=dup-3]")

    # filters: confidence at least x, no possible duplicate (typed as a user types them)
    flat = _flat(app, job_id)
    confs = sorted(f["confidence"] for f in flat.values() if f.get("confidence") is not None)
    x = int(confs[len(confs) // 4] * 100) / 100
    want = {r for r, f in flat.items() if f.get("confidence") is not None
            and f["confidence"] >= x and r != 3}
    assert len(want) > 200
    page.fill("[data-testid=f-min-confidence]", str(x))
    page.check("[data-testid=f-not-duplicate]")
    with page.expect_navigation():
        page.click("[data-testid=apply-filters]")
    assert "min_confidence=" in page.url and "not_duplicate=1" in page.url
    assert _counts(page, lang)[:2] == (len(want), N_ROWS)
    assert page.locator("[data-testid=import-table] tbody tr").count() == 200  # one page shown
    assert page.locator("[data-testid=dup-3]").count() == 0
    # the filters survive paging
    with page.expect_navigation():
        page.click("[data-testid=next-page]")
    assert "page=2" in page.url
    assert page.input_value("[data-testid=f-min-confidence]") == str(x)
    assert page.is_checked("[data-testid=f-not-duplicate]")

    page.check("[data-testid=select-all]")
    page.click("[data-testid=import-submit]")
    page.wait_for_selector("[data-testid=import-outcome]")
    assert text["imported"] in page.inner_text(".flash[role=status]")
    assert str(len(want)) in page.inner_text(".flash[role=status]")
    with Session(app.extensions["db_engine"]) as s:
        names = {lead.name for lead in s.exec(select(Lead).where(Lead.source == "import"))}
    mine = {f["name"] for f in flat.values()}
    assert names & mine == {flat[r]["name"] for r in want}
    # a reload (POST-redirect-GET) imports nothing again
    page.reload()
    page.wait_for_selector("[data-testid=match-count]")
    assert page.locator("[data-testid=import-outcome]").count() == 0
    with Session(app.extensions["db_engine"]) as s:
        assert len(s.exec(select(Lead).where(Lead.source == "import")).all()) == len(names)
    # imported rows are now duplicates of the pipeline: nothing importable is left to select
    assert _counts(page, lang)[2] == 0
    assert page.locator("[data-testid=select-all]").count() == 0
