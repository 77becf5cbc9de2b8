"""What a text file is, told from its first 64 KiB: the encoding and the delimiter.

Only the prefix is decoded, never the whole file, so sniffing costs the same for 1 KB and 1 GB.
A prefix can look like UTF-8 when a later line is not (an ASCII header and a Cyrillic row far
down): the readers notice that and try the next encoding of :data:`GUESSES`.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidInput
from ..messages import msg

__all__ = ["GUESSES", "PREFIX_BYTES", "Source", "arrow_encoding", "detect_encoding",
           "sniff_delimiter"]

PREFIX_BYTES = 64 * 1024
# tried in order; cp1251 before latin-1 for Russian users (latin-1 decodes any byte, so last)
GUESSES = ("utf-8-sig", "cp1251", "latin-1")


@dataclass
class Source:
    """A file on disk or bytes in memory, with the prefix that sniffing looks at."""

    path: Path | None
    data: bytes | None
    prefix: bytes
    size: int

    @classmethod
    def of(cls, source) -> Source:
        if isinstance(source, (str, Path)):
            path = Path(source)
            with open(path, "rb") as f:
                prefix = f.read(PREFIX_BYTES)
            return cls(path, None, prefix, path.stat().st_size)
        data = bytes(source)
        return cls(None, data, data[:PREFIX_BYTES], len(data))

    @property
    def complete(self) -> bool:
        """True if the prefix is the whole file."""
        return self.size <= len(self.prefix)

    def arrow_input(self):
        """Something pyarrow's readers take: the path (they read it in blocks) or a buffer."""
        import pyarrow as pa

        return str(self.path) if self.path is not None else pa.BufferReader(self.data)

    def binary(self):
        """A binary file object for readers written in Python."""
        return open(self.path, "rb") if self.path is not None else io.BytesIO(self.data)


def _decodes(prefix: bytes, encoding: str, complete: bool) -> UnicodeDecodeError | None:
    try:
        # incremental: a character cut at the end of the prefix is not an error
        codecs.getincrementaldecoder(encoding)().decode(prefix, final=complete)
    except UnicodeDecodeError as exc:
        return exc
    return None


def detect_encoding(source: Source, given: str | None) -> str:
    """The encoding to use (its Python name); checks a given one against the prefix."""
    if given:
        try:
            codecs.lookup(given)
        except LookupError:
            raise InvalidInput(msg("import.unknown_encoding", encoding=given),
                               details={"field": "encoding"}) from None
        problem = _decodes(source.prefix, given, source.complete)
        if problem is not None:
            raise InvalidInput(msg("import.wrong_encoding", encoding=given,
                                   where=f"byte {problem.start}"),
                               details={"field": "encoding"})
        return given
    for candidate in GUESSES:
        if _decodes(source.prefix, candidate, source.complete) is None:
            return candidate
    raise InvalidInput(msg("import.no_encoding"), details={"field": "encoding"})


def arrow_encoding(encoding: str) -> str:
    """pyarrow reads UTF-8 natively (and skips a BOM) only when told exactly 'utf8'; any other
    name makes it transcode through Python's codec, block by block."""
    return "utf8" if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig") else encoding


def prefix_text(source: Source, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)("replace").decode(source.prefix,
                                                                    final=source.complete)


def sniff_delimiter(source: Source, encoding: str, fmt: str) -> str:
    if fmt == "tsv":
        return "\t"
    lines = prefix_text(source, encoding).splitlines()
    if not source.complete and len(lines) > 1:
        lines = lines[:-1]  # the last line of a prefix is cut short
    try:
        return csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
