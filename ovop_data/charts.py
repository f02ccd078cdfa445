"""Pure plotly figure builders: a table in, a figure out, Indonesian labels, no Streamlit.

Colours are colour-blind-safe: Okabe–Ito for categories and statuses (the same
as the maps' categories), ColorBrewer sequential schemes for ordered values.
Month axes carry Indonesian labels from `fmt.bulan_tahun` (plotly's ``%b``
would print English month names).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import metrics, recorded, vocab
from .escape import html_text
from .fmt import angka, bulan_tahun, persen
from .maps import KATEGORI_COLOURS, OTHER_COLOUR

FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14}
GRID = "#e5e5e5"

#: Status of an aspiration -> colour (Okabe–Ito; "Selesai" the bluish green of "kept").
STATUS_COLOURS: dict[str, str] = {"Belum": "#E69F00", "Proses": "#56B4E9", "Selesai": "#009E73"}
#: ColorBrewer YlGnBu: the maps' product-count scheme, light = few.
_SEQUENTIAL = ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494")
#: Market reach from near to far (the order of the bars).
JANGKAUAN = ("lokal", "regional", "nasional", "ekspor")
_BELUM_TERCATAT = "Belum tercatat"
_TIDAK_TERCATAT = "Tidak tercatat"
_HANYA_DARING = "Hanya daring"
#: Characters of a title line (bold 18 px) and a subtitle line that fit a 390 px phone: plotly never wraps text.
TITLE_CHARS = 34
SUBTITLE_CHARS = 50
#: Category labels short enough to stand side by side on a phone (the hover keeps the full label).
KATEGORI_SINGKAT = {
    "Wisata desa": "Wisata",
    "Herbal non-pangan": "Herbal",
    "Fesyen & tekstil": "Fesyen",
    "Kerajinan & suvenir": "Kerajinan",
    "Makanan olahan": "Makanan",
    "Hasil tani/ternak/ikan": "Tani/ternak",
}


def _wrap(text: str, width: int) -> str:
    """Break text between words into lines of at most `width` characters, joined with plotly's <br>."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _layout(fig: go.Figure, title: str, height: int = 360, subtitle: str = "", top: int = 0) -> go.Figure:
    """Shared look; the title wraps for a phone and the top margin grows with its lines (plus `top` px for
    labels drawn above the plot), so it is never cut off or drawn over legends and tick labels."""
    main = _wrap(title, TITLE_CHARS).split("<br>")
    sub = _wrap(subtitle, SUBTITLE_CHARS).split("<br>") if subtitle else []
    text = "<br>".join(main + [f"<sup>{line}</sup>" for line in sub])
    fig.update_layout(
        title={
            "text": text,
            "x": 0,
            "xanchor": "left",
            "font": {"size": 18},
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12},
        },
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 28 + 22 * len(main) + 15 * len(sub) + top, "b": 10},
        plot_bgcolor="white",
        separators=",.",  # Indonesian: decimal comma, thousands dot
    )
    return fig


def _legend_below(fig: go.Figure) -> go.Figure:
    """A horizontal legend under the plot, as wide as the figure (beside the plot it would squeeze a phone)."""
    fig.update_layout(
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            "traceorder": "normal",
        }
    )
    return fig


def _distinct_produk(produk: pd.DataFrame) -> pd.DataFrame:
    """One row per product (a product naming several villages appears once per village in the clean table)."""
    return produk.drop_duplicates("id_produk")


# ---------------------------------------------------------------- produk


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
    fig.update_xaxes(title="jumlah produk", gridcolor=GRID)
    return _layout(fig, title, height=max(260, 48 * len(table) + 80))


#: The SVG bars: one row a category, its name left of the bar, its count right of it (viewBox units).
SVG_ROW, SVG_LABEL, SVG_WIDTH = 24, 150, 380


