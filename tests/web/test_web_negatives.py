"""A negative amount, area or headcount is the same row warning everywhere: the web form, the JSON
API and the command line name the field in both languages and ignore the value."""

from __future__ import annotations

import html
import json
import subprocess
import sys

NEGATIVE = {"investment": "-5 USD", "land": "-3 mu", "employees": "-10"}


def test_the_web_form_names_each_negative_field(client, csrf):
    token = csrf(client, "/assess")
    page = client.post("/assess", data={"csrf_token": token, "description": "集成电路设计",
                                        **NEGATIVE})
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    for label, raw in (("投资额", "-5 USD"), ("用地需求", "-3 mu"), ("员工人数", "-10")):
        assert f"{label}“{raw}”为负数" in text
    assert "36 CNY" not in text and "35.5" not in text  # "-5 USD" is not read as +5 USD
    english = client.post("/assess?lang=en", data={"csrf_token": token,
                                                   "description": "集成电路设计", **NEGATIVE})
    text = html.unescape(english.get_data(as_text=True))
    for field, raw in (("investment", "-5 USD"), ("land", "-3 mu"), ("employees", "-10")):
        assert f"{field} '{raw}' is negative" in text


def test_the_api_gives_the_warning_pair_and_ignores_the_value(client):
    record = client.post("/api/v1/match", json={"description": "集成电路设计",
                                                "investment": "-5 USD", "land": -3,
                                                "employees": -10}).get_json()
    assert "error" not in record
    parsed = record["parsed"]
    assert (parsed["investment_cny"], parsed["land_mu"], parsed["employees"]) == (None, None, None)
    negatives = [w for w in record["warnings"] if "is negative" in w]
    negatives_zh = [w for w in record["warnings_zh"] if "为负数" in w]
    assert len(negatives) == len(negatives_zh) == 3
    assert {w.split()[0] for w in negatives} == {"investment", "land", "employees"}


def test_the_command_line_gives_the_same_warning():
    result = subprocess.run(
        [sys.executable, "-m", "matcher", "match", "集成电路设计", "--investment", "-5 USD",
         "--employees=-10", "--json"], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["parsed"]["investment_cny"] is None and record["parsed"]["employees"] is None
    assert any(w.startswith("investment '-5 USD' is negative") for w in record["warnings"])
    assert any(w.startswith("员工人数“-10”为负数") for w in record["warnings_zh"])
