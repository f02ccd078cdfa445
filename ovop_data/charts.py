"""Pure figure builders: a table in, a plotly figure or an inline SVG string out, Indonesian labels, no Streamlit.

The pages with a map (Ringkasan, Kunjungan) get SVG (the `*_svg` builders): plotly.js, parsed beside the
map, held the map back. Colours are colour-blind-safe: Okabe–Ito for categories and statuses (the same
as the maps' categories), ColorBrewer sequential schemes for ordered values.
Month labels come from `fmt.bulan_tahun` (plotly's ``%b`` would print English month names).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import metrics, recorded, vocab
from .escape import html_text, is_missing
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


# ---------------------------------------------------------------- inline SVG
# Charts of the map pages are drawn as inline SVG, not plotly: plotly.js (4.7 MB), parsed on the main thread
# beside the map's frame, held the first map back one to two seconds. One set of helpers makes every SVG, so
# each text goes through html_text and each attribute is a number, or a colour or id of ours, never data.

#: Width of one character of 12–13 px text in viewBox units (the wider fallback fonts): decides what fits.
SVG_CHAR = 7.2
#: An id prefix of ours (for patterns): lower-case letters, digits and hyphens.
_SVG_ID = re.compile(r"[a-z][a-z0-9-]*")


def _num(value: float) -> str:
    """A coordinate as short text: 144, 12.5 (one decimal is finer than a pixel)."""
    return f"{value:.1f}".removesuffix(".0")


def _svg(width: float, height: float, label: str, parts: Sequence[str], defs: str = "") -> str:
    """The whole SVG: scales to its column (viewBox, width 100%) but never beyond 1.5× its own size.

    The open tag stands alone on the first line, so for Markdown (st.markdown, via cards.show_svg) the SVG is
    one raw HTML block (CommonMark's kind 7) that runs to the end: its texts are never read as Markdown, so a
    typed "www.…" or "**…**" stays text. On one line with the rest it would be a paragraph with inline HTML,
    and Markdown would make links inside it. No blank line may follow: that would end the block.
    """
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" width="100%" '
        f'style="max-width:{_num(width * 1.5)}px" role="img" aria-label="{html_text(label)}" '
        f'font-family="Source Sans Pro, Arial, sans-serif">\n{defs}{"".join(parts)}</svg>'
    )


def _svg_data(value: object) -> str:
    """Text for an SVG on one line, escaped: a typed line break would let a blank line end the HTML block."""
    return html_text(" ".join(str(value).split()) if not is_missing(value) else "")


def _svg_title(text: str) -> str:
    """The hover text of the group it opens (and what a screen reader says of it)."""
    return f"<title>{_svg_data(text)}</title>"


def _svg_text(
    x: float, y: float, text: object, *, size: int = 13, anchor: str = "", fill: str = "", weight: str = ""
) -> str:
    """One line of text at (x, y), escaped; `anchor`, `fill` and `weight` are ours (start/middle/end, a colour)."""
    attributes = (("text-anchor", anchor), ("fill", fill), ("font-weight", weight))
    extra = "".join(f' {name}="{value}"' for name, value in attributes if value)
    return f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}"{extra}>{_svg_data(text)}</text>'


def _svg_lines(x: float, y: float, lines: Sequence[str], *, size: int = 12, anchor: str = "", fill: str = "") -> str:
    """Several lines from (x, y) down, each `size` + 2 apart (SVG never wraps text itself)."""
    return "".join(
        _svg_text(x, y + i * (size + 2), line, size=size, anchor=anchor, fill=fill) for i, line in enumerate(lines)
    )


def _svg_rect(x: float, y: float, width: float, height: float, fill: str, stroke: str = "") -> str:
    """A bar; `fill` is a colour of ours or url(#id) of a pattern defined in the same SVG."""
    line = f' stroke="{stroke}" stroke-width="1"' if stroke else ""
    return f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(max(width, 0))}" height="{_num(max(height, 0))}" ' + (
        f'fill="{fill}"{line}/>'
    )


