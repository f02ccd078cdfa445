"""Streamlit glue for tables that leave the page: shown or downloaded, always without personal columns.

Every table goes through `export.public_columns` (no `kontak`) and every file
through `export.safe_for_spreadsheet` (no formula injection). Files are built
only when the button is clicked (Streamlit's deferred download), so a rerun
after a filter change never pays for an XLSX nobody asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import streamlit as st

from ovop_data import export
from ovop_data.fmt import angka, persen

#: Columns of running text, drawn wide.
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
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def _public(df: pd.DataFrame) -> pd.DataFrame:
    return export.safe_for_spreadsheet(export.public_columns(df))


def _csv(df: pd.DataFrame) -> Callable[[], bytes]:
    return lambda: export.to_csv_bytes(_public(df))


def _xlsx(sheets: Mapping[str, pd.DataFrame]) -> Callable[[], bytes]:
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


def show_table(
    df: pd.DataFrame,
    *,
    key: str,
    columns: Mapping[str, str] | None = None,
    empty: str = "Tidak ada baris.",
    height: int | str = "auto",
) -> None:
    """A table with Indonesian headers, numbers and dd/mm/yyyy dates, never with personal columns.

    ``columns`` picks and orders columns with their headers; without it every public column is shown
    under its schema label.
    """
    if df.empty:  # Streamlit's own empty grid says "empty" in English
        st.caption(empty)
        return
    picked = df if columns is None else df.loc[:, [c for c in columns if c in df.columns]]
    public = _for_display(export.public_columns(picked))
    table = export.labelled(public) if columns is None else public.rename(columns=dict(columns))
    config = {}
    for name, column in zip(table.columns, public.columns, strict=True):
        values = table[name]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            with_time = bool((values.dropna() != values.dropna().dt.normalize()).any())
            config[name] = (
                st.column_config.DatetimeColumn(name, format="DD/MM/YYYY HH:mm")
                if with_time
                else st.column_config.DateColumn(name, format="DD/MM/YYYY")
            )
        elif column in LONG_TEXT:
            config[name] = st.column_config.TextColumn(name, width="large")
    st.dataframe(table, hide_index=True, column_config=config, key=key, height=height, placeholder="–")


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
) -> None:
    """One button for a workbook of several sheets (e.g. a list plus its summary for a meeting)."""
    st.download_button(
        label,
        _xlsx(dict(sheets)),
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
