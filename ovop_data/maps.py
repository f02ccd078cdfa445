"""Pure folium map builders: village coverage, one metric as a choropleth, product points.

Each builder takes `geo.Boundaries` and the `metrics.desa_summary` table and
returns a new `folium.Map`; nothing here reads files or imports Streamlit.

Payload: every village feature carries its ``kode_desa`` (a page opens the
village's profile from a click) and only the strings its tooltip shows;
colours come from a handful of classes (folium groups features by style), so
the HTML stays small.

Safety: folium puts tooltip and popup text into HTML and JavaScript template
literals without escaping, and branca compiles each rendered script once more
as a Jinja template; so every value from the data goes through
`escape.html_text` before it reaches a layer (no ``{``, ``<``, backtick or ``$``
survives as itself). A product called ``Kopi {{ 7*7 }}`` or
``<img src=x onerror=alert(1)>`` shows as that text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.map import FitBounds
from folium.plugins import FastMarkerCluster
from folium.template import Template

from .escape import html_text
from .geo import SOURCE_BERKAS, SOURCE_REPOSITORY, SOURCE_SKEMATIS, SOURCE_UNDUHAN, Boundaries
from .text import name_key

TILES_OSM = "OpenStreetMap"

# Okabe–Ito: distinguishable with every common colour-vision deficiency.
STATUS_COLOURS: dict[str, str] = {
    "Unggulan & dikunjungi": "#009E73",
    "Unggulan, belum dikunjungi": "#E69F00",
    "Dikunjungi, belum ada unggulan": "#56B4E9",
    "Belum ada unggulan & belum dikunjungi": "#CC79A7",
}
NO_DATA_COLOUR = "#F2F2F2"
NO_DATA_LABEL = "Tidak ada data"
#: A village the sidebar filter leaves out (its data exist, the view does not count them).
OUTSIDE_FILTER_LABEL = "Di luar filter"
#: Product points are black with a white ring: no village fill of any map means black, so a dot never
#: reads as a village's colour (category colours, as in the charts, made orange mean two things).
PRODUK_COLOUR = "#000000"
#: From this zoom on (about one kecamatan filling the map) every product is its own point.
KECAMATAN_ZOOM = 12

#: Product category -> colour in the charts (Okabe–Ito; grey for anything else). Not on maps: see PRODUK_COLOUR.
KATEGORI_COLOURS: dict[str, str] = {
    "Makanan olahan": "#E69F00",
    "Minuman": "#56B4E9",
    "Kerajinan & suvenir": "#009E73",
    "Fesyen & tekstil": "#F0E442",
    "Hasil tani/ternak/ikan": "#0072B2",
    "Wisata desa": "#D55E00",
    "Herbal non-pangan": "#CC79A7",
    "Lainnya": "#999999",
}
OTHER_COLOUR = "#999999"

_BORDER = "#5F5F5F"
_KECAMATAN_LINE = "#1A1A1A"
_ATTRIBUTION = {
    SOURCE_UNDUHAN: f"Batas wilayah: {SOURCE_REPOSITORY} (MIT)",
    SOURCE_BERKAS: "Batas wilayah: berkas pemerintah daerah",
    SOURCE_SKEMATIS: "Peta skematis (bukan batas sebenarnya)",
}
_BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@dataclass(frozen=True)
class Metric:
    """A village metric drawn as classes: inclusive integer bins, one ColorBrewer colour per bin."""

    label: str
    bins: tuple[tuple[int, int | None, str], ...]  # (low, high or None for open-ended, legend label)
    colours: tuple[str, ...]
    missing_label: str = NO_DATA_LABEL  # what an empty value (NA) means for this metric
    missing_colour: str = NO_DATA_COLOUR


# ColorBrewer sequential schemes (colour-blind safe); darker = more (or, for days, worse).
METRICS: dict[str, Metric] = {
    "produk_total": Metric(
        "Jumlah produk",
        ((0, 0, "0"), (1, 1, "1"), (2, 3, "2–3"), (4, 6, "4–6"), (7, None, "7 atau lebih")),
        ("#FFFFCC", "#A1DAB4", "#41B6C4", "#2C7FB8", "#253494"),
    ),
    "produk_unggulan": Metric(
        "Produk unggulan",
        ((0, 0, "0"), (1, 1, "1"), (2, 3, "2–3"), (4, None, "4 atau lebih")),
        ("#FFFFCC", "#A1DAB4", "#41B6C4", "#225EA8"),
    ),
    "hari_sejak_kunjungan": Metric(
        "Hari sejak kunjungan terakhir",
        (
            (0, 30, "≤ 30 hari"),
            (31, 90, "31–90 hari"),
            (91, 180, "91–180 hari"),
            (181, 365, "181–365 hari"),
            (366, None, "lebih dari 1 tahun"),
        ),
        ("#FEF0D9", "#FDCC8A", "#FC8D59", "#E34A33", "#B30000"),
        missing_label="Belum pernah dikunjungi",
        missing_colour="#4D4D4D",
    ),
    "kunjungan_total": Metric(
        "Jumlah kunjungan",
        ((0, 0, "0"), (1, 1, "1"), (2, 3, "2–3"), (4, None, "4 atau lebih")),
        ("#F0F9E8", "#BAE4BC", "#7BCCC4", "#2B8CBE"),
    ),
    "aspirasi_terbuka": Metric(
        "Aspirasi terbuka",
        ((0, 0, "0"), (1, 1, "1"), (2, 3, "2–3"), (4, None, "4 atau lebih")),
        ("#F2F0F7", "#CBC9E2", "#9E9AC8", "#6A51A3"),
    ),
    "aspirasi_terlambat": Metric(
        "Aspirasi terlambat",
        ((0, 0, "0"), (1, 1, "1"), (2, None, "2 atau lebih")),
        ("#FEE5D9", "#FB6A4A", "#A50F15"),
    ),
}


def metric_classes(values: pd.Series, metric: Metric) -> pd.Series:
    """Bin index of each value (0-based, as in ``metric.bins``); -1 for NA."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    out = pd.Series(-1, index=numbers.index, dtype="int64")
    for i, (low, high, _label) in enumerate(metric.bins):
        inside = numbers.ge(low) & (numbers.le(high) if high is not None else True)
        out = out.mask(inside.fillna(False).astype(bool) & out.eq(-1), i)
    return out


