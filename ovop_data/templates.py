"""Blank XLSX templates staff fill in: the schema's headers, drop-down lists, input hints. Pure: bytes out.

Each table gets a sheet named after it (so the reader recognises it by name),
a title row, a hint row, then the header row of `schema.Column.label`s. The
drop-down lists (kecamatan of the configured area, product category, status,
obstacle category, kind of producer, unggulan Ya/Tidak, …) live in one hidden
sheet, `LIST_SHEET`, whose name and headers contain none of the words that
identify a table; when a filled-in template is loaded that sheet is only
reported as "not recognised" (a warning), never as an error.

Lists of places and OPD are hints (Excel offers them but accepts other
values): the validator matches spelling variants anyway. The controlled
vocabularies warn on a value outside the list and let staff keep it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from . import vocab
from .config import area as configured_area
from .gazetteer import area_name, gazetteer
from .schema import TABLES, Column, Table

#: Hidden sheet holding the drop-down lists (no table word in it: see the module docstring).
LIST_SHEET = "_daftar"
#: Rows (below the header) that carry drop-downs and formats.
ROWS = 1000
TITLE_ROW, HINT_ROW, HEADER_ROW = 0, 1, 2
FIRST_DATA_ROW = HEADER_ROW + 1
#: Sheet name per table: one of the table's own sheet words, so the reader recognises it by name.
SHEET_NAMES = {"produk": "Produk", "kunjungan": "Kunjungan", "aspirasi": "Aspirasi"}

#: Columns holding an ID typed or pasted by staff (written as text).
_ID_COLUMNS = frozenset({"id_aspirasi"})
_STRICT = "warning"  # outside the list: Excel asks, the user may keep the value
_HINT = "information"  # outside the list: Excel only informs


def _labels(terms: tuple[vocab.Term, ...]) -> list[str]:
    return [t.label for t in terms]


def drop_down_lists(area: str) -> dict[str, tuple[list[str], str]]:
    """Column name -> (allowed values, Excel error style) for every column that gets a drop-down."""
    villages = gazetteer(area)
    return {
        "kecamatan": (sorted(villages["kecamatan"].unique()), _STRICT),
        "desa": (sorted(villages["desa"].unique()), _HINT),
        "kategori": (_labels(vocab.KATEGORI_PRODUK), _STRICT),
        "jenis_pelaku": (_labels(vocab.JENIS_PELAKU), _STRICT),
        "unggulan": (["Ya", "Tidak"], _STRICT),
        "status": (_labels(vocab.STATUS), _STRICT),
        "kategori_kendala": (_labels(vocab.KATEGORI_KENDALA), _STRICT),
        "opd_penanggung_jawab": (_labels(vocab.OPD), _HINT),
    }


def template_file_name(tables: Sequence[str] | str) -> str:
    """'templat_produk.xlsx' for one table, 'templat_ovop.xlsx' for several."""
    names = [tables] if isinstance(tables, str) else list(tables)
    return f"templat_{names[0]}.xlsx" if len(names) == 1 else "templat_ovop.xlsx"


def template_bytes(tables: Sequence[str] | str = tuple(TABLES), area: str | None = None) -> bytes:
    """A blank workbook with one sheet per table (headers, hints, drop-downs) plus the hidden list sheet."""
    names = [tables] if isinstance(tables, str) else list(tables)
    unknown = [n for n in names if n not in TABLES]
    if unknown or not names:
        raise ValueError(f"Tabel tidak dikenal: {', '.join(unknown) or '(kosong)'}; pilih dari {', '.join(TABLES)}.")
    area = area or configured_area()
    lists = drop_down_lists(area)
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as wb:
        formats = _formats(wb)
        sheets = {name: wb.add_worksheet(SHEET_NAMES[name]) for name in names}
        used = {c.name for n in names for c in TABLES[n].columns if c.name in lists}
        sources = _write_lists(wb.add_worksheet(LIST_SHEET), {k: v for k, v in lists.items() if k in used}, formats)
        for name, ws in sheets.items():
            _write_table_sheet(ws, TABLES[name], area, lists, sources, formats)
    return buffer.getvalue()


def _formats(wb: xlsxwriter.Workbook) -> dict:
    base = {"bold": True, "border": 1, "text_wrap": True, "valign": "top"}
    return {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "hint": wb.add_format({"italic": True, "font_color": "#404040"}),
        "required": wb.add_format({**base, "bg_color": "#1F4E79", "font_color": "#FFFFFF"}),
        "optional": wb.add_format({**base, "bg_color": "#DDEBF7"}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "text": wb.add_format({"num_format": "@"}),
        "list_header": wb.add_format({"bold": True}),
    }


def _write_lists(ws, lists: dict[str, tuple[list[str], str]], formats: dict) -> dict[str, str]:
    """One column per list under a 'Daftar …' header; returns column name -> absolute range for validations."""
    sources = {}
    for c, (name, (values, _style)) in enumerate(lists.items()):
        ws.write_string(0, c, f"Daftar {name.replace('_', ' ')}", formats["list_header"])
        for r, value in enumerate(values, start=1):
            ws.write_string(r, c, value)
        letter = xl_col_to_name(c)
        sources[name] = f"='{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    ws.hide()
    return sources


def _hint(column: Column) -> str:
    """The input message Excel shows when a cell of the column is selected (max 255 characters)."""
    text = column.description + (" Wajib diisi." if column.required else "")
    if column.personal:
        text += " Data pribadi: tidak pernah ditampilkan di dasbor."
    return text[:255]


def _write_table_sheet(ws, table: Table, area: str, lists: dict, sources: dict[str, str], formats: dict) -> None:
    ws.write_string(TITLE_ROW, 0, f"Templat {table.label} — {area_name(area)}", formats["title"])
    ws.write_string(
        HINT_ROW,
        0,
        f"Isi satu baris per data mulai baris {FIRST_DATA_ROW + 1}. Judul kolom biru tua "
        "wajib diisi; pilih dari daftar bila ada. Jangan ubah judul kolom.",
        formats["hint"],
    )
    last = FIRST_DATA_ROW + ROWS - 1
    for c, column in enumerate(table.kept_columns):
        ws.write_string(HEADER_ROW, c, column.label, formats["required" if column.required else "optional"])
        # Codes and IDs are text: Excel would drop an ID's leading zeros or read "2024-01" as a date.
        as_text = column.kind == "code" or column.name in _ID_COLUMNS
        cell_format = formats["date"] if column.kind == "date" else formats["text"] if as_text else None
        width = 40 if column.name in {"aspirasi", "tindak_lanjut", "catatan", "nama_produk"} else 18
        ws.set_column(c, c, max(width, len(column.label) + 4), cell_format)
        ws.data_validation(FIRST_DATA_ROW, c, last, c, _validation(column, lists, sources))
    ws.freeze_panes(FIRST_DATA_ROW, 0)
    ws.set_row(HEADER_ROW, 32)


def _validation(column: Column, lists: dict, sources: dict[str, str]) -> dict:
    """The data validation of one column: a drop-down, a date or whole-number check, or just the hint."""
    hint = {"input_title": column.label[:32], "input_message": _hint(column)}
    if column.name in sources:
        style = lists[column.name][1]
        return {
            "validate": "list",
            "source": sources[column.name],
            "error_type": style,
            "error_title": "Nilai di luar daftar",
            "error_message": "Nilai ini tidak ada di daftar. Pilih dari daftar, atau lanjutkan bila yakin.",
            **hint,
        }
    if column.kind == "date":
        return {
            "validate": "date",
            "criteria": ">=",
            "value": dt.date(2000, 1, 1),
            "error_type": _STRICT,
            "error_title": "Tanggal tidak valid",
            "error_message": "Tulis tanggal, mis. 12/07/2023.",
            **hint,
        }
    if column.kind == "int":
        low, high = (1, 5) if column.name == "bintang" else (1990, 2100)
        return {
            "validate": "integer",
            "criteria": "between",
            "minimum": low,
            "maximum": high,
            "error_type": _STRICT,
            "error_title": "Angka tidak valid",
            "error_message": f"Isi bilangan bulat {low}–{high}.",
            **hint,
        }
    return {"validate": "any", **hint}


__all__ = ["LIST_SHEET", "SHEET_NAMES", "drop_down_lists", "template_bytes", "template_file_name"]
