"""Loading the taxonomy: typed immutable objects, indexes, a content-hash version, JSON export."""

from __future__ import annotations

import dataclasses
import re
import shutil

import pytest

from taxonomy import TaxonomyFormatError, get_taxonomy, load_taxonomy, to_json, validate


@pytest.fixture(scope="module")
def tx(mini_paths):
    return load_taxonomy(mini_paths[0])


def test_mini_taxonomy_loads_with_every_kind_of_entry(tx, mini_paths):
    assert tx.counts() == {"plans": 1, "industries": 5, "districts": 16, "zones": 2,
                           "relations": 5, "policies": 2, "industry_classes": 0}
    validate(tx, mini_paths[1])  # the fixture itself is clean: negative tests start from it


def test_entries_are_typed_and_indexed(tx):
    ic = tx.industry_by_id["ic-design"]
    assert (ic.name_zh, ic.name_en, ic.level, ic.parent) == ("芯片设计", "Chip design", "industry", "ic")
    assert ic.aliases_en == ("IC design", "fabless")
    assert ic.sources[0].plan == "sh-advanced-manufacturing-14fyp"
    assert ic.sources[0].section == "三、(一)1"
    assert tx.district_by_code["310115"].name_en == "Pudong New Area"
    assert tx.zone_by_id["lingang"].district_codes == ("310115", "310120")
    assert tx.policy_by_id["amp-biomed-rd-platform"].project_types == ("rd_center",)
    rel = tx.relations[1]
    assert (rel.industry, rel.zone, rel.district, rel.role) == ("ic", None, "310117", "key_development")
    assert rel.file == "relations/all.yaml"


def test_tree_helpers(tx):
    assert tx.path_zh("ic-design") == "集成电路 > 芯片设计"
    assert tx.path_en("biomed-devices") == "Biomedicine > High-end medical devices"
    assert tx.sector_of("ic-manufacturing") == "ic"
    assert tx.sector_of("ic") == "ic"
    assert [n.id for n in tx.children("ic")] == ["ic-design", "ic-manufacturing"]


@pytest.mark.parametrize("target", ["taxonomy", "industry", "source", "district", "zone",
                                    "relation", "policy", "plan"])
def test_objects_are_immutable(tx, target):
    obj = {
        "taxonomy": tx, "industry": tx.industries[0], "source": tx.industries[0].sources[0],
        "district": tx.districts[0], "zone": tx.zones[0], "relation": tx.relations[0],
        "policy": tx.policies[0], "plan": tx.plans[0],
    }[target]
    field = dataclasses.fields(obj)[0].name
    with pytest.raises(AttributeError):  # dataclasses.FrozenInstanceError subclasses it
        setattr(obj, field, "changed")
    assert getattr(obj, field) != "changed"


def test_collections_and_indexes_are_read_only(tx):
    assert isinstance(tx.industries, tuple)
    assert isinstance(tx.industries[0].aliases_zh, tuple)
    with pytest.raises(TypeError):
        tx.industry_by_id["new"] = tx.industries[0]
    with pytest.raises(TypeError):
        tx.district_by_code["310199"] = tx.districts[0]
    assert "new" not in tx.industry_by_id


def test_version_is_a_stable_content_hash(mini, mini_paths):
    original = load_taxonomy(mini_paths[0]).version
    assert re.fullmatch(r"tx-[0-9a-f]{12}", original)
    assert load_taxonomy(mini_paths[0]).version == original          # same files, same version
    assert mini.load().version == original                           # a copy elsewhere too


def test_version_changes_when_any_file_changes(mini):
    before = mini.load().version
    mini.edit("zones.yaml", "name_en: Changxing Island", "name_en: Changxing Island (base)")
    after = mini.load().version
    assert after != before
    mini.edit("zones.yaml", "name_en: Changxing Island (base)", "name_en: Changxing Island")
    assert mini.load().version == before


def test_version_changes_when_a_file_is_added(mini):
    before = mini.load().version
    shutil.copy(mini.tax / "relations" / "all.yaml", mini.tax / "relations" / "more.yaml")
    assert mini.load().version != before


def test_get_taxonomy_caches_and_reloads_after_an_edit(mini):
    first = get_taxonomy(mini.tax)
    assert get_taxonomy(mini.tax) is first
    mini.edit("industries/ic.yaml", "name_en: Chip design", "name_en: Chip design services")
    second = get_taxonomy(mini.tax)
    assert second.version != first.version
    assert second.industry_by_id["ic-design"].name_en == "Chip design services"


def test_a_folder_without_plans_yaml_is_refused(tmp_path):
    with pytest.raises(TaxonomyFormatError, match=r"no plans\.yaml"):
        load_taxonomy(tmp_path)


def test_to_json_carries_sources_paths_and_counts(tx):
    doc = to_json(tx)
    assert doc["taxonomy_version"] == tx.version
    assert doc["counts"] == tx.counts()
    design = next(n for n in doc["industries"] if n["id"] == "ic-design")
    assert design["path_zh"] == "集成电路 > 芯片设计"
    assert design["sources"][0] == {"plan": "sh-advanced-manufacturing-14fyp", "section": "三、(一)1",
                                    "evidence": "提升芯片设计、制造封测、装备材料全产业链能级"}
    assert {r["industry"] for r in doc["relations"]} == {"ic", "biomed", "biomed-devices"}
