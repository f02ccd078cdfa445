"""The village briefing: one self-contained HTML page staff print or send before a visit.

It opens offline with nothing else: plotly.js is embedded from the installed
plotly package, the village map is an inline SVG drawn from the boundary
geometry (no tiles, no network), the CSS is inline and lays the page out for
one A4 sheet. Every text from the data goes through `html.escape`, also the
labels handed to plotly (plotly.js renders a few HTML tags in its text).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.offline import get_plotlyjs

from .fmt import angka, tanggal
from .geo import Boundaries
from .maps import NO_DATA_COLOUR, STATUS_COLOURS
from .profile import VillageProfile, position_sentences

SVG_WIDTH = 340
SVG_HEIGHT = 250
# Villages closer than this (degrees, ≈ 300 m) count as neighbours: simplified borders may leave slivers.
_NEIGHBOUR_DISTANCE = 0.003
_MAX_ROWS = 8  # rows of each table that fit on the A4 page; the rest is counted, not dropped silently


def _e(value: object) -> str:
    """Escaped text of a cell ('' for empty/NA)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


# ---------------------------------------------------------------- the figure and the map


def posisi_figure(profile: VillageProfile) -> go.Figure:
    """The kecamatan's villages by visit-priority score, coloured by coverage, this village marked."""
    table = profile.kecamatan_desa.iloc[::-1]  # highest priority on top
    mine = (table["kode_desa"] == profile.kode_desa).to_numpy()
    labels = [f"<b>▶ {_e(d)}</b>" if m else _e(d) for d, m in zip(table["desa"], mine, strict=True)]
    colours = [STATUS_COLOURS.get(s, NO_DATA_COLOUR) for s in table["status_cakupan"]]
    fig = go.Figure(
        go.Bar(
            x=table["skor"],
            y=labels,
            orientation="h",
            marker={
                "color": colours,
                "line": {
                    "color": ["#000000" if m else "#5F5F5F" for m in mine],
                    "width": [2.5 if m else 0.5 for m in mine],
                },
            },
            text=[angka(s) for s in table["skor"]],
            textposition="outside",
            cliponaxis=False,
            customdata=[_e(s) for s in table["status_cakupan"]],
            hovertemplate="%{y}: skor %{x}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_layout(
        title={"text": f"Prioritas kunjungan di Kecamatan {_e(profile.kecamatan)}", "x": 0, "font": {"size": 13}},
        font={"family": "Arial, sans-serif", "size": 10},
        height=max(160, 18 * len(table) + 70),
        margin={"l": 10, "r": 30, "t": 30, "b": 25},
        plot_bgcolor="white",
        separators=",.",
        showlegend=False,
        bargap=0.25,
    )
    fig.update_xaxes(
        title={"text": "skor prioritas (lebih tinggi = lebih perlu dikunjungi)", "font": {"size": 9}},
        gridcolor="#e5e5e5",
        rangemode="tozero",
    )
    fig.update_yaxes(dtick=1, automargin=True)  # every village named: plotly would thin out crowded labels
    return fig


def village_svg(boundaries: Boundaries, kode_desa: str, *, fill: str = "#009E73") -> str:
    """Inline SVG of the village (filled, outlined) among its neighbours (grey, named); a note if absent."""
    desa = boundaries.desa
    chosen = desa.loc[desa["kode_desa"] == kode_desa]
    if chosen.empty:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{SVG_WIDTH}" height="60" role="img">'
            '<text x="8" y="34" font-size="12">Batas desa tidak tersedia di peta.</text></svg>'
        )
    geom = chosen.geometry.iloc[0]
    near = desa.loc[
        (desa["kode_desa"] != kode_desa) & (shapely.distance(desa.geometry.values, geom) < _NEIGHBOUR_DISTANCE)
    ]
    view = _viewport(shapely.total_bounds(geom), SVG_WIDTH / SVG_HEIGHT)
    project = _projection(view, SVG_WIDTH, SVG_HEIGHT)
    clip = shapely.box(*view)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" width="{SVG_WIDTH}" '
        f'height="{SVG_HEIGHT}" role="img" aria-label="Peta {_e(chosen["desa"].iloc[0])} dan desa tetangganya">',
        f'<rect width="{SVG_WIDTH}" height="{SVG_HEIGHT}" fill="#FFFFFF" stroke="#BBBBBB"/>',
    ]
    for shape in near.geometry:
        parts.append(
            f'<path d="{_path(shapely.intersection(shape, clip), project)}" fill="#EEEEEE" '
            'stroke="#8C8C8C" stroke-width="0.8" fill-rule="evenodd"/>'
        )
    parts.append(
        f'<path d="{_path(geom, project)}" fill="{_e(fill)}" fill-opacity="0.85" stroke="#000000" '
        'stroke-width="2.2" fill-rule="evenodd"/>'
    )
    for name, shape in zip(near["desa"], near.geometry, strict=True):
        visible = shapely.intersection(shape, clip)
        if shapely.area(visible) > 0.08 * shapely.area(clip) / max(len(near), 1):  # room for a name
            parts.append(_label(name, shapely.point_on_surface(visible), project, size=9, colour="#4D4D4D"))
    parts.append(
        _label(chosen["desa"].iloc[0], shapely.point_on_surface(geom), project, size=12, colour="#000000", bold=True)
    )
    parts.append("</svg>")
    return "".join(parts)


