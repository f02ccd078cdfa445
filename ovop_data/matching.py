"""Resolve what staff typed as a village to exactly one official kode_desa — or say why not.

Rules, in order:
1. a valid ``kode_desa`` wins over names;
2. a row's own kabupaten/kota and provinsi (names or codes, from registers compiled
   above the regency) come next: outside the area the row is "outside the area" at
   once; inside a province-wide area they choose the kabupaten the names are looked
   up in;
3. the stated kecamatan is resolved exactly (after normalising) in the area; else it
   is scored against the kecamatan of the area *and* of the whole country together
   with the village: the pair in which both names fit wins. A kecamatan name that
   exists elsewhere (exactly, or as the clearly better match) makes the row "outside
   the area"; a corrected kecamatan is accepted only with the village named exactly
   in it (never two guesses on one row); a kecamatan that is neither is an error;
4. the village is looked up exactly (normalised: case, spaces, punctuation,
   prefixes "Desa", "Ds.", "Kel.") within an exactly named kecamatan, else fuzzily
   within it (rapidfuzz), recorded as a correction with its score;
5. without a kecamatan a name shared by several kecamatan is *ambiguous* (never
   guessed), a name that exists only outside the area is reported as such before
   any fuzzy look-alike inside the area is considered, and an area-wide fuzzy
   match must be clearly better than the runner-up.

Each distinct (desa, kecamatan, kode, kabupaten, provinsi) request is resolved once, so 35,000 rows
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

from .gazetteer import (
    area_name,
    country_gazetteer,
    gazetteer,
    normalize_code,
    place_name,
    region_name,
    regions,
    surroundings,
)
from .text import fold, is_blank, name_key

#: Minimum rapidfuzz ratio for a correction within the stated kecamatan, and area-wide.
FUZZY_IN_KECAMATAN = 75.0
FUZZY_AREA_WIDE = 85.0
#: A fuzzy winner must beat the runner-up by this many points, or it is not a match.
FUZZY_MARGIN = 5.0
FUZZY_KECAMATAN = 80.0
#: A looser kecamatan look-alike still counts when the typed village is in it (the pair of names fits), unless
#: a kecamatan elsewhere is named exactly as typed.
FUZZY_KECAMATAN_PAIR = 70.0
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
        # Plain loops over columns: an index is also built for each kabupaten a province-wide upload names.
        kode, desa, desa_key = (villages[c].tolist() for c in ("kode_desa", "desa", "desa_key"))
        kode_kec, kec_name, kec_key, kab = (
            villages[c].tolist() for c in ("kode_kecamatan", "kecamatan", "kecamatan_key", "kabupaten")
        )
        by_key: dict[str, list[str]] = {}
        self.kecamatan_name: dict[str, str] = {}
        in_kecamatan: dict[str, dict[str, list[str]]] = {}
        for k, d, c, n in zip(desa_key, kode, kode_kec, kec_name, strict=True):
            by_key.setdefault(k, []).append(d)
            self.kecamatan_name.setdefault(c, n)
            in_kecamatan.setdefault(c, {})[k] = [d]
        self.by_key = dict(sorted(by_key.items()))
        self.in_kecamatan = dict(sorted(in_kecamatan.items()))
        kecamatan_by_key: dict[str, list[str]] = {}
        for c, k in dict(zip(kode_kec, kec_key, strict=True)).items():
            kecamatan_by_key.setdefault(k, []).append(c)
        self.kecamatan_by_key = dict(sorted(kecamatan_by_key.items()))
        # Fuzzy choices built once, not per unknown name: every village key, every kecamatan key.
        self.desa_keys: list[str] = list(self.by_key)
        self.kecamatan_keys: list[str] = list(self.kecamatan_by_key)
        self._outside = outside
        self._outside_sorted: dict[str, tuple[list[str], list[int]]] = {}  # column -> (sorted values, rows)
        self._outside_text: tuple[list[str], list[str]] | None = None  # desa, kabupaten per row
        self.kecamatan_cache: dict[str, _Kecamatan] = {}
        self.parts: dict[str, VillageIndex] = {}  # the index of each kabupaten/kota rows name, built when named
        fields = zip(desa, kode_kec, kec_name, kab, strict=True)
        self.info: dict[str, dict] = {
            d: {"desa": n, "kode_kecamatan": c, "kecamatan": k, "kabupaten": b}
            for d, (n, c, k, b) in zip(kode, fields, strict=True)
        }

    def part(self, code: str) -> VillageIndex:
        """The index of one kabupaten/kota of this (province-wide) area, built from its villages once."""
        if code not in self.parts:
            villages = self.villages.reset_index(drop=True)
            self.parts[code] = VillageIndex(villages[villages["kode_desa"].str.startswith(code + ".")], code)
        return self.parts[code]

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


def _area_wide_keys(index: VillageIndex, requests: Iterable[tuple[str, ...]]) -> list[str]:
    """Name keys of the requests that `resolve_village` will look up fuzzily area-wide (a close over-estimate):
    no valid code, no kecamatan, no region outside the area or narrower than it, not an in-area name,
    not a name outside the area."""
    keys: dict[str, None] = {}
    for desa, kecamatan, kode, *region in requests:
        key = name_key(desa)
        if not key or key in index.by_key or key in keys or name_key(kecamatan):
            continue
        if not is_blank(kode) and len(normalize_code(str(kode).strip())) == 13:
            continue
        if any(not is_blank(r) for r in region):
            codes, error, _ = _region(*(str(r).strip() for r in region))
            if error is not None or (codes and _within(index.area, codes) != index.area):
                continue
        if not index.outside_places("desa_key", key):
            keys[key] = None
    return list(keys)


@dataclass(frozen=True)
class _Country:
    """Country-wide look-ups for names typed outside the area: kecamatan by name, villages per kecamatan,
    kabupaten/kota and provinces by name."""

    kecamatan_by_key: dict[str, list[str]]
    kecamatan_keys: list[str]
    desa_keys_of: dict[str, frozenset[str]]  # kode_kecamatan -> its village keys
    kabupaten_by_key: dict[str, list[str]]  # name without 'Kabupaten'/'Kota' -> codes
    provinsi_by_key: dict[str, str]


#: Province names as registers abbreviate them (the official names are known as well).
_PROVINSI_ALIASES = {
    "dkijakarta": "31",
    "jakarta": "31",
    "dki": "31",
    "diyogyakarta": "34",
    "yogyakarta": "34",
    "diy": "34",
    "nad": "11",
    "nanggroeacehdarussalam": "11",
    "bangkabelitung": "19",
    "babel": "19",
    "kepri": "21",
    "jabar": "32",
    "jateng": "33",
    "jatim": "35",
    "ntb": "52",
    "ntt": "53",
    "sumut": "12",
    "sumbar": "13",
    "sumsel": "16",
    "kalbar": "61",
    "kalteng": "62",
    "kalsel": "63",
    "kaltim": "64",
    "kaltara": "65",
    "sulut": "71",
    "sulteng": "72",
    "sulsel": "73",
    "sultra": "74",
    "sulbar": "76",
    "malut": "82",
}
_PROVINSI_PREFIX = re.compile(r"^(?:provinsi|propinsi|prov)\b\.?\s*")


@lru_cache(maxsize=1)
def _country() -> _Country:
    """Built once per process (about a second): the whole country's kecamatan and their villages."""
    villages = country_gazetteer()
    kec = villages.drop_duplicates("kode_kecamatan")
    by_key: dict[str, list[str]] = {}
    for code, key in zip(kec["kode_kecamatan"].tolist(), kec["kecamatan_key"].tolist(), strict=True):
        by_key.setdefault(key, []).append(code)
    sets: dict[str, set[str]] = {}
    for code, key in zip(villages["kode_kecamatan"].tolist(), villages["desa_key"].tolist(), strict=True):
        sets.setdefault(code, set()).add(key)
    desa_of = {code: frozenset(keys) for code, keys in sets.items()}
    kabupaten: dict[str, list[str]] = {}
    for code, name in regions(2).items():
        kabupaten.setdefault(name_key(name), []).append(code)
    provinsi = {name_key(name): code for code, name in regions(1).items()} | _PROVINSI_ALIASES
    return _Country(by_key, list(by_key), desa_of, kabupaten, provinsi)


