"""A memory that rarely answers goes idle (calls computed directly, same answers); one that
answers often stays on; memories that may not idle never do; the row memory of a list that does not repeat its rows
goes idle and the rows are still scored the same."""

from __future__ import annotations

from matcher.memo import LRU, _remember


def _counted():
    calls = []

    def square(x):
        calls.append(x)
        return {"x": x, "sq": x * x}

    return square, calls


def test_a_memory_without_hits_goes_idle_and_answers_the_same():
    fn, _calls = _counted()
    memory = LRU(64, may_idle=True)
    remembered = _remember(fn, memory)
    answers = [remembered(i) for i in range(3 * LRU.IDLE_AFTER)]
    assert answers == [{"x": i, "sq": i * i} for i in range(3 * LRU.IDLE_AFTER)]
    assert memory.idle and not memory.data
    assert remembered(5) == {"x": 5, "sq": 25}


def test_a_memory_with_hits_stays_on():
    fn, calls = _counted()
    memory = LRU(64, may_idle=True)
    remembered = _remember(fn, memory)
    for i in range(3 * LRU.IDLE_AFTER):
        assert remembered(i % 10) == {"x": i % 10, "sq": (i % 10) ** 2}
    assert not memory.idle and len(calls) == 10


def test_a_memory_that_may_not_idle_never_does():
    fn, _calls = _counted()
    memory = LRU(64)
    remembered = _remember(fn, memory)
    for i in range(3 * LRU.IDLE_AFTER):
        remembered(i)
    assert not memory.idle


class _CountingMatcher:
    """Scores a row as its description; counts the rows it really scored."""

    def __init__(self):
        from matcher.memo import RowMemory

        self.rows = RowMemory(64)
        self.scored = 0

    def match_many(self, raws):
        self.scored += len(raws)
        return [{"row": 0, "name": (r.get("name") or "").strip(), "text": r["description"]}
                for r in raws]


def test_the_row_memory_of_a_list_without_repeats_goes_idle_with_the_same_records():
    from matcher.batch import score_chunk

    matcher = _CountingMatcher()
    n = 3 * LRU.IDLE_AFTER
    chunk = [(i, {"name": f" 甲{i} ", "description": f"芯片{i}"}) for i in range(n)]
    records = [r for r, _ in score_chunk(matcher, chunk)]
    assert records == [{"row": i, "name": f"甲{i}", "text": f"芯片{i}"} for i in range(n)]
    more = [(n + i, {"name": "乙", "description": "芯片1"}) for i in range(3)]
    assert matcher.rows.idle
    assert [r for r, _ in score_chunk(matcher, more)] == \
        [{"row": n + i, "name": "乙", "text": "芯片1"} for i in range(3)]
    assert matcher.scored == n + 3


def test_the_row_memory_of_a_list_with_repeats_scores_each_row_once():
    from matcher.batch import score_chunk

    matcher = _CountingMatcher()
    chunk = [(i, {"name": f"甲{i}", "credit_code": str(i), "description": f"芯片{i % 7}"})
             for i in range(2 * LRU.IDLE_AFTER)]
    records = [r for r, _ in score_chunk(matcher, chunk[:100]) + score_chunk(matcher, chunk[100:])]
    assert records == [{"row": i, "name": f"甲{i}", "text": f"芯片{i % 7}"}
                       for i in range(2 * LRU.IDLE_AFTER)]
    assert matcher.scored == 7 and not matcher.rows.idle
