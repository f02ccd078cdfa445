"""Cheap checks of a workbook's declared size before any reader materialises it.

A .xlsx/.xlsm/.ods is a zip: its directory states how many parts it has and how large they
unpack; each worksheet states its `<dimension>`; an .ods states its repeated rows and columns.
These checks refuse a file over LIMITS at once, naming the bound. They can be fooled (a lying
or missing `<dimension>`), so they decide the message, not the safety: the read itself always
runs in the isolated reader process (`readworker`).

Stdlib only: this module runs inside the reader process.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from .limits import LIMITS, Limits, angka, over

_ZIP_MAGIC = b"PK\x03\x04"
_HINT = "Hapus baris dan kolom kosong di luar tabel (atau pecah datanya ke beberapa berkas), simpan, lalu coba lagi."
# Only the first part of a worksheet is read for its <dimension>: Excel writes it before <sheetData>.
_HEAD_BYTES = 64 * 1024
_CHUNK = 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_REF = re.compile(rb'\sr="([A-Z]{0,4})([0-9]+)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,4})\$?([0-9]{1,8})")
_ODS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_XML_PART_MAX = 16 * 1024 * 1024  # workbook.xml and its .rels are a few KB


class Exceeded(Exception):
    """A file over one of LIMITS; the message names the file, what was found and the bound, in Indonesian."""


class Extent:
    """Running total of materialised cells over the sheets of one file (the cells bound is per file)."""

    def __init__(self, file: str, limits: Limits) -> None:
        self.file, self.limits, self.cells = file, limits, 0

    def add(self, sheet: str, rows: int, columns: int, *, verb: str = "berisi") -> None:
        """Count a sheet of rows × columns from A1; Exceeded when a bound is passed.

        `verb`: "menyatakan" for a declared size, "berisi sedikitnya" for a scan stopped at the bound.
        """
        what, limits = f"sheet '{sheet}'", self.limits
        if rows > limits.rows:
            raise Exceeded(over(self.file, what, rows, limits.rows, "baris", "per sheet", verb=verb, hint=_HINT))
        if columns > limits.columns:
            raise Exceeded(over(self.file, what, columns, limits.columns, "kolom", "per sheet", verb=verb, hint=_HINT))
        self.cells += rows * columns
        if self.cells > limits.cells:
            size = f"{verb} {angka(rows)} baris × {angka(columns)} kolom"
            what = f"sheet '{sheet}' ({size}) membuat berkas ini"
            raise Exceeded(over(self.file, what, self.cells, limits.cells, "sel", "per berkas", hint=_HINT))


def check_file_size(size: int, file: str, limits: Limits = LIMITS) -> None:
    """Exceeded when the file on disk is larger than the bound."""
    if size > limits.file_bytes:
        mb = 1024 * 1024
        found, bound = angka(-(-size // mb)), angka(limits.file_bytes // mb)
        raise Exceeded(f"Berkas '{file}' terlalu besar: {found} MB; batas {bound} MB per berkas.")


def check_workbook(path: Path, file: str, limits: Limits = LIMITS, *, scan_cells: bool = False) -> None:
    """Check a zipped workbook's directory, sheet count and declared sheet sizes; no-op for other files.

    `scan_cells`: read every cell reference of every .xlsx sheet instead of trusting `<dimension>` (slower;
    used after the reader process died on the file, to say which bound it passed).
    Raises Exceeded, or zipfile.BadZipFile/ElementTree.ParseError/KeyError for a damaged zip.
    """
    with path.open("rb") as handle:
        if handle.read(4) != _ZIP_MAGIC:
            return
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > limits.zip_members:
            raise Exceeded(over(file, "arsip zipnya", len(infos), limits.zip_members, "bagian", "per berkas"))
        unpacked = sum(info.file_size for info in infos)
        if unpacked > limits.unpacked_bytes:
            mb = 1024 * 1024
            raise Exceeded(
                f"Berkas '{file}' terlalu besar: isinya {angka(unpacked // mb)} MB setelah diekstrak; "
                f"batas {angka(limits.unpacked_bytes // mb)} MB (kemungkinan bom zip)."
            )
        names = {info.filename for info in infos}
        if "xl/workbook.xml" in names:
            _check_xlsx(archive, names, file, limits, scan_cells)
        elif "content.xml" in names:
            _check_ods(archive, file, limits)


# --- .xlsx / .xlsm ------------------------------------------------------------------------------


def _check_xlsx(archive: zipfile.ZipFile, names: set[str], file: str, limits: Limits, scan_cells: bool) -> None:
    sheets = _xlsx_sheets(archive, names)
    if len(sheets) > limits.sheets:
        raise Exceeded(over(file, "buku kerjanya", len(sheets), limits.sheets, "sheet", "per berkas"))
    extent = Extent(file, limits)
    for sheet, part in sheets:
        if part not in names:
            continue  # a dangling relationship: the reader reports the damage
        declared = None if scan_cells else _declared_extent(archive, part)
        if declared is not None:
            extent.add(sheet, *declared, verb="menyatakan")
        else:
            rows, columns, complete = _scanned_extent(archive, part, limits)
            extent.add(sheet, rows, columns, verb="berisi" if complete else "berisi sedikitnya")


def _xml_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if archive.getinfo(name).file_size > _XML_PART_MAX:
        raise ElementTree.ParseError(f"{name} too large")
    return ElementTree.fromstring(archive.read(name))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_sheets(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(sheet name, zip part) of every sheet listed in xl/workbook.xml, in workbook order."""
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _xml_part(archive, "xl/_rels/workbook.xml.rels").iter():
            if _local(rel.tag) == "Relationship":
                target = rel.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[rel.get("Id")] = part
    sheets = []
    for element in _xml_part(archive, "xl/workbook.xml").iter():
        if _local(element.tag) == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
            sheets.append((element.get("name", "?"), targets.get(rel_id, "")))
    return sheets


