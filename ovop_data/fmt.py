"""Numbers and dates written the Indonesian way (1.234; 64,5%; 12 Juli 2023) for pages, maps and exports."""

from __future__ import annotations

import datetime as dt

import pandas as pd

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
BULAN_SINGKAT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def angka(value: float | int | None, decimals: int = 0) -> str:
    """1234 -> '1.234'; 2.5 with decimals=1 -> '2,5'; None/NaN -> '–'."""
    if value is None or pd.isna(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def persen(value: float | None, decimals: int = 1) -> str:
    """64.52 -> '64,5%'."""
    return "–" if value is None or pd.isna(value) else f"{angka(value, decimals)}%"


def tanggal(value: dt.date | pd.Timestamp | None, short: bool = False) -> str:
    """2023-07-12 -> '12 Juli 2023' (short: '12 Jul 2023'); missing -> ''."""
    if value is None or pd.isna(value):
        return ""
    months = BULAN_SINGKAT if short else BULAN
    return f"{value.day} {months[value.month - 1]} {value.year}"


def tanggal_jam(value: dt.datetime | pd.Timestamp | None) -> str:
    """2023-07-12 10:30 -> '12 Juli 2023 10.30' (the time with a dot, as Indonesian writes it); missing -> ''."""
    if value is None or pd.isna(value):
        return ""
    return f"{tanggal(value)} {value.hour:02d}.{value.minute:02d}"


def tanggal_hari(value: dt.date) -> str:
    """2023-07-12 -> 'Rabu, 12 Juli 2023'."""
    return f"{HARI[value.weekday()]}, {tanggal(value)}"


def bulan_tahun(value: dt.date | pd.Timestamp, short: bool = True) -> str:
    """2023-07-01 -> 'Jul 2023' for axis labels (short: False, for hovers, -> 'Juli 2023')."""
    return f"{(BULAN_SINGKAT if short else BULAN)[value.month - 1]} {value.year}"
