"""Column widths of on-screen tables: long text wraps inside the main column instead of being cut off."""

from __future__ import annotations

import pandas as pd

from ovop_ui.tables import RUNNING_TEXT_MIN_PX, TABLE_PX, text_widths


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
