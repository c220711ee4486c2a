"""Fixtures for the batch-scoring tests: an app whose jobs live under tmp_path, a signed-in
client, an API token, the lead lists of tests/data/batch, and helpers to upload, map, start and
run a job in this process."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "batch"
SEEDS = ROOT / "seeds"
MINI_TAX = ROOT / "tests" / "data" / "mini" / "taxonomy"
SELECT_RE = re.compile(r'<select name="(col-\d+)"[^>]*>(.*?)</select>', re.S)
SELECTED_RE = re.compile(r'<option value="([^"]*)" selected')
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def extract_csrf(page: str) -> str:
    found = CSRF_RE.search(page)
    assert found, "no csrf_token field on the page"
    return found.group(1)



@pytest.fixture
def app_config(tmp_path) -> dict:
    return {"JOBS_DIR": str(tmp_path / "jobs"), "JOB_PROCESSES": 1}


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def auth_client(app, client, officer, login):
    response = login(client, officer.username, officer.password)
    assert response.status_code == 302
    return client



@pytest.fixture
def bearer(officer, token_for) -> dict:
    return {"Authorization": f"Bearer {token_for(officer)}"}


def form_mapping(page: str) -> dict[str, str]:
    """The column selects of a mapping page as posted: {"col-0": "name", ...}."""
    out = {}
    for name, options in SELECT_RE.findall(page):
        chosen = SELECTED_RE.search(options)
        if chosen and chosen.group(1):
            out[name] = html.unescape(chosen.group(1))
    return out


@pytest.fixture
def upload(csrf):
    """upload(client, path, encoding="") -> (job id, mapping page html)."""

    def _upload(client, path: Path, encoding: str = "", filename: str | None = None):
        token = csrf(client, "/batch/new")
        with open(path, "rb") as fh:
            response = client.post("/batch/new", data={
                "csrf_token": token, "encoding": encoding,
                "file": (fh, filename or Path(path).name)}, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        job_id = int(re.search(r"/batch/(\d+)/mapping", response.headers["Location"]).group(1))
        page = client.get(f"/batch/{job_id}/mapping")
        assert page.status_code == 200
        return job_id, page.get_data(as_text=True)

    return _upload


@pytest.fixture
def start():
    """start(client, job_id, page, **overrides) posts the mapping page's choices with
    action=start; returns the response."""

    def _start(client, job_id: int, page: str, encoding: str | None = None, **overrides):
        form = {"csrf_token": extract_csrf(page), "action": "start", **form_mapping(page)}
        chosen = re.search(r'<select name="encoding".*?<option value="([^"]+)" selected', page,
                           re.S)
        if encoding or chosen:
            form["encoding"] = encoding or chosen.group(1)
        form.update(overrides)
        return client.post(f"/batch/{job_id}/mapping", data=form)

    return _start


@pytest.fixture
def run_jobs(app):
    """Run every queued job to its end in this process (the worker's own code)."""
    from web.worker import run_pending_jobs

    def _run(**kwargs):
        run_pending_jobs(app, processes=1, **kwargs)

    return _run


@pytest.fixture
def job_of(db):
    def _get(job_id: int):
        from web.models import Job

        with db() as s:
            return s.get(Job, job_id)

    return _get


@pytest.fixture
def fetch():
    """fetch(client, url, **kw) -> (status, body bytes, headers); closes file responses."""

    def _fetch(client, url: str, **kwargs):
        with client.get(url, **kwargs) as response:
            return response.status_code, response.get_data(), response.headers

    return _fetch


@pytest.fixture(name="form_mapping")
def _form_mapping():
    return form_mapping


@pytest.fixture(scope="session")
def mini_model_dir(tmp_path_factory) -> Path:
    """The mini taxonomy's model, fitted once, so each worker process only loads it."""
    from matcher import Matcher
    from taxonomy import load_taxonomy

    path = tmp_path_factory.mktemp("models")
    Matcher(load_taxonomy(MINI_TAX), model_dir=path)
    return path
