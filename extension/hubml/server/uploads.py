"""One upload: stream the body to a temporary file in the project's data/ folder, then parse
it, store it under a unique name and (optionally) save it as a dataset version.

The size limit is enforced while streaming: past it the temporary file is removed and the
rest of the body is discarded, so a refused upload leaves nothing behind. Parsing happens
before the file takes its final name, so an unreadable file leaves nothing behind either.
Parsing reads the temporary file in blocks into an Arrow table (``workspace.imports.read_data``),
which is saved as it is: no copy of the file's bytes or text is held in memory.
"""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from ..errors import HubMLError, InvalidInput, TooLarge
from ..messages import msg
from ..workspace.names import check_name, inside
from ..workspace.storage import TMP_PREFIX
from .multipart import MultipartParser, boundary_of
from .parse import parse_bool

__all__ = ["FIELDS", "PREVIEW_ROWS", "Upload", "check_filename"]

FIELDS = ("name", "format", "encoding", "delimiter", "save", "description",
          "confirm_schema_change")
PREVIEW_ROWS = 20
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f/\\]")
_NOT_SLUG = re.compile(r"[^a-z0-9_-]+")


def check_filename(value, field: str = "filename") -> str:
    if (not isinstance(value, str) or not value or len(value) > 200 or value.startswith(".")
            or _BAD_CHARS.search(value) or value.strip() != value):
        raise InvalidInput(msg("upload.filename", field=field, value=str(value)[:60]),
                           details={"field": field})
    return value


def _dataset_name(filename: str) -> str:
    stem = _NOT_SLUG.sub("-", Path(filename).stem.lower()).strip("-_")[:63].strip("-_")
    if not stem:
        raise InvalidInput(msg("upload.dataset_name", filename=filename), details={"field": "name"})
    return stem


def _limit_text(limit: int) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if limit >= size:
            return f"{limit / size:g} {unit}"
    return f"{limit} bytes"


