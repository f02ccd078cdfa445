"""Find the table inside a sheet as staff lay it out: which table it is, where its header is, what each column means.

Staff put a merged title above the header, leave blank lines, number the rows,
group columns under a merged heading ("Lokasi" over "Desa" and "Kecamatan"),
and add columns of their own. These pure functions find the header row by how
many of its cells name a schema column, map each header to its schema column
case-, space- and punctuation-insensitively, and keep every other column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd

from .io import RawSheet
from .schema import AREA_LEVEL_WORDS, RUNNING_NUMBER_HEADERS, TABLES, Table, header_index, header_texts, implied_values
from .text import fold, header_key

#: How many rows from the top are searched for the header row.
SCAN_ROWS = 30
#: Headers recognised by their headers alone must name at least this many schema columns.
MIN_HEADER_SCORE = 2
#: A table recognised from its headers alone must have its defining column among them.
DEFINING_COLUMNS = {"produk": "nama_produk", "kunjungan": "tanggal", "aspirasi": "aspirasi"}
#: When several tables fit the headers equally well, the one with the more specific columns wins.
_PREFERENCE = ("aspirasi", "produk", "kunjungan")
_RUNNING_KEYS = frozenset(header_key(h) for h in RUNNING_NUMBER_HEADERS) - {""}
_TOKENS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class RawTable:
    """The data rows of one table found in a sheet, with schema column names and Excel row numbers."""

    table: str
    file: str
    sheet: str
    header_row: int
    frame: pd.DataFrame
    blank: int
    missing_required: tuple[str, ...]
    column_letters: dict[str, str]


@dataclass(frozen=True)
class _Header:
    """Where a header sits (0-based first row, one or two rows deep) and what its columns mean."""

    top: int
    depth: int
    texts: tuple[str, ...]  # per column, the header as the user wrote it ('' when blank)
    columns: dict[int, str]  # column position -> schema column
    running: frozenset[int]  # positions of running-number columns
    score: int  # how many schema columns this reading is credited with
    group_starts: frozenset[int] = frozenset()  # two-row header: columns holding a merged group title
    shaped: bool = False  # two-row header: the lower row looks like sub-headers under merged group titles

    @property
    def rank(self) -> tuple[int, int, int, int]:
        # More schema columns first; then a two-row reading that earned its place; then more filled cells;
        # then higher up.
        return (self.score, self.depth, sum(bool(t) for t in self.texts), -self.top)


@dataclass(frozen=True)
class _Matcher:
    """A table's header index, plus its aliases as word sequences for prefix matching."""

    index: dict[str, str]
    prefixes: tuple[tuple[tuple[str, ...], str], ...]  # longest first


def recognise_table(sheet: RawSheet) -> str | None:
    """Which table a sheet holds: from its name when that names exactly one table, else from its headers."""
    by_name = _table_from_name(sheet.sheet)
    if by_name is not None:
        return by_name
    best: tuple[tuple[int, int], str] | None = None
    for name in TABLES:
        header = _find_header(sheet.cells, name)
        if header is None or len(header.columns) < MIN_HEADER_SCORE:
            continue
        if DEFINING_COLUMNS[name] not in header.columns.values():
            continue
        key = (len(header.columns), -_PREFERENCE.index(name))
        if best is None or key > best[0]:
            best = (key, name)
    return best[1] if best else None


def locate_table(sheet: RawSheet, table: str | None = None) -> RawTable | None:
    """The table in a sheet: its header row found and mapped to schema columns; None when no header is found."""
    table = table or recognise_table(sheet)
    if table is None:
        return None
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {tuple(TABLES)}")
    header = _find_header(sheet.cells, table)
    if header is None:
        return None
    frame, blank, letters = _data_rows(sheet.cells, header)
    frame = _with_implied(frame, header, table)
    found = set(header.columns.values())
    missing = tuple(c for c in TABLES[table].required if c not in found)
    return RawTable(table, sheet.file, sheet.sheet, header.top + 1, frame, blank, missing, letters)


