"""Resolve what staff typed as a village to exactly one official kode_desa — or say why not.

Rules, in order:
1. a valid ``kode_desa`` wins over names;
2. the stated kecamatan is resolved (exact after normalising, else fuzzy) — a
   kecamatan outside the area makes the row "outside the area";
3. the village is looked up exactly (normalised: case, spaces, punctuation,
   prefixes "Desa", "Ds.", "Kel.") within that kecamatan, else fuzzily within it
   (rapidfuzz), recorded as a correction with its score;
4. without a kecamatan a name shared by several kecamatan is *ambiguous* (never
   guessed), a name that exists only outside the area is reported as such before
   any fuzzy look-alike inside the area is considered, and an area-wide fuzzy
   match must be clearly better than the runner-up.

Each distinct (desa, kecamatan, kode) triple is resolved once, so 35,000 rows
cost what their few thousand distinct names cost.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .gazetteer import area_name, gazetteer, normalize_code, surroundings
from .text import fold, is_blank, name_key

#: Minimum rapidfuzz ratio for a correction within the stated kecamatan, and area-wide.
FUZZY_IN_KECAMATAN = 75.0
FUZZY_AREA_WIDE = 85.0
#: A fuzzy winner must beat the runner-up by this many points, or it is not a match.
FUZZY_MARGIN = 5.0
FUZZY_KECAMATAN = 80.0
#: From this many distinct names needing an area-wide fuzzy look-up, they are ranked in one batch.
AREA_WIDE_BATCH = 200

MATCH_RESULT_COLUMNS = (
    "kode_desa",
    "nama_desa",
    "kode_kecamatan",
    "kecamatan",
    "method",
    "score",
    "code",
    "column",
    "message",
    "suggestion",
    "notes",
)


@dataclass(frozen=True)
class _Result:
    kode_desa: str = ""
    method: str = ""
    score: float = 0.0
    code: str = ""  # finding code: error when kode_desa is "", else a warning (koreksi_nama…) or ""
    message: str = ""
    suggestion: str = ""
    notes: tuple[tuple[str, str, str], ...] = ()  # extra warnings: (column, code, message)
    column: str = "desa"  # the input column the error is about


class VillageIndex:
    """Lookup structures over a gazetteer, built once and reused for every request."""

    def __init__(self, villages: pd.DataFrame, area: str, outside: pd.DataFrame | None = None) -> None:
        self.area = area
        self.villages = villages.set_index("kode_desa", drop=False)
        self.by_key: dict[str, list[str]] = villages.groupby("desa_key")["kode_desa"].agg(list).to_dict()
        kec = villages.drop_duplicates("kode_kecamatan")
        self.kecamatan_name: dict[str, str] = dict(zip(kec["kode_kecamatan"], kec["kecamatan"], strict=True))
        self.kecamatan_by_key: dict[str, list[str]] = kec.groupby("kecamatan_key")["kode_kecamatan"].agg(list).to_dict()
        self.in_kecamatan: dict[str, dict[str, list[str]]] = {
            k: {d: [c] for d, c in zip(g["desa_key"], g["kode_desa"], strict=True)}
            for k, g in villages.groupby("kode_kecamatan")
        }
        # Fuzzy choices built once, not per unknown name: every village key, every kecamatan key.
        self.desa_keys: list[str] = list(self.by_key)
        self.kecamatan_keys: list[str] = list(self.kecamatan_by_key)
        self._outside = outside
        self._outside_sorted: dict[str, tuple[list[str], list[int]]] = {}  # column -> (sorted values, rows)
        self._outside_text: tuple[list[str], list[str]] | None = None  # desa, kabupaten per row
        self.kecamatan_cache: dict[str, tuple] = {}
        self.info: dict[str, dict] = self.villages[["desa", "kode_kecamatan", "kecamatan", "kabupaten"]].to_dict(
            "index"
        )

    @property
    def outside(self) -> pd.DataFrame:
        """Villages around the area, loaded only when a name is not found inside it."""
        if self._outside is None:
            # The namesake city (Kota Blitar for Kabupaten Blitar) is the likeliest meaning: list it first.
            base = name_key(area_name(self.area).removeprefix("Kabupaten ").removeprefix("Kota "))
            around = surroundings(self.area)
            namesake = around["kabupaten"].map(name_key) == base
            self._outside = around.assign(_namesake=~namesake).sort_values(["_namesake", "kode_desa"])
        return self._outside

    def outside_places(self, column: str, key: str, with_desa: bool = True) -> str:
        """Where outside the area a desa_key, kecamatan_key or kode_desa exists ('' when nowhere).

        Each distinct unknown name asks this, so the column is sorted once and searched by bisection
        (the surroundings of a province are the whole country: a scan per name would cost a hostile upload dearly).
        """
        if column not in self._outside_sorted:
            values = self.outside[column].tolist()
            order = sorted(range(len(values)), key=values.__getitem__)  # stable: rows stay in their order
            self._outside_sorted[column] = ([values[i] for i in order], order)
        values, order = self._outside_sorted[column]
        rows = order[bisect_left(values, key) : bisect_right(values, key)]
        if not rows:
            return ""
        if self._outside_text is None:
            self._outside_text = (self.outside["desa"].tolist(), self.outside["kabupaten"].tolist())
        desa, kabupaten = self._outside_text
        rows.sort()
        if not with_desa:
            return _where([kabupaten[i] for i in rows])
        return _where([f"{desa[i]}, {kabupaten[i]}" for i in rows])

    def describe(self, kode: str) -> str:
        row = self.info[kode]
        return f"{row['desa']} (Kec. {row['kecamatan']}, {kode})"


def _where(hits: list[str]) -> str:
    """Where outside the area a name exists: each place once, a few at most ('' when nowhere)."""
    places = list(dict.fromkeys(hits))
    shown = "; ".join(places[:4])
    return shown + (f"; dan {len(places) - 4} lainnya" if len(places) > 4 else "")


def _fuzzy(
    query: str, choices: list[str], cutoff: float, ranked: list[tuple[str, float]] | None = None
) -> tuple[list[tuple[str, float]], bool]:
    """Best candidates (key, score) and whether the winner is clear of the runner-up (``ranked``: already known)."""
    if ranked is None:
        found = process.extract(query, choices, scorer=fuzz.ratio, limit=3, score_cutoff=cutoff - 20)
        ranked = [(key, float(score)) for key, score, _ in found]
    if not ranked or ranked[0][1] < cutoff:
        return ranked, False
    clear = len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN
    return ranked, clear


def _ranked_area_wide(index: VillageIndex, keys: list[str]) -> dict[str, list[tuple[str, float]]]:
    """The area-wide candidates of many name keys at once: what `_fuzzy` would find for each, same order.

    rapidfuzz's cdist scores a chunk of names against every village on all cores, in chunks that keep
    the score matrix near 32 MB; only scores above the cut-off are sorted (best first, then gazetteer order).
    """
    choices, cutoff = index.desa_keys, FUZZY_AREA_WIDE - 20
    ranked: dict[str, list[tuple[str, float]]] = {key: [] for key in keys}
    step = max(1, 4_000_000 // max(1, len(choices)))
    for start in range(0, len(keys), step):
        chunk = keys[start : start + step]
        scores = process.cdist(chunk, choices, scorer=fuzz.ratio, score_cutoff=cutoff, dtype=np.float64, workers=-1)
        rows, cols = np.nonzero(scores)  # cdist gives 0 below the cut-off
        values = scores[rows, cols]
        order = np.lexsort((cols, -values, rows))
        rows, cols, values = rows[order], cols[order], values[order]
        for row, col, value in zip(rows.tolist(), cols.tolist(), values.tolist(), strict=True):
            found = ranked[chunk[row]]
            if len(found) < 3:
                found.append((choices[col], value))
    return ranked


def _area_wide_keys(index: VillageIndex, requests: Iterable[tuple[str, str, str]]) -> list[str]:
    """Name keys of the requests that `resolve_village` will look up fuzzily area-wide (a close over-estimate):
    no valid code, no known kecamatan, not an in-area name, not a name outside the area."""
    keys: dict[str, None] = {}
    for desa, kecamatan, kode in requests:
        key = name_key(desa)
        if not key or key in index.by_key or key in keys:
            continue
        if not is_blank(kode) and len(normalize_code(str(kode).strip())) == 13:
            continue
        if not is_blank(kecamatan):
            codes, error, _ = _resolve_kecamatan(index, str(kecamatan).strip())
            if codes or error is not None:
                continue
        if not index.outside_places("desa_key", key):
            keys[key] = None
    return list(keys)


def _resolve_kecamatan(index: VillageIndex, typed: str) -> tuple[list[str], _Result | None, list]:
    """Cached per index and typed name: a workbook repeats its few kecamatan names thousands of times."""
    cache = index.kecamatan_cache
    if typed not in cache:
        cache[typed] = _kecamatan_of(index, typed)
    return cache[typed]


def _kecamatan_of(index: VillageIndex, typed: str) -> tuple[list[str], _Result | None, list]:
    """Kecamatan codes a typed name may mean ([] when unknown), an error when it rules the row out, and notes.

    In a province-wide area one kecamatan name can exist in two kabupaten; the village name
    then decides between them.
    """
    key = name_key(typed)
    codes = index.kecamatan_by_key.get(key, [])
    if codes:
        return codes, None, []
    outside = index.outside_places("kecamatan_key", key, with_desa=False)
    if outside:
        return (
            [],
            _Result(
                code="di_luar_wilayah",
                column="kecamatan",
                message=f"Kecamatan '{typed}' berada di luar wilayah program ({outside}).",
            ),
            [],
        )
    ranked, clear = _fuzzy(key, index.kecamatan_keys, FUZZY_KECAMATAN)
    if clear:
        codes = index.kecamatan_by_key[ranked[0][0]]
        name = index.kecamatan_name[codes[0]]
        note = (
            "kecamatan",
            "koreksi_nama",
            f"Kecamatan '{typed}' dibaca sebagai '{name}' (kemiripan {ranked[0][1]:.0f}%).",
        )
        return codes, None, [note]
    return [], None, []


def _resolve_in_kecamatan(index: VillageIndex, typed: str, key: str, kecs: list[str], notes: list) -> _Result:
    if len(kecs) == 1:
        villages = index.in_kecamatan[kecs[0]]
    else:
        villages = {}
        for kec in kecs:
            for desa_key, kode in index.in_kecamatan[kec].items():
                villages.setdefault(desa_key, []).extend(kode)
    kec_name = index.kecamatan_name[kecs[0]]
    exact = villages.get(key, [])
    if len(exact) == 1:
        return _Result(exact[0], "exact", 100.0, notes=tuple(notes))
    if len(exact) > 1:
        places = "; ".join(f"{index.describe(k)} {index.info[k]['kabupaten']}" for k in exact)
        return _Result(
            code="desa_ambigu",
            message=f"Desa '{typed}' Kec. {kec_name} ada di {len(exact)} kabupaten.",
            suggestion=f"Isi kolom kode_desa. Pilihan: {places}.",
        )
    ranked, clear = _fuzzy(key, list(villages), FUZZY_IN_KECAMATAN)
    if clear and len(villages[ranked[0][0]]) == 1:
        kode, score = villages[ranked[0][0]][0], ranked[0][1]
        note = (
            "desa",
            "koreksi_nama",
            f"Desa '{typed}' dibaca sebagai '{index.info[kode]['desa']}' di Kec. {kec_name} (kemiripan {score:.0f}%).",
        )
        return _Result(kode, "fuzzy", score, notes=(*notes, note))
    elsewhere = index.by_key.get(key, [])
    if elsewhere:
        places = "; ".join(index.describe(k) for k in elsewhere)
        return _Result(
            code="kecamatan_tidak_cocok",
            message=f"Desa '{typed}' tidak ada di Kec. {kec_name}.",
            suggestion=f"Desa dengan nama ini: {places}. Periksa kolom desa atau kecamatan.",
        )
    candidates = [k for key_, _ in ranked for k in villages[key_]]
    return _not_found(index, typed, key, candidates, f" di Kec. {kec_name}")


def _not_found(index: VillageIndex, typed: str, key: str, candidates: list[str], where: str) -> _Result:
    """The village is not in the area (or not in the stated kecamatan): outside, or unknown with suggestions."""
    outside = index.outside_places("desa_key", key)
    if outside:
        return _Result(
            code="di_luar_wilayah",
            message=f"Desa '{typed}' tidak ada{where}; nama ini ada di luar wilayah program ({outside}).",
        )
    names = [index.describe(k) for k in candidates[:3]]
    suggestion = f"Mungkin maksudnya: {', '.join(names)}." if names else "Periksa ejaan atau isi kolom kode_desa."
    return _Result(code="desa_tidak_dikenal", message=f"Desa '{typed}' tidak dikenal{where}.", suggestion=suggestion)


def _resolve_area_wide(
    index: VillageIndex, typed: str, key: str, notes: list, area_ranked: dict | None = None
) -> _Result:
    codes = index.by_key.get(key, [])
    if len(codes) == 1:
        return _Result(codes[0], "exact", 100.0, notes=tuple(notes))
    if len(codes) > 1:
        places = "; ".join(index.describe(k) for k in codes)
        return _Result(
            code="desa_ambigu",
            message=f"Desa '{typed}' ada di {len(codes)} kecamatan; isi kolom kecamatan.",
            suggestion=f"Pilihan: {places}.",
        )
    outside = index.outside_places("desa_key", key)
    if outside:
        return _Result(code="di_luar_wilayah", message=f"Desa '{typed}' berada di luar wilayah program ({outside}).")
    ranked, clear = _fuzzy(key, index.desa_keys, FUZZY_AREA_WIDE, (area_ranked or {}).get(key))
    if clear and len(index.by_key[ranked[0][0]]) == 1:
        kode, score = index.by_key[ranked[0][0]][0], ranked[0][1]
        note = (
            "desa",
            "koreksi_nama",
            f"Desa '{typed}' dibaca sebagai {index.describe(kode)} (kemiripan {score:.0f}%); "
            "isi kolom kecamatan agar pasti.",
        )
        return _Result(kode, "fuzzy", score, notes=(*notes, note))
    if ranked and ranked[0][1] >= FUZZY_AREA_WIDE:
        places = "; ".join(index.describe(c) for k, _ in ranked for c in index.by_key[k])
        return _Result(
            code="desa_ambigu",
            message=f"Desa '{typed}' mirip beberapa desa; isi kolom kecamatan.",
            suggestion=f"Pilihan: {places}.",
        )
    return _not_found(index, typed, key, [k for key_, _ in ranked for k in index.by_key[key_]], "")


def _resolve_code(index: VillageIndex, typed_code: str, typed_desa: str) -> _Result | None:
    """Result for a filled kode_desa cell, or None to fall back to the names (with a note)."""
    kode = normalize_code(typed_code)
    if len(kode) != 13:
        return None
    if kode in index.info:
        official = index.info[kode]["desa"]
        notes: tuple = ()
        if typed_desa and fuzz.ratio(name_key(typed_desa), name_key(official)) < FUZZY_IN_KECAMATAN:
            notes = (
                (
                    "desa",
                    "koreksi_nama",
                    f"Nama desa '{typed_desa}' berbeda dengan nama resmi kode {kode} ('{official}'); dipakai kode.",
                ),
            )
        return _Result(kode, "kode", 100.0, notes=notes)
    outside = index.outside_places("kode_desa", kode)
    if outside:
        return _Result(
            code="di_luar_wilayah",
            column="kode_desa",
            message=f"Kode desa {kode} berada di luar wilayah program ({outside}).",
        )
    return _Result(
        code="desa_tidak_dikenal",
        column="kode_desa",
        message=f"Kode desa {kode} tidak ada dalam daftar Kemendagri.",
        suggestion="Periksa kode atau kosongkan kolom kode_desa agar nama desa dipakai.",
    )


def resolve_village(
    index: VillageIndex, desa: str, kecamatan: str = "", kode: str = "", area_ranked: dict | None = None
) -> _Result:
    """Resolve one typed (desa, kecamatan, kode) to a village, applying the rules in the module docstring.

    ``area_ranked``: area-wide fuzzy candidates already found for many names at once (`_ranked_area_wide`).
    """
    notes: list = []
    if not is_blank(kode):
        by_code = _resolve_code(index, str(kode).strip(), desa)
        if by_code is not None:
            return by_code
        notes.append(("kode_desa", "kode_tidak_valid", f"Kode desa '{kode}' tidak berformat Kemendagri; dipakai nama."))
    key = name_key(desa)
    if not key:
        return _Result(code="nilai_wajib_kosong", message="Nama desa kosong.")
    if is_blank(kecamatan):
        return _resolve_area_wide(index, desa, key, notes, area_ranked)
    typed_kec = str(kecamatan).strip()
    kecs, error, kec_notes = _resolve_kecamatan(index, typed_kec)
    if error is not None:
        return error
    if kecs:
        return _resolve_in_kecamatan(index, desa, key, kecs, [*notes, *kec_notes])
    # Unknown kecamatan: the village name alone may still identify the village; say so either way.
    result = _resolve_area_wide(index, desa, key, notes, area_ranked)
    if not result.kode_desa:
        return replace(result, message=f"{result.message} Kecamatan '{typed_kec}' juga tidak dikenal.")
    note = (
        "kecamatan",
        "kecamatan_tidak_cocok",
        f"Kecamatan '{typed_kec}' tidak dikenal; dipakai {index.describe(result.kode_desa)}.",
    )
    return replace(result, notes=(*result.notes, note))


@lru_cache(maxsize=4)
def village_index(area: str) -> VillageIndex:
    """The lookup structures of an area's gazetteer, built once per process (the gazetteer never changes)."""
    return VillageIndex(gazetteer(area), area)