def produk_per_kategori_svg(produk: pd.DataFrame) -> str:
    """`produk_per_kategori` as inline SVG, for the briefing page (Ringkasan).

    Plotly's 4.7 MB script, parsed beside the coverage map, held the map back about a second; these bars need
    nothing. Counts are written on the bars (no hover needed on a projector); the SVG scales to its column.
    """
    table = metrics.produk_by_kategori(produk)
    most = max(int(table["produk"].max()), 1) if len(table) else 1
    span = SVG_WIDTH - SVG_LABEL - 40  # room for the count after the longest bar
    height = SVG_ROW * len(table) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {height}" width="100%" '
        'role="img" aria-label="Produk per kategori" font-family="Source Sans Pro, Arial, sans-serif">'
    ]
    for i, row in enumerate(table.itertuples()):  # largest first, as produk_by_kategori sorts
        y = 2 + i * SVG_ROW
        bar = int(row.produk) / most * span
        label, count = html_text(row.kategori), html_text(angka(row.produk))
        desa = f", {html_text(angka(row.desa))} desa" if "desa" in table else ""
        colour = KATEGORI_COLOURS.get(row.kategori, OTHER_COLOUR)  # ours, not data
        parts.append(
            f"<g><title>{label}: {count} produk{desa}</title>"
            f'<text x="{SVG_LABEL - 6}" y="{y + 16}" font-size="13" text-anchor="end">{label}</text>'
            f'<rect x="{SVG_LABEL}" y="{y + 3}" width="{bar:.1f}" height="{SVG_ROW - 6}" fill="{colour}"/>'
            f'<text x="{SVG_LABEL + bar + 5:.1f}" y="{y + 16}" font-size="13">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _kategori_order(produk: pd.DataFrame) -> list[str]:
    """Categories in vocabulary order, then any other label found in the data."""
    found = [k for k in produk["kategori"].astype(str).unique() if k]
    known = [t.label for t in vocab.KATEGORI_PRODUK if t.label in found]
    return known + sorted(set(found) - set(known))


def produk_kategori_kecamatan(
    produk: pd.DataFrame, kecamatan: Sequence[str] | None = None, title: str = "Produk per kecamatan dan kategori"
) -> go.Figure:
    """Heatmap kecamatan × category of distinct products; `kecamatan` lists rows to show even at zero."""
    p = produk.loc[produk["kategori"].astype(str) != ""]
    counts = p.groupby(["kecamatan", "kategori"])["id_produk"].nunique().unstack(fill_value=0)
    rows = list(kecamatan) if kecamatan is not None else sorted(counts.index)
    rows += sorted(set(counts.index) - set(rows))
    cols = _kategori_order(p)
    grid = counts.reindex(index=rows, columns=cols, fill_value=0).astype("int64")
    grid = grid.iloc[::-1]  # plotly draws the first row at the bottom; keep the list order top-down
    text = [[angka(v) if v else "" for v in row] for row in grid.to_numpy()]
    scale = [[i / (len(_SEQUENTIAL) - 1), c] for i, c in enumerate(_SEQUENTIAL)]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=list(grid.columns),
            y=list(grid.index),
            text=text,
            texttemplate="%{text}",
            colorscale=scale,
            zmin=0,
            xgap=2,
            ygap=2,
            showscale=False,  # every cell carries its number; a colour bar would take a quarter of a phone
            hovertemplate="%{y} · %{x}: %{z} produk<extra></extra>",
        )
    )
    short = [KATEGORI_SINGKAT.get(k, k) for k in grid.columns]
    # Slanted the same on every screen, so the room kept for them under the title is known: 64 px.
    fig.update_xaxes(side="top", tickmode="array", tickvals=list(grid.columns), ticktext=short, tickangle=-45)
    return _layout(fig, title, height=max(300, 26 * len(grid) + 200), top=64)


def _rung_labels() -> list[str]:
    """'0 · belum NIB', '1 · NIB', '2 · + P-IRT/BPOM', … from vocab.TANGGA_LEGALITAS."""
    labels = [f"0 · belum {vocab.TANGGA_LEGALITAS[0][0]}"]
    for i, rung in enumerate(vocab.TANGGA_LEGALITAS, start=1):
        labels.append(f"{i} · {'' if i == 1 else '+ '}{'/'.join(rung)}")
    return labels