def _viewport(bounds: Sequence[float], aspect: float) -> tuple[float, float, float, float]:
    """The village's bounds with a margin, widened to the picture's aspect (east-west shortened by cos(lat))."""
    minx, miny, maxx, maxy = bounds
    k = math.cos(math.radians((miny + maxy) / 2))
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_h = max(maxy - miny, (maxx - minx) * k / aspect, 0.002) / 2 * 1.5
    half_w = half_h * aspect / k
    return cx - half_w, cy - half_h, cx + half_w, cy + half_h


def _projection(view: Sequence[float], width: int, height: int) -> Callable[[float, float], tuple[float, float]]:
    """lng/lat inside the viewport -> SVG pixels (the viewport already has the picture's proportions)."""
    minx, miny, maxx, maxy = view
    sx, sy = width / (maxx - minx), height / (maxy - miny)

    def project(x: float, y: float) -> tuple[float, float]:
        return (x - minx) * sx, (maxy - y) * sy

    return project


def _path(geom: shapely.Geometry, project) -> str:
    """SVG path data of every ring of a (multi)polygon."""
    commands = []
    for polygon in shapely.get_parts(geom):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        for ring in (polygon.exterior, *polygon.interiors):
            points = [project(x, y) for x, y in ring.coords]
            commands.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(commands)


def _label(text: object, point: shapely.Point, project, *, size: int, colour: str, bold: bool = False) -> str:
    x, y = project(point.x, point.y)
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{colour}" text-anchor="middle"{weight} '
        f'paint-order="stroke" stroke="#FFFFFF" stroke-width="3">{_e(text)}</text>'
    )


# ---------------------------------------------------------------- the page


