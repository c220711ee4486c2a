"""In headless Chromium, the batch user's path end to end, in Chinese and in English: upload a GBK
企查查-style export with a title line, see and choose the header row, map the columns, read the
check report, start, follow the progress, download CSV and XLSX, import rows into the pipeline.

The app is served for real on 127.0.0.1 with a background worker thread scoring the jobs."""

from __future__ import annotations

import csv
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
COL = {h: i for i, h in enumerate(make_data.QCC_HEADERS)}


def _export(path: Path, *, first: int) -> list[list[str]]:
    """A GBK export of 24 companies with a title line; row 5 of the file has a negative
    registered capital, row 7 an unreadable company type."""
    rows = make_data.qcc_rows(24, first=first)
    rows[2][COL["注册资本"]] = "-5 USD"
    rows[4][COL["企业类型"]] = "未知类型"
    path.write_bytes(make_data.qcc_csv(rows, "gbk"))
    path.read_bytes().decode("gbk")  # really GBK
    return rows


@pytest.fixture(scope="module")
def batch_app(tmp_path_factory):
    _requirements()
    from web import create_app
    from web.cli import migrate_database
    from web.db import session_scope
    from web.services.users import create_user

    folder = tmp_path_factory.mktemp("batch-live")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder / 'app.db'}",
                      "SECRET_KEY": "browser-batch-secret-" + "x" * 20,
                      "JOBS_DIR": str(folder / "jobs"), "JOB_CHUNK_SIZE": 6})
    with app.app_context():
        migrate_database(app)
    with session_scope(app.extensions["db_engine"]) as s:
        create_user(session=s, username=OFFICER[0], password=OFFICER[1])
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture(scope="module")
def live_server(batch_app):
    """The app on a free port, and a worker thread that scores queued jobs."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from web.worker import Worker

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server("127.0.0.1", 0, batch_app, threaded=True, request_handler=QuietHandler)
    serving = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    serving.start()
    worker = Worker(batch_app, processes=1, poll=0.2, heartbeat_seconds=1)
    working = threading.Thread(target=worker.run, name="job-worker", daemon=True)
    working.start()
    yield f"http://127.0.0.1:{server.server_port}"
    worker.stop.set()
    working.join(timeout=60)
    server.shutdown()
    server.server_close()
    serving.join(timeout=10)


def _sign_in(tab, base: str) -> None:
    tab.goto(f"{base}/auth/login?next=/batch/")
    tab.fill("input[name=username]", OFFICER[0])
    tab.fill("input[name=password]", OFFICER[1])
    tab.click("[data-testid=login-submit]")
    tab.wait_for_url(re.compile(r"/batch/$"))


def _download(tab, testid: str) -> bytes:
    with tab.expect_download() as info:
        tab.click(f"[data-testid={testid}]")
    return Path(info.value.path()).read_bytes()


def _walk(tab, base: str, path: Path, rows: list[list[str]], text: dict) -> None:
    """The batch user's path in the interface language whose texts `text` holds."""
    tab.goto(f"{base}/batch/new")
    tab.set_input_files("[data-testid=file]", str(path))
    tab.click("[data-testid=upload-submit]")
    tab.wait_for_url(re.compile(r"/batch/\d+/mapping$"))

    # the header row was found below the title line; the title line is skipped
    assert tab.inner_text("[data-testid=detected-encoding]") == "gb18030"
    assert tab.is_checked("[data-testid=header-row-2]")
    assert text["found"] in tab.inner_text("[data-testid=header-row-note]")
    assert "企查查-企业数据导出" in tab.inner_text("[data-testid=top-row-1]")
    assert tab.locator("[data-testid=top-row-1].skipped").count() == 1
    # the officer tries the title line as the header: no description column, cannot start
    tab.check("[data-testid=header-row-1]")
    tab.click("[data-testid=check]")
    tab.wait_for_selector(".flash")
    assert text["from_row_1"] in tab.inner_text(".flash")
    assert text["no_description"] in tab.inner_text("[data-testid=mapping-errors]")
    assert tab.is_disabled("[data-testid=start]")
    # ... and back to row 2: every column is mapped again, phone, e-mail, legal representative too
    tab.check("[data-testid=header-row-2]")
    tab.click("[data-testid=check]")
    tab.wait_for_selector("[data-testid=validation]")
    chosen = {h: tab.locator(f"[data-testid=col-{COL[h]}]").input_value()
              for h in ("企业名称", "经营范围", "企业类型", "电话", "邮箱", "法定代表人")}
    assert chosen == {"企业名称": "name", "经营范围": "description", "企业类型": "origin",
                      "电话": "contact_phone", "邮箱": "contact_email",
                      "法定代表人": "legal_representative"}
    preview = tab.inner_text("[data-testid=preview]")
    assert rows[0][0] in preview and "\ufffd" not in preview

    # the check report: the standard company types and '-' cells pass; two real problems
    report = tab.inner_text("[data-testid=validation]")
    assert text["checked"] in report
    problems = tab.locator("[data-testid=problems] tbody tr")
    assert problems.count() == 2
    assert tab.locator('tr[data-row="5"][data-field="investment"]').inner_text().find(
        text["negative"]) >= 0
    assert text["type"] in tab.locator('tr[data-row="7"][data-field="origin"]').inner_text()

    # start; the progress page follows the worker until the job is done
    tab.click("[data-testid=start]")
    tab.wait_for_url(re.compile(r"/batch/\d+$"))
    tab.wait_for_selector("[data-testid=downloads]", timeout=180_000)
    assert tab.inner_text("[data-testid=status]") == text["done"]
    assert tab.inner_text("[data-testid=rows-done]") == tab.inner_text("[data-testid=rows-total]") \
        == "24"
    assert tab.locator("[data-field=bar]").evaluate("el => el.style.width") == "100%"

    # the results: CSV (UTF-8 with BOM) and XLSX, rows numbered as in the file
    data = _download(tab, "download-csv")
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [int(r["row"]) for r in table] == list(range(3, 27))
    assert table[0]["name"] == rows[0][0] and table[0]["industry_1"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_download(tab, "download-xlsx")), read_only=True).active
    cells = list(sheet.iter_rows(values_only=True))
    assert len(cells) == 25 and cells[1][list(cells[0]).index("name")] == rows[0][0]

    # import the rows ticked by default into the pipeline
    tab.click("[data-testid=import-link]")
    tab.wait_for_selector("[data-testid=import-table]")
    ticked = tab.locator("[data-testid=import-table] input[type=checkbox]:checked").count()
    assert ticked >= 20
    tab.click("[data-testid=import-submit]")
    outcome = tab.inner_text("[data-testid=import-outcome]")
    assert text["imported"] in outcome
    tab.locator("[data-testid=import-outcome] a").first.click()
    tab.wait_for_url(re.compile(r"/leads/\d+$"))
    assert tab.inner_text("[data-testid=lead-name]").startswith(rows[0][0])


