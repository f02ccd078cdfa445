"""Dasbor OVOP Kabupaten Blitar — the router and frame: page config, the shared sidebar, navigation."""

from __future__ import annotations

import streamlit as st

# No sys.path insertion: `streamlit run` (bootstrap) and each script run (AppTest too) put this folder first.
from ovop_ui.akun import current_user, sidebar_line
from ovop_ui.pages import all_pages
from ovop_ui.view import build_view

st.set_page_config(page_title="Dasbor OVOP Kabupaten Blitar", page_icon="🏘️", layout="wide")


page = st.navigation(all_pages())
build_view()
sidebar_line(current_user())
page.run()
