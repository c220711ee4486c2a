"""Batch-scoring jobs: stored uploads, column mapping, validation, and chunked scoring with
checkpoints.

The durable state is in the database: a `Job` row (status, progress, heartbeat, owner worker) and
one `JobChunk` row per scored chunk. A chunk's result files are written (atomically, fsynced)
before its `JobChunk` row and the job's progress are committed in one transaction; resuming a job
skips the chunks already recorded. Chunk boundaries are fixed by the job's `chunk_size`, so the
final files, assembled in chunk order, hold every input row exactly once and in order.

Files of a job live in JOBS_DIR/<random token>/: `input.<kind>` (the upload, never under the
user's file name), `chunks/` while it runs, then `result.jsonl`, `result.csv`, `result.xlsx`,
`errors.csv` and `result.flat.jsonl` (the flat rows the import page reads).

One module per concern: `paths` (folders, settings, atomic writes), `encoding`, `upload`,
`mapping` (the mapping form and preview), `validation` (the check report), `queue` (ownership,
cancel, progress, claim and heartbeat), `runner` (scoring a claimed job) and `results`.
"""

from matcher.errors import InputFileError
from web.services import NotFound, ServiceError
from web.services.jobs.encoding import (
    ENCODINGS,
    GB_FAMILY,
    decode_check,
    detect_file_encoding,
    same_family,
)
from web.services.jobs.errors import JobError, message_in
from web.services.jobs.mapping import (
    FIELD_LABELS,
    FIELDS,
    field_label,
    header_row_from_form,
    mapping_from_form,
    preview_rows,
    top_rows,
)
from web.services.jobs.paths import (
    chunk_files,
    input_path,
    job_folder,
    jobs_dir,
    mapping_of,
    setting,
    write_atomic,
)
from web.services.jobs.queue import (
    claim_job,
    delete_job,
    get_job,
    heartbeat,
    list_jobs,
    progress,
    release_job,
    request_cancel,
    start_job,
)
from web.services.jobs.results import (
    ERROR_COLUMNS,
    RESULT_FILES,
    assemble_results,
    build_xlsx,
    error_field,
    read_catalogue,
    read_flat,
    records_for,
    result_columns,
    result_path,
)
from web.services.jobs.runner import (
    JobRun,
    LostJob,
    score_chunk_to_files,
    set_matcher,
)
from web.services.jobs.upload import create_job, inspect_upload, open_job_file, store_upload
from web.services.jobs.validation import (
    MAX_REPORTED_PROBLEMS,
    VALIDATE_MAX_ROWS,
    Problem,
    ValidationReport,
    count_rows,
    credit_code_problem,
    row_problems,
    validate_file,
)

__all__ = [
    "ENCODINGS", "ERROR_COLUMNS", "FIELDS", "FIELD_LABELS", "GB_FAMILY",
    "MAX_REPORTED_PROBLEMS", "RESULT_FILES", "VALIDATE_MAX_ROWS", "InputFileError", "JobError",
    "JobRun", "LostJob", "NotFound", "Problem", "ServiceError", "ValidationReport",
    "assemble_results", "build_xlsx", "chunk_files", "claim_job", "count_rows", "create_job",
    "credit_code_problem", "decode_check", "delete_job", "detect_file_encoding", "error_field",
    "field_label", "get_job", "header_row_from_form", "heartbeat", "input_path",
    "inspect_upload", "job_folder", "jobs_dir", "list_jobs", "mapping_from_form", "mapping_of",
    "message_in", "open_job_file", "preview_rows", "progress", "read_catalogue", "read_flat", "records_for",
    "release_job", "request_cancel", "result_columns", "result_path", "row_problems", "same_family",
    "score_chunk_to_files", "set_matcher", "setting", "start_job", "store_upload", "top_rows",
    "validate_file", "write_atomic",
]
