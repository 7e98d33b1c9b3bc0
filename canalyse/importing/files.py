"""Bytes to raw tables: recognise the file, decode it, unzip it, split it into a grid of cells.

Nothing here interprets headers or values: a RawTable is the grid as written, so the layout code
can find the header row, totals rows and junk rows itself. Every failure on bad input becomes an
ImportRefused whose message tells the user what to do.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import lzma
import re
import string
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

import pandas as pd

from canalyse.errors import ImportRefused
from canalyse.importing import spreadsheetml

logger = logging.getLogger(__name__)

MAX_UNCOMPRESSED = 512 * 1024 * 1024
"""Refuse an archive (or workbook) whose entries would expand to more than this many bytes."""
MAX_ARCHIVE_ENTRIES = 500
"""Refuse an archive holding more entries than this: each table costs its own reading and
recognising, and no platform's export comes near (TikTok's, the largest, holds about ten)."""
STREAM_MIN_BYTES = 4 * 1024 * 1024
"""Text tables at least this big are cleaned into a UTF-8 file that DuckDB reads where it lies,
instead of becoming a grid of Python strings (see `TextFile`)."""
MAX_GRID_BYTES = 64 * 1024 * 1024
"""The largest text a table may have when it must still become a grid of Python strings (a
hand-made table, a layout whose rules need the grid, a file DuckDB cannot split): the grid takes
about fifteen times the text's size in memory."""
MAX_COLUMNS = 2000
"""No real export comes near this; more columns means a wrong separator or a damaged file."""
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_SIZE = 10 * 1024 * 1024
"""Entries smaller than this may compress as well as they like (a column of zeros does)."""

SEPARATORS = (",", ";", "\t", "|")
TEXT_EXTENSIONS = frozenset({".csv", ".tsv", ".txt"})
WORKBOOK_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
ARCHIVE_EXTENSIONS = frozenset({".zip"})
NAME_JOINER = " › "

SNIFF_LINES = 50
HEAD_LINES = 200

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_OTHER_BINARY_MAGICS = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"BZh",
)
# An OLE container holding this stream is an encrypted (password-protected) Office file.
_ENCRYPTED_OLE_MARK = "EncryptedPackage".encode("utf-16-le")
# The C parser needs a one-byte separator; a declared letter or quote would be nonsense anyway.
_DECLARABLE_SEPARATORS = frozenset(string.punctuation + "\t") - set("\"'\\")
_SEP_LINE = re.compile(r'\s*"?sep=(\\t|[^"\n])"?[ \r]*')
# What zipfile and its decompressors raise for damaged data (it does not wrap them).
_DAMAGED_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
)
_MARKUP_START = re.compile(r"\s*<(?:!doctype|html|\?xml|table|workbook)", re.IGNORECASE)
_UNUSED_SEPARATORS = "\x1f\x1e\x1d\x1c\ue000"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_SAMPLE = 8192
# Share of the first records that must have the most common field count for a separator to be
# called consistent (a title line or two above the header are allowed).
_CONSISTENT_SHARE = 0.8


@dataclass(frozen=True)
class TextFile:
    """A text table written out clean for DuckDB: UTF-8, lines ending in "\n", no byte order
    mark, no NUL; `skip` leading lines (a `sep=` line) are not part of the grid. `size` is its
    size in bytes, `held` the size of the upload it came from (a file, or the zip holding it),
    which stays in memory while the table is read."""

    path: Path
    separator: str
    columns: int
    skip: int
    size: int
    held: int