@dataclass(frozen=True)
class ClosestTable:
    """For a sheet no table was recognised in: the table its headers come nearest to, and what it lacks."""

    table: str
    found: tuple[str, ...]  # schema columns its headers name
    missing: tuple[str, ...]  # required columns (the defining one first) its headers do not name


def closest_table(sheet: RawSheet) -> ClosestTable | None:
    """The table whose columns the sheet's headers name most (None when they name none), to say what to add."""
    best: tuple[tuple[int, int], ClosestTable] | None = None
    for name, spec in TABLES.items():
        header = _find_header(sheet.cells, name)
        if header is None:
            continue
        found = set(header.columns.values())
        wanted = [DEFINING_COLUMNS[name], *(c for c in spec.required if c != DEFINING_COLUMNS[name])]
        candidate = ClosestTable(
            name,
            tuple(c.name for c in spec.columns if c.name in found),
            tuple(c for c in wanted if c not in found),
        )
        key = (len(found), -_PREFERENCE.index(name))
        if best is None or key > best[0]:
            best = (key, candidate)
    return best[1] if best else None


def _with_implied(frame: pd.DataFrame, header: _Header, table: str) -> pd.DataFrame:
    """The rows plus the columns their headers imply ("Nama BUMDes" -> jenis_pelaku BUMDes), unless the sheet
    has that column itself."""
    implied = implied_values(TABLES[table])
    found = set(header.columns.values())
    extra: dict[str, str] = {}
    for j in header.columns:
        other, value = implied.get(header_key(header.texts[j]), (None, None))
        if other is not None and other not in found:
            extra.setdefault(other, value)
    return frame.assign(**extra) if extra else frame


def column_letter(position: int) -> str:
    """Excel column letter of a 0-based column position: 0 -> 'A', 26 -> 'AA'."""
    letters = ""
    n = position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- sheet names ---------------------------------------------------------------------------------


def _table_from_name(sheet_name: str) -> str | None:
    name = fold(sheet_name)
    hits = [t.name for t in TABLES.values() if any(_word_in(w, name) for w in t.sheet_words)]
    return hits[0] if len(hits) == 1 else None


def _word_in(word: str, text: str) -> bool:
    # A whole word, though digits and '_' may touch it: "kunjungan2023" and "produk_2023" yes, "produktif" no.
    return re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", text) is not None


# --- header row --------------------------------------------------------------------------------------


def _find_header(cells: pd.DataFrame, table: str) -> _Header | None:
    """The best-matching header among the first SCAN_ROWS rows: one row, or two rows read together."""
    matcher = _matcher(table)
    raw = cells.iloc[: SCAN_ROWS + 1].to_numpy()
    texts = [tuple(_cell_text(v) for v in row) for row in raw]
    singles = [_single_row(r, row, matcher) for r, row in enumerate(texts)]
    best: _Header | None = None
    for r in range(min(SCAN_ROWS, len(texts))):
        candidates = [singles[r]]
        if r + 1 < len(texts):
            pair = _two_rows(r, texts[r], texts[r + 1], raw[r + 1], matcher)
            if _pair_wins(pair, singles[r], singles[r + 1]):
                candidates.append(replace(pair, score=max(pair.score, singles[r].score)))
        for header in candidates:
            if header.columns and (best is None or header.rank > best.rank):
                best = header
    return best


def _pair_wins(pair: _Header, upper: _Header, lower: _Header) -> bool:
    """Whether two rows read together beat each row read alone.

    A data row must never be taken for a second header row (that row would be
    lost), so the pair must find more than the lower row alone, and either more
    than the upper row alone or, when the lower row has the shape of sub-headers
    under merged group titles, everything the upper row found outside the group
    titles (a group "Legalitas" over "NIB", "Halal" is no longer one column).
    """
    if pair.score <= lower.score:
        return False
    if pair.score > upper.score:
        return True
    kept = {c for j, c in upper.columns.items() if j not in pair.group_starts}
    return pair.shaped and kept <= set(pair.columns.values())


