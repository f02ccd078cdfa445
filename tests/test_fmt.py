"""Numbers and dates the Indonesian way: one date style ("12 Juli 2023") for every page, card and briefing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ovop_data.fmt import angka, bulan_tahun, persen, tanggal, tanggal_jam


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2023, 7, 12), "12 Juli 2023"),
        (pd.Timestamp("2024-12-24"), "24 Desember 2024"),
        (dt.datetime(2023, 8, 1, 9, 5), "1 Agustus 2023"),
        (None, ""),
        (pd.NaT, ""),
    ],
)
def test_tanggal_writes_day_month_name_year(value, text):
    assert tanggal(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (pd.Timestamp("2023-07-12 10:30"), "12 Juli 2023 10.30"),
        (dt.datetime(2023, 1, 5, 7, 0), "5 Januari 2023 07.00"),
        (pd.NaT, ""),
        (None, ""),
    ],
)
def test_tanggal_jam_adds_the_time_with_a_dot(value, text):
    assert tanggal_jam(value) == text


def test_numbers_use_dots_for_thousands_and_commas_for_decimals():
    assert angka(1234) == "1.234"
    assert angka(2.5, 1) == "2,5"
    assert persen(64.52) == "64,5%"
    assert angka(None) == persen(float("nan")) == "–"


def test_bulan_tahun_is_short_on_axes_and_full_in_hovers():
    assert bulan_tahun(dt.date(2023, 8, 1)) == "Agu 2023"
    assert bulan_tahun(pd.Timestamp("2023-08-01"), short=False) == "Agustus 2023"