# ---------------------------------------------------------------- the builders


def coverage_map(
    boundaries: Boundaries,
    desa_summary: pd.DataFrame,
    *,
    produk: pd.DataFrame | None = None,
    tiles: str | None = TILES_OSM,
    fit_to: str | None = None,
    highlight: str | None = None,
    filtered: bool = False,
) -> folium.Map:
    """Every village coloured by coverage status (flagship product × visited), with a legend.

    ``fit_to``: a kecamatan (name or code) or kode_desa to zoom to; ``highlight``: a
    kode_desa to outline; ``produk``: the clean produk table to add as points;
    ``filtered``: desa_summary holds only the villages a filter keeps (the others are
    labelled "Di luar filter", not "Tidak ada data").
    """
    summary = _summary_by_code(desa_summary)
    codes = boundaries.desa["kode_desa"]
    absent = _absent_label(filtered)
    status = summary["status_cakupan"].reindex(codes).fillna(absent).astype(str).to_numpy()
    colours = [STATUS_COLOURS.get(s, NO_DATA_COLOUR) for s in status]
    tooltip = {
        "status": status,
        "produk": [_produk_text(summary, k) for k in codes],
        "kunjungan": [_kunjungan_text(summary, k) for k in codes],
    }
    aliases = {"status": "Status", "produk": "Produk", "kunjungan": "Kunjungan terakhir"}
    m = _base_map(boundaries, tiles)
    _add_villages(m, boundaries, colours, tooltip, aliases, name="Cakupan desa")
    counts = pd.Series(status).value_counts()
    rows = [(STATUS_COLOURS[s], s, int(counts.get(s, 0))) for s in STATUS_COLOURS]
    if counts.get(absent, 0):
        rows.append((NO_DATA_COLOUR, absent, int(counts[absent])))
    _finish(m, boundaries, "Cakupan desa", rows, produk=produk, fit_to=fit_to, highlight=highlight)
    return m