def match_villages(
    requests: pd.DataFrame, villages: pd.DataFrame, area: str, index: VillageIndex | None = None
) -> pd.DataFrame:
    """One result row per request row (same index): the official village or the reason it has none.

    ``requests`` has columns desa_input, kecamatan_input, kode_input ('' when absent).
    """
    if requests.empty:  # pandas < 3 cannot factorize an empty MultiIndex
        return pd.DataFrame(columns=list(MATCH_RESULT_COLUMNS), index=requests.index)
    index = index or VillageIndex(villages, area)
    columns = [requests[c].astype(str).to_numpy(dtype=object) for c in ("desa_input", "kecamatan_input", "kode_input")]
    info, blank = index.info, {"desa": "", "kode_kecamatan": "", "kecamatan": ""}
    # Numbered in order of first appearance, so the distinct requests are resolved in the order typed.
    rows, distinct = pd.MultiIndex.from_arrays(columns).factorize()
    # Many distinct unknown names (a hostile upload, or a province-wide area): rank them in one batch.
    fuzzy = _area_wide_keys(index, distinct) if len(distinct) >= AREA_WIDE_BATCH else []
    area_ranked = _ranked_area_wide(index, fuzzy) if len(fuzzy) >= AREA_WIDE_BATCH else None
    solved = []
    for triple in distinct:
        r = resolve_village(index, *triple, area_ranked)
        v = info.get(r.kode_desa, blank)
        solved.append(
            (
                r.kode_desa,
                v["desa"],
                v["kode_kecamatan"],
                v["kecamatan"],
                r.method,
                r.score,
                r.code,
                r.column,
                r.message,
                r.suggestion,
                r.notes,
            )
        )
    table = pd.DataFrame(solved, columns=list(MATCH_RESULT_COLUMNS))
    return table.take(rows).set_axis(requests.index)


#: What separates several villages in one cell: ; , / & + or the word "dan".
SEPARATORS = re.compile(r"(?i)\s*(?:;|,|/|&|\+|\bdan\b)\s*")


@lru_cache(maxsize=65536)
def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in SEPARATORS.split(text) if fold(p))


def split_names(text: object) -> list[str]:
    """Several villages in one cell ('Tegalasri, Tembalang dan Balerejo') as a list; one name stays one."""
    return [] if is_blank(text) else list(_split(str(text).strip()))
