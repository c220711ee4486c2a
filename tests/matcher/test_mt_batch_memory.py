"""What a batch worker keeps between chunks stays small: its memories hold 16-byte digests as
keys (not the probability vectors, profiles, rows and place lists they are keyed on; a few short
texts are their own keys), and the chunk
size (how many rows' features and records are alive at once) is the same for the command line
and the library."""

from __future__ import annotations

from matcher import get_matcher
from matcher.batch import CHUNK_SIZE, score_chunk
from matcher.cli import build_parser
from matcher.memo import PLAIN_KEY_CHARS, remembering

ROWS = [{"description": d, "land": land} for d in ("集成电路设计与制造", "细胞治疗药物研发生产",
                                                   "工业机器人减速器") for land in ("20亩", "150亩")]


def _small(key) -> bool:
    """A 16-byte digest, or a few short texts and numbers."""
    if isinstance(key, bytes):
        return len(key) == 16
    return isinstance(key, tuple) and all(type(a) in (str, int) for a in key) \
        and sum(len(a) for a in key if isinstance(a, str)) <= PLAIN_KEY_CHARS


def test_memories_hold_digests_not_arguments():
    fast = remembering(get_matcher())
    score_chunk(fast, list(enumerate(ROWS)))
    memories = [fast.rows.memory, *fast.locations._memories.values(),
                *fast.policies._memories.values()]
    keys = [k for memory in memories for k in memory.data]
    assert keys and all(_small(k) for k in keys)
    assert all(isinstance(k, bytes) and len(k) == 16 for k in fast.rows.memory.data)
    assert len(fast.rows.memory.data) == len(ROWS)
    texts = [k for k in fast.scorer._proba.data]
    assert texts and all(len(k[0]) <= PLAIN_KEY_CHARS if isinstance(k, tuple) else len(k) == 16
                         for k in texts)
    assert fast.match_many(ROWS) == get_matcher().match_many(ROWS)


def test_a_long_text_is_remembered_by_its_digest():
    fast = remembering(get_matcher())
    fast.match_many([{"description": "集成电路设计与制造。" * 200}])
    assert all(isinstance(k, bytes) and len(k) == 16 for k in fast.scorer._proba.data)


def test_the_command_line_chunks_as_the_library_does():
    args = build_parser().parse_args(["score", "leads.csv", "-o", "out.jsonl"])
    assert args.chunk_size == CHUNK_SIZE
