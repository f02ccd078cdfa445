"""Exports: formula injection defused, kontak never leaves, CSV for Indonesian Excel, XLSX with real dates."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ovop_data import export, followup, privacy
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.store.events import EVENT_COLUMNS


@pytest.fixture
def produk() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nama_produk": ['=HYPERLINK("http://contoh.test","klik")', "Keripik Pisang", "Kopi"],
            "pelaku_usaha": ["+62812", "-", "@SUM(A1:A9)"],
            "kontak": ["0812-0000-1058", "0812-0000-1059", ""],
            "No. HP": ["0812-0000-2000", "", ""],  # a pass-through column headed like kontak
            "tahun": pd.array([2021, None, 2023], dtype="Int64"),
            "skor": [70.5, 12.0, -3.0],
            "unggulan": [True, False, True],
            "tanggal": pd.to_datetime(["2024-07-12", None, "2023-01-02"]),
        }
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://contoh.test","klik")', '\'=HYPERLINK("http://contoh.test","klik")'),
        ("+62812", "'+62812"),
        ("-", "'-"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("Keripik Pisang", "Keripik Pisang"),
        ("Rp 10.000 - 20.000", "Rp 10.000 - 20.000"),  # a dash inside is harmless
        ("'=sudah aman", "'=sudah aman"),  # defusing twice changes nothing
        ("", ""),
    ],
)
def test_text_cells_that_could_start_a_formula_get_an_apostrophe(value, expected):
    out = export.safe_for_spreadsheet(pd.DataFrame({"teks": [value]}))
    assert out["teks"].iloc[0] == expected


def test_numbers_dates_and_booleans_are_untouched(produk):
    out = export.safe_for_spreadsheet(produk)
    pd.testing.assert_series_equal(out["skor"], produk["skor"])  # -3.0 stays a number
    pd.testing.assert_series_equal(out["tahun"], produk["tahun"])
    pd.testing.assert_series_equal(out["tanggal"], produk["tanggal"])
    pd.testing.assert_series_equal(out["unggulan"], produk["unggulan"])


def test_mixed_object_column_keeps_its_numbers():
    out = export.safe_for_spreadsheet(pd.DataFrame({"nilai": pd.Series([-5, "-5", None], dtype=object)}))
    assert out["nilai"].tolist() == [-5, "'-5", None]


def test_headers_from_user_files_are_defused_too():
    out = export.safe_for_spreadsheet(pd.DataFrame({"=cmd|' /C calc'!A0": ["x"], "desa": ["y"]}))
    assert list(out.columns) == ["'=cmd|' /C calc'!A0", "desa"]


def test_safe_for_spreadsheet_does_not_mutate_its_argument(produk):
    before = produk.copy()
    export.safe_for_spreadsheet(produk)
    pd.testing.assert_frame_equal(produk, before)


def test_public_columns_drops_kontak_and_columns_headed_like_it(produk):
    out = privacy.public_columns(produk)
    assert "kontak" not in out.columns and "No. HP" not in out.columns
    assert {"nama_produk", "pelaku_usaha", "tahun", "skor"} <= set(out.columns)
    assert "kontak" in produk.columns  # the argument keeps its columns


def test_csv_is_utf8_with_bom_semicolons_and_decimal_comma(produk):
    data = export.to_csv_bytes(produk)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.split(";")[:3] == ["Nama Produk", "Pelaku Usaha", "Tahun"]
    assert "0812-0000" not in text and "Kontak" not in header and "HP" not in header
    assert "70,5" in text and "2024-07-12" in text and ";Ya;" in text
    back = pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", decimal=",", dtype=str)
    assert back["Nama Produk"].iloc[0].startswith("'=HYPERLINK")
    assert back["Pelaku Usaha"].tolist() == ["'+62812", "'-", "'@SUM(A1:A9)"]


def test_xlsx_writes_values_never_formulas_with_real_dates(produk):
    data = export.to_xlsx_bytes({"Produk": produk, "Ringkas": produk[["nama_produk"]]})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Produk", "Ringkas"]
    ws = wb["Produk"]
    headers = [c.value for c in ws[1]]
    assert headers == ["Nama Produk", "Pelaku Usaha", "Tahun", "Skor", "Unggulan", "Tanggal"]
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert not any("0812-0000" in str(c.value) for c in cells)
    assert ws["A2"].value.startswith("'=HYPERLINK")
    assert ws["C2"].value == 2021 and ws["C3"].value is None  # Int64 NA is an empty cell
    assert ws["D4"].value == -3
    assert ws["E2"].value == "Ya" and ws["E3"].value == "Tidak"
    assert ws["F2"].is_date and ws["F2"].number_format == "dd/mm/yyyy"
    assert ws["F2"].value.date().isoformat() == "2024-07-12"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width > ws.column_dimensions["C"].width  # long names get room


def test_xlsx_sheet_names_follow_excels_rules():
    frame = pd.DataFrame({"a": [1]})
    long = "Tindak lanjut terlambat per OPD/dinas: rapat"
    data = export.to_xlsx_bytes({long: frame, "Rekap": frame, "rekap": frame})
    names = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert names[0] == "Tindak lanjut terlambat per OPD"[:31].replace("/", "-")
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[1:] == ["Rekap", "rekap (2)"]


def test_xlsx_of_an_empty_table_has_its_headers():
    data = export.to_xlsx_bytes({"Kosong": pd.DataFrame({"desa": pd.Series(dtype=str)})})
    ws = openpyxl.load_workbook(io.BytesIO(data))["Kosong"]
    assert [c.value for c in ws[1]] == ["Desa/Kelurahan"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nama_produk", "Nama Produk"),  # the template's own header
        ("tenggat_efektif", "Tenggat Efektif"),
        ("hari_sejak_x", "Hari sejak x"),  # an unknown code-style name reads as words
        ("Keterangan Tambahan", "Keterangan Tambahan"),  # a header typed by staff stays as typed
        ("No. urut", "No. urut"),
    ],
)
def test_labels(name, expected):
    assert export.label(name) == expected


def test_labelled_keeps_headers_unique():
    out = export.labelled(pd.DataFrame({"file": [1], "sumber": [2]}))  # both read "Berkas"
    assert list(out.columns) == ["Berkas (file)", "Berkas (sumber)"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Keripik Pisang", "Kopi Bubuk", "Batik Tulis"]),
        ("KERIPIK", ["Keripik Pisang"]),
        ("kopi  sumber", ["Kopi Bubuk"]),  # every word, in any of the columns
        ("Bu Sri", ["Batik Tulis"]),
        ("Tegalasri", ["Batik Tulis"]),
        ("cafe", ["Kopi Bubuk"]),  # accents folded
        ("tidak ada", []),
    ],
)
def test_search_rows(query, expected):
    frame = pd.DataFrame(
        {
            "nama_produk": ["Keripik Pisang", "Kopi Bubuk", "Batik Tulis"],
            "pelaku_usaha": ["UD Mandiri", "Café Sumber", "Bu Sri"],
            "desa": ["Pulerejo", "Babadan", "Tegalasri"],
            "kontak": ["0812", "0813", "0814"],
        }
    )
    out = export.search_rows(frame, query, ["nama_produk", "pelaku_usaha", "desa"])
    assert out["nama_produk"].tolist() == expected


def test_search_does_not_look_at_kontak():
    frame = pd.DataFrame({"nama_produk": ["Kopi"], "kontak": ["0812-0000-1"]})
    assert export.search_rows(frame, "0812", ["nama_produk"]).empty


def test_an_aspiration_export_loaded_again_keeps_every_tracking_id(tmp_path):
    """The export carries ID Aspirasi, so re-uploading it (statuses edited or not) keeps every item's history."""
    demo = load_dataset(workbook_paths(Path(__file__).resolve().parents[1] / "data"), "35.05")
    ledger = followup.followup_ledger(
        demo.aspirasi, pd.DataFrame(columns=list(EVENT_COLUMNS)), today=dt.date(2024, 12, 31)
    )
    columns = ["id_aspirasi", "tanggal", "desa", "kecamatan", "aspirasi", "opd_penanggung_jawab", "status"]
    path = tmp_path / "janji_tindak_lanjut.xlsx"
    path.write_bytes(export.to_xlsx_bytes({"Aspirasi": ledger.loc[:, columns]}))
    assert openpyxl.load_workbook(path)["Aspirasi"]["A1"].value == "ID Aspirasi"
    again = load_dataset([path], "35.05")
    assert again.counts["aspirasi"]["rejected"] == 0
    assert sorted(again.aspirasi["id_aspirasi"]) == sorted(ledger["id"])
    assert again.aspirasi["tercatat_id_aspirasi"].all()  # read from the file, not derived again