class Upload:
    """Created in the handler's ``prepare``; fed by ``data_received``; finished in ``post``."""

    def __init__(self, project, limit: int, content_type: str, options: dict[str, str]):
        self.project, self.limit = project, limit
        self.options = dict(options)
        self.error: HubMLError | None = None
        self.received = 0
        self.tmp_path: Path | None = None
        self._file = None
        self._made_data_dir = False
        self.data_dir = inside(project.path, "data")
        if content_type.split(";")[0].strip().lower() == "multipart/form-data":
            self.parser = MultipartParser(boundary_of(content_type), FIELDS, self._open)
        else:
            self.parser = None
            self.filename = check_filename(self.options.get("filename"), "filename") \
                if self.options.get("filename") is not None else None
            if self.filename is None:
                raise InvalidInput(msg("upload.need_filename"), details={"field": "filename"})
            self._check_options(self.options)
            self._open(self.filename)

    @staticmethod
    def too_large_error(limit: int) -> TooLarge:
        return TooLarge(msg("upload.too_large", limit=_limit_text(limit)),
                        details={"field": "file", "limit": limit})

    # -- streaming ---------------------------------------------------------------------
    def _open(self, filename: str):
        self.filename = check_filename(filename, "file")
        if not self.data_dir.is_dir():
            self.data_dir.mkdir(parents=True)
            self._made_data_dir = True
        self.tmp_path = self.data_dir / f"{TMP_PREFIX}upload-{uuid.uuid4().hex}"
        self._file = open(self.tmp_path, "xb")
        return self._write

    def _write(self, data: bytes) -> None:
        self.received += len(data)
        if self.received > self.limit:
            raise self.too_large_error(self.limit)
        self._file.write(data)

    def feed(self, chunk: bytes) -> None:
        if self.error is not None:
            return  # discard the rest of a refused body
        try:
            if self.parser is not None:
                self.parser.feed(chunk)
            else:
                self._write(chunk)
        except HubMLError as exc:
            self.error = exc
            self.discard()

    def discard(self) -> None:
        """Remove whatever this upload left on disk (safe to call more than once)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.tmp_path is not None:
            self.tmp_path.unlink(missing_ok=True)
            self.tmp_path = None
        if self._made_data_dir:
            try:
                self.data_dir.rmdir()
            except OSError:
                pass
            self._made_data_dir = False

    # -- finishing -----------------------------------------------------------------------
    def _check_options(self, options: dict) -> dict:
        from ..workspace.imports import FORMATS

        fmt = options.get("format") or None
        if fmt is not None and fmt not in FORMATS:
            raise InvalidInput(f"format must be one of {', '.join(FORMATS)}, not {fmt[:40]!r}",
                               details={"field": "format"})
        delimiter = options.get("delimiter") or None
        if delimiter in ("tab", "\\t"):
            delimiter = "\t"
        if delimiter is not None and (len(delimiter) != 1 or delimiter in "\r\n\"\x00"):
            raise InvalidInput(f"delimiter must be one character (or 'tab'), not "
                               f"{delimiter[:20]!r}", details={"field": "delimiter"})
        encoding = options.get("encoding") or None
        if encoding is not None and (len(encoding) > 40 or "\x00" in encoding):
            raise InvalidInput("encoding must be a name like utf-8, cp1251 or latin-1",
                               details={"field": "encoding"})
        name = options.get("name") or None
        if name is not None:
            check_name("dataset", name)
        description = options.get("description") or ""
        if len(description) > 10_000:
            raise InvalidInput("description is too long (at most 10000 characters)",
                               details={"field": "description"})
        return {"format": fmt, "delimiter": delimiter, "encoding": encoding, "name": name,
                "description": description,
                "save": parse_bool(options.get("save"), "save", True),
                "confirm_schema_change": parse_bool(options.get("confirm_schema_change"),
                                                    "confirm_schema_change", False)}

    def finish(self) -> dict:
        """Parse, store and save; runs in a worker thread. Returns the body: 201, or 200 when
        ``unchanged`` (the latest version holds this data; nothing was written)."""
        try:
            if self.error is not None:
                raise self.error
            if self.parser is not None:
                self.parser.close()
                self.options.update(self.parser.fields)
            options = self._check_options(self.options)
            self._file.close()
            self._file = None
            return self._store(options)
        finally:
            self.discard()

    def _store(self, options: dict) -> dict:
        from ..workspace.imports import out_of_memory, read_data

        df, details = read_data(self.tmp_path, name=self.filename, format=options["format"],
                                encoding=options["encoding"], delimiter=options["delimiter"])
        name = options["name"] or (_dataset_name(self.filename) if options["save"] else None)
        final = self._link_unique()
        try:
            version = None
            if options["save"]:
                details["file"] = final.name
                version = self.project.save_dataset(
                    name, df, options["description"],
                    source={"type": "upload", "path": f"data/{final.name}", **details},
                    allow_schema_change=options["confirm_schema_change"])
        except MemoryError:  # also pyarrow's ArrowMemoryError, from writing or statistics
            final.unlink(missing_ok=True)
            raise out_of_memory(self.filename, details["bytes"], "saved") from None
        except BaseException:
            final.unlink(missing_ok=True)
            raise
        notes = details.get("notes", [])
        if version is not None and version.unchanged:  # the raw copy would be a duplicate
            final.unlink(missing_ok=True)
            source = version.meta.get("source") or {}
            return {"raw": source.get("path"), "dataset": version.to_json(), "unchanged": True,
                    "message": msg("dataset.unchanged", name=name, version=version.version),
                    "notes": notes, "preview": _preview(df)}
        self._made_data_dir = False  # it holds the stored file now
        return {"raw": f"data/{final.name}", "dataset": version.to_json() if version else None,
                "unchanged": False, "notes": notes, "preview": _preview(df)}

    def _link_unique(self) -> Path:
        stem, suffix = Path(self.filename).stem, Path(self.filename).suffix
        for n in range(1000):
            candidate = self.filename if n == 0 else f"{stem}-{n}{suffix}"
            target = inside(self.data_dir, candidate)
            try:
                os.link(self.tmp_path, target)  # fails if it exists: never overwrites
                return target
            except FileExistsError:
                continue
        raise InvalidInput(msg("upload.no_room", filename=self.filename), details={"field": "file"})


def _preview(data) -> dict:
    """The first rows of a DataFrame or an Arrow table (only those rows become pandas)."""
    from ..workspace.schema import pandas_dtypes
    from .jsonsafe import json_value

    if hasattr(data, "iloc"):
        head, dtypes = data.head(PREVIEW_ROWS), list(data.dtypes.items())
    else:
        head, dtypes = data.slice(0, PREVIEW_ROWS).to_pandas(), pandas_dtypes(data)
    rows = [json_value(list(r)) for r in head.astype(object).itertuples(index=False)]
    return {"columns": [str(c) for c, _ in dtypes], "dtypes": [str(t) for _, t in dtypes],
            "rows": rows, "offset": 0, "limit": PREVIEW_ROWS, "total": len(data)}