def test_batch_path_in_chinese(page, live_server, tmp_path):  # noqa: F811
    rows = _export(tmp_path / "企查查导出-gbk.csv", first=0)
    _sign_in(page, live_server)
    _walk(page, live_server, tmp_path / "企查查导出-gbk.csv", rows, {
        "found": "在文件第 2 行找到了列标题", "from_row_1": "现以第 1 行作为表头",
        "no_description": "没有列对应到描述字段", "checked": "已检查 24 行，其中 2 行有问题",
        "negative": "投资额“-5 USD”为负数", "type": "企业来源“未知类型”无法识别",
        "done": "已完成", "imported": "已导入"})


def test_batch_path_in_english(page, live_server, tmp_path):  # noqa: F811
    rows = _export(tmp_path / "qcc-export-gbk.csv", first=200)
    _sign_in(page, live_server)
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state()
    _walk(page, live_server, tmp_path / "qcc-export-gbk.csv", rows, {
        "found": "The column headers were found in row 2 of the file.",
        "from_row_1": "The column headers are now taken from row 1.",
        "no_description": "No column is mapped to the description",
        "checked": "24 rows checked; 2 with problems.",
        "negative": "investment '-5 USD' is negative", "type": "origin '未知类型' not recognised",
        "done": "done", "imported": "Imported"})
