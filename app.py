"""Dasbor OVOP Kabupaten Blitar — the router and frame: page config, the shared sidebar, navigation."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `streamlit run app.py` from any folder still finds the packages
    sys.path.insert(0, str(ROOT))

from ovop_ui.view import build_view  # noqa: E402

st.set_page_config(page_title="Dasbor OVOP Kabupaten Blitar", page_icon="🏘️", layout="wide")

PAGES = [
    st.Page(ROOT / "pages" / "ringkasan.py", title="Ringkasan", icon="📊", default=True, url_path="ringkasan"),
    st.Page(ROOT / "pages" / "peta.py", title="Peta", icon="🗺️", url_path="peta"),
    st.Page(ROOT / "pages" / "produk.py", title="Produk", icon="🛍️", url_path="produk"),
    st.Page(ROOT / "pages" / "kunjungan.py", title="Kunjungan & Aspirasi", icon="🤝", url_path="kunjungan"),
    st.Page(ROOT / "pages" / "kesenjangan.py", title="Kesenjangan", icon="🎯", url_path="kesenjangan"),
    st.Page(ROOT / "pages" / "profil_desa.py", title="Profil Desa", icon="🏠", url_path="profil-desa"),
    st.Page(ROOT / "pages" / "data.py", title="Data", icon="📁", url_path="data"),
]

page = st.navigation(PAGES)
build_view()
page.run()
