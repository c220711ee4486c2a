"""What a batch worker keeps between chunks stays small: its memories hold 16-byte digests as
keys (not the probability vectors, profiles and place lists they are keyed on), and the chunk
size (how many rows' features and records are alive at once) is the same for the command line
and the library."""

from __future__ import annotations

from matcher import get_matcher
from matcher.batch import CHUNK_SIZE
from matcher.cli import build_parser
from matcher.memo import remembering

ROWS = [{"description": d, "land": land} for d in ("集成电路设计与制造", "细胞治疗药物研发生产",
                                                   "工业机器人减速器") for land in ("20亩", "150亩")]


def test_memories_hold_digests_not_arguments():
    fast = remembering(get_matcher())
    fast.match_many(ROWS)
    memories = [fast.scorer._proba, fast._record.memory, *fast.locations._memories.values(),
                *fast.policies._memories.values()]
    keys = [k for memory in memories for k in memory.data]
    assert keys and all(isinstance(k, bytes) and len(k) == 16 for k in keys)
    assert fast.match_many(ROWS) == get_matcher().match_many(ROWS)


def test_the_command_line_chunks_as_the_library_does():
    args = build_parser().parse_args(["score", "leads.csv", "-o", "out.jsonl"])
    assert args.chunk_size == CHUNK_SIZE