def _svg_legend(items: Sequence[tuple[str, str, str]], y: float, width: float) -> tuple[str, float]:
    """Swatches (fill, outline, label) in a row from the left, wrapping at `width`: the markup and its height."""
    parts, x, row = [], 0.0, 0
    for fill, stroke, label in items:
        room = 18 + len(label) * SVG_CHAR + 14
        if x and x + room > width:
            x, row = 0.0, row + 1
        top = y + row * 20
        parts.append(_svg_rect(x + 1, top + 2, 13, 13, fill, stroke) + _svg_text(x + 18, top + 13, label, size=12))
        x += room
    return "".join(parts), (row + 1) * 20


def _svg_empty(label: str, message: str) -> str:
    """A small SVG saying there is nothing to show: a page keeps its layout and nobody reads an empty frame."""
    return _svg(380, 32, label, [_svg_text(0, 20, message, fill="#555")])


def _svg_axis_ticks(most: float) -> list[float]:
    """0 and whole round steps (1, 2, 5 × 10ⁿ) up to at least `most`, four steps at most."""
    if most <= 0:
        return [0.0, 1.0]
    step = next(
        s * 10**e
        for e in range(max(int(np.floor(np.log10(most))) - 1, 0), 20)
        for s in (1, 2, 5)
        if most / (s * 10**e) <= 4
    )
    return [i * step for i in range(int(np.ceil(most / step - 1e-9)) + 1)]


def _svg_count(value: float) -> str:
    """A count as read: whole numbers plain, a share of a promise (1/n) with one decimal."""
    return angka(value, 0 if float(value).is_integer() else 1)


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
    parts = []
    for i, row in enumerate(table.itertuples()):  # largest first, as produk_by_kategori sorts
        y = 2 + i * SVG_ROW
        bar = int(row.produk) / most * span
        desa = f", {angka(row.desa)} desa" if "desa" in table else ""
        colour = KATEGORI_COLOURS.get(row.kategori, OTHER_COLOUR)  # ours, not data
        parts.append(
            f"<g>{_svg_title(f'{row.kategori}: {angka(row.produk)} produk{desa}')}"
            + _svg_text(SVG_LABEL - 6, y + 16, row.kategori, anchor="end")
            + _svg_rect(SVG_LABEL, y + 3, bar, SVG_ROW - 6, colour)
            + _svg_text(SVG_LABEL + bar + 5, y + 16, angka(row.produk))
            + "</g>"
        )
    return _svg(SVG_WIDTH, SVG_ROW * len(table) + 4, "Produk per kategori", parts)


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


def _month_ticks(months: Sequence[pd.Timestamp]) -> list[int]:
    """Positions of the months that get a label: every month, or every 2nd, 3rd, 6th… so at most ~12 show."""
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120) if len(months) / s <= 12)
    start = next((i for i, m in enumerate(months) if (m.month - 1) % step == 0), 0) if step > 1 else 0
    return list(range(start, len(months), step))


def _svg_value_axis(ticks: Sequence[float], scale: float, left: float, right: float, base: float) -> list[str]:
    """Horizontal grid lines at `ticks` (value × `scale` above `base`), each labelled left of `left`."""
    parts = []
    for value in ticks:
        y = base - value * scale
        parts.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(right)}" y2="{_num(y)}" stroke="{GRID}"/>'
            + _svg_text(left - 4, y + 4, angka(value), size=12, anchor="end", fill="#555")
        )
    return parts


#: The month chart (viewBox units): value labels left, counts above the bars, two-line month labels below.
_BULAN_W, _BULAN_LEFT, _BULAN_TOP, _BULAN_PLOT = 420, 30, 18, 150


