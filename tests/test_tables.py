"""On-screen tables: long text wraps inside the main column instead of being cut off; dates read "12 Juli 2023"."""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from ovop_ui import tables
from ovop_ui.tables import EMPTY_CELL, RUNNING_TEXT_MIN_PX, TABLE_PX, _dates_shown, text_widths


def test_a_table_that_fits_is_left_alone():
    table = pd.DataFrame({"Desa": ["Beru", "Babadan"], "Skor": [80, 70]})
    assert text_widths(table, {"Desa": "desa", "Skor": "skor"}) == ({}, None)


def test_long_text_is_narrowed_to_fit_and_wraps():
    reason = "belum punya produk unggulan; terakhir dikunjungi 21 bulan lalu; 2 aspirasi terbuka; 2 terlambat"
    table = pd.DataFrame(
        {
            "Peringkat": [1, 2],
            "Desa/Kelurahan": ["Kendalrejo", "Bendosari"],
            "Kecamatan": ["Srengat", "Sanankulon"],
            "Alasan": [reason, reason],
            "Pesan": [reason * 2, reason],
        }
    )
    names = {
        "Peringkat": "peringkat",
        "Desa/Kelurahan": "desa",
        "Kecamatan": "kecamatan",
        "Alasan": "alasan",
        "Pesan": "message",
    }
    widths, row_height = text_widths(table, names)
    assert {"Alasan", "Pesan"} <= set(widths)
    assert all(widths[h] >= RUNNING_TEXT_MIN_PX for h in ("Alasan", "Pesan"))
    assert sum(widths.values()) <= TABLE_PX
    assert row_height is not None and row_height > 40  # rows grow so the narrowed text can wrap


def _shown(styler: Styler) -> pd.DataFrame:
    """The texts a Styler gives each cell (what Streamlit's grid draws)."""
    body = styler._translate(False, False)["body"]
    return pd.DataFrame([[cell["display_value"] for cell in row[1:]] for row in body], columns=styler.data.columns)


def test_dates_show_as_12_juli_2023_but_keep_their_values_for_sorting():
    table = pd.DataFrame(
        {
            "Tanggal": pd.to_datetime(["2023-07-12", None, "2023-08-01"]),
            "Desa": ["Beru", None, "Babadan"],
            "Kunjungan": pd.array([3, None, 1], dtype="Int64"),
        },
        index=[5, 5, 7],  # a filtered frame's index: not unique, not 0..n
    )
    styler = _dates_shown(table)
    assert isinstance(styler, Styler)
    assert styler.data["Tanggal"].dtype.kind == "M"  # the grid sorts chronologically by these
    shown = _shown(styler)
    assert shown["Tanggal"].tolist() == ["12 Juli 2023", EMPTY_CELL, "1 Agustus 2023"]
    assert shown["Desa"].tolist() == ["Beru", EMPTY_CELL, "Babadan"]  # a Styler gives every cell its text
    assert shown["Kunjungan"].tolist() == ["3", EMPTY_CELL, "1"]


def test_a_date_with_a_time_shows_it():
    table = pd.DataFrame({"Diubah": pd.to_datetime(["2024-03-01 14:05", "2024-03-02 00:00"])})
    assert _shown(_dates_shown(table))["Diubah"].tolist() == ["1 Maret 2024 14.05", "2 Maret 2024 00.00"]


def test_a_table_without_dates_is_passed_through():
    table = pd.DataFrame({"Desa": ["Beru"], "Skor": [80]})
    assert _dates_shown(table) is table


def test_a_very_large_dated_table_shows_its_dates_as_text(monkeypatch):
    monkeypatch.setattr(tables, "STYLED_MAX_CELLS", 4)
    table = pd.DataFrame({"Tanggal": pd.to_datetime(["2023-07-12", None, "2023-12-24"]), "Desa": ["A", "B", "C"]})
    shown = _dates_shown(table)
    assert isinstance(shown, pd.DataFrame)
    assert shown["Tanggal"].tolist() == ["12 Juli 2023", "", "24 Desember 2023"]
    assert table["Tanggal"].dtype.kind == "M"  # the argument is not changed
