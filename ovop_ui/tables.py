"""Streamlit glue for tables that leave the page: shown or downloaded, always without personal columns.

Every table goes through `privacy.public_columns` (no `kontak`) and every file
through `export.safe_for_spreadsheet` (no formula injection). Files are built
only when the button is clicked (Streamlit's deferred download), so a rerun
after a filter change never pays for an XLSX nobody asked for.

Dates on screen read "12 Juli 2023", as everywhere else in the dashboard; the
files keep real dates (ISO in CSV, Excel dates in XLSX) for machines.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from ovop_data import export, privacy
from ovop_data.fmt import angka, persen, tanggal, tanggal_jam

#: Columns of running text, drawn wide and wrapped (so is any text column with a value over LONG_CHARS).
LONG_TEXT = frozenset(
    {
        "alasan",
        "aspirasi",
        "tindak_lanjut",
        "catatan",
        "message",
        "suggestion",
        "produk_disorot",
        "langkah",
        "opd_pendamping",
    }
)
LONG_CHARS = 50
#: Widths are planned for the main column of a 1366 px screen with the sidebar open; a phone scrolls sideways.
TABLE_PX = 900
CHAR_PX = 7.0  # an average character of the table font (14 px)
CELL_PX = 24  # a cell's padding and sort arrow
#: A squeezed text column keeps its header and words up to WORD_PX whole (longer words, e.g. file names, break).
TEXT_MIN_PX, WORD_PX = 100, 120
#: Running text is what people read: squeezed, it keeps more room; it never takes more than the maximum.
RUNNING_TEXT_MIN_PX, RUNNING_TEXT_MAX_PX = 220, 420
MAX_LINES = 4
#: Streamlit's grid wraps text only in rows taller than 4rem (64 px), which hold three lines; 17 px a line more.
WRAP_ROW_PX, LINE_PX = 66, 17
#: Above this many cells a dated table shows its dates as plain text (see `_dates_shown`): the Styler that keeps
#: them sortable costs every rerun ~40 ms for 1,500 cells (the demo's visits), ~0.2 s for 14,000, ~1.2 s for 56,000.
STYLED_MAX_CELLS = 20_000
#: What an empty cell shows (st.dataframe's placeholder, and the Styler's for dated tables).
EMPTY_CELL = "–"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def _public(df: pd.DataFrame) -> pd.DataFrame:
    return export.safe_for_spreadsheet(privacy.public_columns(df))


def _csv(df: pd.DataFrame) -> Callable[[], bytes]:
    return lambda: export.to_csv_bytes(_public(df))


def _xlsx(sheets: Mapping[str, pd.DataFrame], public: bool = True) -> Callable[[], bytes]:
    if not public:  # an internal view (the audit): every column, still defused by to_xlsx_bytes
        return lambda: export.to_xlsx_bytes(sheets, public=False)
    return lambda: export.to_xlsx_bytes({name: _public(df) for name, df in sheets.items()})


def _for_display(df: pd.DataFrame) -> pd.DataFrame:
    """Numbers the Indonesian way: whole floats as integers, percentages '64,5%', other decimals '2,5'."""
    out = df.copy()
    for name in out.columns:
        values = out[name]
        if not pd.api.types.is_float_dtype(values.dtype):
            continue
        if str(name).startswith("persen"):
            out[name] = values.map(persen).astype(object)
        elif bool((values.dropna() == values.dropna().round()).all()):
            out[name] = values.astype("Int64")
        else:
            out[name] = values.map(lambda v: angka(v, 1)).astype(object)
    return out


def _has_time(values: pd.Series) -> bool:
    return bool((values.dropna() != values.dropna().dt.normalize()).any())


def _date_text(values: pd.Series) -> pd.Series:
    """'12 Juli 2023' (with the time, '12 Juli 2023 10.30', when any value has one); '' where missing."""
    shown = tanggal_jam if _has_time(values) else tanggal
    return values.map(shown).astype(object)


def _dates_shown(table: pd.DataFrame) -> pd.DataFrame | Styler:
    """The table with its date columns shown as '12 Juli 2023' but still sorted as dates by a header click.

    Streamlit's DateColumn formats with moment.js, which Streamlit ships with English month names only (and
    "localized" follows the viewer's browser), so it cannot write "Juli". A date rendered as text would sort
    alphabetically ("1 Agustus" before "12 Juli"). So the cells keep their real dates and a pandas Styler gives
    each its Indonesian text: Streamlit's grid draws the Styler's text but sorts (and copies) by the date.
    A Styler replaces the text of every cell, so empty cells get EMPTY_CELL from it. Above STYLED_MAX_CELLS
    the dates become plain text instead, in the order the page sorted them (the pages sort dated tables by date).
    """
    dated = [h for h in table.columns if pd.api.types.is_datetime64_any_dtype(table[h].dtype)]
    if not dated:
        return table
    if table.size > STYLED_MAX_CELLS:
        return table.assign(**{h: _date_text(table[h]) for h in dated})
    styler = table.reset_index(drop=True).style.format(na_rep=EMPTY_CELL)
    for h in dated:
        styler = styler.format(tanggal_jam if _has_time(table[h]) else tanggal, subset=[h], na_rep=EMPTY_CELL)
    return styler


def _px(characters: int) -> float:
    return characters * CHAR_PX + CELL_PX


def _natural_px(values: pd.Series, header: str) -> float:
    """Width a column needs to show its header and longest value on one line."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        longest = 23 if _has_time(values) else 17  # "28 September 2023 10.30"
    else:
        longest = int(values.dropna().astype(str).str.len().max()) if values.notna().any() else 0
    return _px(max(longest, len(header)))


