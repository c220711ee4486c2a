"""Validation: every kind of broken entry is caught with a message that names the entry.

Each case breaks one thing in a copy of the mini taxonomy and is checked three ways: the problem
list (`find_problems`), the exception (`validate`) and the command line (`python -m taxonomy`).
"""

from __future__ import annotations

import pytest

from taxonomy import TaxonomyFormatError, TaxonomyValidationError, validate
from taxonomy.__main__ import main as taxonomy_main

PLAN = "sh-advanced-manufacturing-14fyp"

# (id, file, old text, new text, problem kind, expected problem line)
INTEGRITY_CASES = [
    ("unknown-plan-in-source", "industries/ic.yaml", f"plan: {PLAN}", "plan: sh-no-such-plan",
     "dangling reference", "industry ic: cites unknown plan 'sh-no-such-plan'"),
    ("industry-parent", "industries/ic.yaml", "parent: ic\n", "parent: ic-nope\n",
     "dangling reference", "industry ic-design: parent 'ic-nope' does not exist"),
    ("industry-level-nesting", "industries/biomed.yaml", "level: industry", "level: focus",
     "dangling reference", "industry biomed-devices: a focus cannot sit under a sector"),
    ("relation-zone", "relations/all.yaml", "zone: lingang", "zone: nowhere-park",
     "dangling reference", "relation relations/all.yaml#0: zone 'nowhere-park' does not exist"),
    ("relation-industry", "relations/all.yaml", "industry: biomed-devices", "industry: biomed-pills",
     "dangling reference", "relation relations/all.yaml#3: industry 'biomed-pills' does not exist"),
    ("policy-industry", f"policies/{PLAN}.yaml", "industries: [biomed]", "industries: [quantum]",
     "dangling reference", "policy amp-biomed-rd-platform: industry 'quantum' does not exist"),
    ("evidence-not-in-plan", "industries/biomed.yaml", "evidence: 高端医疗器械}", "evidence: 低端医疗器械}",
     "bad citation",
     f"industry biomed-devices: evidence '低端医疗器械' is not in {PLAN} 三、(一)2 "
     "(it occurs nowhere in the plan)"),
    ("evidence-outside-section", "zones.yaml", 'section: "四、(二)"', 'section: "四、(一)"',
     "bad citation",
     f"zone changxing-island: evidence '崇明长兴岛重点发展船舶和海洋工程装备' is not in {PLAN} 四、(一) "
     "(it occurs in section '四、(二)')"),
    ("evidence-in-sibling-item", f"policies/{PLAN}.yaml", 'section: "三、(一)2"', 'section: "三、(一)3"',
     "bad citation",
     f"policy amp-biomed-rd-platform: evidence '建设生物医药领域重点实验室' is not in {PLAN} 三、(一)3 "
     "(it occurs in section '三、(一)2')"),
    ("unknown-section", "industries/biomed.yaml", 'section: "三、(一)2"', 'section: "五、(一)2"',
     "bad citation", f"industry biomed: section '五、(一)2' not found in {PLAN}"),
    ("section-with-title", "zones.yaml", 'section: "四、(一)"', 'section: "四、(一)一极战略引领"',
     "bad citation", f"zone lingang: section '四、(一)一极战略引领' not found in {PLAN}"),
    ("district-code-not-shanghai", "districts.yaml", 'code: "310151"', 'code: "310199"',
     "bad district code", "district 310199: not a GB/T 2260 code of a Shanghai district"),
    ("district-code-name-mismatch", "districts.yaml", "name_zh: 崇明区", "name_zh: 崇明县",
     "bad district code", "district 310151: code belongs to 崇明区, not 崇明县"),
    ("zone-unknown-district-code", "zones.yaml", 'district_codes: ["310151"]',
     'district_codes: ["310188"]',
     "bad district code", "zone changxing-island: district code 310188 is not a known district"),
    ("relation-unknown-district-code", "relations/all.yaml", 'district: "310117"',
     'district: "310177"',
     "bad district code", "relation relations/all.yaml#1: district code 310177 is not a known district"),
]

