"""Dasbor OVOP Kabupaten Blitar — the router and frame: page config, the shared sidebar, navigation."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:  # `streamlit run app.py` from any folder still finds the packages
    sys.path.insert(0, str(ROOT))

from ovop_ui.pages import all_pages  # noqa: E402
from ovop_ui.view import build_view  # noqa: E402

st.set_page_config(page_title="Dasbor OVOP Kabupaten Blitar", page_icon="🏘️", layout="wide")


page = st.navigation(all_pages())
build_view()
page.run()