def _region_code(typed: str, width: int) -> str:
    """A typed province (width 2) or kabupaten/kota (width 5) code, '' when the text is not such a code."""
    code = normalize_code(typed)
    return code if len(code) == width and region_name(code) else ""


def _note(column: str, label: str, typed: str) -> tuple[str, str, str]:
    return (
        column,
        "nilai_tidak_valid",
        f"{label} '{typed}' tidak dikenal; kolom ini tidak dipakai untuk mencocokkan desa.",
    )


@lru_cache(maxsize=4096)
def _region(kabupaten: str, provinsi: str) -> tuple[tuple[str, ...], _Result | None, tuple]:
    """Codes of the kabupaten/kota (else the province) a row names, an error when its two columns
    contradict each other, and notes for a name not recognised (() when nothing usable is named)."""
    country = _country()
    notes: list = []
    prov = ""
    if provinsi:
        key = name_key(_PROVINSI_PREFIX.sub("", fold(provinsi)))
        prov = _region_code(provinsi, 2) or country.provinsi_by_key.get(key, "")
        if not prov:
            notes.append(_note("provinsi", "Provinsi", provinsi))
    if kabupaten:
        code = _region_code(kabupaten, 5)
        if code:
            codes = [code]
        else:
            typed = fold(kabupaten)
            kind = "Kota " if typed.startswith("kota ") else "Kabupaten " if re.match(r"kab\b", typed) else ""
            codes = [
                c for c in country.kabupaten_by_key.get(name_key(kabupaten), []) if region_name(c).startswith(kind)
            ]
        inside = [c for c in codes if not prov or c.startswith(prov + ".")]
        if codes and not inside:
            return (
                (),
                _Result(
                    code="wilayah_tidak_cocok",
                    column="kabupaten",
                    message=f"Kabupaten/kota '{kabupaten}' tidak ada di Provinsi {region_name(prov)}.",
                    suggestion=f"'{kabupaten}' ada di {'; '.join(place_name(c) for c in codes)}. "
                    "Periksa kolom kabupaten dan provinsi.",
                ),
                (),
            )
        if inside:
            return tuple(inside), None, tuple(notes)
        notes.append(_note("kabupaten", "Kabupaten/kota", kabupaten))
    return ((prov,) if prov else ()), None, tuple(notes)


