"""User-facing Python strings in one place, so translations can follow without code changes.

Use ``msg("key", **fields)``; keys are stable, texts are English until a catalogue
for the user's language is added.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["MESSAGES", "catalogue", "msg"]

MESSAGES: dict[str, str] = {
    "not_found.route": "No hubml API endpoint at {path}; see {base}hubml/api/openapi.json",
    "invalid.json": "The request body is not valid JSON: {problem}",
    "server.unexpected": "hubml hit an unexpected error; the server log has the details",
    "http.403": "Not allowed: authenticate with a Jupyter token (Authorization: token ...) or "
                "a logged-in session, with the _xsrf cookie for browser requests",
    "http.403_token": "Not allowed: the token sent is not allowed on this server (it may "
                      "belong to another user, or lack the access:servers scope for this "
                      "server). Use a token of this server's owner (on JupyterHub: from "
                      "{token_page}), or ask the owner to share the server with you",
    "http.405": "{method} is not allowed on {path}; see {base}hubml/api/openapi.json for what "
                "each endpoint accepts",
    "job.not_in_queue": "this job waited in a queue that no longer holds it (the project was "
                        "copied or moved while it waited), so it will not start; submit it "
                        "again",
    "store.unavailable": "the project's MLflow store did not answer ({cause}); a training job "
                         "may be writing to it: retry in a few seconds",
    # request parsing (server/parse.py)
    "invalid.type": "{field} must be of type {want}, not {got}",
    "invalid.too_long": "{field} is too long; the limit is {limit}",
    "invalid.unknown_field": "unknown field {field!r}; the fields are: {known}",
    "invalid.required": "{field} is required",
    "invalid.enum": "{field} must be one of {known}, not {value!r}",
    "invalid.range": "{field} must be a whole number from {low} to {high}, not {value}",
    "invalid.pattern": "{field} {value!r} does not match the pattern {pattern}",
    "invalid.body_object": "The request body must be a JSON object, not {got}",
    "invalid.query_text": "query argument {field!r} must be UTF-8 text without NUL bytes",
    "invalid.query_int": "query argument {field!r} must be a whole number from {low} to {high}, "
                         "not {value!r}",
    "invalid.bool": "{field} must be true or false, not {value!r}",
    "invalid.job_id": "a job id is 1 to 100 letters, digits, '-', '_' or '.'; take it from "
                      "GET projects/{{project}}/jobs",
    "invalid.nothing_to_change": "nothing to change: give at least one of {fields}",
    "invalid.too_many": "query argument {field!r} may be given at most {limit} times",
    # uploads (server/uploads.py, server/multipart.py)
    "upload.too_large": "the file is larger than this server accepts ({limit}); ask the "
                        "administrator to raise c.HubML.max_upload_bytes or upload a smaller "
                        "file",
    "upload.no_file": "the multipart body has no file field named 'file'",
    "upload.two_files": "send one file per upload (field 'file' appeared twice)",
    "upload.unknown_part": "unknown form field {field!r}; the fields are: {known}",
    "upload.field_too_long": "form field {field!r} is too long (at most {limit} bytes)",
    "upload.bad_multipart": "the multipart/form-data body is malformed: {problem}",
    "upload.no_boundary": "a multipart/form-data request needs a boundary in its Content-Type",
    "upload.filename": "{field} {value!r} is not a usable file name: give a plain name like "
                       "sales.csv (no folders, no leading dot, no control characters, at most "
                       "200 characters)",
    "upload.need_filename": "name the uploaded file: add ?filename=sales.csv to a raw upload",
    "upload.dataset_name": "cannot make a dataset name from {filename!r}; pass name= with "
                           "1 to 63 lower-case letters, digits, '-' or '_'",
    "upload.no_room": "data/ already holds {filename!r} and its numbered copies; rename the file",
    # imports (workspace/imports.py, workspace/text_import.py, workspace/json_import.py)
    "import.empty": "{file} is empty; upload a file with a header row and data",
    "import.unknown_format": "cannot tell the format of {file!r}; name it .csv, .tsv, "
                             ".parquet, .json, .jsonl or .xlsx, or pass format=",
    "import.bad_format": "format must be one of {known}, not {format!r}",
    "import.unknown_encoding": "unknown encoding {encoding!r}; use a name like utf-8, cp1251 "
                               "or latin-1",
    "import.wrong_encoding": "the file is not {encoding} ({where}); try another encoding, "
                             "e.g. cp1251 or latin-1",
    "import.no_encoding": "cannot detect the encoding; pass encoding=",
    "import.ragged": "{file} is not a regular table: line {line} has {got} fields where the "
                     "header has {want} ({text!r}). Fix that line or choose the right "
                     "delimiter",
    "import.unreadable": "{file} cannot be read as {format}: {problem}",
    "import.json_not_records": "{file} is a JSON array, but item {index} is not an object; "
                               "import an array of records like [{{\"a\": 1}}, ...] or JSON "
                               "lines",
    "import.no_rows": "{file} has a header ({columns}) but no rows of data; upload a file with "
                      "a header row and at least one row of data",
    "import.dropped_index": "dropped the unnamed first column: it only numbered the rows "
                            "({first} to {last}), as R's write.csv and pandas' to_csv write them",
    "import.kept_unnamed": "the first column has no name and is kept as {column!r}: its values "
                           "are not plain row numbers (rename it if it is an id)",
    "import.out_of_memory": "the file needs more memory than this server has; {file} "
                            "({size}) did not fit while it was {step}. Split it into smaller "
                            "files, or ask the administrator for a server with more memory",
    # dataset versions (workspace/dataset_changes.py)
    "dataset.unchanged": "dataset {name!r} is unchanged: version {version} already holds this "
                         "data, so no new version was made",
    "dataset.schema_changed": "the columns differ from version {version} of dataset {name!r} "
                              "({changes}); confirm to save it as version {next} anyway "
                              "(SDK: allow_schema_change=True; REST: confirm_schema_change=true), "
                              "or save it under another name",
    "dataset.added": "added {columns}",
    "dataset.removed": "removed {columns}",
    "dataset.changed": "changed {columns}",
    # templates and scripts
    "template.unknown": "unknown template {template!r}; templates: {known}",
    "script.exists": "{path} already exists in project {project!r}; choose another name",
    "script.no_dataset": "project {project!r} has no dataset yet; upload or save one first, "
                         "then create the script for it",
    "script.unknown_target": "dataset {dataset!r} has no column {target!r}; its columns are: "
                             "{known}",
    # models
    "export.unknown_format": "model {name!r} version {version} has no export format "
                             "{format!r}; its formats are: {known}",
    "model.no_run": "model {name!r} version {version} has no training run",
}


def msg(key: str, **fields) -> str:
    return MESSAGES[key].format(**fields)


def catalogue(local: dict[str, str]) -> Callable[..., str]:
    """A ``msg`` for a module's own texts: a key in ``MESSAGES`` wins over ``local``.

    Modules keep their texts in ``local`` until they move here; looking here first lets a
    translated text in this catalogue take over without editing them.
    """

    def lookup(key: str, **fields) -> str:
        template = MESSAGES.get(key) or local[key]
        return template.format(**fields)

    return lookup
