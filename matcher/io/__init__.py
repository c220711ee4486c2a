"""Reading lead lists (CSV in any common encoding, XLSX, JSONL) and writing results."""

from matcher.io.reader import LeadFile, detect_encoding, open_leads
from matcher.io.writer import flatten_record, safe_cell, write_results

__all__ = ["LeadFile", "detect_encoding", "flatten_record", "open_leads", "safe_cell",
           "write_results"]