def _within(area: str, region: tuple[str, ...]) -> str | None:
    """The part of the area a row's region leaves (the area itself when it does not narrow it), None when
    the region lies wholly outside the area."""
    if any(area == code or area.startswith(code + ".") for code in region):
        return area
    inside = [code for code in region if code.startswith(area + ".")]
    if not inside:
        return None
    return inside[0] if len(inside) == 1 else area


@dataclass(frozen=True)
class _Kecamatan:
    """What a typed kecamatan may mean: in-area kecamatan named exactly (and same-named ones outside), or
    the in-area ones it may be a typo of and the ones outside named exactly like it."""

    key: str
    exact: tuple[str, ...] = ()
    outside_same: tuple[str, ...] = ()
    inside: tuple[tuple[str, float, bool], ...] = ()  # (kode_kecamatan, score, True), best first


def _resolve_kecamatan(index: VillageIndex, typed: str) -> _Kecamatan:
    """Cached per index and typed name: a workbook repeats its few kecamatan names thousands of times."""
    cache = index.kecamatan_cache
    if typed not in cache:
        cache[typed] = _kecamatan_of(index, typed)
    return cache[typed]


def _kecamatan_of(index: VillageIndex, typed: str) -> _Kecamatan:
    """The kecamatan a typed name may mean, before the village decides between them.

    In a province-wide area one kecamatan name can exist in two kabupaten; the village name
    then decides between them.
    """
    key = name_key(typed)
    same = tuple(c for c in _country().kecamatan_by_key.get(key, []) if c not in index.kecamatan_name)
    codes = index.kecamatan_by_key.get(key, [])
    if codes:
        return _Kecamatan(key, exact=tuple(codes), outside_same=same)
    found = process.extract(key, index.kecamatan_keys, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_KECAMATAN_PAIR)
    inside = [(code, float(score), True) for name, score, _ in found for code in index.kecamatan_by_key[name]]
    return _Kecamatan(key, outside_same=same, inside=tuple(inside))