def tangga_legalitas(produk: pd.DataFrame, title: str = "Tangga legalitas produk") -> go.Figure:
    """Products per rung reached on the ladder NIB → P-IRT/BPOM → Halal → label komposisi (metrics.legality_ladder)."""
    ladder = metrics.legality_ladder(produk)
    # Not recorded is not zero: a product whose legality cell was blank is on no rung, not on "belum NIB".
    tercatat = recorded.recorded_mask(_distinct_produk(produk), "legalitas").to_numpy()
    labels = _rung_labels()
    counts = ladder.loc[tercatat, "tangga"].value_counts().reindex(range(len(labels)), fill_value=0).astype(int)
    nxt = ["NIB (DPMPTSP)"]
    for rung in vocab.TANGGA_LEGALITAS[1:]:
        nxt.append(f"{' atau '.join(rung)} ({vocab.OPD_LEGALITAS.get(rung[0], '')})")
    nxt.append("sudah lengkap")
    colours = ["#BDBDBD", *_SEQUENTIAL[1:]][: len(labels)]
    x, y = counts.to_numpy(), labels
    missing = int((~tercatat).sum())
    if missing:
        x, y = np.concatenate([[missing], x]), [_TIDAK_TERCATAT, *y]
        nxt, colours = ["isi kolom Legalitas", *nxt], ["#E0E0E0", *colours]
    fig = go.Figure(
        go.Bar(
            x=x,
            y=y,
            orientation="h",
            marker_color=colours,
            text=[angka(v) for v in x],
            textposition="auto",
            customdata=nxt,
            hovertemplate="%{y}: %{x} produk<br>langkah berikut: %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="jumlah produk", gridcolor=GRID)
    note = recorded.recorded_note(len(ladder) - missing, len(ladder), "produk")
    return _layout(fig, title, height=300, subtitle=f"Legalitas {note}" if note else "")


def _jangkauan_terjauh(pemasaran: object) -> str:
    held = {part.strip() for part in str(pemasaran or "").split(";") if part.strip()}
    reach = [r for r in JANGKAUAN if r in held]
    if reach:
        return reach[-1].capitalize()
    return _HANYA_DARING if "daring" in held else _BELUM_TERCATAT


def jangkauan_pemasaran(produk: pd.DataFrame, title: str = "Jangkauan pemasaran terjauh") -> go.Figure:
    """Products by their furthest market (lokal → ekspor); selling online (daring) is noted in the subtitle."""
    p = _distinct_produk(produk)
    reach = p["pemasaran"].map(_jangkauan_terjauh).value_counts()
    # The four reaches always show (a zero is news); the two "no reach" bars only when they hold products.
    extra = [(k, c) for k, c in ((_BELUM_TERCATAT, "#BDBDBD"), (_HANYA_DARING, "#CC79A7")) if reach.get(k, 0)]
    order = [k for k, _ in extra] + [r.capitalize() for r in JANGKAUAN]
    colours = [c for _, c in extra] + list(_SEQUENTIAL[1:])
    counts = reach.reindex(order, fill_value=0).astype(int)
    daring = int(p["pemasaran"].astype(str).str.contains("daring", regex=False).sum())
    fig = go.Figure(
        go.Bar(
            x=order,
            y=counts.to_numpy(),
            marker_color=colours,
            text=[angka(v) for v in counts],
            textposition="auto",
            hovertemplate="%{x}: %{y} produk<extra></extra>",
        )
    )
    fig.update_yaxes(title="jumlah produk", gridcolor=GRID)
    subtitle = f"{angka(daring)} dari {angka(len(p))} produk juga dipasarkan daring"
    return _layout(fig, title, height=340, subtitle=subtitle)


# ---------------------------------------------------------------- kunjungan


def _month_ticks(months: Sequence[pd.Timestamp]) -> tuple[list, list[str]]:
    """Tick positions and Indonesian labels ('Jul<br>2023'), at most ~12 ticks."""
    step = next(s for s in (1, 2, 3, 6, 12, 24) if len(months) / s <= 12)
    start = next((i for i, m in enumerate(months) if (m.month - 1) % step == 0), 0) if step > 1 else 0
    vals = list(months[start::step])
    return vals, [bulan_tahun(m).replace(" ", "<br>") for m in vals]


def kunjungan_per_bulan(kunjungan: pd.DataFrame, title: str = "Kunjungan per bulan") -> go.Figure:
    """Visits per month as bars, the timeline of the programme (Indonesian month labels)."""
    table = metrics.kunjungan_per_bulan(kunjungan)
    months = list(table["bulan"])
    fig = go.Figure(
        go.Bar(
            x=table["bulan"],
            y=table["kunjungan"],
            marker_color="#0072B2",
            customdata=list(zip([bulan_tahun(m, short=False) for m in months], table["desa"], strict=True)),
            hovertemplate="%{customdata[0]}: %{y} kunjungan, %{customdata[1]} desa<extra></extra>",
        )
    )
    fig.update_yaxes(title="kunjungan", gridcolor=GRID)
    tickvals, ticktext = _month_ticks(months)
    fig.update_xaxes(tickmode="array", tickvals=tickvals, ticktext=ticktext)
    return _layout(fig, title)


# ---------------------------------------------------------------- aspirasi


def aspirasi_per_opd(ledger: pd.DataFrame, title: str = "Janji tindak lanjut per OPD") -> go.Figure:
    """Stacked bars per OPD (Selesai / Proses / Belum) with the share kept, most-loaded OPD on top.

    OPD names and the notes beside the bars run over two short lines, so the bars keep room on a phone.
    """
    table = metrics.aspirasi_by_opd(ledger)
    # OPD names are typed by staff: plotly reads <a>, <b>, <span style> in labels and hovers, so they go as text.
    names = ["<br>".join(map(html_text, _wrap(opd, 18).split("<br>"))) for opd in table["opd"]]
    table = table.assign(opd=table["opd"].map(html_text))
    fig = go.Figure()
    for status, column in (("Selesai", "selesai"), ("Proses", "proses"), ("Belum", "belum")):
        fig.add_trace(
            go.Bar(
                name=status,
                y=table["opd"],
                x=table[column],
                orientation="h",
                marker_color=STATUS_COLOURS[status],
                hovertemplate=f"%{{y}}: %{{x}} {status.lower()}<extra></extra>",
            )
        )
    for opd, total, share, late in table[["opd", "aspirasi_total", "persen_selesai", "terlambat"]].itertuples(
        index=False
    ):
        # A promise shared by n agencies counts 1/n for each: a fraction reads as one.
        late_text = angka(late, 0 if float(late).is_integer() else 1)
        note = f"{persen(share)} selesai" + (f"<br>{late_text} terlambat" if late else "")
        fig.add_annotation(
            x=total, y=opd, text=note, showarrow=False, xanchor="left", xshift=6, align="left", font={"size": 12}
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=list(table["opd"]), ticktext=names)
    most = int(table["aspirasi_total"].max()) if len(table) else 1
    fig.update_xaxes(title="aspirasi", gridcolor=GRID, range=[0, most * 1.6 + 1])
    return _legend_below(_layout(fig, title, height=max(300, 44 * len(table) + 150)))


def aspirasi_per_status(ledger: pd.DataFrame, title: str = "Aspirasi per status") -> go.Figure:
    """Bars per status, the overdue part hatched (pattern as well as colour, readable without colour vision)."""
    table = metrics.aspirasi_by_status(ledger)
    colours = [STATUS_COLOURS.get(s, OTHER_COLOUR) for s in table["status"]]
    hatch = {"shape": "/", "fgcolor": "#000000"}
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="tepat waktu",
            x=table["status"],
            y=table["aspirasi"] - table["terlambat"],
            marker_color=colours,
            showlegend=False,
            hovertemplate="%{x}: %{y} belum lewat tenggat<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            name="terlambat",
            x=table["status"],
            y=table["terlambat"],
            marker={"color": colours, "pattern": hatch},
            showlegend=False,
            hovertemplate="%{x}: %{y} terlambat<extra></extra>",
        )
    )
    # The legend explains the hatching only: a swatch in one status colour would read as that status.
    fig.add_trace(
        go.Bar(
            name="arsiran = lewat tenggat",
            x=[None],
            y=[None],
            hoverinfo="skip",
            marker={"color": "#FFFFFF", "pattern": hatch, "line": {"color": "#000000", "width": 1}},
        )
    )
    for status, total, share in table[["status", "aspirasi", "persen"]].itertuples(index=False):
        fig.add_annotation(
            x=status, y=total, text=f"{angka(total)} ({persen(share)})", showarrow=False, yanchor="bottom", yshift=2
        )
    fig.update_layout(barmode="stack")
    most = int(table["aspirasi"].max()) if len(table) else 1
    fig.update_yaxes(title="aspirasi", gridcolor=GRID, range=[0, most * 1.15 + 1])  # room for the labels on top
    return _legend_below(_layout(fig, title, height=360))


