"""Streamlit glue for maps and for opening a village: the map component, clicks, the village picker.

`show_map` draws a streamlit-folium map: a folium map built for this run, or a
`MapComponent` rendered once and cached (ovop_ui.cache.coverage_map…). A map that opens a village on click asks
only for ``last_active_drawing`` (Leaflet's ``layer.toGeoJSON()`` of the
clicked village: its properties carry ``kode_desa``) and reacts in an
``on_change`` callback, so a click is acted on once — the value the component
keeps after the click never re-opens the profile on a later rerun.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NoReturn

import folium
import pandas as pd
import streamlit as st

from ovop_data.escape import markdown_text
from ovop_data.filters import filters_to_params
from ovop_data.geo import Boundaries

from .mapcomponent import MapComponent, map_component, show_component
from .pages import page
from .view import View, select_desa

_CLICKED = "_ovop_desa_diklik"
_URL_DESA = "_ovop_desa_url"  # the ?desa= the select box was last put in step with
_LAST_DESA = "_ovop_desa_terakhir"


def show_map(
    m: folium.Map | MapComponent,
    *,
    key: str,
    returned_objects: Sequence[str] = (),
    height: int = 560,
    open_on_click: bool = False,
) -> dict | None:
    """Draw a map full width; display-only unless `open_on_click` (then a village click is remembered)."""
    on_change = None
    if open_on_click:
        returned_objects = ("last_active_drawing",)

        def on_change() -> None:
            kode = clicked_desa(st.session_state.get(key))
            if kode:
                st.session_state[_CLICKED] = kode

    component = m if isinstance(m, MapComponent) else map_component(m)
    return show_component(component, key=key, height=height, returned_objects=returned_objects, on_change=on_change)


def clicked_desa(value: Mapping | None) -> str:
    """The kode_desa of the village feature in st_folium's value ('' when nothing or no village was clicked)."""
    feature = (value or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    return str(props.get("kode_desa") or feature.get("id") or "")


def take_clicked_desa() -> str:
    """The village clicked since the last run (once; '' when none)."""
    return st.session_state.pop(_CLICKED, "")


def open_profile(kode_desa: str, view: View) -> NoReturn:
    """Switch to the Profil Desa page for a village, keeping the filters in the URL (switch_page clears them)."""
    params = filters_to_params(view.filters, view.choices)
    params["desa"] = [kode_desa]
    st.switch_page(page("profil_desa"), query_params=params)


def single_kecamatan(view: View) -> str | None:
    """The kode_kecamatan to zoom the map to when exactly one is filtered."""
    return view.filters.kecamatan[0] if len(view.filters.kecamatan) == 1 else None


def map_scope(view: View) -> dict:
    """The village-map keywords a filtered view sets: zoom to one kecamatan; villages left out are "Di luar filter"."""
    return {"fit_to": single_kecamatan(view), "filtered": bool(view.filters.kecamatan)}


def boundaries_note(boundaries: Boundaries) -> None:
    """A visible note when the map is schematic or a boundary source could not be used."""
    if boundaries.is_schematic:
        st.warning(
            "**Peta skematis** — setiap kotak adalah satu desa, bukan batas sebenarnya. "
            + markdown_text(boundaries.note, limit=None),
            icon="🗺️",
        )
    elif boundaries.note:
        st.caption(markdown_text(boundaries.note, limit=None))


def desa_label(villages: pd.DataFrame) -> dict[str, str]:
    """kode_desa -> 'Balerejo (Kec. Wlingi)' for select boxes (names repeat across kecamatan)."""
    return {
        k: f"{d} (Kec. {c})"
        for k, d, c in zip(villages["kode_desa"], villages["desa"], villages["kecamatan"], strict=True)
    }


def desa_picker(view: View, villages: pd.DataFrame, *, key: str = "pilih_desa") -> str:
    """Select box of every village, in step with ?desa= both ways; returns the chosen kode_desa ('' if none).

    A new ?desa= (a link, a map click) wins over the box; without one (the sidebar's page links drop
    the URL parameters) the village opened last in this session comes back. Choosing writes ?desa=.
    """
    url = view.filters.desa
    if key not in st.session_state or st.session_state.get(_URL_DESA, "") != url:
        st.session_state[key] = url or st.session_state.get(_LAST_DESA) or None
        st.session_state[_URL_DESA] = url
    labels = desa_label(villages)
    kode = (
        st.selectbox(
            "Pilih desa", list(labels), format_func=labels.get, index=None, key=key, placeholder="Ketik nama desa…"
        )
        or ""
    )
    if kode != url:
        if kode:
            select_desa(kode)
        else:
            st.query_params.pop("desa", None)
        st.session_state[_URL_DESA] = kode
    st.session_state[_LAST_DESA] = kode
    return kode


def unknown_desa_note(view: View) -> str:
    """The sidebar's note about a ?desa= value that matched no village ('' when there is none)."""
    return next((note for note in view.filters.notes if note.startswith("Desa ")), "")