def _is_text(values: pd.Series) -> bool:
    return (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)) and bool(
        values.dropna().map(lambda v: isinstance(v, str)).all()
    )


def _longest_word(values: pd.Series) -> int:
    words = values.dropna().astype(str).str.split().explode().dropna()
    return int(words.str.len().max()) if len(words) else 0


def text_widths(table: pd.DataFrame, names: Mapping[str, str]) -> tuple[dict[str, int], int | None]:
    """Pixel widths for the text columns of a display table, and the row height that lets them wrap.

    ``names`` maps each header to its column name. A table that fits TABLE_PX on one line per row is
    left alone. Otherwise numbers and dates keep their width and the text columns share the rest at one
    common width, each kept between its least (header and words whole, running text RUNNING_TEXT_MIN_PX)
    and its natural width: the text wraps instead of being cut off at the right or pushing the table
    sideways. Only what cannot fit even at the least widths is left to scroll.
    """
    natural = {h: _natural_px(table[h], h) for h in table.columns}
    text = [h for h in table.columns if _is_text(table[h])]
    if not text or sum(natural.values()) <= TABLE_PX:
        return {}, None
    least, most = {}, {}
    for h in text:
        if names[h] in LONG_TEXT or natural[h] > _px(LONG_CHARS):
            least[h], most[h] = RUNNING_TEXT_MIN_PX, RUNNING_TEXT_MAX_PX
        else:
            least[h], most[h] = max(TEXT_MIN_PX, _px(len(h)), min(_px(_longest_word(table[h])), WORD_PX)), natural[h]
        most[h] = min(most[h], natural[h])
        least[h] = min(least[h], most[h])
    room = TABLE_PX - sum(w for h, w in natural.items() if h not in text)

    def width(h: str, level: float) -> float:
        return min(max(level, least[h]), most[h])

    low, high = 0.0, max(most.values())
    for _ in range(30):  # the common width that fills the room (the sum grows with it)
        level = (low + high) / 2
        low, high = (level, high) if sum(width(h, level) for h in text) <= room else (low, level)
    # Only narrowed columns get a width: the grid sizes the others to their content better than an estimate.
    widths = {h: round(width(h, low)) for h in text if width(h, low) < natural[h] - 1}
    lines = max((min(math.ceil(natural[h] / w), MAX_LINES) for h, w in widths.items()), default=1)
    return widths, (max(WRAP_ROW_PX, LINE_PX * lines + 16) if lines > 1 else None)


def show_table(
    df: pd.DataFrame,
    *,
    key: str,
    columns: Mapping[str, str] | None = None,
    empty: str = "Tidak ada baris.",
    height: int | str = "auto",
    public: bool = True,
) -> None:
    """A table with Indonesian headers, numbers and dates ("12 Juli 2023"), never with personal columns.

    ``columns`` picks and orders columns with their headers; without it every public column is shown
    under its schema label. Running text (`LONG_TEXT`, or any long value) wraps in a wide column.
    ``public=False`` only in views for signed-in roles (the audit): every column shown, nothing masked.
    """
    if df.empty:  # Streamlit's own empty grid says "empty" in English
        st.caption(empty)
        return
    picked = df if columns is None else df.loc[:, [c for c in columns if c in df.columns]]
    shown = _for_display(privacy.public_columns(picked) if public else picked)
    table = export.labelled(shown) if columns is None else shown.rename(columns=dict(columns))
    widths, row_height = text_widths(table, dict(zip(table.columns, shown.columns, strict=True)))
    # No `format` for date columns: a column_config format would take precedence over the Styler's Indonesian text.
    config = {name: st.column_config.TextColumn(name, width=width) for name, width in widths.items()}
    st.dataframe(
        _dates_shown(table),
        hide_index=True,
        column_config=config,
        key=key,
        height=height,
        row_height=row_height,
        placeholder=EMPTY_CELL,
    )


def download_buttons(df: pd.DataFrame, file_stem: str, *, key: str, sheet: str = "Data") -> None:
    """Two buttons: the table as CSV (for Excel in Indonesian settings) and as XLSX; keys `<key>_csv`, `<key>_xlsx`."""
    row = st.container(horizontal=True)
    row.download_button(
        "⬇️ Unduh CSV",
        _csv(df),
        file_name=f"{file_stem}.csv",
        mime=CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        disabled=df.empty,
    )
    row.download_button(
        "⬇️ Unduh Excel",
        _xlsx({sheet: df}),
        file_name=f"{file_stem}.xlsx",
        mime=XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        disabled=df.empty,
    )


def xlsx_button(
    sheets: Mapping[str, pd.DataFrame],
    file_name: str,
    *,
    key: str,
    label: str = "⬇️ Unduh Excel",
    disabled: bool = False,
    public: bool = True,
) -> None:
    """One button for a workbook of several sheets (e.g. a list plus its summary for a meeting);
    ``public=False`` as in `show_table`."""
    st.download_button(
        label,
        _xlsx(dict(sheets), public),
        file_name=file_name,
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        disabled=disabled,
        type="primary",
    )


def bytes_button(label: str, data: Callable[[], bytes] | bytes, file_name: str, *, key: str) -> None:
    """A download of ready-made bytes (the blank templates), deferred when given a callable."""
    st.download_button(label, data, file_name=file_name, mime=XLSX_MIME, key=key, on_click="ignore")
