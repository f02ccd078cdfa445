"""The dashboard's filters as plain data: read from / written to URL parameters, applied to the tables.

Every filter lives in the URL so that copying the address bar gives a colleague
the same view. Parsing is forgiving: an unknown value is dropped with a note,
never an error. A note quotes what the URL said, shortened and de-duplicated
(anyone can craft a link); pages show notes as text, never as Markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .escape import shortened
from .fmt import tanggal
from .text import name_key

#: URL parameter names (the users' words).
PARAMS = ("kecamatan", "kategori", "dari", "sampai", "pelaku", "desa")
#: A note quotes at most this many distinct unknown values of one parameter, each cut to NOTE_VALUE_CHARS.
NOTE_VALUES, NOTE_VALUE_CHARS = 3, 40


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the view to; empty tuples mean 'all'."""

    kecamatan: tuple[str, ...] = ()  # kode_kecamatan
    kategori: tuple[str, ...] = ()  # product category labels
    dari: dt.date | None = None
    sampai: dt.date | None = None
    jenis_pelaku: tuple[str, ...] = ()
    desa: str = ""  # kode_desa of the selected village
    notes: tuple[str, ...] = field(default=(), compare=False)  # what could not be understood

    @property
    def active(self) -> bool:
        return bool(self.kecamatan or self.kategori or self.dari or self.sampai or self.jenis_pelaku)


@dataclass(frozen=True)
class Choices:
    """The values a filter may take, from the gazetteer and the loaded data."""

    kecamatan: Mapping[str, str]  # kode_kecamatan -> name
    kategori: Sequence[str]
    jenis_pelaku: Sequence[str]
    desa: Mapping[str, str]  # kode_desa -> name


def _pick(
    values: Sequence[str], allowed: Mapping[str, str] | Sequence[str], what: str, notes: list[str]
) -> tuple[str, ...]:
    """Values found among the allowed ones (by code or by name, case-insensitively)."""
    by_key = {}
    if isinstance(allowed, Mapping):
        for code, name in allowed.items():
            by_key[name_key(code)] = code
            by_key[name_key(name)] = code
    else:
        by_key = {name_key(v): v for v in allowed}
    picked, unknown = [], []
    for value in values:
        hit = by_key.get(name_key(value))
        if hit is None:
            unknown.append(shortened(value, NOTE_VALUE_CHARS))
        elif hit not in picked:
            picked.append(hit)
    if unknown:
        notes.append(f"{what} {_listed(unknown)} dari tautan tidak dikenal dan diabaikan.")
    return tuple(picked)


def _listed(values: Sequence[str]) -> str:
    """'a', 'b', 'c' dan 7 lainnya: distinct values, at most NOTE_VALUES of them (a URL may repeat one 300 times)."""
    distinct = list(dict.fromkeys(values))
    shown = ", ".join(f"'{v}'" for v in distinct[:NOTE_VALUES])
    return shown + (f" dan {len(distinct) - NOTE_VALUES} nilai lain" if len(distinct) > NOTE_VALUES else "")


def _date(value: Sequence[str], what: str, notes: list[str]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[0])
    except ValueError:
        shown = shortened(value[0], NOTE_VALUE_CHARS)
        notes.append(f"Tanggal {what} '{shown}' dari tautan tidak dikenal (pakai YYYY-MM-DD) dan diabaikan.")
        return None


def filters_from_params(params: Mapping[str, Sequence[str]], choices: Choices) -> Filters:
    """Filters from URL parameters (each a list of values); unknown values become notes."""
    notes: list[str] = []
    kecamatan = _pick(params.get("kecamatan", ()), choices.kecamatan, "Kecamatan", notes)
    kategori = _pick(params.get("kategori", ()), choices.kategori, "Kategori", notes)
    pelaku = _pick(params.get("pelaku", ()), choices.jenis_pelaku, "Jenis pelaku", notes)
    dari = _date(params.get("dari", ()), "awal", notes)
    sampai = _date(params.get("sampai", ()), "akhir", notes)
    if dari and sampai and dari > sampai:
        notes.append("Tanggal awal sesudah tanggal akhir; keduanya ditukar.")
        dari, sampai = sampai, dari
    desa = ""
    if params.get("desa"):
        picked = _pick(params["desa"][:1], choices.desa, "Desa", notes)
        desa = picked[0] if picked else ""
    return Filters(kecamatan, kategori, dari, sampai, pelaku, desa, tuple(notes))


