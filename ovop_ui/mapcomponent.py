"""What streamlit-folium sends to the browser for one map, computed once so a cached map costs no rendering.

`st_folium` renders the whole folium map (Jinja templates, every coordinate
through ``json.dumps``) and walks every coordinate for its bounds on every
script run: ~0.3 s of a Peta run, while the result only changes with the data,
the filter or the boundaries. `map_component` does the same rendering steps
once and keeps the strings; `show_component` hands them to the same frontend
component. The bounds walk is left out: the bounds are only an initial value of
``returned_objects=["bounds"]``, which no page asks for.

Relies on streamlit-folium's module-level helpers (``_component_func``,
``_get_html``…; tested with 0.27): tests/test_mapcomponent.py compares the
result with what `st_folium` itself sends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import branca
import folium
import streamlit as st
import streamlit_folium as sf


@dataclass(frozen=True)
class MapComponent:
    """The arguments st_folium computes from a folium map (immutable, shared between sessions)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]

    @property
    def size_bytes(self) -> int:
        """About what one session receives for this map (the script holds the villages' GeoJSON)."""
        return len(self.script) + len(self.header) + len(self.html)


def map_component(m: folium.Map) -> MapComponent:
    """Render a folium map the way st_folium does (same order: the rendering changes the map's ids).

    Renders `m` in place: build a new map for each call, as the pure builders in ovop_data.maps do.
    """
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    css, js = _links(m)
    return MapComponent(script, header, html, sf.get_full_id(m), css, js)


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The stylesheets and scripts the map's elements ask for, first mention first (as st_folium lists them)."""
    css: list[str] = []
    js: list[str] = []
    todo = [m]
    while todo:
        element = todo.pop(0)
        if isinstance(element, branca.colormap.ColorMap):  # st_folium adds d3 for colour scales
            js[:0] = ["https://d3js.org/d3.v4.min.js", "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js"]
        if isinstance(element, (branca.colormap.ColorMap, folium.elements.JSCSSMixin)):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        todo[:0] = list(getattr(element, "_children", {}).values())  # depth first, like st_folium's walk
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def show_component(
    component: MapComponent,
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    on_change: Callable[[], None] | None = None,
) -> dict | None:
    """Draw a rendered map full width, with st_folium's widget key and return value (see st_folium)."""
    widget_key = sf.generate_js_hash(component.script, key, False)

    def copy_value() -> None:  # st_folium keeps the value under the caller's key too
        st.session_state[key] = st.session_state.get(widget_key, {})
        if on_change is not None:
            on_change()

    defaults = {name: None for name in returned_objects if name in _DEFAULTS}
    return sf._component_func(
        script=component.script,
        header=component.header,
        html=component.html,
        id=component.map_id,
        key=widget_key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default=defaults,
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(component.css_links),
        js_links=list(component.js_links),
        on_change=copy_value,
        wrap_longitude=False,
    )


# The values st_folium can return; those with an initial value other than None (bounds, zoom) are never asked for.
_DEFAULTS = frozenset(
    {
        "last_clicked",
        "last_object_clicked",
        "last_object_clicked_count",
        "last_object_clicked_tooltip",
        "last_object_clicked_popup",
        "all_drawings",
        "last_active_drawing",
        "last_circle_radius",
        "last_circle_polygon",
        "selected_layers",
        "selected_tags",
        "last_geocoder_result",
    }
)