def _declared_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int] | None:
    """(rows, columns) from A1 to the far corner of the sheet's `<dimension ref>`, None when it has none."""
    with archive.open(part) as member:
        head = member.read(_HEAD_BYTES)
    data_at = _SHEET_DATA.search(head)
    match = _DIMENSION.search(head, 0, data_at.start() if data_at else len(head))
    if not match:
        return None
    corner = _CELL_REF.fullmatch(match.group(1).decode("ascii", "replace").split(":")[-1])
    if not corner:
        return None
    return int(corner.group(2)), column_number(corner.group(1))


def _scanned_extent(archive: zipfile.ZipFile, part: str, limits: Limits) -> tuple[int, int, bool]:
    """(rows, columns, complete) from A1 to the farthest cell reference in the sheet, streamed in chunks.

    Stops early (complete=False) once a bound is passed: the refusal needs only a number over it.
    """
    rows = columns = row_tags = 0
    chunks = _tag_aligned_chunks(archive, part)
    for data in chunks:
        row_tags += len(_ROW_TAG.findall(data))
        refs = _REF.findall(data)
        if refs:
            rows = max(rows, max(int(r) for _, r in refs))
            letters = {c for c, _ in refs if c}
            if letters:
                columns = max(columns, max(column_number(c.decode()) for c in letters))
        if max(rows, row_tags) > limits.rows or columns > limits.columns:
            return max(rows, row_tags), columns, next(chunks, None) is None
    # rows without an r="" attribute still take a row each
    return max(rows, row_tags), columns, True


def _tag_aligned_chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The unpacked part in ~1 MB pieces that never split a tag; the last piece runs to the end of the part."""
    carry = b""
    with archive.open(part) as member:
        data = member.read(_CHUNK)
        while data:
            following = member.read(_CHUNK)
            data, carry = carry + data, b""
            cut = data.rfind(b"<") if following else len(data)
            if cut <= 0:
                carry = data
            else:
                carry = data[cut:]
                yield data[:cut]
            data = following
    if carry:
        yield carry


def column_number(letters: str) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27, 'XFD' -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(number: int) -> str:
    """1 -> 'A', 27 -> 'AA', 16384 -> 'XFD'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- .ods ---------------------------------------------------------------------------------------


def _check_ods(archive: zipfile.ZipFile, file: str, limits: Limits) -> None:
    """Stream content.xml and size each table with its repeated rows and columns expanded.

    Trailing blank repeats (LibreOffice writes `number-rows-repeated="1048553"` after the data) do not
    count: only repeats holding a value reach the grid a reader builds.
    """
    extent = Extent(file, limits)
    tables = 0
    table = ""
    row = col = max_row = max_col = row_repeat = row_max_col = 0
    with archive.open("content.xml") as content:
        for event, element in ElementTree.iterparse(content, events=("start", "end")):
            tag = element.tag
            if tag == f"{_ODS}table":
                if event == "start":
                    tables += 1
                    if tables > limits.sheets:
                        raise Exceeded(over(file, "buku kerjanya", tables, limits.sheets, "sheet", "per berkas"))
                    table, row, max_row, max_col = element.get(f"{_ODS}name", "?"), 0, 0, 0
                else:
                    extent.add(table, max_row, max_col)
                    element.clear()
            elif tag == f"{_ODS}table-row":
                if event == "start":
                    row_repeat = int(element.get(f"{_ODS}number-rows-repeated", "1"))
                    col = row_max_col = 0
                else:
                    if row_max_col:
                        max_row, max_col = row + row_repeat, max(max_col, row_max_col)
                        # refuse inside a huge table as soon as it passes a bound, not at its end
                        Extent(file, limits).add(table, max_row, max_col)
                    row += row_repeat
                    element.clear()
            elif tag in (f"{_ODS}table-cell", f"{_ODS}covered-table-cell") and event == "end":
                repeat = int(element.get(f"{_ODS}number-columns-repeated", "1"))
                if len(element) or element.get(f"{_ODS_OFFICE}value-type"):
                    row_max_col = col + repeat
                col += repeat
                element.clear()