class RawTable:
    """One grid of cells as written in a file or a sheet, without any header interpretation.

    `notes` say what had to be repaired to read it (records wrapped by a spreadsheet), as
    catalog keys and parameters for the import report. A big text table keeps its text in a
    file (`text`): `head` holds its first lines, enough to recognise it, and `cells` reads the
    whole grid only when asked.
    """

    def __init__(
        self,
        name: str,
        cells: pd.DataFrame | None = None,
        notes: list[tuple[str, dict]] | None = None,
        *,
        text: TextFile | None = None,
        head: pd.DataFrame | None = None,
    ) -> None:
        self.name = name
        self.notes = notes if notes is not None else []
        self.text = text
        self._cells = cells
        self._head = head

    @property
    def cells(self) -> pd.DataFrame:
        """Every cell of the table (read from its file on first use, for a big text table)."""
        if self._cells is None:
            assert self.text is not None
            if self.text.size > MAX_GRID_BYTES:
                raise ImportRefused(
                    "import.error.too_big_for_grid",
                    file=self.name,
                    size_mb=round(self.text.size / 1024**2),
                    max_mb=MAX_GRID_BYTES // 1024**2,
                )
            text = self.text.path.read_text(encoding="utf-8")
            self._cells = _parse_text(self.name, text, notes=self.notes)
        return self._cells

    @property
    def head(self) -> pd.DataFrame:
        """The first rows of the grid: all of it, unless it is a big text table."""
        return self._head if self._cells is None and self._head is not None else self.cells

    @property
    def streamable(self) -> bool:
        """True for a big text table whose body DuckDB can read where it lies."""
        return self.text is not None and self._head is not None and self._cells is None


@dataclass
class ReadResult:
    """The tables found in an uploaded file, and the archive entries that were not tables."""

    tables: list[RawTable]
    skipped: list[str] = field(default_factory=list)


Upload = bytes | Path
"""A file to import: its bytes (an upload), or its path on disk (the command line), read only as
far as needed: a big text file on disk is cleaned from the disk, never held in memory."""


def read_tables(file_name: str, data: Upload, workdir: Path | None = None) -> ReadResult:
    """Every table in an uploaded file (CSV/TSV/TXT, Excel workbook, or a zip of those).

    With a `workdir` (a folder that outlives the import), big text tables are cleaned into files
    there for DuckDB to read (`RawTable.text`) rather than read into memory.
    """
    if isinstance(data, Path):
        if workdir is not None and data.stat().st_size >= STREAM_MIN_BYTES:
            with data.open("rb") as source:
                if _looks_like_text(source.read(_CONTROL_SAMPLE)):
                    source.seek(0)
                    table = _stream_text(
                        file_name, file_name, source, workdir, next(_FILE_NUMBERS), 0
                    )
                    if table is not None:
                        return ReadResult([table])
                    # Not a table of text (markup): read in memory, as any small file, without
                    # cleaning it a second time from its bytes.
                    return _read(file_name, file_name, data.read_bytes(), 0, workdir=workdir)
        data = data.read_bytes()
    if workdir is not None and len(data) >= STREAM_MIN_BYTES and _looks_like_text(data):
        table = _stream_text(
            file_name, file_name, io.BytesIO(data), workdir, next(_FILE_NUMBERS), len(data)
        )
        if table is not None:
            return ReadResult([table])
    return _read(file_name, file_name, data, archive_depth=0, workdir=workdir)


def _read(
    display_name: str,
    file_name: str,
    data: bytes,
    archive_depth: int,
    workdir: Path | None = None,
) -> ReadResult:
    extension = PurePosixPath(file_name).suffix.lower()
    if _is_blank(data):
        raise ImportRefused("import.error.empty", file=display_name)

    if data.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        return _read_zip(display_name, extension, data, archive_depth, workdir)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OLE_MARK in data:
            raise ImportRefused("import.error.encrypted_workbook", file=display_name)
        return ReadResult(_read_workbook(display_name, data))
    if data.startswith(_OTHER_BINARY_MAGICS):
        raise ImportRefused("import.error.binary", file=display_name)

    text = _decode(display_name, data)
    if _is_blank(text):
        raise ImportRefused("import.error.empty", file=display_name)
    if _MARKUP_START.match(text[:1000]):
        if spreadsheetml.is_spreadsheetml(text):
            return ReadResult(_read_spreadsheetml(display_name, text))
        raise ImportRefused("import.error.markup", file=display_name)
    if extension in WORKBOOK_EXTENSIONS:
        raise ImportRefused("import.error.renamed_text", file=display_name, ext=extension)
    notes: list[tuple[str, dict]] = []
    cells = _parse_text(display_name, text, notes=notes)
    return ReadResult([RawTable(display_name, cells, notes)])


# --- Zip archives and workbooks ------------------------------------------------------------------