@lru_cache(maxsize=16384)
def _lookalikes(key: str) -> tuple[tuple[str, float], ...]:
    """Kecamatan of the whole country whose names are like a typed one (exact ones included), best first.

    Looked up only when the names in and just outside the area do not settle a row, and once per name.
    """
    country = _country()
    found = process.extract(key, country.kecamatan_keys, scorer=fuzz.ratio, limit=10, score_cutoff=FUZZY_KECAMATAN_PAIR)
    return tuple((code, float(score)) for name, score, _ in found for code in country.kecamatan_by_key[name])


def _places(codes: Iterable[str]) -> str:
    return _where([place_name(c) for c in codes])


def _pair(index: VillageIndex, typed_desa: str, key: str, typed_kec: str, kec: _Kecamatan, notes: list) -> _Result:
    """A kecamatan not named exactly in the area, scored together with the village: the pair in which both
    names fit wins; a corrected kecamatan is accepted only with its village named exactly (one guess)."""
    country = _country()
    if not kec.inside and kec.outside_same:  # the common case of a register from elsewhere: settled cheaply
        there = [c for c in kec.outside_same if key in country.desa_keys_of[c]]
        if there:
            return _Result(
                code="di_luar_wilayah",
                column="kecamatan",
                message=f"Kecamatan '{typed_kec}' berada di luar wilayah program ({_places(there)}).",
            )
    outside = [(c, s, False) for c, s in _lookalikes(kec.key) if c not in index.kecamatan_name]
    candidates = sorted([*kec.inside, *outside], key=lambda c: (-c[1], c[0]))
    loose = FUZZY_KECAMATAN if kec.outside_same else FUZZY_KECAMATAN_PAIR
    fits = [c for c in candidates if c[1] >= loose and key in country.desa_keys_of.get(c[0], ())]
    pool = fits or [c for c in candidates if c[1] >= FUZZY_KECAMATAN]
    if not pool:
        return _unknown_kecamatan(index, typed_desa, key, typed_kec)
    best = pool[0][1]
    contenders = [c for c in pool if best - c[1] < FUZZY_MARGIN]
    inside = [c for c in contenders if c[2]]
    if fits and not inside:
        return _Result(
            code="di_luar_wilayah",
            column="kecamatan",
            message=f"Kecamatan '{typed_kec}' berada di luar wilayah program ({_places(c[0] for c in contenders)}).",
        )
    if fits and len(contenders) == 1:
        code, score, _ = contenders[0]
        kode = index.in_kecamatan[code][key][0]
        name = index.kecamatan_name[code]
        note = (
            "kecamatan",
            "koreksi_nama",
            f"Kecamatan '{typed_kec}' dibaca sebagai '{name}' "
            f"(kemiripan {score:.0f}%; desa '{typed_desa}' ada di sana).",
        )
        return _Result(kode, "exact", 100.0, notes=(*notes, note))
    if fits:
        choices = [
            f"{index.describe(index.in_kecamatan[c][key][0])} {index.info[index.in_kecamatan[c][key][0]]['kabupaten']}"
            if in_area
            else place_name(c)
            for c, _, in_area in contenders
        ]
        return _Result(
            code="desa_ambigu",
            column="kecamatan",
            message=f"Kecamatan '{typed_kec}' bisa berarti {len(contenders)} kecamatan yang sama-sama punya "
            f"desa '{typed_desa}'.",
            suggestion=f"Pilihan: {'; '.join(choices)}. Perbaiki kecamatan atau isi kolom kode_desa.",
        )
    exact_outside = list(kec.outside_same)
    if exact_outside or (not inside and best >= FUZZY_AREA_WIDE):
        what = "berada" if exact_outside else "tidak ada di wilayah program; mirip kecamatan"
        return _Result(
            code="di_luar_wilayah",
            column="kecamatan",
            message=f"Kecamatan '{typed_kec}' {what} di luar wilayah program "
            f"({_places(exact_outside or [c[0] for c in contenders])}).",
        )
    if not inside:  # only loose look-alikes outside: not enough to say where the row is
        return _unknown_kecamatan(index, typed_desa, key, typed_kec)
    if len(contenders) == 1:
        return _one_guess_only(index, typed_desa, key, typed_kec, contenders[0][0])
    return _Result(
        code="kecamatan_tidak_cocok",
        column="kecamatan",
        message=f"Kecamatan '{typed_kec}' tidak dikenal; mirip beberapa kecamatan "
        f"({_places(c[0] for c in contenders)}).",
        suggestion="Perbaiki ejaan kecamatan atau isi kolom kode_desa.",
    )


