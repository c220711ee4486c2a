"""Outcomes on PostgreSQL: recorded, imported (GBK, by credit code), exported and reported."""

from __future__ import annotations

import pytest
from sqlmodel import Session

pytestmark = pytest.mark.postgres

CHIP = ("拟投资建设12英寸特色工艺晶圆产线，聚焦车规级功率器件（IGBT、SiC MOSFET）和模拟芯片代工，"
        "配套建设封装测试中试线。")


@pytest.fixture
def pg_app(pg_url, make_app):
    app = make_app(pg_url)
    yield app
    app.extensions["db_engine"].dispose()


def test_outcomes_round_trip_on_postgresql(pg_app):
    from matcher.outcomes import report
    from taxonomy import get_taxonomy
    from web.services.leads import create_lead
    from web.services.outcome_import import import_outcomes
    from web.services.outcomes import export_items, get_outcome, record_outcome

    engine = pg_app.extensions["db_engine"]
    with Session(engine, expire_on_commit=False) as s:
        first = create_lead(session=s, data={"name": "甲芯公司", "description": CHIP})
        second = create_lead(session=s, data={"name": "乙芯公司", "description": CHIP,
                                              "credit_code": "91310115MA1K4ABC1X"})
        record_outcome(session=s, lead=first, user=None,
                       data={"outcome": "lost", "lost_to": "other_city", "lost_city": "苏州",
                             "reason": "土地价格"})
        csv = "统一社会信用代码,区,园区,结果\n91310115MA1K4ABC1X,浦东新区,东方芯港,已落地\n"
        result = import_outcomes(session=s, content=csv.encode("gbk"), user=None)
        assert (result.errors, result.imported, result.encoding) == ([], 1, "gb18030")
    with Session(engine) as s:
        lost = get_outcome(session=s, lead_id=first.id)
        assert (lost.lost_city, lost.reason, lost.match_id is not None) == ("苏州", "土地价格", True)
        items = export_items(session=s)
    landed = next(i for i in items if i["lead_id"] == second.id)
    assert (landed["district_code"], landed["zone_id"]) == ("310115", "dongfang-xingang")
    assert landed["record"]["taxonomy_version"] == landed["taxonomy_version"]
    rep = report(items, get_taxonomy())
    assert rep.total.n == 1 and rep.counts == {"landed": 1, "lost:other_city": 1}