DUPLICATE_CASES = [
    ("duplicate-industry-across-files", "industries/biomed.yaml",
     "- id: ic\n  level: sector\n  name_zh: 集成电路二\n  name_en: IC again\n"
     f"  sources: [{{plan: {PLAN}, section: \"三、(一)1\", evidence: 提升芯片设计}}]\n",
     "industry ic: defined 2 times"),
    ("duplicate-zone", "zones.yaml",
     "- id: lingang\n  name_zh: 临港\n  name_en: Lingang again\n  kind: zone\n"
     f"  sources: [{{plan: {PLAN}, section: \"四、(一)\", evidence: 发挥临港新片区政策集成优势}}]\n",
     "zone lingang: defined 2 times"),
    ("duplicate-policy", f"policies/{PLAN}.yaml",
     "- id: amp-ic-design-park\n  title_zh: 重复\n  title_en: Duplicate\n  category: other\n"
     "  scope: city\n  offers_zh: 无\n  offers_en: none\n"
     f"  sources: [{{plan: {PLAN}, section: \"三、(一)1\", evidence: 东方芯港}}]\n",
     "policy amp-ic-design-park: defined 2 times"),
]


def _break(mini, case):
    _id, rel, old, new, *_ = case
    mini.edit(rel, old, new)


@pytest.mark.parametrize("case", INTEGRITY_CASES, ids=[c[0] for c in INTEGRITY_CASES])
def test_integrity_problem_is_found_and_named(mini, case):
    _break(mini, case)
    kind, expected = case[4], case[5]
    assert expected in mini.problems()
    with pytest.raises(TaxonomyValidationError) as info:
        validate(mini.load(), mini.plans)
    assert info.value.problems[0].kind == kind
    assert expected in [str(p) for p in info.value.problems]
    assert expected in str(info.value)


@pytest.mark.parametrize("case", INTEGRITY_CASES, ids=[c[0] for c in INTEGRITY_CASES])
def test_integrity_problem_fails_the_check_command(mini, case, capsys):
    _break(mini, case)
    code = taxonomy_main(["--data", str(mini.tax), "check", "--plans", str(mini.plans)])
    out, err = capsys.readouterr()
    assert code != 0
    assert case[5] in err
    assert "OK" not in out


@pytest.mark.parametrize("case", DUPLICATE_CASES, ids=[c[0] for c in DUPLICATE_CASES])
def test_duplicate_id_is_found(mini, case, capsys):
    _id, rel, text, expected = case
    mini.append(rel, text)
    assert expected in mini.problems()
    with pytest.raises(TaxonomyValidationError) as info:
        validate(mini.load(), mini.plans)
    assert info.value.problems[0].kind == "duplicate id"
    assert expected in str(info.value)
    assert taxonomy_main(["--data", str(mini.tax), "check", "--plans", str(mini.plans)]) != 0
    assert expected in capsys.readouterr().err


def test_a_non_shanghai_code_also_reports_the_missing_district(mini):
    mini.edit("districts.yaml", 'code: "310151"', 'code: "310199"')
    problems = mini.problems()
    assert "district 310151: 崇明区 is missing from districts.yaml" in problems
    # the zone on 崇明 now points at a district that is no longer defined
    assert "zone changxing-island: district code 310151 is not a known district" in problems


def test_citations_are_checked_only_with_a_plans_folder(mini):
    mini.edit("industries/biomed.yaml", "evidence: 高端医疗器械}", "evidence: 低端医疗器械}")
    validate(mini.load())  # no plans folder: references and codes only, and they are fine
    with pytest.raises(TaxonomyValidationError):
        validate(mini.load(), mini.plans)


def test_a_missing_plan_file_is_reported(mini):
    (mini.plans / f"{PLAN}.txt").unlink()
    assert any(f"plan {PLAN}: file" in p and "not found" in p for p in mini.problems())


def test_validate_reports_every_problem_of_the_first_failing_class(mini):
    mini.edit("industries/ic.yaml", "parent: ic\n", "parent: ic-nope\n", count=2)
    mini.edit("industries/biomed.yaml", "evidence: 高端医疗器械}", "evidence: 低端医疗器械}")
    with pytest.raises(TaxonomyValidationError) as info:
        validate(mini.load(), mini.plans)
    assert [str(p) for p in info.value.problems] == [
        "industry ic-design: parent 'ic-nope' does not exist",
        "industry ic-manufacturing: parent 'ic-nope' does not exist",
    ]
    assert str(info.value).startswith("dangling reference: 2 problem(s)")