def metric_map(
    boundaries: Boundaries,
    desa_summary: pd.DataFrame,
    metric: str = "produk_total",
    *,
    produk: pd.DataFrame | None = None,
    tiles: str | None = TILES_OSM,
    fit_to: str | None = None,
    highlight: str | None = None,
    filtered: bool = False,
) -> folium.Map:
    """Choropleth of one `METRICS` column of desa_summary in a few classed, colour-blind-safe colours."""
    if metric not in METRICS:
        raise ValueError(f"Ukuran peta '{metric}' tidak dikenal; pilih salah satu: {', '.join(METRICS)}.")
    spec = METRICS[metric]
    absent = _absent_label(filtered)
    summary = _summary_by_code(desa_summary)
    codes = boundaries.desa["kode_desa"]
    known = codes.isin(summary.index).to_numpy()
    values = summary[metric].reindex(codes) if metric in summary else pd.Series(pd.NA, index=codes)
    classes = metric_classes(values.reset_index(drop=True), spec).to_numpy()
    colours, texts, legend_keys = [], [], []
    for has_row, cls, value in zip(known, classes, values.to_numpy(), strict=True):
        if not has_row:
            colours.append(NO_DATA_COLOUR)
            texts.append(absent)
            legend_keys.append("none")
        elif cls < 0:
            colours.append(spec.missing_colour)
            texts.append(spec.missing_label)
            legend_keys.append("missing")
        else:
            colours.append(spec.colours[cls])
            texts.append(_number(value))
            legend_keys.append(int(cls))
    m = _base_map(boundaries, tiles)
    _add_villages(m, boundaries, colours, {"nilai": texts}, {"nilai": spec.label}, name=spec.label)
    counts = pd.Series(legend_keys, dtype=object).value_counts()
    rows = [
        (colour, label, int(counts.get(i, 0)))
        for i, (colour, (_lo, _hi, label)) in enumerate(zip(spec.colours, spec.bins, strict=True))
    ]
    if counts.get("missing", 0):
        rows.append((spec.missing_colour, spec.missing_label, int(counts["missing"])))
    if counts.get("none", 0):
        rows.append((NO_DATA_COLOUR, absent, int(counts["none"])))
    _finish(m, boundaries, spec.label, rows, produk=produk, fit_to=fit_to, highlight=highlight)
    return m


def product_points(
    produk: pd.DataFrame, boundaries: Boundaries, *, name: str = "Produk", cluster: bool = True
) -> FastMarkerCluster:
    """Product points near each village's centre, with popups: product, category, producer, desa.

    Only nama_produk, kategori, pelaku_usaha, desa and kode_desa are read — never
    contact data. Products of one village spread on a small sunflower spiral
    (deterministic: sorted by name) so they do not sit on one point. Points are
    grouped (a small grey count, so village colours still show) only below
    `KECAMATAN_ZOOM`, and never when ``cluster`` is False (one kecamatan or village in view).
    """
    anchors = _anchors(boundaries)
    wanted = ["kode_desa", "nama_produk", "kategori", "pelaku_usaha", "desa"]
    frame = produk.reindex(columns=wanted).fillna("").astype(str)
    frame = frame.loc[frame["kode_desa"].isin(anchors)].sort_values(wanted, kind="stable")
    rank = frame.groupby("kode_desa").cumcount().to_numpy()
    rows = []
    for (kode, nama, kategori, pelaku, desa), k in zip(frame.itertuples(index=False), rank, strict=True):
        lat, lng = _spiral(anchors[kode], int(k))
        popup = (
            f"<b>{html_text(nama)}</b><br>{html_text(kategori)}"
            + (f"<br>{html_text(pelaku)}" if pelaku else "")
            + f"<br><i>{html_text(desa)}</i>"
        )
        rows.append([lat, lng, popup])
    callback = f"""function (row) {{
            var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
                {{radius: 5, color: '#FFFFFF', weight: 1.5, fillColor: '{PRODUK_COLOUR}', fillOpacity: 0.9}});
            marker.bindPopup(row[2], {{maxWidth: 280}});
            return marker;
        }}"""
    return FastMarkerCluster(
        rows,
        callback=callback,
        name=name,
        maxClusterRadius=40,
        disableClusteringAtZoom=KECAMATAN_ZOOM if cluster else 0,
        showCoverageOnHover=False,
        icon_create_function=_CLUSTER_ICON,
    )


# A group of products: a small translucent dark disc with its count (markercluster's own green/yellow/orange
# discs hid the village colours and looked like fills).
_CLUSTER_ICON = """function (cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 18 : (n < 100 ? 22 : 26);
    return L.divIcon({
        html: '<div style="width:' + size + 'px;height:' + size + 'px;line-height:' + size + 'px;'
            + 'border-radius:50%;background:rgba(0,0,0,0.65);border:1.5px solid #FFFFFF;color:#FFFFFF;'
            + 'font:600 10px sans-serif;text-align:center">' + n + '</div>',
        className: 'ovop-produk-grup',
        iconSize: L.point(size + 3, size + 3)
    });
}"""