def _single_row(r: int, row: tuple[str, ...], matcher: _Matcher) -> _Header:
    running = frozenset(j for j, t in enumerate(row) if _is_running(t))
    options = [[] if j in running else [(t, True)] for j, t in enumerate(row)]
    columns = _assign(options, matcher)
    return _Header(r, 1, row, columns, running, len(columns))


def _two_rows(
    r: int, upper: tuple[str, ...], lower: tuple[str, ...], lower_raw: np.ndarray, matcher: _Matcher
) -> _Header:
    """Two rows read as one header: a merged group title ("Lokasi") above sub-headers ("Desa", "Kecamatan").

    A cell merged down over both rows has its text in the upper row only; a group
    title merged across has it in its first column only, so it is carried right
    over the sub-headers beside it. Texts split over two cells without a group
    ("Nama" above "Produk") are joined but then must match a header exactly.
    """
    spans = _group_spans(upper, lower)
    in_span = {j: start for start, stop in spans for j in range(start, stop)}
    texts, options, running = [], [], set()
    for j, (u, lo) in enumerate(zip(upper, lower, strict=True)):
        if j in in_span:
            joined = f"{upper[in_span[j]]} {lo}"
            texts.append(joined)
            options.append([(lo, True), (joined, True)])
        elif u and lo:
            joined = f"{u} {lo}"
            texts.append(joined)
            options.append([(joined, False), (lo, False)])
        else:
            texts.append(u or lo)
            options.append([(u or lo, True)] if u or lo else [])
        if _is_running(u) or _is_running(lo):
            running.add(j)
            options[-1] = []
    upper_filled = sum(bool(u) for u in upper)
    sub_headers = [v for j, v in enumerate(lower_raw) if lower[j]]
    shaped = (
        bool(spans)
        and upper_filled >= 2  # one filled cell above a header is a title, not a group
        and all(j in in_span for j, lo in enumerate(lower) if lo)
        and all(isinstance(v, str) and not any(ch.isdigit() for ch in v) for v in sub_headers)
    )
    columns = _assign(options, matcher)
    starts = frozenset(start for start, _ in spans)
    return _Header(r, 2, tuple(texts), columns, frozenset(running), len(columns), starts, shaped)


def _group_spans(upper: tuple[str, ...], lower: tuple[str, ...]) -> list[tuple[int, int]]:
    """Column ranges [start, stop) of group titles: a title with a sub-header under it and more to its right."""
    spans = []
    j = 0
    while j < len(upper):
        if upper[j] and lower[j]:
            stop = j + 1
            while stop < len(upper) and not upper[stop] and lower[stop]:
                stop += 1
            if stop - j >= 2:
                spans.append((j, stop))
            j = stop
        else:
            j += 1
    return spans


def _assign(options: list[list[tuple[str, bool]]], matcher: _Matcher) -> dict[int, str]:
    """Schema column of each header position: exact matches first, then unambiguous word-prefix matches.

    Each position has texts to try in order, each flagged whether a prefix match
    is allowed. Each schema column goes to one position only (the first exact
    match, else the only prefix match); any other position stays an extra column.
    """
    result: dict[int, str] = {}
    claimed: set[str] = set()
    depth = max((len(o) for o in options), default=0)
    for level in range(depth):
        for j, texts in enumerate(options):
            if j in result or level >= len(texts):
                continue
            column = matcher.index.get(header_key(texts[level][0]))
            if column is not None and column not in claimed:
                result[j] = column
                claimed.add(column)
    for level in range(depth):
        wanted: dict[str, list[int]] = {}
        for j, texts in enumerate(options):
            if j in result or level >= len(texts) or not texts[level][1]:
                continue
            column = _prefix_match(texts[level][0], matcher)
            if column is not None and column not in claimed:
                wanted.setdefault(column, []).append(j)
        for column, positions in wanted.items():
            if len(positions) == 1:  # "Tgl Input" beside "Tgl Kunjungan": neither is guessed
                result[positions[0]] = column
                claimed.add(column)
    return result