def kunjungan_per_bulan_svg(kunjungan: pd.DataFrame) -> str:
    """Visits per month as vertical bars, the programme's timeline: Indonesian month labels, at most ~12 of them.

    Each bar's hover (`<title>`) names the month in full with its visits and villages; the count is written on
    the bar when it fits above it.
    """
    label = "Kunjungan per bulan"
    table = metrics.kunjungan_per_bulan(kunjungan)
    if table.empty:
        return _svg_empty(label, "Belum ada kunjungan untuk ditampilkan.")
    ticks = _svg_axis_ticks(int(table["kunjungan"].max()))
    scale = _BULAN_PLOT / ticks[-1]
    base = _BULAN_TOP + _BULAN_PLOT
    slot = (_BULAN_W - _BULAN_LEFT - 4) / len(table)
    labelled = set(_month_ticks(list(table["bulan"])))
    parts = _svg_value_axis(ticks, scale, _BULAN_LEFT, _BULAN_W, base)
    for i, (bulan, count, desa) in enumerate(table[["bulan", "kunjungan", "desa"]].itertuples(index=False)):
        x = _BULAN_LEFT + 4 + i * slot
        middle, height = x + slot / 2, count * scale
        text = angka(count)
        fits = slot >= SVG_CHAR * len(text) + 4  # else neighbouring counts would run together
        parts.append(
            f"<g>{_svg_title(f'{bulan_tahun(bulan, short=False)}: {text} kunjungan, {angka(desa)} desa')}"
            + _svg_rect(x + slot * 0.1, base - height, slot * 0.8, height, "#0072B2")
            + (_svg_text(middle, base - height - 4, text, size=11, anchor="middle") if fits else "")
            + "</g>"
        )
        if i in labelled:
            parts.append(_svg_lines(middle, base + 15, bulan_tahun(bulan).split(" "), size=12, anchor="middle"))
    return _svg(_BULAN_W, base + 36, label, parts)


# ---------------------------------------------------------------- aspirasi

#: The OPD chart: names (two lines) left, the stacked bar, "NN% selesai" beside it; one row per OPD.
_OPD_W, _OPD_LABEL, _OPD_NOTE, _OPD_ROW, _OPD_CHARS = 400, 150, 104, 38, 20
_STATUS_KOLOM = (("Selesai", "selesai"), ("Proses", "proses"), ("Belum", "belum"))


def _two_lines(text: str, width: int) -> list[str]:
    """A typed name on at most two lines of `width` characters, cut with "…" (the hover keeps it whole)."""
    return textwrap.wrap(text, width, max_lines=2, placeholder="…", break_on_hyphens=False) or [text]


def aspirasi_per_opd_svg(ledger: pd.DataFrame) -> str:
    """Promises per OPD as stacked bars (Selesai / Proses / Belum), most-loaded OPD on top.

    Beside each bar the share kept and, when any, how many are overdue (a promise shared by n agencies counts
    1/n for each, so a fraction reads as one). OPD names are typed by staff: they are data, escaped.
    """
    label = "Janji tindak lanjut per OPD"
    table = metrics.aspirasi_by_opd(ledger)
    if table.empty:
        return _svg_empty(label, "Belum ada janji tindak lanjut untuk ditampilkan.")
    ticks = _svg_axis_ticks(float(table["aspirasi_total"].max()))
    left, span = _OPD_LABEL + 4, _OPD_W - _OPD_LABEL - 4 - _OPD_NOTE
    scale = span / ticks[-1]
    bottom = 4 + _OPD_ROW * len(table)
    parts = []
    for value in ticks:
        x = left + value * scale
        parts.append(
            f'<line x1="{_num(x)}" y1="2" x2="{_num(x)}" y2="{_num(bottom)}" stroke="{GRID}"/>'
            + _svg_text(x, bottom + 15, angka(value), size=12, anchor="middle", fill="#555")
        )
    for i, row in enumerate(table.itertuples()):  # most-loaded first, as aspirasi_by_opd sorts
        top = 4 + i * _OPD_ROW
        counts = ", ".join(f"{_svg_count(getattr(row, column))} {status.lower()}" for status, column in _STATUS_KOLOM)
        late = f"{_svg_count(row.terlambat)} terlambat" if row.terlambat else ""
        hover = f"{row.opd}: {_svg_count(row.aspirasi_total)} aspirasi ({counts})" + (f", {late}" if late else "")
        lines = _two_lines(" ".join(str(row.opd).split()), _OPD_CHARS)
        parts.append(f"<g>{_svg_title(hover)}")
        parts.append(_svg_lines(_OPD_LABEL, top + 16 + (7 if len(lines) == 1 else 0), lines, anchor="end"))
        x = left
        for status, column in _STATUS_KOLOM:
            width = getattr(row, column) * scale
            parts.append(_svg_rect(x, top + 6, width, _OPD_ROW - 12, STATUS_COLOURS[status]))
            x += width
        note = [f"{persen(row.persen_selesai)} selesai", *([late] if late else [])]
        parts.append(_svg_lines(x + 5, top + 16 + (7 if len(note) == 1 else 0), note, fill="#333"))
        parts.append("</g>")
    legend, height = _svg_legend([(STATUS_COLOURS[s], "", s) for s, _ in _STATUS_KOLOM], bottom + 24, _OPD_W)
    return _svg(_OPD_W, bottom + 24 + height, label, [*parts, legend])


