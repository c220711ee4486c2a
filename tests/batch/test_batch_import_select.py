"""Importing a scored lead list into the pipeline: the rows' contacts come along (and reach the
exports)."""

from __future__ import annotations

import csv
import io

from sqlmodel import select

from web.models import Lead


def test_import_carries_phone_email_and_legal_representative(auth_client, upload, start,
                                                              run_jobs, data, csrf, db):
    job_id, page = upload(auth_client, data / "qcc_title_utf8bom.csv")
    assert start(auth_client, job_id, page).status_code == 302
    run_jobs()
    token = csrf(auth_client, f"/batch/{job_id}/import")
    response = auth_client.post(f"/batch/{job_id}/import",
                                data={"csrf_token": token, "row": ["3", "4"]})
    assert response.status_code == 200
    with (data / "qcc_title_utf8bom.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))[1:]
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "电话" in header and "法定代表人" in header
    with db() as s:
        lead = s.exec(select(Lead).where(Lead.name == first["企业名称"])).one()
    assert lead.legal_representative == first["法定代表人"]
    assert lead.contact_phone == first["电话"]
    assert lead.contact_email == ("" if first["邮箱"] in ("", "-") else first["邮箱"])
    exported = auth_client.get("/leads/export.csv?lang=zh").data.decode("utf-8-sig")
    found = {r["企业名称"]: r for r in csv.DictReader(io.StringIO(exported))}
    assert found[first["企业名称"]]["法定代表人"] == first["法定代表人"]
    assert found[first["企业名称"]]["电话"] == first["电话"]
