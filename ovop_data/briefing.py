"""The village briefing: one self-contained HTML page staff print or send before a visit.

It opens offline with nothing else and stays small enough to send by WhatsApp:
the village map and the kecamatan's priority bars are inline SVG drawn here in
Python (no plotly.js, no tiles, no network), the CSS is inline and lays the page
out for one A4 sheet. Every text from the data goes through `escape.html_text`,
and the same SVG bars show on Profil Desa.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from pathlib import Path

import jinja2
import shapely
from markupsafe import Markup

from .escape import html_text
from .fmt import angka, tanggal
from .geo import Boundaries
from .maps import NO_DATA_COLOUR, STATUS_COLOURS
from .profile import VillageProfile, position_sentences

SVG_WIDTH = 340
SVG_HEIGHT = 210
# Villages closer than this (degrees, ≈ 300 m) count as neighbours: simplified borders may leave slivers.
_NEIGHBOUR_DISTANCE = 0.003
#: The priority bars: one row a village, its name left of the bar, its score right of it.
BAR_ROW, BAR_LABEL, BAR_TOP, BAR_NAME_CHARS = 11, 120, 32, 22
#: The bars' drawing width: about the sheet's right column at print size, so their text prints near its own size.
BAR_WIDTH = 400
# Rows of each table that fit on the A4 page with the fullest kecamatan's bars (tests/e2e/test_print.py); the
# rest is counted, not dropped silently.
_MAX_ROWS = 5


# ---------------------------------------------------------------- the figure and the map


def posisi_svg(profile: VillageProfile, *, width: int = BAR_WIDTH, fluid: bool = False) -> str:
    """The kecamatan's villages by visit-priority score, coloured by coverage, this one marked, as inline SVG.

    The sheet prints it at `width`; Profil Desa shows it `fluid` (as wide as its column). No plotly.js: parsed
    beside the village map it held the map back.
    """
    table = profile.kecamatan_desa
    most = max(float(table["skor"].max()), 1e-9) if len(table) else 1.0
    span = width - BAR_LABEL - 34  # room for the score after the longest bar
    height = BAR_TOP + BAR_ROW * len(table) + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        + ('width="100%" ' if fluid else f'width="{width}" height="{height}" ')
        + f'role="img" aria-label="Prioritas kunjungan di Kecamatan {html_text(profile.kecamatan)}" '
        'font-family="Arial, sans-serif">',
        f'<text x="0" y="12" font-size="11" font-weight="bold">Prioritas kunjungan di Kecamatan '
        f"{html_text(profile.kecamatan)}</text>",
        '<text x="0" y="25" font-size="8" fill="#555555">skor prioritas (lebih tinggi = lebih perlu dikunjungi)</text>',
    ]
    for i, row in enumerate(table.itertuples()):  # highest priority on top, as kecamatan_desa is sorted
        mine = row.kode_desa == profile.kode_desa
        y = BAR_TOP + i * BAR_ROW
        bar = max(float(row.skor), 0.0) / most * span
        name = str(row.desa)
        name = name if len(name) <= BAR_NAME_CHARS else name[: BAR_NAME_CHARS - 1] + "…"
        weight = ' font-weight="bold"' if mine else ""
        colour = STATUS_COLOURS.get(row.status_cakupan, NO_DATA_COLOUR)  # ours, not data: no escaping needed
        outline = 'stroke="#000000" stroke-width="2"' if mine else 'stroke="#5F5F5F" stroke-width="0.5"'
        score = html_text(angka(row.skor))
        parts.append(
            f"<g><title>{html_text(row.desa)}: skor {score}, {html_text(row.status_cakupan)}</title>"
            f'<text x="{BAR_LABEL - 4}" y="{y + 8.5}" font-size="8.5" text-anchor="end"{weight}>'
            f"{'▶ ' if mine else ''}{html_text(name)}</text>"
            f'<rect x="{BAR_LABEL}" y="{y + 1.5}" width="{bar:.1f}" height="{BAR_ROW - 3}" fill="{colour}" '
            f"{outline}/>"
            f'<text x="{BAR_LABEL + bar + 3:.1f}" y="{y + 8.5}" font-size="8.5"{weight}>{score}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


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
        f'height="{SVG_HEIGHT}" role="img" aria-label="Peta {html_text(chosen["desa"].iloc[0])} dan desa tetangganya">',
        f'<rect width="{SVG_WIDTH}" height="{SVG_HEIGHT}" fill="#FFFFFF" stroke="#BBBBBB"/>',
    ]
    for shape in near.geometry:
        parts.append(
            f'<path d="{_path(shapely.intersection(shape, clip), project)}" fill="#EEEEEE" '
            'stroke="#8C8C8C" stroke-width="0.8" fill-rule="evenodd"/>'
        )
    parts.append(
        f'<path d="{_path(geom, project)}" fill="{html_text(fill)}" fill-opacity="0.85" stroke="#000000" '
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
        f'paint-order="stroke" stroke="#FFFFFF" stroke-width="3">{html_text(text)}</text>'
    )


# ---------------------------------------------------------------- the page


def village_briefing_html(profile: VillageProfile, boundaries: Boundaries, *, is_demo: bool = False) -> str:
    """One self-contained HTML page (A4 when printed) with everything the profile shows; no network needed."""
    return _template("briefing.html").render(_sheet_values(profile, boundaries, is_demo=is_demo))


def village_briefing_sheet(profile: VillageProfile, boundaries: Boundaries, *, is_demo: bool = False) -> str:
    """The briefing's A4 sheet alone (`<main class="sheet">` with its own scoped style), for a page to print.

    Without blank lines, also inside the data's texts: Markdown (st.markdown) takes it as one raw HTML block, which
    a blank line would end, letting the rest be read as Markdown.
    """
    sheet = _template("briefing_sheet.html").render(_sheet_values(profile, boundaries, is_demo=is_demo))
    return "\n".join(line for line in sheet.splitlines() if line.strip())


def _sheet_values(profile: VillageProfile, boundaries: Boundaries, *, is_demo: bool) -> dict:
    """The template's variables: the profile's texts and tables, the SVG map and bars as markup."""
    p, r, pos = profile, profile.ringkasan, profile.posisi
    status = r.get("status_cakupan") or ""
    terakhir = tanggal(r.get("kunjungan_terakhir")) or "belum pernah"
    tables = [
        _table(
            "Produk dan tangga legalitas",
            ("Produk", "Kategori", "Pelaku usaha", "Unggulan", "Tangga legalitas", "Langkah berikut"),
            [
                [
                    row.nama_produk,
                    row.kategori,
                    row.pelaku_usaha,
                    "ya" if row.unggulan else "tidak",
                    row.tangga_teks,
                    row.langkah,
                ]
                for row in p.produk.head(_MAX_ROWS).itertuples()
            ],
            len(p.produk),
            "Belum ada produk tercatat.",
        ),
        _table(
            "Kunjungan",
            ("Tanggal", "Kegiatan", "Pejabat", "OPD pendamping", "Produk disorot"),
            [
                [tanggal(row.tanggal), row.kegiatan, row.pejabat, row.opd_pendamping, row.produk_disorot]
                for row in p.kunjungan.head(_MAX_ROWS).itertuples()
            ],
            len(p.kunjungan),
            "Belum pernah dikunjungi.",
        ),
        _table(
            "Aspirasi dan tindak lanjut",
            ("Tanggal", "Aspirasi", "OPD penanggung jawab", "Tenggat", "Status", "Tindak lanjut"),
            [
                [
                    tanggal(row.tanggal),
                    row.aspirasi,
                    row.opd_penanggung_jawab,
                    _tenggat(row),
                    row.keadaan,
                    row.tindak_lanjut,
                ]
                for row in p.aspirasi.head(_MAX_ROWS).itertuples()
            ],
            len(p.aspirasi),
            "Belum ada aspirasi tercatat.",
        ),
    ]
    return dict(
        p=p,
        demo=is_demo,
        cards=[
            ("Status cakupan", status),
            ("Produk", f"{angka(r.get('produk_total'))} ({angka(r.get('produk_unggulan'))} unggulan)"),
            ("Kunjungan", f"{angka(r.get('kunjungan_total'))} · terakhir {terakhir}"),
            (
                "Aspirasi terbuka",
                f"{angka(r.get('aspirasi_terbuka'))} ({angka(r.get('aspirasi_terlambat'))} terlambat)",
            ),
            ("Prioritas kunjungan", f"ke-{pos['peringkat_kecamatan']} dari {pos['desa_kecamatan']} desa di kecamatan"),
        ],
        today=tanggal(p.today),
        svg=Markup(village_svg(boundaries, p.kode_desa, fill=STATUS_COLOURS.get(status, NO_DATA_COLOUR))),
        schematic=(boundaries.note or "batas desa sebenarnya belum dimuat.") if boundaries.is_schematic else "",
        posisi=position_sentences(p),
        chart=Markup(posisi_svg(p)),
        legend=STATUS_COLOURS,
        tables=tables,
    )


@functools.cache
def _template(name: str) -> jinja2.Template:
    """The page or its sheet as a Jinja template with autoescape whose every value passes through `escape.html_text`.

    Data reaches it only as variables: a product named ``{{ 7*7 }}`` stays those characters.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "html"),
        autoescape=True,
        finalize=lambda value: value if isinstance(value, Markup) else Markup(html_text(value)),
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template(name)


def _table(title: str, headers: Sequence[str], rows: list[list[object]], total: int, empty: str) -> dict:
    """One table of the page: at most `_MAX_ROWS` rows; the rest is counted, not dropped silently."""
    return {"title": title, "headers": headers, "rows": rows, "more": max(total - _MAX_ROWS, 0), "empty": empty}


def _tenggat(row) -> str:
    text = tanggal(row.tenggat_efektif)
    return f"{text} (otomatis)" if text and row.tenggat_bawaan else text


__all__ = ["posisi_svg", "village_briefing_html", "village_briefing_sheet", "village_svg"]
