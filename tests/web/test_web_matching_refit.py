"""The web's matcher after taxonomy changes: while a model is fitted the previous matcher
answers; a build for a version the taxonomy has moved past never replaces the current one,
whatever order the builds end in; wait_until_current waits for the current version."""

from __future__ import annotations

import threading
import time

PLAN = "sh-future-industries"


def test_a_build_that_ends_late_does_not_replace_a_newer_matcher(taxonomy_copy, monkeypatch):
    from taxonomy import get_taxonomy
    from taxonomy.plans import set_plan_status
    from web.services import matching

    v0 = matching.wait_until_current().version
    real = matching.get_matcher
    gates = {"superseded": threading.Event(), "draft": threading.Event()}
    built: dict[str, str] = {}

    def gated():  # the real build, held before it is served until the test says so
        m = real()
        status = m.taxonomy.plan_by_id[PLAN].status
        built[status] = m.version
        gates[status].wait(60)
        return m

    monkeypatch.setattr(matching, "get_matcher", gated)
    set_plan_status(plan_id=PLAN, status="draft", data_dir=taxonomy_copy, who="t")
    v1 = get_taxonomy().version
    assert matching.current_matcher().version == v0  # the previous one answers meanwhile
    first = matching._state["thread"]
    deadline = time.monotonic() + 60
    while "draft" not in built:  # the first build has made its (soon stale) matcher
        assert time.monotonic() < deadline
        time.sleep(0.01)

    set_plan_status(plan_id=PLAN, status="superseded", data_dir=taxonomy_copy, who="t")
    v2 = get_taxonomy().version
    assert len({v0, v1, v2}) == 3
    assert matching.current_matcher().version == v0
    second = matching._state["thread"]
    assert second is not first
    gates["superseded"].set()
    second.join(60)
    assert matching.current_matcher().version == v2
    gates["draft"].set()  # the stale build ends last
    first.join(60)
    assert built["draft"] == v1
    assert matching.current_matcher().version == v2
    assert matching.wait_until_current().version == v2
