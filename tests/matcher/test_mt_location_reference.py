"""The location scorer's chunk path (evidence arrays, places ranked in evidence order, only the
places a rule or a wish changes made into objects, reasons built only for the listed places) gives
exactly what the plain per-row algorithm gives: every place of the row as an object with its
statements, scored by its own noisy-or, wishes put first, sorted by the rank key, the park list
following the districts, reasons and stale notes from all statements. The plain algorithm is
written out here, apart from the scorer's own code, so a change in either one shows."""

from __future__ import annotations

import copy
import dataclasses
import random
from operator import itemgetter

import pytest

from matcher import get_matcher, rules
from matcher.currency import stale_fields
from matcher.evaluate import DEFAULT_BENCHMARK, load_benchmark
from matcher.location import FLOOR, _Place
from tests.matcher.test_mt_chunks import generated_rows


def _places_rows(n: int, seed: int) -> list[dict]:
    """Generated rows with more wishes, addresses, land and hazardous chemicals than the
    chunk tests' list, so every rule and wish path ranks against the evidence."""
    rng = random.Random(seed)
    rows = generated_rows(n, seed)
    extra = ["石油化工新材料", "精细化工中间体生产", "hazardous chemical storage", "总部经济",
             "大飞机配套零部件生产", "mRNA疫苗研发", "集成电路设计", "动力电池"]
    for row in rows:
        if row["description"] and rng.random() < 0.35:
            row["description"] += "；" + rng.choice(extra)
        if rng.random() < 0.25:
            row["preferred_districts"] = rng.choice(
                ["浦东新区", "闵行", "Jiading", "临港", "张江", "金山", "黄浦", "松江, 青浦", "宝山"])
        if rng.random() < 0.2:
            row["land"] = rng.choice(["120亩", "300亩", "5亩"])
        if rng.random() < 0.2:
            row["address"] = rng.choice(["上海市金山区化学工业区", "上海市静安区南京西路1号",
                                         "上海市嘉定区安亭镇", "上海市浦东新区张江路1号"])
    return rows


def _recorded(matcher, rows) -> list[dict]:
    scorer = matcher.locations
    seen: list[dict] = []

    class Recording:
        def __getattr__(self, name):
            return getattr(scorer, name)

        def score_many(self, requests):
            seen.extend(requests)
            return scorer.score_many(requests)

    recording = copy.copy(matcher)
    recording.locations = Recording()
    recording.match_many(rows)
    return seen


@pytest.fixture(scope="module")
def requests():
    matcher = get_matcher()
    rows = [case["profile"] for case in load_benchmark(DEFAULT_BENCHMARK)] + _places_rows(400, 29)
    return matcher.locations, _recorded(matcher, rows)


# ---- the plain algorithm ---------------------------------------------------------------------
def _contributions(scorer, nodes, probs, where) -> list:
    out = []
    for m in nodes:
        pm = float(probs[m])
        for r, broader, aff in scorer._shares_of[m]:
            targets = scorer.evidence.by_place.get(r, {}).get(where)
            if not targets:
                continue
            share = (max(pm, float(probs[r])) if broader else pm) * aff
            for weight, zh, en, source in targets:
                value = share * weight
                if value > FLOOR:
                    out.append((value, zh, en, source))
    return out


def _rank_key(scorer, item):
    score, key, place = item
    if not scorer.stale:
        return (False, -score, key)
    current = any(c[3].plan not in scorer.stale for c in place.contributions) or any(
        src is not None and src.plan not in scorer.stale for _zh, _en, src in place.notes)
    return (not (current or (place.preferred and place.backed)), -score, key)


def _wishes_first(scored):
    best_other = max((score for score, _key, place in scored if not place.preferred), default=0.0)
    return [(min(1.0, best_other + 0.001) if place.preferred and place.backed and score < best_other
             else score, key, place) for score, key, place in scored]


def _reasons(place):
    items = sorted(place.contributions, key=itemgetter(0), reverse=True)
    zh_out, en_out, sources, seen, cited = [], [], [], set(), []
    for _value, zh, en, src in items:
        if zh in seen:
            if len(sources) < 6 and src.as_dict not in cited:
                cited.append(src.as_dict)
                sources.append(dict(src.as_dict))
            continue
        if len(zh_out) >= 3:
            continue
        seen.add(zh)
        zh_out.append(zh)
        en_out.append(en)
        cited.append(src.as_dict)
        sources.append(dict(src.as_dict))
    for zh, en, src in place.notes:
        if zh not in seen:
            seen.add(zh)
            zh_out.append(zh)
            en_out.append(en)
            if src is not None:
                sources.append(dict(src.as_dict))
    return zh_out, en_out, sources


