"""A small streaming multipart/form-data parser for uploads.

Why not tornado's ``parse_body_arguments``: it needs the whole body in memory. This parser is
fed the body chunk by chunk as tornado receives it (``data_received``): the file part goes
straight to a sink (a temporary file), small text fields are kept in memory with a size cap.
Only what the upload form sends is accepted (one part named ``file`` plus known text fields);
anything else is a 400 that says what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import Message

from ..errors import InvalidInput
from ..messages import msg

__all__ = ["MultipartParser", "boundary_of"]

MAX_HEADER_BYTES = 16 * 1024
MAX_FIELD_BYTES = 64 * 1024
MAX_PARTS = 32


def _bad(problem: str) -> InvalidInput:
    return InvalidInput(msg("upload.bad_multipart", problem=problem), details={"field": "body"})


def boundary_of(content_type: str) -> bytes:
    """The boundary of a ``multipart/form-data; boundary=...`` Content-Type, or a 400."""
    message = Message()
    message["content-type"] = content_type
    boundary = message.get_param("boundary")
    if not isinstance(boundary, str) or not 1 <= len(boundary) <= 200:
        raise InvalidInput(msg("upload.no_boundary"), details={"field": "Content-Type"})
    return boundary.encode("latin-1", "replace")


class MultipartParser:
    """Feed body chunks with :meth:`feed`, then call :meth:`close`.

    ``on_file(filename)`` is called when the file part starts and returns a callable that takes
    the file's bytes. Text fields end up in :attr:`fields` (decoded as UTF-8).
    """

    def __init__(self, boundary: bytes, fields: tuple[str, ...],
                 on_file: Callable[[str], Callable[[bytes], None]]):
        self.delimiter = b"\r\n--" + boundary
        self.allowed = fields
        self.on_file = on_file
        self.fields: dict[str, str] = {}
        self.filename: str | None = None
        self._buffer = b"\r\n"  # so the first boundary looks like every other one
        self._state = "preamble"
        self._parts = 0
        self._sink: Callable[[bytes], None] | None = None
        self._field: str | None = None
        self._value = bytearray()

    # -- feeding ---------------------------------------------------------------------
    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        while self._step():
            pass

    def close(self) -> None:
        if self._state != "done":
            raise _bad("the body ended before the closing boundary")
        if self.filename is None:
            raise InvalidInput(msg("upload.no_file"), details={"field": "file"})

    # -- states ----------------------------------------------------------------------
    def _step(self) -> bool:
        """Consume what the buffer allows; True if it should be called again."""
        if self._state == "preamble":
            at = self._buffer.find(self.delimiter)
            if at < 0:
                if len(self._buffer) > MAX_HEADER_BYTES:
                    raise _bad("no boundary found at the start of the body")
                return False
            self._buffer = self._buffer[at + len(self.delimiter):]
            self._state = "after_boundary"
            return True
        if self._state == "after_boundary":
            if len(self._buffer) < 2:
                return False
            if self._buffer.startswith(b"--"):
                self._state, self._buffer = "done", b""
                return False
            if not self._buffer.startswith(b"\r\n"):
                raise _bad("a boundary line must end with CRLF")
            self._buffer = self._buffer[2:]
            self._state = "headers"
            return True
        if self._state == "headers":
            at = self._buffer.find(b"\r\n\r\n")
            if at < 0:
                if len(self._buffer) > MAX_HEADER_BYTES:
                    raise _bad("part headers are too long")
                return False
            self._start_part(self._buffer[:at])
            self._buffer = self._buffer[at + 4:]
            self._state = "body"
            return True
        if self._state == "body":
            at = self._buffer.find(self.delimiter)
            if at < 0:
                keep = len(self.delimiter) - 1
                if len(self._buffer) > keep:
                    self._emit(self._buffer[:-keep])
                    self._buffer = self._buffer[-keep:]
                return False
            self._emit(self._buffer[:at])
            self._end_part()
            self._buffer = self._buffer[at + len(self.delimiter):]
            self._state = "after_boundary"
            return True
        return False  # done: ignore the epilogue

    def _start_part(self, raw: bytes) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise _bad(f"more than {MAX_PARTS} parts")
        message = Message()
        for line in raw.decode("utf-8", "replace").split("\r\n"):
            name, sep, value = line.partition(":")
            if not sep:
                raise _bad(f"bad part header line {line[:60]!r}")
            message[name.strip()] = value.strip()
        if message.get_content_disposition() != "form-data":
            raise _bad("every part needs Content-Disposition: form-data")
        name = message.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            raise _bad("a part has no name")
        if name == "file":
            if self.filename is not None:
                raise InvalidInput(msg("upload.two_files"), details={"field": "file"})
            filename = message.get_filename()
            self.filename = filename if isinstance(filename, str) else ""
            self._sink = self.on_file(self.filename)
            self._field = None
        elif name in self.allowed:
            if name in self.fields:
                raise _bad(f"field {name!r} appears twice")
            self._field, self._sink = name, None
            self._value = bytearray()
        else:
            raise InvalidInput(msg("upload.unknown_part", field=name[:60],
                                   known=", ".join(("file", *self.allowed))),
                               details={"field": name[:60], "known": ["file", *self.allowed]})

    def _emit(self, data: bytes) -> None:
        if not data:
            return
        if self._sink is not None:
            self._sink(data)
        else:
            self._value += data
            if len(self._value) > MAX_FIELD_BYTES:
                raise InvalidInput(msg("upload.field_too_long", field=self._field,
                                       limit=MAX_FIELD_BYTES), details={"field": self._field})

    def _end_part(self) -> None:
        if self._field is not None:
            try:
                self.fields[self._field] = bytes(self._value).decode("utf-8")
            except UnicodeDecodeError:
                raise _bad(f"field {self._field!r} is not UTF-8 text") from None
        self._field, self._sink = None, None
