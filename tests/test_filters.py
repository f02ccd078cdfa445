"""Filters: URL parameters both ways, forgiving parsing, applying them, and their one-line summary."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ovop_data.filters import Choices, Filters, apply_filters, filters_from_params, filters_summary, filters_to_params

CHOICES = Choices(
    kecamatan={"35.05.17": "Wlingi", "35.05.18": "Talun"},
    kategori=["Makanan olahan", "Minuman"],
    jenis_pelaku=["BUMDesma", "UMKM"],
    desa={"35.05.17.2009": "Balerejo", "35.05.18.2001": "Bendosari"},
)


@pytest.mark.parametrize(
    ("params", "expected", "notes"),
    [
        ({}, Filters(), 0),
        ({"kecamatan": ["wlingi", "35.05.18"]}, Filters(kecamatan=("35.05.17", "35.05.18")), 0),
        ({"kategori": ["minuman", "Perhiasan"]}, Filters(kategori=("Minuman",)), 1),
        (
            {"dari": ["2023-01-01"], "sampai": ["2022-01-01"]},
            Filters(dari=dt.date(2022, 1, 1), sampai=dt.date(2023, 1, 1)),
            1,
        ),
        ({"dari": ["kemarin"]}, Filters(), 1),
        ({"desa": ["35.05.17.2009"]}, Filters(desa="35.05.17.2009"), 0),
        ({"desa": ["99"]}, Filters(), 1),
    ],
)
def test_params_are_read_forgivingly(params, expected, notes):
    got = filters_from_params(params, CHOICES)
    assert got == expected
    assert len(got.notes) == notes


def test_params_round_trip_with_readable_names():
    f = Filters(kecamatan=("35.05.17",), kategori=("Minuman",), dari=dt.date(2023, 7, 1), desa="35.05.17.2009")
    params = filters_to_params(f, CHOICES)
    assert params == {
        "kecamatan": ["Wlingi"],
        "kategori": ["Minuman"],
        "dari": ["2023-07-01"],
        "desa": ["35.05.17.2009"],
    }
    assert filters_from_params(params, CHOICES) == f


def test_summary_names_what_is_filtered():
    assert filters_summary(Filters(), CHOICES) == ""
    f = Filters(kecamatan=("35.05.17", "35.05.18"), kategori=("Minuman",), sampai=dt.date(2023, 12, 31))
    assert filters_summary(f, CHOICES) == "Kec. Wlingi, Talun · Minuman · … – 31 Desember 2023"


def test_apply_filters_narrows_each_table_and_never_mutates():
    villages = pd.DataFrame(
        {"kode_desa": ["35.05.17.2009", "35.05.18.2001"], "kode_kecamatan": ["35.05.17", "35.05.18"]}
    )
    produk = pd.DataFrame(
        {
            "kode_kecamatan": ["35.05.17", "35.05.18"],
            "kategori": ["Minuman", "Minuman"],
            "jenis_pelaku": ["UMKM", "BUMDesma"],
        }
    )
    kunjungan = pd.DataFrame(
        {"kode_kecamatan": ["35.05.17", "35.05.17"], "tanggal": pd.to_datetime(["2022-05-01", "2023-07-12"])}
    )
    aspirasi = kunjungan.copy()
    before = produk.copy()
    out = apply_filters(
        villages,
        produk,
        kunjungan,
        aspirasi,
        Filters(kecamatan=("35.05.17",), dari=dt.date(2023, 1, 1), jenis_pelaku=("UMKM",)),
    )
    assert list(out["desa"]["kode_desa"]) == ["35.05.17.2009"]
    assert len(out["produk"]) == 1 and len(out["kunjungan"]) == 1 and len(out["aspirasi"]) == 1
    pd.testing.assert_frame_equal(produk, before)