def _stale(scorer, place) -> dict:
    plans = [c[3].plan for c in place.contributions]
    plans += [src.plan for _zh, _en, src in place.notes if src is not None]
    if not plans or any(p not in scorer.stale for p in plans):
        return {}
    return stale_fields([scorer.stale[p] for p in plans])


def _apply_rules(scorer, districts, parks, req):
    s, tx = scorer.settings, scorer.tx

    def note(place, rule, factor=1.0, lift=0.0):
        if rule.source.plan in tx.plan_by_id:
            place.factor *= factor
            place.lift = max(place.lift, lift)
            place.notes.append(scorer.rule_notes[rule.id])

    def place(code):
        return districts.setdefault(code, _Place())

    text = req["text"]
    if rules.is_manufacturing(text, req["project_type"], req["land_mu"]):
        for code in scorer.central & districts.keys():
            note(districts[code], rules.SUBURB_MANUFACTURING, factor=0.5)
    elif rules.is_service(text, req["project_type"], req["top_sector"]):
        for code in scorer.central:
            note(place(code), rules.CENTRAL_SERVICES, lift=0.3)
    if (req["land_mu"] or 0) >= s.large_land_mu:
        for code in scorer.central & districts.keys():
            districts[code].factor *= 0.6
        for code in scorer.bay:
            note(place(code), rules.BAY_LAND, lift=0.2)
    for zid in scorer.poles:
        if zid in parks and parks[zid].backed:
            note(parks[zid], rules.GROWTH_POLES, lift=s.pole_lift)
            for code in tx.zone_by_id[zid].district_codes[:1]:
                note(place(code), rules.GROWTH_POLES, lift=s.pole_lift)
    if rules.in_brand_park_scope(req["top_sector"]):
        for zid in scorer.brand_parks:
            code = tx.zone_by_id[zid].district_codes[0]
            if code in districts and districts[code].backed:
                note(parks.setdefault(zid, _Place()), rules.BRAND_PARKS, lift=s.pole_lift)
    if rules.needs_chemical_park(text) and scorer.chemical_parks:
        for zid in scorer.chemical_parks:
            note(parks.setdefault(zid, _Place()), rules.CHEMICAL_PARK, lift=0.6)
            for code in tx.zone_by_id[zid].district_codes:
                note(place(code), rules.CHEMICAL_PARK, lift=0.45)


def _wish(place, lift, zh, en, preferred=True):
    place.lift = max(place.lift, lift)
    place.preferred = place.preferred or preferred
    place.notes.append((zh, en, None))


def plain(scorer, req) -> tuple[list[dict], list[dict]]:
    """One row's districts and parks, every place an object with all its statements."""
    s, tx = scorer.settings, scorer.tx
    nodes = list(dict.fromkeys(req["matched"]))
    districts, parks = {}, {}
    for where in scorer.evidence.places:
        found = _contributions(scorer, nodes, req["probs"], where)
        if found:
            (parks if where[0] else districts)[where[1]] = _Place(contributions=found)
    _apply_rules(scorer, districts, parks, req)
    boost = s.preference_boost
    for code in req["preferred_codes"]:
        if code in tx.district_by_code:
            _wish(districts.setdefault(code, _Place()), boost, "您的意向区域", "your preferred district")
    for zid in req["preferred_zones"]:
        _wish(parks.setdefault(zid, _Place()), boost, "您的意向园区", "your preferred park")
    named = set(req["named_codes"])
    for zid in req["named_zones"]:
        named.update(tx.zone_by_id[zid].district_codes[:1])
        _wish(parks.setdefault(zid, _Place()), boost * 0.8, "描述中提到该园区", "named in the description")
    for code in sorted(named):
        if code in tx.district_by_code:
            _wish(districts.setdefault(code, _Place()), boost * 0.8, "描述中提到该区域",
                  "named in the description")
    if req["current_code"] in tx.district_by_code:
        _wish(districts.setdefault(req["current_code"], _Place()), req["current_lift"],
              "企业现址所在区", "where the company already is", req["current_expands"])

    def score(place):
        return place.score(*scorer._damping)

    scored = _wishes_first([(score(p), code, p) for code, p in districts.items() if p.backed or p.notes])
    scored = sorted((x for x in scored if x[0] >= s.location_threshold),
                    key=lambda x: _rank_key(scorer, x))[: s.top_districts]
    out_d = []
    for sc, code, place in scored:
        d = tx.district_by_code[code]
        zh, en, sources = _reasons(place)
        out_d.append({"code": code, "name_zh": d.name_zh, "name_en": d.name_en,
                      "score": round(sc, 4), "reasons": zh, "reasons_en": en, "sources": sources,
                      **_stale(scorer, place)})
    scored = _wishes_first([(score(p), zid, p) for zid, p in parks.items()
                            if zid not in scorer.areas and score(p) >= s.location_threshold])
    scored.sort(key=lambda x: _rank_key(scorer, x))
    picked = []
    for code in [d["code"] for d in out_d][: s.park_districts]:
        for item in scored:
            if item not in picked and list(tx.zone_by_id[item[1]].district_codes[:1]) == [code]:
                picked.append(item)
                break
    top = sorted((picked + [x for x in scored if x not in picked])[: s.top_parks],
                 key=lambda x: _rank_key(scorer, x))
    out_p = []
    for sc, zid, place in top:
        z = tx.zone_by_id[zid]
        zh, en, sources = _reasons(place)
        out_p.append({"id": zid, "name_zh": z.name_zh, "name_en": z.name_en, "kind": z.kind,
                      "district_code": z.district_codes[0] if z.district_codes else None,
                      "score": round(sc, 4), "reasons": zh, "reasons_en": en, "sources": sources,
                      **_stale(scorer, place)})
    return out_d, out_p