def _one_guess_only(index: VillageIndex, typed_desa: str, key: str, typed_kec: str, code: str) -> _Result:
    """A kecamatan read as a typo of one in the area, whose villages lack the village typed: not a second guess."""
    name = index.kecamatan_name[code]
    villages = index.in_kecamatan[code]
    ranked, _ = _fuzzy(key, list(villages), FUZZY_IN_KECAMATAN)
    names = [index.describe(k) for key_, _ in ranked for k in villages[key_]][:3]
    elsewhere = [index.describe(k) for k in index.by_key.get(key, [])][:4]
    suggestion = (
        f"Mungkin maksudnya: {', '.join(names)}."
        if names
        else f"Desa dengan nama ini: {'; '.join(elsewhere)}."
        if elsewhere
        else "Periksa ejaan desa dan kecamatan, atau isi kolom kode_desa."
    )
    return _Result(
        code="desa_tidak_dikenal",
        message=f"Desa '{typed_desa}' tidak ada di Kec. {name} (kecamatan '{typed_kec}' dibaca sebagai {name}); "
        "baris tidak diterima atas dua tebakan.",
        suggestion=suggestion,
    )


def _unknown_kecamatan(index: VillageIndex, typed_desa: str, key: str, typed_kec: str) -> _Result:
    """A kecamatan like none in the area or the country: an error; the village name only suggests the fix."""
    codes = index.by_key.get(key, [])
    if codes:
        return _Result(
            code="kecamatan_tidak_cocok",
            column="kecamatan",
            message=f"Kecamatan '{typed_kec}' tidak dikenal.",
            suggestion=f"Desa dengan nama ini: {'; '.join(index.describe(k) for k in codes[:4])}. "
            "Perbaiki kolom kecamatan.",
        )
    outside = index.outside_places("desa_key", key)
    if outside:
        return _Result(
            code="di_luar_wilayah",
            message=f"Desa '{typed_desa}' berada di luar wilayah program ({outside}). "
            f"Kecamatan '{typed_kec}' juga tidak dikenal.",
        )
    return _Result(
        code="desa_tidak_dikenal",
        message=f"Desa '{typed_desa}' tidak dikenal. Kecamatan '{typed_kec}' juga tidak dikenal.",
        suggestion="Periksa ejaan atau isi kolom kode_desa.",
    )


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
    index: VillageIndex,
    desa: str,
    kecamatan: str = "",
    kode: str = "",
    area_ranked: dict | None = None,
    kabupaten: str = "",
    provinsi: str = "",
) -> _Result:
    """Resolve one typed (desa, kecamatan, kode, kabupaten, provinsi) to a village, by the module's rules.

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
    kabupaten = "" if is_blank(kabupaten) else str(kabupaten).strip()
    provinsi = "" if is_blank(provinsi) else str(provinsi).strip()
    if kabupaten or provinsi:
        region, error, region_notes = _region(kabupaten, provinsi)
        if error is not None:
            return error
        notes.extend(region_notes)
        part = _within(index.area, region) if region else index.area
        if part is None:
            return _Result(
                code="di_luar_wilayah",
                column="kabupaten" if kabupaten and "kabupaten" not in {n[0] for n in region_notes} else "provinsi",
                message=f"Desa '{desa}' berada di luar wilayah program ({_places(region)}).",
            )
        if part != index.area:
            return _in_named_kabupaten(index.part(part), desa, key, kecamatan, notes)
    return _resolve_names(index, desa, key, kecamatan, notes, area_ranked)


def _in_named_kabupaten(sub: VillageIndex, desa: str, key: str, kecamatan: str, notes: list) -> _Result:
    """Resolve within the one kabupaten/kota (of a province-wide area) the row names; what is not there
    contradicts the row's own kabupaten column rather than lying outside the program's area."""
    result = _resolve_names(sub, desa, key, kecamatan, notes, None)
    if result.code != "di_luar_wilayah":
        return result
    name = place_name(sub.area)
    return replace(
        result,
        code="wilayah_tidak_cocok",
        message=result.message.replace("wilayah program", name),
        suggestion=f"Kolom kabupaten menyebut {name}; periksa kolom kabupaten, kecamatan dan desa.",
    )


def _resolve_names(
    index: VillageIndex, desa: str, key: str, kecamatan: str, notes: list, area_ranked: dict | None
) -> _Result:
    """The village by its names within the index's area (rules 3 to 5 of the module docstring)."""
    typed_kec = "" if is_blank(kecamatan) else str(kecamatan).strip()
    if not name_key(typed_kec):
        return _resolve_area_wide(index, desa, key, notes, area_ranked)
    kec = _resolve_kecamatan(index, typed_kec)
    if not kec.exact:
        return _pair(index, desa, key, typed_kec, kec, notes)
    if kec.outside_same and not any(key in index.in_kecamatan[c] for c in kec.exact):
        there = [c for c in kec.outside_same if key in _country().desa_keys_of.get(c, ())]
        if there:
            return _Result(
                code="di_luar_wilayah",
                column="kecamatan",
                message=f"Desa '{desa}' tidak ada di Kec. {index.kecamatan_name[kec.exact[0]]} wilayah program; "
                f"kecamatan bernama sama yang punya desa ini berada di luar wilayah program ({_places(there)}).",
            )
    return _resolve_in_kecamatan(index, desa, key, list(kec.exact), notes)