#: The status chart: value labels left, "N (P%)" above each bar, the status (two lines at most) below.
_STATUS_W, _STATUS_LEFT, _STATUS_TOP, _STATUS_PLOT = 320, 30, 22, 150
#: The hatching pattern's id, ours: ids are page-wide, so a second status chart on one page gets another one.
ARSIR_ID = "ovop-arsir-status"


def _hatch_pattern(pattern_id: str) -> str:
    """Black diagonal lines on transparent ground, laid over a bar's own colour (readable without colour vision)."""
    if not _SVG_ID.fullmatch(pattern_id):
        raise ValueError(f"Id pola SVG tidak sah: {html_text(pattern_id)}")
    return (
        f'<defs><pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000000" stroke-width="2"/>'
        "</pattern></defs>"
    )


def aspirasi_per_status_svg(ledger: pd.DataFrame, pattern_id: str = ARSIR_ID) -> str:
    """Bars per status, the overdue part hatched on top (pattern as well as colour), "N (P%)" above each bar.

    The legend explains the hatching only: a swatch in one status colour would read as that status.
    `pattern_id` (ours, never data) names the hatching; a page showing this chart twice gives each its own.
    """
    label = "Aspirasi per status"
    table = metrics.aspirasi_by_status(ledger)
    if not table["aspirasi"].sum():
        return _svg_empty(label, "Belum ada aspirasi untuk ditampilkan.")
    hatch = _hatch_pattern(pattern_id)
    ticks = _svg_axis_ticks(int(table["aspirasi"].max()))
    scale = _STATUS_PLOT / ticks[-1]
    base = _STATUS_TOP + _STATUS_PLOT
    slot = (_STATUS_W - _STATUS_LEFT - 4) / len(table)
    width = min(slot * 0.6, 60)
    parts = _svg_value_axis(ticks, scale, _STATUS_LEFT, _STATUS_W, base)
    for i, (status, total, late, share) in enumerate(table.itertuples(index=False)):
        middle = _STATUS_LEFT + 4 + (i + 0.5) * slot
        colour = STATUS_COLOURS.get(status, OTHER_COLOUR)
        on_time, overdue = (total - late) * scale, late * scale
        hover = f"{status}: {angka(total)} aspirasi, {angka(late)} lewat tenggat"
        parts.append(f"<g>{_svg_title(hover)}" + _svg_rect(middle - width / 2, base - on_time, width, on_time, colour))
        if late:
            top = base - on_time - overdue
            parts.append(
                _svg_rect(middle - width / 2, top, width, overdue, colour)
                + _svg_rect(middle - width / 2, top, width, overdue, f"url(#{pattern_id})")
            )
        parts.append(
            _svg_text(middle, base - total * scale - 5, f"{angka(total)} ({persen(share)})", size=12, anchor="middle")
            + _svg_lines(middle, base + 14, _two_lines(status, max(int(slot / SVG_CHAR), 6)), anchor="middle")
            + "</g>"
        )
    legend, height = _svg_legend([(f"url(#{pattern_id})", "#000000", "arsiran = lewat tenggat")], base + 40, _STATUS_W)
    return _svg(_STATUS_W, base + 40 + height, label, [*parts, legend], defs=hatch)


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
