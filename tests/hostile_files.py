"""Hostile spreadsheets made by code (no binary blobs in the repository), for tests and a corpus script.

Each `*_xlsx`/`*_ods`/`*_csv` function returns the file's bytes; `write_corpus(folder)` writes them all.
Every workbook here is tiny on disk and enormous (or malformed) once a reader materialises it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{overrides}</Types>"
)
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_head(dimension: str | None) -> bytes:
    tag = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN_NS}">'
    return f"{head}{tag}<sheetData>".encode()


_SHEET_TAIL = b"</sheetData></worksheet>"


def _text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def xlsx_from_parts(sheets: dict[str, Callable[[], Iterable[bytes]]]) -> bytes:
    """A minimal .xlsx (no styles, inline strings) whose worksheet XML each callable yields in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=overrides))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        entries = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, start=1)
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>{entries}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_WORKSHEET_REL}" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>',
        )
        for i, chunks in enumerate(sheets.values(), start=1):
            # force_zip64: the streamed size is unknown up front and may pass 4 GB in the larger variants
            with archive.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as member:
                for chunk in chunks():
                    member.write(chunk)
    return buffer.getvalue()


def far_cell_xlsx(dimension: str | None = "A1:XFD1048576", sheet: str = "Produk") -> bytes:
    """A 1 KB workbook with "Desa" in A1 and one number in XFD1048576, Excel's very last cell.

    Materialised as a grid that is 1,048,576 x 16,384 cells (about 550 GB in calamine). `dimension` is the
    declared `<dimension ref>`: the honest one, a lying "A1", or None for no tag at all.
    """

    def chunks() -> Iterable[bytes]:
        yield _sheet_head(dimension)
        yield f'<row r="1">{_text_cell("A1", "Desa")}</row>'.encode()
        yield b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
        yield _SHEET_TAIL

    return xlsx_from_parts({sheet: chunks})


def million_rows_xlsx(rows: int = 1_000_000, dimension: str | None = None, sheet: str = "Kunjungan") -> bytes:
    """A workbook with `rows` identical rows ("Wlingi" in column A), written streaming: ~0.7 MB zipped."""

    def chunks() -> Iterable[bytes]:
        yield _sheet_head(dimension)
        batch = 10_000
        for start in range(1, rows + 1, batch):
            stop = min(start + batch, rows + 1)
            yield "".join(
                f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>Wlingi</t></is></c></row>' for r in range(start, stop)
            ).encode()
        yield _SHEET_TAIL

    return xlsx_from_parts({sheet: chunks})


def long_cell_xlsx(chars: int = 200_000) -> bytes:
    """A workbook whose B2 holds one text of `chars` characters (Excel itself stops at 32,767)."""

    def chunks() -> Iterable[bytes]:
        yield _sheet_head("A1:B2")
        yield f'<row r="1">{_text_cell("A1", "Desa")}</row>'.encode()
        yield f'<row r="2">{_text_cell("B2", "x" * chars)}</row>'.encode()
        yield _SHEET_TAIL

    return xlsx_from_parts({"Produk": chunks})


def many_sheets_xlsx(count: int = 500) -> bytes:
    """A workbook with `count` one-cell sheets."""

    def one() -> Iterable[bytes]:
        yield _sheet_head("A1")
        yield f'<row r="1">{_text_cell("A1", "Desa")}</row>'.encode()
        yield _SHEET_TAIL

    return xlsx_from_parts({f"S{i}": one for i in range(count)})


def zip_bomb_xlsx(megabytes: int = 1024) -> bytes:
    """A workbook whose one sheet inflates to `megabytes` of blank padding (a classic zip bomb: ~1 MB per GB)."""

    def chunks() -> Iterable[bytes]:
        yield _sheet_head("A1")
        yield f'<row r="1">{_text_cell("A1", "Desa")}</row>'.encode()
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            yield block
        yield _SHEET_TAIL

    return xlsx_from_parts({"Produk": chunks})


def invalid_utf8_xlsx() -> bytes:
    """A workbook whose cell text is not valid UTF-8 (bytes 0xFF 0xFE inside the XML)."""

    def chunks() -> Iterable[bytes]:
        yield _sheet_head("A1")
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>Desa \xff\xfe</t></is></c></row>'
        yield _SHEET_TAIL

    return xlsx_from_parts({"Produk": chunks})