@lru_cache(maxsize=4)
def village_index(area: str) -> VillageIndex:
    """The lookup structures of an area's gazetteer, built once per process (the gazetteer never changes)."""
    return VillageIndex(gazetteer(area), area)


#: Request columns naming the row's own region: optional ('' when absent).
_REGION_INPUTS = ("kabupaten_input", "provinsi_input")


def match_villages(
    requests: pd.DataFrame, villages: pd.DataFrame, area: str, index: VillageIndex | None = None
) -> pd.DataFrame:
    """One result row per request row (same index): the official village or the reason it has none.

    ``requests`` has columns desa_input, kecamatan_input, kode_input ('' when absent), and optionally
    kabupaten_input and provinsi_input.
    """
    if requests.empty:  # pandas < 3 cannot factorize an empty MultiIndex
        return pd.DataFrame(columns=list(MATCH_RESULT_COLUMNS), index=requests.index)
    index = index or VillageIndex(villages, area)
    names = ("desa_input", "kecamatan_input", "kode_input", *(c for c in _REGION_INPUTS if c in requests))
    columns = [requests[c].astype(str).to_numpy(dtype=object) for c in names]
    info, blank = index.info, {"desa": "", "kode_kecamatan": "", "kecamatan": ""}
    # Numbered in order of first appearance, so the distinct requests are resolved in the order typed.
    rows, distinct = pd.MultiIndex.from_arrays(columns).factorize()
    region = [c for c in _REGION_INPUTS if c in requests]
    # Many distinct unknown names (a hostile upload, or a province-wide area): rank them in one batch.
    fuzzy = _area_wide_keys(index, distinct) if len(distinct) >= AREA_WIDE_BATCH else []
    area_ranked = _ranked_area_wide(index, fuzzy) if len(fuzzy) >= AREA_WIDE_BATCH else None
    solved = []
    for request in distinct:
        by_name = dict(zip(region, request[3:], strict=True))
        r = resolve_village(
            index,
            *request[:3],
            area_ranked,
            by_name.get("kabupaten_input", ""),
            by_name.get("provinsi_input", ""),
        )
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