def _read_zip(
    display_name: str, extension: str, data: bytes, archive_depth: int, workdir: Path | None
) -> ReadResult:
    is_workbook_name = extension in WORKBOOK_EXTENSIONS
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _DAMAGED_ZIP_ERRORS:
        key = "import.error.corrupt_workbook" if is_workbook_name else "import.error.corrupt_zip"
        raise ImportRefused(key, file=display_name) from None

    _refuse_zip_bomb(display_name, infos)
    names = {info.filename for info in infos}
    opendocument = "mimetype" in names and "content.xml" in names
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names) or opendocument:
        return ReadResult(_read_workbook(display_name, data))
    return _read_archive(display_name, archive, infos, archive_depth, workdir, len(data))


def _refuse_zip_bomb(display_name: str, infos: list[zipfile.ZipInfo]) -> None:
    # Declared sizes are checked before anything is inflated; zipfile itself stops reading an
    # entry at its declared size, so a header that lies cannot make it expand further.
    if len(infos) > MAX_ARCHIVE_ENTRIES:
        raise ImportRefused(
            "import.error.zip_too_many_entries",
            file=display_name,
            count=len(infos),
            max=MAX_ARCHIVE_ENTRIES,
        )
    total = sum(info.file_size for info in infos)
    too_compressed = any(
        info.file_size > RATIO_CHECK_MIN_SIZE
        and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if total > MAX_UNCOMPRESSED or too_compressed:
        raise ImportRefused(
            "import.error.zip_too_large",
            file=display_name,
            size_mb=round(total / 1024**2),
            max_mb=MAX_UNCOMPRESSED // 1024**2,
        )


def _read_archive(
    display_name: str,
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    archive_depth: int,
    workdir: Path | None,
    held: int,
) -> ReadResult:
    """The tables of a zip's entries; `held` is the size of the zip, in memory meanwhile."""
    tables: list[RawTable] = []
    skipped: list[str] = []
    for info in infos:
        path = PurePosixPath(info.filename)
        # Folders, macOS resource forks and hidden files are packaging, not content: the user
        # never put them there, so naming them would only confuse.
        if info.is_dir() or path.parts[0] == "__MACOSX" or path.name.startswith("."):
            continue
        extension = path.suffix.lower()
        readable = extension in TEXT_EXTENSIONS | WORKBOOK_EXTENSIONS or (
            extension in ARCHIVE_EXTENSIONS and archive_depth == 0
        )
        if not readable:
            skipped.append(info.filename)
            continue
        if info.flag_bits & 0x1:
            raise ImportRefused("import.error.encrypted_zip", file=display_name)
        entry_name = f"{display_name}{NAME_JOINER}{info.filename}"
        try:
            if workdir is not None and info.file_size >= STREAM_MIN_BYTES:
                # A big entry is inflated straight into its cleaned file, never held in memory.
                with archive.open(info) as entry:
                    if _looks_like_text(entry.read(len(_ZIP_MAGIC) + 4)):
                        entry.seek(0)
                        number = next(_FILE_NUMBERS)
                        table = _stream_text(
                            entry_name, info.filename, entry, workdir, number, held
                        )
                        if table is not None:
                            tables.append(table)
                            continue
            content = archive.read(info)
        except _DAMAGED_ZIP_ERRORS:
            raise ImportRefused("import.error.corrupt_zip", file=display_name) from None
        if _is_blank(content):
            skipped.append(info.filename)
            continue
        inner = _read(entry_name, info.filename, content, archive_depth + 1, workdir)
        tables.extend(inner.tables)
        skipped.extend(f"{info.filename}{NAME_JOINER}{name}" for name in inner.skipped)
    # An archive nested in another one may hold no table: its entries are then merely skipped.
    if not tables and archive_depth == 0:
        raise ImportRefused(
            "import.error.no_table_in_zip", file=display_name, skipped=", ".join(skipped) or "—"
        )
    return ReadResult(tables, skipped)


def _read_workbook(display_name: str, data: bytes) -> list[RawTable]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, engine="calamine")
    except Exception as exc:
        # calamine raises its own exception types (and ValueError, KeyError, zip errors, ...) for
        # damaged files; whatever went wrong, the workbook cannot be read and the user must
        # re-save it. The reader's own words go to the log.
        logger.info("%s: the workbook reader failed", display_name, exc_info=True)
        raise ImportRefused("import.error.corrupt_workbook", file=display_name) from exc
    tables = []
    for sheet_name, frame in sheets.items():
        cells = frame.astype(object)
        cells = cells.where(cells.notna(), "")
        if not (cells != "").to_numpy().any():
            continue
        _refuse_too_many_columns(display_name, cells.shape[1])
        cells.columns = range(cells.shape[1])
        cells = cells.reset_index(drop=True)
        tables.append(RawTable(f"{display_name}{NAME_JOINER}{sheet_name}", cells))
    return tables


