"""Every batch page in Chinese and in English: no text of the other language is left in the
interface (file names, headers, cells and values from the file are data, marked as such)."""

from __future__ import annotations

import pytest
from make_data import QCC_HEADERS, qcc_csv, qcc_rows

from tests.web.test_web_leftovers import leftovers

COL = {h: i for i, h in enumerate(QCC_HEADERS)}


@pytest.fixture
def batch_pages(auth_client, upload, start, run_jobs, tmp_path):
    rows = qcc_rows(12)
    rows[2][COL["注册资本"]] = "-5 USD"
    rows[4][COL["企业类型"]] = "未知类型"
    rows[6][COL["统一社会信用代码"]] = "91310112MA11Y2AW6"
    rows[7][COL["经营范围"]] = ""
    path = tmp_path / "企查查导出.csv"
    path.write_bytes(qcc_csv(rows, "gbk"))
    draft, _page = upload(auth_client, path)
    done, page = upload(auth_client, path)
    assert start(auth_client, done, page).status_code == 302
    run_jobs()
    return {"jobs": "/batch/", "upload": "/batch/new", "mapping": f"/batch/{draft}/mapping",
            "job": f"/batch/{done}"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_batch_text_in_the_other_language(auth_client, batch_pages, lang):
    found = {}
    for name, url in batch_pages.items():
        response = auth_client.get(f"{url}?lang={lang}")
        assert response.status_code == 200, (name, response.status_code)
        left = leftovers(response.get_data(as_text=True), lang)
        if left:
            found[name] = left[:12]
    assert not found, f"{lang}: {found}"