def nul_xlsx() -> bytes:
    """A workbook with a NUL byte inside a cell's XML text (forbidden in XML 1.0)."""

    def chunks() -> Iterable[bytes]:
        yield _sheet_head("A1")
        yield b'<row r="1"><c r="A1" t="inlineStr"><is><t>Desa\x00Wlingi</t></is></c></row>'
        yield _SHEET_TAIL

    return xlsx_from_parts({"Produk": chunks})


_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)


def ods_from_table(rows_xml: str, sheet: str = "Produk") -> bytes:
    """A minimal .ods whose single table holds the given <table:table-row> XML."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">'
        f"{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def _ods_text(text: str, repeat: int = 1) -> str:
    attr = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{attr}><text:p>{escape(text)}</text:p></table:table-cell>'


def repeated_rows_ods(rows: int = 1_000_000, columns: int = 1) -> bytes:
    """An .ods of a few hundred bytes: one row of text repeated `rows` times, its cell repeated `columns` times."""
    header = f"<table:table-row>{_ods_text('Desa')}</table:table-row>"
    body = f'<table:table-row table:number-rows-repeated="{rows}">{_ods_text("Wlingi", columns)}</table:table-row>'
    return ods_from_table(header + body)


def trailing_blank_rows_ods() -> bytes:
    """An ordinary LibreOffice-style .ods: two rows of data, then the blank rest of the sheet as repeats."""
    rows = (
        f"<table:table-row>{_ods_text('Desa')}{_ods_text('Kecamatan')}</table:table-row>"
        f"<table:table-row>{_ods_text('Balerejo')}{_ods_text('Wlingi')}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    )
    return ods_from_table(rows)


def long_cell_csv(chars: int = 200_000) -> bytes:
    """A CSV whose second row holds one cell of `chars` characters (Python's csv stops at 131,072 by default)."""
    return b"Desa;Catatan\nBalerejo;" + b"x" * chars + b"\n"


def nul_csv() -> bytes:
    """A UTF-8 CSV with NUL bytes inside a value."""
    return b"Desa;Kecamatan\nBale\x00rejo;Wlingi\n"


def invalid_utf8_csv() -> bytes:
    """A CSV that is neither UTF-8 nor Windows-1252 (0x81 and 0x9D are undefined in both)."""
    return b"Desa;Kecamatan\nBale\x81rejo;Wl\x9dingi\n"


def many_columns_csv(columns: int = 5_000) -> bytes:
    """A CSV of one row with `columns` cells."""
    return (";".join(f"k{i}" for i in range(columns)) + "\n").encode()


#: name -> bytes maker, for a corpus script (`write_corpus`).
CORPUS: dict[str, Callable[[], bytes]] = {
    "sel-jauh.xlsx": far_cell_xlsx,
    "sel-jauh-dimensi-bohong.xlsx": lambda: far_cell_xlsx("A1"),
    "sel-jauh-tanpa-dimensi.xlsx": lambda: far_cell_xlsx(None),
    "sejuta-baris.xlsx": million_rows_xlsx,
    "sel-panjang.xlsx": long_cell_xlsx,
    "banyak-sheet.xlsx": many_sheets_xlsx,
    "bom-zip.xlsx": zip_bomb_xlsx,
    "utf8-rusak.xlsx": invalid_utf8_xlsx,
    "nul.xlsx": nul_xlsx,
    "sejuta-baris.ods": repeated_rows_ods,
    "kolom-raksasa.ods": lambda: repeated_rows_ods(rows=1_000, columns=16_384),
    "sel-panjang.csv": long_cell_csv,
    "nul.csv": nul_csv,
    "utf8-rusak.csv": invalid_utf8_csv,
    "banyak-kolom.csv": many_columns_csv,
}


def write_corpus(folder: str | Path) -> list[Path]:
    """Write every file of CORPUS into `folder`; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in CORPUS.items():
        path = folder / name
        path.write_bytes(make())
        paths.append(path)
    return paths
