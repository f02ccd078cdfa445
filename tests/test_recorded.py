"""Not recorded is not zero: the share of accepted rows whose workbook cell carried a value."""

from __future__ import annotations

import pandas as pd
import pytest

from ovop_data import recorded
from ovop_data.io import RawSheet
from ovop_data.load import tables_from_sheets
from ovop_data.validation import build_dataset


def dataset(name: str, rows: list[list]):
    width = max(len(r) for r in rows)
    cells = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    tables, findings = tables_from_sheets([RawSheet(file="uji.xlsx", sheet=name, cells=cells)])
    return build_dataset(tables, "35.05", extra_findings=findings, files=["uji.xlsx"])


def test_defaults_filled_by_validation_are_not_counted_as_recorded():
    data = dataset(
        "Produk",
        [
            ["Nama Produk", "Kategori", "Desa", "Kecamatan", "Unggulan", "Legalitas"],
            ["Kopi", "kopi", "Tembalang", "Wlingi", "", "NIB"],
            ["Teh", "minuman", "Tembalang", "Wlingi", "Tidak", "-"],  # "-" says: no licence (a fact)
            ["Gula", "makanan", "Tembalang", "Wlingi", "", ""],
            ["Jahe", "minuman", "Tembalang", "Wlingi", "Ya", None],
        ],
    )
    shares = recorded.tercatat(data)["produk"]
    assert shares["unggulan"] == 0.5  # blank is read as Ya, but the workbook did not say so
    assert shares["legalitas"] == 0.5
    assert shares["pelaku_usaha"] == 0.0  # column absent
    assert shares["nama_produk"] == 1.0
    assert set(shares) == {c.name for c in recorded.TABLES["produk"].kept_columns}


def test_blank_status_is_open_but_not_recorded():
    data = dataset(
        "Aspirasi",
        [
            ["Tanggal", "Desa", "Kecamatan", "Aspirasi", "Status"],
            ["01/02/2024", "Tembalang", "Wlingi", "Jalan rusak", "Belum"],
            ["01/02/2024", "Tembalang", "Wlingi", "Modal usaha", ""],
        ],
    )
    assert list(data.aspirasi["status"]) == ["Belum", "Belum"]  # both still open
    assert list(recorded.recorded_mask(data.aspirasi, "status")) == [True, False]
    assert recorded.tercatat(data)["aspirasi"]["status"] == 0.5


def test_a_product_of_several_villages_is_one_row():
    produk = pd.DataFrame({"id_produk": ["a", "a", "b"], "pelaku_usaha": ["Bu Sri", "Bu Sri", " "]})
    assert recorded.recorded_counts(produk, "produk", "pelaku_usaha") == (1, 2)


@pytest.mark.parametrize(
    ("n", "total", "note"),
    [(0, 3, "tidak tercatat"), (2, 3, "tercatat untuk 2 dari 3 produk"), (3, 3, ""), (0, 0, "")],
)
def test_recorded_note(n, total, note):
    assert recorded.recorded_note(n, total, "produk") == note


@pytest.mark.parametrize(
    ("total", "tercatat", "shown"),
    [
        (None, 0, ("tidak tercatat", None)),
        (2, 3, ("2", "tercatat untuk 3 dari 4 produk")),
        (2, 4, ("2", None)),
    ],
)
def test_pelaku_figure(total, tercatat, shown):
    headline = {"pelaku_usaha_total": total, "pelaku_usaha_tercatat": tercatat, "produk_total": 4}
    assert recorded.pelaku_figure(headline) == shown


def test_tercatat_table_in_words():
    data = dataset(
        "Produk",
        [
            ["Nama Produk", "Kategori", "Desa", "Kecamatan", "Pelaku Usaha"],
            ["Kopi", "kopi", "Tembalang", "Wlingi", "Bu Sri"],
            ["Teh", "minuman", "Tembalang", "Wlingi", ""],
        ],
    )
    words = recorded.tercatat_table(data).set_index("column")["tercatat"]
    assert words["Nama Produk"] == "semua 2 baris"
    assert words["Pelaku Usaha"] == "tercatat untuk 1 dari 2 baris"
    assert words["Legalitas"] == "tidak tercatat"
    assert set(recorded.tercatat_table(data)["table"]) == {"Produk unggulan"}  # tables without rows left out
