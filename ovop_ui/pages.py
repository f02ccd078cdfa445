"""The dashboard's pages, declared once: app.py navigates them, pages link to each other through them.

The scripts live in `halaman/`, not `pages/`: Streamlit treats a folder named `pages/`
beside the entry script as its old automatic multipage app, so a shared link to a
sub-page opened first after a restart would run that page without app.py's frame.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

FOLDER = Path(__file__).resolve().parent.parent / "halaman"

# name -> (title, icon, url path); the first is the default page, served at "/".
_PAGES = {
    "ringkasan": ("Ringkasan", "📊", None),
    "peta": ("Peta", "🗺️", "peta"),
    "produk": ("Produk", "🛍️", "produk"),
    "kunjungan": ("Kunjungan & Aspirasi", "🤝", "kunjungan"),
    "kesenjangan": ("Kesenjangan", "🎯", "kesenjangan"),
    "profil_desa": ("Profil Desa", "🏠", "profil-desa"),
    "data": ("Data", "📁", "data"),
    "tindak_lanjut": ("Tindak Lanjut", "📝", "tindak-lanjut"),
    "kelola": ("Akun & Audit", "🛡️", "kelola"),
    "masuk": ("Masuk", "🔑", "masuk"),
}


#: The page names (script file stems), in menu order.
PAGE_NAMES = tuple(_PAGES)


def page(name: str) -> st.Page:
    """The st.Page of one page script (for st.navigation, st.page_link, st.switch_page)."""
    title, icon, url_path = _PAGES[name]
    default = url_path is None
    return st.Page(
        FOLDER / f"{name}.py", title=title, icon=icon, default=default, **({} if default else {"url_path": url_path})
    )


def all_pages() -> list[st.Page]:
    """Every page, in menu order."""
    return [page(name) for name in _PAGES]
