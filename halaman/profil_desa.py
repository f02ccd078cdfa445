"""Profil Desa (?desa=35.05.17.2009): one village on one screen, printable on one A4 sheet, downloadable offline."""

import streamlit as st

from ovop_data.briefing import posisi_svg, village_briefing_html, village_briefing_sheet
from ovop_data.escape import markdown_text
from ovop_data.fmt import tanggal
from ovop_data.profile import position_sentences
from ovop_ui import cache
from ovop_ui.cards import print_one_page, profile_figures, profile_tables, show_svg
from ovop_ui.mapview import desa_picker, show_map, unknown_desa_note
from ovop_ui.view import current_view, effective_aspirasi

view = current_view()
villages = cache.villages(view.data.area)
kepala = st.container()  # the title goes above the picker, though the picker decides which village it names
kode = desa_picker(view, villages)
if not kode:
    kepala.title("Profil desa")
    if note := unknown_desa_note(view):
        st.warning(f"{markdown_text(note, limit=None)} Pilih desa di kotak di atas.", icon="ℹ️")
    else:
        st.info("Pilih desa di kotak di atas, atau klik sebuah desa di halaman Peta.", icon="🏠")
    print_one_page()
    st.stop()

# The promises as the agencies reported them (status, owner, deadline, last update), not only as the workbook says.
aspirasi = effective_aspirasi(view.data)
profile = cache.village_profile(kode, villages, view.data.produk, view.data.kunjungan, aspirasi, today=view.today)
boundaries = cache.boundaries()
kepala.title(f"Profil {profile.nama}")
kepala.caption(
    f"Kecamatan {profile.kecamatan} · kode {profile.kode_desa} · keadaan per {tanggal(profile.today)}"
    + (" · DATA DEMO, bukan data resmi" if view.data.is_demo else "")
)
# The figures sit above the map but are sent after it: the map's frame starts loading while they are drawn.
angka = st.container()
peta, posisi = st.columns([3, 2], gap="medium")
with peta:
    show_map(
        cache.coverage_map(boundaries, profile.wilayah, fit_to=profile.kode_kecamatan, highlight=kode),
        key="profil_peta",
        height=440,
    )
with angka:
    profile_figures(profile)
with posisi:
    for sentence in position_sentences(profile):
        st.markdown(markdown_text(sentence, limit=None))
    show_svg(posisi_svg(profile, width=260, fluid=True))

profile_tables(profile)
st.download_button(
    "Unduh profil (HTML, terbuka tanpa internet)",
    key="profil_unduh",
    mime="text/html",
    data=lambda: village_briefing_html(profile, boundaries, is_demo=view.data.is_demo),
    file_name=f"{profile.file_stem}.html",
    on_click="ignore",
    icon="⬇️",
)
print_one_page(village_briefing_sheet(profile, boundaries, is_demo=view.data.is_demo))
