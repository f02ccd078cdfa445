"""Blank templates: the schema's headers, drop-down lists that Excel sees, and a filled-in template loads back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from ovop_data import templates, vocab
from ovop_data.gazetteer import gazetteer
from ovop_data.load import HELPER_SHEET_PREFIX, load_dataset
from ovop_data.schema import TABLES
from ovop_data.text import fold

AREA = "35.05"


@pytest.fixture(scope="module")
def workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(templates.template_bytes(area=AREA)))


def _validations(ws) -> dict[str, object]:
    """Header label -> the data validation covering that column's first data row."""
    headers = {cell.column_letter: cell.value for cell in ws[templates.HEADER_ROW + 1]}
    first = templates.FIRST_DATA_ROW + 1
    found = {}
    for dv in ws.data_validations.dataValidation:
        for letter, label in headers.items():
            if f"{letter}{first}" in dv.sqref:
                found[label] = dv
    return found


def _list_values(workbook, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    start, end = cells.replace("$", "").split(":")
    return [c.value for row in workbook[sheet.strip("'")][f"{start}:{end}"] for c in row]


@pytest.mark.parametrize("table", list(TABLES))
def test_each_table_has_its_sheet_title_and_schema_headers(workbook, table):
    ws = workbook[templates.SHEET_NAMES[table]]
    assert [c.value for c in ws[templates.HEADER_ROW + 1]] == [c.label for c in TABLES[table].kept_columns]
    title = ws.cell(templates.TITLE_ROW + 1, 1).value
    assert TABLES[table].label in title and "Kabupaten Blitar" in title
    assert ws.freeze_panes == f"A{templates.FIRST_DATA_ROW + 1}"


@pytest.mark.parametrize(
    ("table", "header", "values"),
    [
        ("produk", "Kategori", [t.label for t in vocab.KATEGORI_PRODUK]),
        ("produk", "Jenis Pelaku", [t.label for t in vocab.JENIS_PELAKU]),
        ("produk", "Unggulan", ["Ya", "Tidak"]),
        ("aspirasi", "Status", ["Belum", "Proses", "Selesai"]),
        ("aspirasi", "Kategori Kendala", [t.label for t in vocab.KATEGORI_KENDALA]),
        ("aspirasi", "OPD Penanggung Jawab", [t.label for t in vocab.OPD]),
    ],
)
def test_drop_down_lists_hold_the_vocabularies(workbook, table, header, values):
    dv = _validations(workbook[templates.SHEET_NAMES[table]])[header]
    assert dv.type == "list"
    assert dv.formula1.startswith(f"'{templates.LIST_SHEET}'!")
    assert _list_values(workbook, dv.formula1) == values
    assert max(r.max_row for r in dv.sqref.ranges) == templates.FIRST_DATA_ROW + templates.ROWS


@pytest.mark.parametrize("table", list(TABLES))
def test_kecamatan_list_is_the_areas_gazetteer(workbook, table):
    dv = _validations(workbook[templates.SHEET_NAMES[table]])["Kecamatan"]
    names = _list_values(workbook, dv.formula1)
    assert names == sorted(gazetteer(AREA)["kecamatan"].unique())
    assert len(names) == 22 and "Wlingi" in names


def test_dates_and_numbers_are_checked_and_every_column_has_a_hint(workbook):
    produk = _validations(workbook["Produk"])
    assert produk["Tahun"].type == "whole" and produk["Bintang OVOP"].formula2 == "5"
    assert "pribadi" in produk["Kontak"].prompt  # the hint says kontak is personal data
    assert _validations(workbook["Kunjungan"])["Tanggal"].type == "date"
    for name in templates.SHEET_NAMES.values():
        ws = workbook[name]
        assert set(_validations(ws)) == {c.value for c in ws[templates.HEADER_ROW + 1]}
        assert all(dv.prompt for dv in ws.data_validations.dataValidation)


def test_list_sheet_is_hidden_and_named_with_no_table_word(workbook):
    assert workbook[templates.LIST_SHEET].sheet_state == "hidden"
    name = fold(templates.LIST_SHEET)
    assert not [w for t in TABLES.values() for w in t.sheet_words if w in name]


def test_one_table_template(workbook):
    wb = openpyxl.load_workbook(io.BytesIO(templates.template_bytes("aspirasi", area=AREA)))
    assert wb.sheetnames == ["Aspirasi", templates.LIST_SHEET]
    assert templates.template_file_name("aspirasi") == "templat_aspirasi.xlsx"
    assert templates.template_file_name(list(TABLES)) == "templat_ovop.xlsx"


def test_unknown_table_is_refused():
    with pytest.raises(ValueError, match="Tabel tidak dikenal"):
        templates.template_bytes(["produk", "harga"], area=AREA)


def _fill(ws, values: dict[str, object]) -> None:
    columns = {c.value: c.column for c in ws[templates.HEADER_ROW + 1]}
    for header, value in values.items():
        ws.cell(templates.FIRST_DATA_ROW + 1, columns[header], value)


def test_filled_in_template_loads_back_and_the_list_sheet_is_no_error(tmp_path: Path):
    wb = openpyxl.load_workbook(io.BytesIO(templates.template_bytes(area=AREA)))
    _fill(
        wb["Produk"],
        {
            "Nama Produk": "Keripik Tempe",
            "Kategori": "Makanan olahan",
            "Desa/Kelurahan": "Kemloko",
            "Kecamatan": "Nglegok",
            "Unggulan": "Ya",
            "Tahun": 2024,
        },
    )
    _fill(wb["Kunjungan"], {"Tanggal": dt.datetime(2024, 5, 2), "Desa/Kelurahan": "Kemloko", "Kecamatan": "Nglegok"})
    _fill(
        wb["Aspirasi"],
        {
            "ID Aspirasi": "0042",
            "Tanggal": dt.datetime(2024, 5, 2),
            "Desa/Kelurahan": "Kemloko",
            "Kecamatan": "Nglegok",
            "Aspirasi": "Bantuan mesin pengemas",
            "Status": "Proses",
        },
    )
    path = tmp_path / "isian.xlsx"
    wb.save(path)

    data = load_dataset([path], AREA)
    assert {t: c["accepted"] for t, c in data.counts.items()} == {"produk": 1, "kunjungan": 1, "aspirasi": 1}
    assert not data.has_errors
    assert templates.LIST_SHEET.startswith(HELPER_SHEET_PREFIX)
    assert data.findings.empty  # the hidden list sheet is a helper sheet, skipped without a finding
    villages = gazetteer(AREA)
    kemloko = villages.loc[(villages["desa"] == "Kemloko") & (villages["kecamatan"] == "Nglegok"), "kode_desa"]
    assert data.produk["kode_desa"].tolist() == kemloko.tolist()
    assert data.aspirasi["status"].tolist() == ["Proses"]
    assert data.aspirasi["id_aspirasi"].tolist() == ["0042"]  # the tracking ID, leading zeros kept


def test_blank_template_loads_without_errors(tmp_path: Path):
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(templates.template_bytes(area=AREA))
    data = load_dataset([path], AREA)
    assert not data.has_errors
    assert all(c["rows_in"] == 0 for c in data.counts.values())