def map_html(m: folium.Map) -> str:
    """The whole map as one standalone HTML page (what `map --out` writes)."""
    return m.get_root().render()


# ---------------------------------------------------------------- pieces


def _summary_by_code(desa_summary: pd.DataFrame) -> pd.DataFrame:
    if "kode_desa" not in desa_summary.columns:
        raise ValueError("desa_summary tidak punya kolom kode_desa.")
    return desa_summary.drop_duplicates("kode_desa").set_index("kode_desa")


#: The only script and stylesheet of folium's defaults that the maps use.
LEAFLET_ONLY = frozenset({"leaflet", "leaflet_css"})


def _absent_label(filtered: bool) -> str:
    """What a village without a desa_summary row is: left out by the filter, or simply without data."""
    return OUTSIDE_FILTER_LABEL if filtered else NO_DATA_LABEL


def _base_map(boundaries: Boundaries, tiles: str | None) -> folium.Map:
    (south, west), (north, east) = boundaries.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=10,
        tiles=tiles or None,
        max_zoom=18,
        control_scale=True,
        prefer_canvas=True,
        font_size="0.75rem",  # folium's 1rem makes the credit line wrap over a phone-sized map
        zoom_snap=0.25,  # fit_bounds may pick quarter zooms: the area fills a narrow map
    )
    m.options["max_zoom"] = 18  # Map's max_zoom only reaches the tiles; markercluster needs the map's own
    # Leaflet alone: folium's page also pulls jQuery, Bootstrap, Font Awesome and awesome-markers, which these
    # maps never use. streamlit-folium loads scripts one after another, so each unused one delayed the first
    # map (and was one more CDN host a Pemkab network has to reach).
    m.default_js = [(name, url) for name, url in folium.Map.default_js if name in LEAFLET_ONLY]
    m.default_css = [(name, url) for name, url in folium.Map.default_css if name in LEAFLET_ONLY]
    _FocusWithoutScrolling().add_to(m)
    if not boundaries.enclave.empty:
        feats = _features(
            boundaries.enclave,
            {"nama": [f"{n} (bukan bagian wilayah ini)" for n in boundaries.enclave["nama"]]},
            ids=None,
        )
        folium.GeoJson(
            feats,
            name="Di luar wilayah",
            control=False,
            style_function=lambda _f: {
                "color": "#8C8C8C",
                "weight": 0.8,
                "fillColor": "#BDBDBD",
                "fillOpacity": 0.6,
                "dashArray": "3 3",
            },
            tooltip=folium.GeoJsonTooltip(["nama"], labels=False),
        ).add_to(m)
    return m


def _add_villages(
    m: folium.Map,
    boundaries: Boundaries,
    colours: Sequence[str],
    extra: dict[str, Sequence[str]],
    aliases: dict[str, str],
    *,
    name: str,
) -> None:
    desa = boundaries.desa
    props = {"desa": desa["desa"], "kecamatan": desa["kecamatan"], **extra}
    feats = _features(desa, props, ids=desa["kode_desa"])
    style = {k: c for k, c in zip(desa["kode_desa"], colours, strict=True)}
    folium.GeoJson(
        feats,
        name=name,
        style_function=lambda f: {
            "fillColor": style.get(f["id"], NO_DATA_COLOUR),
            "color": _BORDER,
            "weight": 0.6,
            "fillOpacity": 0.8,
        },
        highlight_function=lambda _f: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=list(props), aliases=["Desa", "Kecamatan", *(aliases[k] for k in extra)], sticky=True
        ),
        attribution=html_text(_ATTRIBUTION.get(boundaries.source, "")),
    ).add_to(m)