def _read_spreadsheetml(display_name: str, text: str) -> list[RawTable]:
    """An "XML Spreadsheet 2003" workbook (old Facebook Insights `.xls`): one table per sheet."""
    tables = []
    for sheet_name, cells in spreadsheetml.read_sheets(display_name, text):
        _refuse_too_many_columns(display_name, cells.shape[1])
        tables.append(RawTable(f"{display_name}{NAME_JOINER}{sheet_name}", cells))
    if not tables:
        raise ImportRefused("import.error.empty", file=display_name)
    return tables


def _refuse_too_many_columns(display_name: str, count: int) -> None:
    if count > MAX_COLUMNS:
        raise ImportRefused(
            "import.error.too_many_columns", file=display_name, count=count, max=MAX_COLUMNS
        )


# --- Big text files, cleaned into a file for DuckDB --------------------------------------------------

_FILE_NUMBERS = itertools.count()
_CHUNK = 1024 * 1024
_HEAD_BYTES = 256 * 1024
_WHITESPACE_LINE = re.compile(r"^[^\S\n]+$", re.MULTILINE)


def _looks_like_text(start: bytes) -> bool:
    """Whether a file starting with these bytes is read as text (not an archive or a binary)."""
    return not start.startswith(
        (_ZIP_MAGIC, _EMPTY_ZIP_MAGIC, _OLE_MAGIC, *_OTHER_BINARY_MAGICS)
    ) and not _is_blank(start)


