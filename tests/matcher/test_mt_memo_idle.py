"""A memory that rarely answers goes idle (calls computed directly, same answers); one that
answers often stays on; memories that may not idle (whole profiles) never do."""

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