def _prefix_match(text: str, matcher: _Matcher) -> str | None:
    """Column whose longest alias starts the header word by word: 'Legalitas (NIB/PIRT/Halal)' -> legalitas.

    Refused when the words after the alias name another column ('Kode Kecamatan'
    is not a kode_desa), so a qualifier never turns one column into another.
    """
    words = tuple(_TOKENS.findall(fold(text)))
    for alias, column in matcher.prefixes:
        n = len(alias)
        if n < len(words) and words[:n] == alias:
            if AREA_LEVEL_WORDS & set(words[n:]):  # 'Kode Prov' is a province's code, never a village's
                return None
            other = matcher.index.get("".join(words[n:]))
            return column if other in (None, column) else None
    return None


@cache
def _matcher(table: str) -> _Matcher:
    spec: Table = TABLES[table]
    prefixes: dict[tuple[str, ...], str] = {}
    for col in spec.columns:
        for text in header_texts(col)[1:]:
            prefixes.setdefault(tuple(_TOKENS.findall(fold(text))), col.name)  # first wins, as in header_index
    ordered = sorted(((a, c) for a, c in prefixes.items() if a), key=lambda item: -len(item[0]))
    return _Matcher(header_index(spec), tuple(ordered))


def _is_running(text: str) -> bool:
    return bool(text) and (header_key(text) in _RUNNING_KEYS or text.strip() == "#")


def _cell_text(value: object) -> str:
    if not isinstance(value, str) and pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


# --- data rows -----------------------------------------------------------------------------------------


def _data_rows(cells: pd.DataFrame, header: _Header) -> tuple[pd.DataFrame, int, dict[str, str]]:
    """Rows below the header, blank ones dropped and counted, columns named; plus column letters."""
    start = header.top + header.depth
    body = cells.iloc[start:]
    filled = ~_blank_mask(body)
    # Trailing rows with nothing at all are not rows anyone wrote (Excel's used range runs on).
    any_cell = filled.any(axis=1).to_numpy()
    end = int(np.flatnonzero(any_cell)[-1]) + 1 if any_cell.any() else 0
    body, filled = body.iloc[:end], filled.iloc[:end]

    names: dict[int, str] = {}
    used: set[str] = set(header.columns.values()) | {"baris"}
    for j in range(cells.shape[1]):
        if j in header.running:
            continue
        if j in header.columns:
            names[j] = header.columns[j]
            continue
        text = header.texts[j] if j < len(header.texts) else ""
        if not text and not filled.iloc[:, j].any():
            continue  # no header and no data: not a column at all
        name = text or f"kolom {column_letter(j)}"
        if name in used:
            name = f"{name} (kolom {column_letter(j)})"
        used.add(name)
        names[j] = name

    positions = list(names)
    has_data = filled.iloc[:, positions].any(axis=1).to_numpy() if positions else np.zeros(len(body), bool)
    frame = body.iloc[has_data, positions].copy()
    frame.columns = [names[j] for j in positions]
    frame["baris"] = (np.flatnonzero(has_data) + start + 1).astype("int64")
    frame = frame.reset_index(drop=True)
    letters = {names[j]: column_letter(j) for j in positions}
    return frame, int((~has_data).sum()), letters


def _blank_mask(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a cell is None, NaN or only whitespace; each distinct string is checked once."""
    mask = frame.isna()
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        values = column[~mask.iloc[:, position]].unique()
        spaces = [v for v in values if isinstance(v, str) and (v.isspace() or not v)]
        if spaces:
            mask.iloc[:, position] |= column.isin(spaces).to_numpy()
    return mask