# ---- schema errors: caught while loading, naming the file, the entry and the field -------------

SCHEMA_CASES = [
    ("missing-field", "industries/ic.yaml", "  name_en: Chip design\n", "",
     ["ic.yaml entry 2 (ic-design)", "name_en", "Missing data for required field"]),
    ("bad-role", "relations/all.yaml", "role: key_development", "role: core",
     ["all.yaml entry 1 (ic)", "role", "Must be one of"]),
    ("zone-and-district", "relations/all.yaml", "  zone: lingang\n",
     '  zone: lingang\n  district: "310115"\n',
     ["all.yaml entry 1 (ic)", "give exactly one of zone or district"]),
    ("neither-zone-nor-district", "relations/all.yaml", "  zone: lingang\n", "",
     ["all.yaml entry 1 (ic)", "give exactly one of zone or district"]),
    ("malformed-district-code", "districts.yaml", 'code: "310115"', 'code: "3101155"',
     ["districts.yaml entry 11 (pudong)", "code", "6-digit GB/T 2260 code"]),
    ("malformed-zone-district-code", "zones.yaml", '"310151"', '"Chongming"',
     ["zones.yaml entry 2 (changxing-island)", "district_codes", "6-digit"]),
    ("unknown-field", "zones.yaml", "kind: base", "kind: base\n  aliases: [长兴]",
     ["zones.yaml entry 2 (changxing-island)", "aliases", "Unknown field"]),
    ("bad-slug", "industries/biomed.yaml", "id: biomed-devices", "id: Biomed_Devices",
     ["biomed.yaml entry 2 (Biomed_Devices)", "id", "lowercase slug"]),
    ("bad-level", "industries/biomed.yaml", "level: industry", "level: subsector",
     ["biomed.yaml entry 2 (biomed-devices)", "level", "Must be one of"]),
    ("industry-without-parent", "industries/biomed.yaml", "parent: biomed\n", "parent: null\n",
     ["biomed.yaml entry 2 (biomed-devices)", "parent", "needs a parent"]),
    ("no-sources", "zones.yaml",
     "  sources: [{plan: sh-advanced-manufacturing-14fyp, section: \"四、(二)\", "
     "evidence: 崇明长兴岛重点发展船舶和海洋工程装备}]", "  sources: []",
     ["zones.yaml entry 2 (changxing-island)", "sources"]),
    ("bad-project-type", f"policies/{PLAN}.yaml", "project_types: [rd_center]",
     "project_types: [factory]",
     [f"{PLAN}.yaml entry 2 (amp-biomed-rd-platform)", "project_types", "Must be one of"]),
    ("district-scope-without-districts", f"policies/{PLAN}.yaml", "scope: city\n  offers_zh: 建设",
     "scope: district\n  offers_zh: 建设",
     [f"{PLAN}.yaml entry 2 (amp-biomed-rd-platform)", "scope_districts"]),
    ("not-yaml", "zones.yaml", "kind: base", "kind: [base",
     ["zones.yaml", "not valid YAML"]),
]


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_error_names_file_entry_and_field(mini, case, capsys):
    _id, rel, old, new, fragments = case
    mini.edit(rel, old, new)
    with pytest.raises(TaxonomyFormatError) as info:
        mini.load()
    for fragment in fragments:
        assert fragment in str(info.value)
    code = taxonomy_main(["--data", str(mini.tax), "check", "--plans", str(mini.plans)])
    out, err = capsys.readouterr()
    assert code != 0 and out == ""
    assert err.startswith("error: ")
    for fragment in fragments:
        assert fragment in err


def test_a_file_that_is_not_a_list_is_refused(mini, capsys):
    (mini.tax / "relations" / "extra.yaml").write_text("industry: ic\nzone: lingang\n",
                                                       encoding="utf-8")
    with pytest.raises(TaxonomyFormatError, match=r"extra\.yaml: expected a list of entries"):
        mini.load()
    assert taxonomy_main(["--data", str(mini.tax), "check", "--no-plans"]) == 1
    assert "extra.yaml: expected a list of entries" in capsys.readouterr().err