def _features(layer: pd.DataFrame, props: dict[str, Sequence], ids: pd.Series | None) -> dict:
    """A FeatureCollection dict: escaped string properties (plus kode_desa when ids are given)."""
    geometries = shapely.to_geojson(layer.geometry.values)
    columns = {k: [html_text(v) for v in values] for k, values in props.items()}
    features = []
    for i, geom in enumerate(geometries):
        properties = {k: v[i] for k, v in columns.items()}
        feature = {"type": "Feature", "properties": properties, "geometry": json.loads(geom)}
        if ids is not None:
            kode = html_text(ids.iloc[i])
            feature["id"] = kode
            feature["properties"] = {"kode_desa": kode, **properties}
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _outline(m: folium.Map, layer: pd.DataFrame, name: str, weight: float) -> None:
    if layer.empty:
        return
    folium.GeoJson(
        _features(layer, {}, ids=None),
        name=name,
        interactive=False,
        style_function=lambda _f: {"color": _KECAMATAN_LINE, "weight": weight, "fill": False, "opacity": 0.9},
    ).add_to(m)


def _finish(
    m: folium.Map,
    boundaries: Boundaries,
    title: str,
    legend_rows: list[tuple[str, str, int]],
    *,
    produk: pd.DataFrame | None,
    fit_to: str | None,
    highlight: str | None,
) -> None:
    """Outlines, legend, optional products, highlight and zoom: what every village map shares."""
    _outline(m, boundaries.kecamatan, "Batas kecamatan", 1.6)
    _outline(m, boundaries.kabupaten, "Batas wilayah", 2.6)
    if highlight:
        chosen = boundaries.desa.loc[boundaries.desa["kode_desa"] == highlight]
        if chosen.empty:
            raise ValueError(f"Desa dengan kode '{highlight}' tidak ada di peta.")
        folium.GeoJson(
            _features(chosen, {}, ids=None),
            name="Desa terpilih",
            interactive=False,
            style_function=lambda _f: {"color": "#000000", "weight": 4, "fill": False},
        ).add_to(m)
    dots = []
    if produk is not None and len(produk):
        points = product_points(produk, boundaries, cluster=fit_to is None)
        points.add_to(m)
        dots.append((PRODUK_COLOUR, "Produk (klik titik untuk rincian)", len(points.data)))
    _Legend(title, legend_rows, dots=dots).add_to(m)
    if boundaries.is_schematic:
        _Legend(
            "Peta skematis",
            [],
            note="Batas desa yang sebenarnya belum dimuat; setiap kotak adalah satu desa.",
            position="topright",
        ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _FitBesideLegend(_selection_bounds(boundaries, fit_to) if fit_to else boundaries.bounds).add_to(m)


def _selection_bounds(boundaries: Boundaries, selection: str) -> list[list[float]]:
    """Bounds of a kode_desa, a kode_kecamatan or a kecamatan name; ValueError when none matches."""
    desa, kec = boundaries.desa, boundaries.kecamatan
    chosen = desa.loc[desa["kode_desa"] == selection]
    if chosen.empty:
        chosen = kec.loc[(kec["kode_kecamatan"] == selection) | (kec["kecamatan"].map(name_key) == name_key(selection))]
    if chosen.empty:
        raise ValueError(f"Kecamatan atau desa '{selection}' tidak ada di peta.")
    west, south, east, north = chosen.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def _anchors(boundaries: Boundaries) -> dict[str, tuple[float, float]]:
    """A point inside each village (representative point: a centroid can fall outside a crescent)."""
    points = shapely.point_on_surface(boundaries.desa.geometry.values)
    return {k: (float(p.y), float(p.x)) for k, p in zip(boundaries.desa["kode_desa"], points, strict=True)}


def _spiral(anchor: tuple[float, float], k: int) -> tuple[float, float]:
    """k-th point of a sunflower spiral (~120 m steps) around the anchor; k=0 is the anchor."""
    radius = 0.0011 * math.sqrt(k)
    angle = k * 2.399963  # the golden angle, in radians
    return round(anchor[0] + radius * math.sin(angle), 6), round(anchor[1] + radius * math.cos(angle), 6)


def _produk_text(summary: pd.DataFrame, kode: str) -> str:
    if kode not in summary.index:
        return "-"
    total = int(summary.at[kode, "produk_total"])
    unggulan = int(summary.at[kode, "produk_unggulan"]) if "produk_unggulan" in summary else 0
    return f"{total} ({unggulan} unggulan)" if total else "belum ada"


def _kunjungan_text(summary: pd.DataFrame, kode: str) -> str:
    if kode not in summary.index:
        return "-"
    last = summary.at[kode, "kunjungan_terakhir"]
    if pd.isna(last):
        return "belum pernah"
    day = pd.Timestamp(last)
    return f"{day.day} {_BULAN[day.month - 1]} {day.year}"


def _number(value: object) -> str:
    if pd.isna(value):
        return ""
    number = float(value)
    return f"{int(number):,}".replace(",", ".") if number.is_integer() else f"{number:.1f}".replace(".", ",")


class _FocusWithoutScrolling(MacroElement):
    """Leaflet focuses the map on mouse-down (for its arrow keys); inside Streamlit's iframe that scrolled
    the page between press and release, so a click on a half-visible map panned it or opened another
    village. The same focus, asked not to scroll."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (keyboard) {
            if (!keyboard) { return; }
            keyboard.disable();
            keyboard._onMouseDown = function () {
                if (!this._focused) { this._map.getContainer().focus({preventScroll: true}); }
            };
            keyboard.enable();
        })({{ this._parent.get_name() }}.keyboard);
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FocusWithoutScrolling"


class _FitBesideLegend(FitBounds):
    """fitBounds that keeps the area clear of the legend (bottom right): beside it on a wide map, above it
    on a tall one, whichever shows the area larger."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, bounds) {
            function fit() {
                var legend = map.getContainer().querySelector('.leaflet-bottom.leaflet-right .ovop-legend > div');
                var size = map.getSize(), tl = L.point(10, 10), best = null;
                // The legend's own box (inline-styled, so known before Leaflet's CSS places it), its corner
                // margin, and the credit line under it (~16 px a line; it wraps on a narrow map).
                var box = legend ? legend.getBoundingClientRect() : {width: 0, height: 0};
                var credit = map.getContainer().querySelector('.leaflet-control-attribution');
                var lines = credit ? Math.ceil(credit.textContent.length * 6.5 / Math.max(size.x - 20, 100)) : 0;
                var w = box.width + 20, h = box.height + 20 + 16 * lines;
                [L.point(w + 10, 10), L.point(10, h + 10)].forEach(function (br) {
                    var room = size.subtract(tl).subtract(br);
                    if (room.x < 120 || room.y < 120) { return; }
                    var zoom = map.getBoundsZoom(bounds, false, tl.add(br));
                    if (best === null || zoom > best.zoom) { best = {zoom: zoom, br: br}; }
                });
                map.fitBounds(bounds, best ? {paddingTopLeft: tl, paddingBottomRight: best.br} : {});
                return best !== null;
            }
            // streamlit-folium may draw the map before its frame has its size: fit again once it has.
            if (!fit()) { map.once('resize', fit); }
        })({{ this._parent.get_name() }}, L.latLngBounds({{ this.bounds|tojson }}));
        {% endmacro %}
        """
    )


class _Legend(MacroElement):
    """A Leaflet control (so it also shows inside streamlit-folium) with a title, swatches and counts.

    ``dots`` are point layers (round swatches) listed under the fills. Open at every size: a folded
    legend left a phone with a coloured map and no key.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create('div', 'ovop-legend');
            div.innerHTML = {{ this.body|tojson }};
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        title: str,
        rows: list[tuple[str, str, int | None]],
        *,
        dots: Sequence[tuple[str, str, int | None]] = (),
        note: str = "",
        position: str = "bottomright",
    ) -> None:
        super().__init__()
        self._name = "Legend"
        self.position = position
        lines = [f"<summary style='font-weight:600;margin-bottom:2px;cursor:pointer'>{html_text(title)}</summary>"]
        swatches = [(row, "0") for row in rows] + [(row, "50%;border-color:#FFFFFF") for row in dots]
        for (colour, label, count), radius in swatches:
            suffix = f" ({count})" if count is not None else ""
            lines.append(
                "<div style='display:flex;align-items:center;gap:6px;margin:1px 0'>"
                f"<span style='flex:none;width:12px;height:12px;background:{html_text(colour)};"
                f"border:1px solid {_BORDER};border-radius:{radius}'></span>{html_text(label)}{html_text(suffix)}</div>"
            )
        if note:
            lines.append(f"<div style='max-width:220px'>{html_text(note)}</div>")
        self.body = (
            "<div style='width:max-content;max-width:230px;background:rgba(255,255,255,0.92);padding:4px 7px;"
            "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,0.3);font:11px/1.3 sans-serif;color:#1A1A1A'>"
            "<details open>" + "".join(lines) + "</details></div>"
        )