# ---------------------------------------------------------------- kecamatan


def cakupan_kecamatan(kecamatan_summary: pd.DataFrame, title: str = "Cakupan per kecamatan") -> go.Figure:
    """Kecamatan ranked by the share of villages with a flagship product (then visited), best on top."""
    table = kecamatan_summary.sort_values(
        ["persen_produk_unggulan", "persen_dikunjungi", "kecamatan"], ascending=[False, False, True]
    )
    fig = go.Figure()
    for column, name, colour, count in (
        ("persen_produk_unggulan", "desa dengan produk unggulan", "#009E73", "desa_dengan_produk_unggulan"),
        ("persen_dikunjungi", "desa dikunjungi", "#56B4E9", "desa_dikunjungi"),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                y=table["kecamatan"],
                x=table[column],
                orientation="h",
                marker_color=colour,
                text=[persen(v) for v in table[column]],
                textposition="outside",
                textfont={"size": 12},
                cliponaxis=False,
                customdata=table[[count, "desa_total"]].to_numpy(),
                hovertemplate=f"%{{y}}: %{{customdata[0]}} dari %{{customdata[1]}} {name}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    # The axis runs to 125 so that "100,0%" beside a full bar still fits on a phone (a fifth of the plot is left).
    fig.update_xaxes(title="% desa", range=[0, 125], gridcolor=GRID, ticksuffix="%", tickvals=[0, 20, 40, 60, 80, 100])
    return _legend_below(_layout(fig, title, height=max(320, 44 * len(table) + 160)))