def _stream_text(
    display_name: str, file_name: str, source: BinaryIO, workdir: Path, number: int, held: int
) -> RawTable | None:
    """A big text table cleaned into a UTF-8 file, with the first rows read to recognise it.

    The text is decoded as `_decode` does (a byte order mark, UTF-8, UTF-16 without mark, else
    cp1252) and cleaned as `_parse_text` does (NUL dropped, line ends made "\n"), chunk by
    chunk, so that the file is never held in memory whole; a file on disk that needs none of it
    is read where it lies (`_clean_as_it_lies`). None when the file is not a table of text
    (markup): it is then read in memory, as any small file.
    """
    lying = _clean_as_it_lies(display_name, source)
    if lying is not None:
        path, size = lying
    else:
        path = workdir / f"table-{number}.csv"
        size = _write_clean_text(display_name, source, path)
    with path.open("rb") as written:
        start = written.read(_HEAD_BYTES)
    cut = start.rfind(b"\n") + 1 if len(start) < size else len(start)
    text = start[: cut or len(start)].decode("utf-8", errors="replace")
    if _MARKUP_START.match(text[:1000]) or _is_blank(text):
        if lying is None:
            path.unlink()
        return None
    if PurePosixPath(file_name).suffix.lower() in WORKBOOK_EXTENSIONS:
        raise ImportRefused(
            "import.error.renamed_text",
            file=display_name,
            ext=PurePosixPath(file_name).suffix.lower(),
        )
    first_end = text.find("\n")
    declared = _SEP_LINE.fullmatch(text[: first_end if first_end >= 0 else len(text)])
    separator, skip = None, 0
    if declared:
        separator = "\t" if declared.group(1) == "\\t" else declared.group(1)
        if separator not in _DECLARABLE_SEPARATORS:
            separator = None
        text, skip = text[first_end + 1 :], 1
    head = _first_lines(text, HEAD_LINES)
    sample = [line for line in head.split("\n") if line.strip()][:SNIFF_LINES]
    lone = TextFile(path, separator or ",", 0, skip, size, held)
    # Lines of spaces are skipped by the grid reader but not by DuckDB, and records wrapped by a
    # spreadsheet must be unwrapped first: such tables are read as a grid.
    if not sample or _records_are_wrapped(sample) or _WHITESPACE_LINE.search(head):
        return RawTable(display_name, text=lone)
    if separator is None:
        separator = _sniff_separator(head, truncated=True)
    # The head may end inside a quoted field that goes on below: fewer lines then.
    for lines in (HEAD_LINES, HEAD_LINES // 4, 20):
        head = _first_lines(head, lines)
        columns = _max_fields(head, separator)
        try:
            cells = _read_grid(display_name, head, separator, columns)
        except pd.errors.ParserError:
            continue
        table = TextFile(path, separator, columns, skip, size, held)
        return RawTable(display_name, text=table, head=cells)
    return RawTable(display_name, text=lone)


def _clean_as_it_lies(display_name: str, source: BinaryIO) -> tuple[Path, int] | None:
    """The path and size of a file on disk (`canalyse import`'s) that cleaning would copy byte for
    byte: UTF-8 without a byte order mark, no NUL, no carriage return. DuckDB then reads it where
    it lies: one copy fewer, 0.45–0.6 s of the import of a 160 MB export. None for an upload, an
    archive's entry or a file that needs cleaning; the source is left at its start either way."""
    if not isinstance(source, io.BufferedReader) or not isinstance(source.raw, io.FileIO):
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    size, start = 0, ""
    chunk = source.read(_CHUNK)
    clean = not chunk.startswith(codecs.BOM_UTF8)
    while clean and chunk:
        if b"\x00" in chunk or b"\r" in chunk:
            clean = False
            break
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError:
            clean = False
            break
        if len(start) < _CONTROL_SAMPLE:
            start += text[: _CONTROL_SAMPLE - len(start)]
        size += len(chunk)
        chunk = source.read(_CHUNK)
    source.seek(0)
    if not clean or decoder.getstate()[0]:  # a character cut off at the end
        return None
    # The copy would refuse a binary file from the same start of its text.
    _refuse_control_chars(display_name, start)
    return Path(source.name).absolute(), size


def _write_clean_text(display_name: str, source: BinaryIO, path: Path) -> int:
    """Write the decoded, cleaned text of `source` to `path` as UTF-8; returns its size."""
    start = source.read(4096)
    source.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8", len(codecs.BOM_UTF8)), ("cp1252", len(codecs.BOM_UTF8))]
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", 0)]
    elif b"\x00" in start and (utf16 := _utf16_without_mark(start)):
        candidates = [(utf16, 0)]
    else:
        candidates = [("utf-8", 0), ("cp1252", 0)]
    for encoding, offset in candidates:
        source.seek(offset)
        try:
            with path.open("wb") as out:
                return _copy_clean(display_name, source, out, encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused("import.error.binary", file=display_name)


def _utf16_without_mark(sample: bytes) -> str | None:
    odd_nul = sample[1::2].count(0) / max(len(sample[1::2]), 1)
    even_nul = sample[0::2].count(0) / max(len(sample[0::2]), 1)
    if odd_nul > 0.9 and even_nul < 0.1:
        return "utf-16-le"
    if even_nul > 0.9 and odd_nul < 0.1:
        return "utf-16-be"
    return None


def _copy_clean(display_name: str, source: BinaryIO, out: BinaryIO, encoding: str) -> int:
    """Decode `source` chunk by chunk, clean it as `_parse_text` would, write it as UTF-8."""
    decoder = codecs.getincrementaldecoder(encoding)()
    # UTF-16 files cut mid-character lose their last odd byte, as `_decode` drops it.
    final = not encoding.startswith("utf-16")
    size, carry, first, start = 0, "", True, ""
    chunk = source.read(_CHUNK)
    while chunk:
        following = source.read(_CHUNK)
        whole = not carry and not decoder.getstate()[0]
        text = carry + decoder.decode(chunk, final=final and not following)
        whole = whole and not decoder.getstate()[0]
        if len(start) < _CONTROL_SAMPLE:
            # The start of the text tells binary content, as `_refuse_control_chars` sees it.
            start += text[: _CONTROL_SAMPLE - len(start)]
            if len(start) == _CONTROL_SAMPLE or not following:
                _refuse_control_chars(display_name, start)
        if first:
            text = text.removeprefix("\ufeff")
        # A "\r" at the end may be the first half of "\r\n": it waits for the next chunk.
        carry = "\r" if following and text.endswith("\r") else ""
        if carry:
            text = text[:-1]
        if encoding == "utf-8" and whole and not first and b"\r" not in chunk:
            # Nearly every chunk of a UTF-8 file: checked, no character cut at either end, and
            # already as it must be written.
            encoded = chunk if b"\x00" not in chunk else chunk.replace(b"\x00", b"")
        else:
            if "\x00" in text:
                text = text.replace("\x00", "")
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            encoded = text.encode("utf-8")
        out.write(encoded)
        size += len(encoded)
        chunk, first = following, False
    if carry:
        out.write(b"\n")
        size += 1
    return size


# --- Text files ----------------------------------------------------------------------------------


def _decode(display_name: str, data: bytes) -> str:
    """The text of a CSV-like file: BOM first, then UTF-8, UTF-16 without BOM, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        try:
            return _refuse_control_chars(display_name, body.decode("utf-8"))
        except UnicodeDecodeError:
            return _decode_legacy(display_name, body)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # A download cut mid-character leaves an odd byte out: drop it rather than the file.
        even = data[: len(data) - len(data) % 2]
        try:
            return _refuse_control_chars(display_name, even.decode("utf-16"))
        except UnicodeDecodeError:
            raise ImportRefused("import.error.binary", file=display_name) from None

    sample = data[:4096]
    if b"\x00" in sample:
        odd_nul = sample[1::2].count(0) / max(len(sample[1::2]), 1)
        even_nul = sample[0::2].count(0) / max(len(sample[0::2]), 1)
        encoding = None
        if odd_nul > 0.9 and even_nul < 0.1:
            encoding = "utf-16-le"
        elif even_nul > 0.9 and odd_nul < 0.1:
            encoding = "utf-16-be"
        if encoding:
            even = data[: len(data) - len(data) % 2]
            try:
                return _refuse_control_chars(display_name, even.decode(encoding))
            except UnicodeDecodeError:
                raise ImportRefused("import.error.binary", file=display_name) from None
    try:
        return _refuse_control_chars(display_name, data.decode("utf-8"))
    except UnicodeDecodeError:
        return _decode_legacy(display_name, data)


def _decode_legacy(display_name: str, data: bytes) -> str:
    # cp1252 leaves five bytes undefined: random binary content almost always hits one of them.
    try:
        return _refuse_control_chars(display_name, data.decode("cp1252"))
    except UnicodeDecodeError:
        raise ImportRefused("import.error.binary", file=display_name) from None


def _refuse_control_chars(display_name: str, text: str) -> str:
    sample = text[:_CONTROL_SAMPLE]
    if len(_CONTROL_CHARS.findall(sample)) > 0.02 * len(sample):
        raise ImportRefused("import.error.binary", file=display_name)
    # A few stray NULs (a damaged save) would stop the C parser mid-line.
    return text.replace("\x00", "") if "\x00" in text else text


def _parse_text(
    display_name: str,
    text: str,
    separator: str | None = None,
    notes: list[tuple[str, dict]] | None = None,
) -> pd.DataFrame:
    """The grid of a decoded text file; repairs it says it made are appended to `notes`."""
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")

    first_end = text.find("\n")
    declared = _SEP_LINE.fullmatch(text[: first_end if first_end >= 0 else len(text)])
    if declared:
        separator = "\t" if declared.group(1) == "\\t" else declared.group(1)
        if separator not in _DECLARABLE_SEPARATORS:
            separator = None
        text = text[first_end + 1 :] if first_end >= 0 else ""
        if _is_blank(text):
            raise ImportRefused("import.error.empty", file=display_name)

    head = _first_lines(text, HEAD_LINES)
    sample = [line for line in head.split("\n") if line.strip()][:SNIFF_LINES]
    if _records_are_wrapped(sample) and (unwrapped := _unwrap_records(text)) is not None:
        if notes is not None:
            notes.append(("import.note.unwrapped_records", {}))
        return _parse_text(display_name, unwrapped, separator)
    if separator is None:
        separator = _sniff_separator(head, truncated=len(head) < len(text))

    columns = _max_fields(head, separator)
    try:
        return _read_grid(display_name, text, separator, columns)
    except pd.errors.ParserError:
        pass
    # A line further down has more fields than the head suggested: count them all, once.
    all_columns = _max_fields(text, separator)
    if all_columns > columns:
        try:
            return _read_grid(display_name, text, separator, all_columns)
        except pd.errors.ParserError:
            pass
    raise ImportRefused("import.error.malformed_text", file=display_name)


def _is_blank(content: bytes | str) -> bool:
    # isspace() answers without copying what may be a hundred megabytes, unlike strip().
    return not content or content.isspace()


def _first_lines(text: str, count: int) -> str:
    end = -1
    for _ in range(count):
        end = text.find("\n", end + 1)
        if end == -1:
            return text
    return text[:end]


def _records_are_wrapped(sample: list[str]) -> bool:
    """True when a broken spreadsheet round-trip quoted whole lines into single fields.

    Such a round-trip wraps every physical line that holds a quote (or every line) in quotes,
    doubling the quotes inside, and leaves the other lines bare: the header line is then one
    quoted field holding separators, and no line holds a quote except as such a wrapper.
    """
    if not sample or not _is_wrapped_line(sample[0], need_separator=True):
        return False
    return all('"' not in line or _is_wrapped_line(line) for line in sample[1:])


def _is_wrapped_line(line: str, need_separator: bool = False) -> bool:
    line = line.rstrip()
    if len(line) < 2 or not (line.startswith('"') and line.endswith('"')):
        return False
    inner = line[1:-1]
    # Inside the wrapper every quote is doubled: a lone one means ordinary quoted fields.
    if '"' in inner.replace('""', ""):
        return False
    return not need_separator or any(sep in inner for sep in SEPARATORS)


def _unwrap_records(text: str) -> str | None:
    # Read as one column, splitting on a character the text does not contain; the C parser
    # then undoes the quoting of each line (and of each record spanning lines), blank lines kept.
    unused = next((c for c in _UNUSED_SEPARATORS if c not in text), None)
    if unused is None:
        return None
    try:
        column = pd.read_csv(
            io.StringIO(text),
            sep=unused,
            header=None,
            names=[0],
            dtype=object,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )[0]
    except pd.errors.ParserError:
        return None
    return "\n".join(column.tolist())


def _sniff_separator(head: str, truncated: bool) -> str:
    """The separator that splits the first records most consistently into more than one field.

    Records are read as the csv module reads them, quoted line breaks included; the last one is
    left out when the head stops inside it. Among consistent candidates, the separator next to
    which quotes open and close wins: long quoted captions full of another separator (a French
    Excel save, `;` between quoted texts full of commas) then cannot mislead the count.
    """
    best, best_score = ",", None
    for separator in SEPARATORS:
        counts = Counter(map(len, _first_records(head, separator, truncated)))
        if not counts:
            continue
        fields, frequency = max(counts.items(), key=lambda item: (item[1], item[0]))
        if fields <= 1:
            continue
        share = frequency / sum(counts.values())
        boundary_quotes = head.count(separator + '"') + head.count('"' + separator)
        score = (share >= _CONSISTENT_SHARE, boundary_quotes, share, fields)
        if best_score is None or score > best_score:
            best, best_score = separator, score
    return best


def _first_records(head: str, separator: str, truncated: bool) -> list[list[str]]:
    """The non-blank records of `head` split on `separator` (the cut-off last one left out)."""
    records = []
    reader = csv.reader(io.StringIO(head), delimiter=separator)
    while len(records) <= SNIFF_LINES:
        try:
            record = next(reader)
        except (StopIteration, csv.Error):
            break
        if any(field.strip() for field in record):
            records.append(record)
    if truncated and len(records) > 1:
        records.pop()
    return records[:SNIFF_LINES]


def _max_fields(text: str, separator: str) -> int:
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        return max(map(len, rows), default=1)
    except csv.Error:
        # Only a field beyond the csv module's size limit gets here. Counting separators
        # ignores quoting, so it can only overestimate: at worst a few empty columns.
        return max((line.count(separator) + 1 for line in text.split("\n")), default=1)


def _read_grid(display_name: str, text: str, separator: str, columns: int) -> pd.DataFrame:
    _refuse_too_many_columns(display_name, columns)
    # The C parser reads UTF-8 bytes much faster than it pulls chunks out of a StringIO.
    return pd.read_csv(
        io.BytesIO(text.encode("utf-8")),
        encoding="utf-8",
        sep=separator,
        header=None,
        names=list(range(columns)),
        index_col=False,
        dtype=object,
        na_filter=False,
        engine="c",
    )