def filters_to_params(filters: Filters, choices: Choices) -> dict[str, list[str]]:
    """URL parameters for a set of filters, readable names where there are any (kecamatan=Wlingi)."""
    params: dict[str, list[str]] = {}
    if filters.kecamatan:
        params["kecamatan"] = [choices.kecamatan[k] for k in filters.kecamatan]
    if filters.kategori:
        params["kategori"] = list(filters.kategori)
    if filters.dari:
        params["dari"] = [filters.dari.isoformat()]
    if filters.sampai:
        params["sampai"] = [filters.sampai.isoformat()]
    if filters.jenis_pelaku:
        params["pelaku"] = list(filters.jenis_pelaku)
    if filters.desa:
        params["desa"] = [filters.desa]
    return params


def filters_summary(filters: Filters, choices: Choices) -> str:
    """The active filters in a few words ('Kec. Wlingi · Minuman · 1 Januari 2023 – 31 Desember 2023'); '' if none."""
    parts = []
    if filters.kecamatan:
        parts.append("Kec. " + ", ".join(choices.kecamatan[k] for k in filters.kecamatan))
    if filters.kategori:
        parts.append(", ".join(filters.kategori))
    if filters.jenis_pelaku:
        parts.append(", ".join(filters.jenis_pelaku))
    if filters.dari or filters.sampai:
        parts.append(f"{tanggal(filters.dari) or '…'} – {tanggal(filters.sampai) or '…'}")
    return " · ".join(parts)


def choices_for(villages: pd.DataFrame, produk: pd.DataFrame) -> Choices:
    """Filter choices: every kecamatan and desa of the area, the categories and producer kinds in the data."""
    kec = villages.drop_duplicates("kode_kecamatan")
    return Choices(
        kecamatan=dict(zip(kec["kode_kecamatan"], kec["kecamatan"], strict=True)),
        kategori=sorted(c for c in produk["kategori"].unique() if c),
        jenis_pelaku=sorted(c for c in produk["jenis_pelaku"].unique() if c),
        desa=dict(zip(villages["kode_desa"], villages["desa"], strict=True)),
    )


def _in_period(dates: pd.Series, filters: Filters) -> pd.Series:
    keep = pd.Series(True, index=dates.index)
    if filters.dari:
        keep &= dates >= pd.Timestamp(filters.dari)
    if filters.sampai:
        keep &= dates <= pd.Timestamp(filters.sampai)
    return keep


def apply_filters(
    villages: pd.DataFrame, produk: pd.DataFrame, kunjungan: pd.DataFrame, aspirasi: pd.DataFrame, filters: Filters
) -> dict[str, pd.DataFrame]:
    """The tables narrowed to the filters: villages and everything by kecamatan; products by category and
    producer kind; visits and aspirations by date. Returns new frames keyed desa/produk/kunjungan/aspirasi."""
    if filters.kecamatan:
        villages = villages[villages["kode_kecamatan"].isin(filters.kecamatan)]
        produk = produk[produk["kode_kecamatan"].isin(filters.kecamatan)]
        kunjungan = kunjungan[kunjungan["kode_kecamatan"].isin(filters.kecamatan)]
        aspirasi = aspirasi[aspirasi["kode_kecamatan"].isin(filters.kecamatan)]
    if filters.kategori:
        produk = produk[produk["kategori"].isin(filters.kategori)]
    if filters.jenis_pelaku:
        produk = produk[produk["jenis_pelaku"].isin(filters.jenis_pelaku)]
    kunjungan = kunjungan[_in_period(kunjungan["tanggal"], filters)]
    aspirasi = aspirasi[_in_period(aspirasi["tanggal"], filters)]
    return {
        "desa": villages.copy(),
        "produk": produk.copy(),
        "kunjungan": kunjungan.copy(),
        "aspirasi": aspirasi.copy(),
    }
