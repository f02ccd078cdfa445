"""Pure plotly figure builders: a table in, a figure out, Indonesian labels, no Streamlit.

Colours are colour-blind-safe (Okabe–Ito, the same as the maps' categories).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from . import metrics
from .maps import KATEGORI_COLOURS, OTHER_COLOUR

FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14}


def _layout(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 18}},
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        plot_bgcolor="white",
        separators=",.",
    )  # Indonesian: decimal comma, thousands dot
    return fig


def produk_per_kategori(produk: pd.DataFrame, title: str = "Produk per kategori") -> go.Figure:
    """Horizontal bars: distinct products per category, largest on top."""
    table = metrics.produk_by_kategori(produk).sort_values("produk")
    colours = [KATEGORI_COLOURS.get(k, OTHER_COLOUR) for k in table["kategori"]]
    fig = go.Figure(
        go.Bar(
            x=table["produk"],
            y=table["kategori"],
            orientation="h",
            marker_color=colours,
            text=table["produk"],
            textposition="auto",
            customdata=table[["desa"]] if "desa" in table else None,
            hovertemplate="%{y}: %{x} produk<extra></extra>",
        )
    )
    fig.update_xaxes(title="jumlah produk", gridcolor="#e5e5e5")
    return _layout(fig, title, height=max(260, 48 * len(table) + 80))


def kunjungan_per_bulan(kunjungan: pd.DataFrame, title: str = "Kunjungan per bulan") -> go.Figure:
    """Visits per month as bars, the timeline of the programme."""
    table = metrics.kunjungan_per_bulan(kunjungan)
    fig = go.Figure(
        go.Bar(
            x=table["bulan"],
            y=table["kunjungan"],
            marker_color="#0072B2",
            hovertemplate="%{x|%b %Y}: %{y} kunjungan<extra></extra>",
        )
    )
    fig.update_yaxes(title="kunjungan", gridcolor="#e5e5e5")
    fig.update_xaxes(dtick="M3", tickformat="%b\n%Y")
    return _layout(fig, title)
