"""The pipeline's queries on PostgreSQL: literal '%'/'_' search, the funnel's counts, bulk
changes, duplicates and delete (skipped when no server answers)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from web.models import Lead

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_session(pg_url, make_app):
    app = make_app(pg_url)
    with app.app_context(), Session(app.extensions["db_engine"], expire_on_commit=False) as s:
        yield s
    app.extensions["db_engine"].dispose()


def test_pipeline_queries_on_postgresql(pg_session):
    from web.services import lead_duplicates as dups
    from web.services import leads as svc

    s = pg_session
    made = {}
    for name, desc in (("百分之百_公司", "生产100%可降解塑料包装材料"), ("普通公司", "新能源汽车动力电池研发与生产"),
                       ("另一家普通", "集成电路设计")):
        made[name], _ = dups.enter_lead(session=s, data={"name": name, "description": desc},
                                       user=None, source="api", action="keep")

    def names(**q):
        return {lead.name for lead in svc.list_leads(session=s, query=svc.LeadQuery(**q))[0]}

    assert names(q="%") == names(q="_") == names(q="100%") == {"百分之百_公司"}
    assert names(q="\\") == set()
    svc.bulk_update(session=s, lead_ids=[made["普通公司"].id], user=None, status="visit")
    assert svc.status_counts(session=s, query=svc.LeadQuery(q="普通"))["visit"] == 1
    assert svc.status_counts(session=s, query=svc.LeadQuery(q="普通"))["new"] == 1
    with pytest.raises(dups.DuplicateFound):
        dups.enter_lead(session=s, data={"name": "普通公司", "description": "电池"}, user=None,
                       source="api")
    svc.delete_lead(session=s, lead=made["普通公司"])
    assert {lead.name for lead in s.exec(select(Lead)).all()} == {"百分之百_公司", "另一家普通"}