def village_briefing_html(profile: VillageProfile, boundaries: Boundaries, *, is_demo: bool = False) -> str:
    """One self-contained HTML page (A4 when printed) with everything the profile shows; no network needed."""
    p, r, pos = profile, profile.ringkasan, profile.posisi
    status = r.get("status_cakupan") or ""
    fill = STATUS_COLOURS.get(status, NO_DATA_COLOUR)
    figure = posisi_figure(p).to_html(
        full_html=False,
        include_plotlyjs=False,
        default_width="100%",
        config={"staticPlot": True, "displayModeBar": False, "responsive": True},
    )
    schematic = (
        f'<p class="note">Peta skematis: {_e(boundaries.note or "batas desa sebenarnya belum dimuat.")}</p>'
        if boundaries.is_schematic
        else ""
    )
    demo = '<p class="demo">DATA DEMO — bukan data resmi.</p>' if is_demo else ""
    terakhir = tanggal(r.get("kunjungan_terakhir")) or "belum pernah"
    figures = [
        ("Status cakupan", status),
        ("Produk", f"{angka(r.get('produk_total'))} ({angka(r.get('produk_unggulan'))} unggulan)"),
        ("Kunjungan", f"{angka(r.get('kunjungan_total'))} · terakhir {terakhir}"),
        ("Aspirasi terbuka", f"{angka(r.get('aspirasi_terbuka'))} ({angka(r.get('aspirasi_terlambat'))} terlambat)"),
        ("Prioritas kunjungan", f"ke-{pos['peringkat_kecamatan']} dari {pos['desa_kecamatan']} desa di kecamatan"),
    ]
    posisi = "".join(f"<p>{_e(text)}</p>" for text in position_sentences(p))
    produk = _table(
        ("Produk", "Kategori", "Pelaku usaha", "Unggulan", "Tangga legalitas", "Langkah berikut"),
        (
            [
                row.nama_produk,
                row.kategori,
                row.pelaku_usaha,
                "ya" if row.unggulan else "tidak",
                row.tangga_teks,
                row.langkah,
            ]
            for row in p.produk.itertuples()
        ),
        len(p.produk),
        "Belum ada produk tercatat.",
    )
    kunjungan = _table(
        ("Tanggal", "Kegiatan", "Pejabat", "OPD pendamping", "Produk disorot"),
        (
            [tanggal(row.tanggal), row.kegiatan, row.pejabat, row.opd_pendamping, row.produk_disorot]
            for row in p.kunjungan.itertuples()
        ),
        len(p.kunjungan),
        "Belum pernah dikunjungi.",
    )
    aspirasi = _table(
        ("Tanggal", "Aspirasi", "OPD penanggung jawab", "Tenggat", "Status", "Tindak lanjut"),
        (
            [
                tanggal(row.tanggal),
                row.aspirasi,
                row.opd_penanggung_jawab,
                _tenggat(row),
                row.keadaan,
                row.tindak_lanjut,
            ]
            for row in p.aspirasi.itertuples()
        ),
        len(p.aspirasi),
        "Belum ada aspirasi tercatat.",
    )
    legend = "".join(
        f'<span><i style="background:{colour}"></i>{_e(label)}</span>' for label, colour in STATUS_COLOURS.items()
    )
    cards = "".join(f'<div class="card"><span>{_e(k)}</span><b>{_e(v)}</b></div>' for k, v in figures)
    kabupaten = f" · {_e(p.kabupaten)}" if p.kabupaten else ""
    return f"""<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Profil {_e(p.nama)} — Kecamatan {_e(p.kecamatan)}</title>
<style>{_CSS}</style>
<script>{get_plotlyjs()}</script>
</head>
<body>
<main class="sheet">
<header>
<h1>Profil {_e(p.nama)}</h1>
<p>Kecamatan {_e(p.kecamatan)}{kabupaten} · kode {_e(p.kode_desa)} · keadaan per {_e(tanggal(p.today))}</p>
{demo}
</header>
<section class="cards">{cards}</section>
<section class="grid">
<figure>{village_svg(boundaries, p.kode_desa, fill=fill)}
<figcaption>{_e(p.nama)} (garis tebal) dan desa tetangganya.</figcaption>{schematic}</figure>
<div>{posisi}{figure}<p class="legend">{legend}</p></div>
</section>
<section><h2>Produk dan tangga legalitas</h2>{produk}</section>
<section><h2>Kunjungan</h2>{kunjungan}</section>
<section><h2>Aspirasi dan tindak lanjut</h2>{aspirasi}</section>
<footer>Dasbor OVOP Kabupaten Blitar · tangga legalitas: NIB → P-IRT/BPOM → Halal → Label komposisi.</footer>
</main>
</body>
</html>
"""


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], total: int, empty: str) -> str:
    if not total:
        return f'<p class="empty">{_e(empty)}</p>'
    body = []
    for i, row in enumerate(rows):
        if i == _MAX_ROWS:
            break
        body.append("<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>")
    more = f'<p class="more">… dan {total - _MAX_ROWS} lainnya (lihat dasbor).</p>' if total > _MAX_ROWS else ""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def _tenggat(row) -> str:
    text = tanggal(row.tenggat_efektif)
    return f"{text} (otomatis)" if text and row.tenggat_bawaan else text


_CSS = """
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font: 10pt/1.35 Arial, "Helvetica Neue", sans-serif; color: #1a1a1a; background: #f3f3f3; }
.sheet { width: 190mm; margin: 8mm auto; padding: 8mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.2); }
header h1 { font-size: 18pt; margin: 0 0 2px; }
header p { margin: 0; color: #444; }
.demo { color: #a50f15 !important; font-weight: bold; }
.cards { display: grid; grid-template-columns: repeat(5, 1fr); gap: 6px; margin: 8px 0; }
.card { border: 1px solid #ccc; border-radius: 4px; padding: 4px 6px; }
.card span { display: block; font-size: 8pt; color: #555; }
.card b { font-size: 10pt; }
.grid { display: grid; grid-template-columns: 92mm 1fr; gap: 8px; align-items: start; }
figure { margin: 0; }
figure svg { width: 100%; height: auto; }
figcaption, .note, .more, .empty, footer { font-size: 8pt; color: #555; margin: 2px 0; }
.grid p { margin: 0 0 4px; }
.legend { font-size: 7.5pt; color: #444; }
.legend span { margin-right: 8px; white-space: nowrap; }
.legend i { display: inline-block; width: 9px; height: 9px; margin-right: 3px; border: 1px solid #5f5f5f; }
h2 { font-size: 11pt; margin: 8px 0 3px; border-bottom: 1px solid #999; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; }
th, td { border: 1px solid #ccc; padding: 2px 4px; text-align: left; vertical-align: top; }
th { background: #eee; }
footer { margin-top: 8px; }
section, tr, figure { break-inside: avoid; }
@media print {
  body { background: #fff; }
  .sheet { width: auto; margin: 0; padding: 0; box-shadow: none; }
}
"""


__all__ = ["posisi_figure", "village_briefing_html", "village_svg"]