# ---- the tests ---------------------------------------------------------------------------------
def test_a_chunk_ranks_and_explains_places_as_the_plain_algorithm(requests):
    scorer, seen = requests
    assert len(seen) > 500
    chunk = scorer.score_many(seen)
    want = [plain(scorer, req) for req in seen]
    for got, expected in zip(chunk, want, strict=True):
        assert got == expected
    assert [scorer.score(**req) for req in seen[:60]] == want[:60]  # one row at a time
    listed = [x for districts, parks in chunk for x in districts + parks]
    # what the comparison covered: stale and current places, wishes, every rule's note
    assert any(x.get("stale") for x in listed) and any(not x.get("stale") for x in listed)
    notes = {r for x in listed for r in x["reasons_en"]}
    assert {"your preferred district", "where the company already is"} <= notes
    for rule in rules.ALL_RULES:
        assert scorer.rule_notes[rule.id][1] in notes, rule.id
    assert any(len(x["sources"]) >= 4 for x in listed)


def test_without_stale_plans_the_chunk_ranks_as_the_plain_algorithm(requests):
    """Ranking with no stale plans (every place current) goes by score alone."""
    scorer, seen = requests
    fresh = type(scorer)(scorer.tx, scorer.node_ids, scorer.settings, {})
    assert not fresh.stale
    got = fresh.score_many(seen[:300])
    assert got == [plain(fresh, req) for req in seen[:300]]
    assert not any(x.get("stale") for districts, parks in got for x in districts + parks)


def test_drop_mode_chunk_ranks_as_the_plain_algorithm(requests):
    scorer, seen = requests
    drop = type(scorer)(scorer.tx, scorer.node_ids,
                        dataclasses.replace(scorer.settings, stale_plans="drop"), scorer.stale)
    assert drop.score_many(seen[:300]) == [plain(drop, req) for req in seen[:300]]


def _plain_places_in_text(scorer, text: str) -> tuple[list[str], list[str]]:
    """Every position of every Chinese run, every name length (longest first); every English
    word with the next two, one and none."""
    import re

    names = scorer._text_names
    lengths = sorted({len(k) for k in names if len(k) <= 16}, reverse=True)
    found = set()
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        for i in range(len(run) - 1):
            hit = next((names[run[i:i + n]] for n in lengths
                        if i + n <= len(run) and run[i:i + n] in names), None)
            if hit:
                found.add(hit)
    words = re.findall(r"[a-z0-9]+", text)
    for i in range(len(words)):
        hit = next((names[" ".join(words[i:i + k])] for k in (3, 2, 1)
                    if " ".join(words[i:i + k]) in names), None)
        if hit:
            found.add(hit)
    return (sorted(k for kind, k in found if kind == "district"),
            sorted(k for kind, k in found if kind == "zone"))


def test_places_in_text_are_those_of_the_plain_scan(requests):
    from matcher.text import normalize

    scorer, seen = requests
    rng = random.Random(5)
    names = sorted(scorer._text_names)
    texts = [req["text"] for req in seen]
    for _ in range(1500):
        parts = [rng.choice(names) for _ in range(rng.randint(1, 4))]
        texts.append(normalize(rng.choice(["", "位于", "near ", "考虑"])
                               + rng.choice([" ", "", "和", " and "]).join(parts)
                               + rng.choice(["", "附近", " area"])))
    got = [scorer.places_in_text(t) for t in texts]
    assert got == [_plain_places_in_text(scorer, t) for t in texts]
    assert sum(bool(codes or zones) for codes, zones in got) > 1000
