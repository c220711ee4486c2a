"""Robust facts about the real, still-curated taxonomy under taxonomy/data.

The counts are floors the curated data must reach; they may fail while curation is in progress.
"""

from __future__ import annotations

import pytest

from taxonomy import validate

DISTRICTS = {
    "310115": "浦东新区", "310101": "黄浦区", "310104": "徐汇区", "310105": "长宁区",
    "310106": "静安区", "310107": "普陀区", "310109": "虹口区", "310110": "杨浦区",
    "310112": "闵行区", "310113": "宝山区", "310114": "嘉定区", "310116": "金山区",
    "310117": "松江区", "310118": "青浦区", "310120": "奉贤区", "310151": "崇明区",
}



def test_real_taxonomy_loads(real):
    assert real.version.startswith("tx-")
    assert real.plans and real.industries


def test_real_taxonomy_has_the_16_districts_with_their_codes(real):
    assert {d.code: d.name_zh for d in real.districts} == DISTRICTS
    assert len(real.districts) == 16
    assert real.district_by_code["310115"].name_en == "Pudong New Area"


@pytest.mark.parametrize("kind,floor", [("industries", 100), ("zones", 45), ("relations", 150),
                                        ("policies", 40)])
def test_real_taxonomy_count_floors(real, kind, floor):
    assert real.counts()[kind] >= floor


def test_real_taxonomy_passes_the_check_command(run_taxonomy_cli, shared_plans):
    result = run_taxonomy_cli("check", "--plans", shared_plans)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_real_taxonomy_validates_against_the_plans(real, shared_plans):
    validate(real, shared_plans)
