"""Display pieces several pages share: the briefing's big figures, a village's cards and tables, print CSS."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ovop_data import recorded
from ovop_data.fmt import angka, persen, tanggal
from ovop_data.metrics import DEFAULT_TENGGAT_HARI
from ovop_data.profile import VillageProfile

from .tables import show_table

#: st.badge colour of each coverage status (close to the maps' colours).
STATUS_BADGE = {
    "Unggulan & dikunjungi": "green",
    "Unggulan, belum dikunjungi": "orange",
    "Dikunjungi, belum ada unggulan": "blue",
    "Belum ada unggulan & belum dikunjungi": "violet",
}

_BIG_FIGURES = """<style>
[data-testid="stMetricValue"] { font-size: 2.6rem; font-weight: 700; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }
</style>"""


def headline_figures(headline: Mapping[str, float]) -> None:
    """The six figures of the briefing (metrics.area_summary) as large cards, in Indonesian number format."""
    st.markdown(_BIG_FIGURES, unsafe_allow_html=True)
    total = headline["desa_total"]
    cards = [
        (
            "Desa punya produk unggulan",
            f"{angka(headline['desa_dengan_produk_unggulan'])} / {angka(total)}",
            persen(headline["persen_produk_unggulan"]),
            "Desa/kelurahan dengan minimal satu produk yang ditandai unggulan: ukuran cakupan OVOP. Desa yang "
            "produknya semua bukan unggulan tidak dihitung; halaman Produk menghitung desa dengan produk apa pun.",
        ),
        (
            "Desa sudah dikunjungi",
            f"{angka(headline['desa_dikunjungi'])} / {angka(total)}",
            persen(headline["persen_dikunjungi"]),
            "Desa/kelurahan dengan minimal satu kunjungan OVOP.",
        ),
        ("Produk", angka(headline["produk_total"]), None, None),
        ("Pelaku usaha", *recorded.pelaku_figure(headline), "Pelaku usaha berbeda, dari kolom Pelaku Usaha."),
        (
            "Aspirasi terbuka",
            angka(headline["aspirasi_terbuka"]),
            None,
            "Status Belum, Proses, atau belum ada laporan (status kosong).",
        ),
        (
            "Aspirasi terlambat",
            angka(headline["aspirasi_terlambat"]),
            None,
            f"Belum selesai dan melewati tenggat (tanpa tenggat: {DEFAULT_TENGGAT_HARI} hari sejak aspirasi "
            "disampaikan).",
        ),
    ]
    for row in (cards[:3], cards[3:]):
        for column, (label, value, delta, help_text) in zip(st.columns(3), row, strict=True):
            column.metric(label, value, delta, delta_color="off", delta_arrow="off", help=help_text, border=True)


def profile_figures(profile: VillageProfile) -> None:
    """Coverage status as a badge, then four cards: products, visits, open promises, priority in the kecamatan.

    Each card is one number with its part in words underneath ("4" over "4 unggulan"), never "4 (4)".
    """
    r, pos = profile.ringkasan, profile.posisi
    st.badge(r["status_cakupan"], color=STATUS_BADGE.get(r["status_cakupan"], "gray"))
    terakhir = f"terakhir {tanggal(r['kunjungan_terakhir'])}" if r["kunjungan_terakhir"] else "belum pernah"
    cards = [
        (
            "Produk",
            angka(r["produk_total"]),
            f"{angka(r['produk_unggulan'])} unggulan",
            "Semua produk desa ini; di bawahnya berapa yang ditandai unggulan. Cakupan dihitung dari produk unggulan.",
        ),
        ("Kunjungan", angka(r["kunjungan_total"]), terakhir, "Kunjungan OVOP ke desa ini, dan tanggal yang terakhir."),
        (
            "Aspirasi terbuka",
            angka(r["aspirasi_terbuka"]),
            f"{angka(r['aspirasi_terlambat'])} terlambat",
            "Aspirasi yang belum Selesai; di bawahnya berapa yang sudah melewati tenggat.",
        ),
        (
            "Prioritas di kecamatan",
            f"{pos['peringkat_kecamatan']} / {pos['desa_kecamatan']}",
            f"skor {angka(pos['skor'])}",
            "Peringkat kunjungan desa ini di antara desa sekecamatan (1 = paling perlu dikunjungi).",
        ),
    ]
    for column, (label, value, delta, help_text) in zip(st.columns(4), cards, strict=True):
        column.metric(label, value, delta, delta_color="off", delta_arrow="off", help=help_text, border=True)


def profile_tables(profile: VillageProfile) -> None:
    """The village's products with their ladder, its visits, and its aspirations with their state."""
    st.subheader("Produk dan tangga legalitas")
    show_table(
        profile.produk,
        key="profil_produk",
        empty="Belum ada produk tercatat.",
        columns={
            "nama_produk": "Produk",
            "kategori": "Kategori",
            "unggulan": "Unggulan",
            "pelaku_usaha": "Pelaku usaha",
            "tangga_teks": "Tangga legalitas",
            "langkah": "Langkah berikut (OPD)",
        },
    )
    st.subheader("Kunjungan")
    show_table(
        profile.kunjungan,
        key="profil_kunjungan",
        empty="Belum pernah dikunjungi.",
        columns={
            "tanggal": "Tanggal",
            "kegiatan": "Kegiatan",
            "pejabat": "Pejabat",
            "opd_pendamping": "OPD pendamping",
            "produk_disorot": "Produk disorot",
        },
    )
    st.subheader("Aspirasi dan tindak lanjut")
    show_table(
        profile.aspirasi,
        key="profil_aspirasi",
        empty="Belum ada aspirasi tercatat.",
        columns={
            "tanggal": "Tanggal",
            "aspirasi": "Aspirasi",
            "opd_penanggung_jawab": "OPD",
            "tenggat_efektif": "Tenggat",
            "keadaan": "Status",
            "terakhir_diperbarui": "Terakhir Diperbarui",
            "tindak_lanjut": "Tindak lanjut",
        },
    )


# Checked by printing to PDF in chromium (tests/e2e/test_print.py). The screen's tables are canvas grids that
# cannot wrap, and CSS zoom does not reach into the map's iframe (it printed cropped, zoom buttons, no legend), so
# the print shows none of them: it shows the briefing's own A4 sheet instead (real tables whose text wraps, the SVG
# map of the village and its neighbours with the coverage legend, the SVG priority bars), hidden on screen.
_PRINT_CSS = """<style>
main.sheet, [data-testid="stElementContainer"]:has(main.sheet) { display: none; }
@media print {
  @page { size: A4 portrait; margin: 10mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"], .stSelectbox, .stDownloadButton,
  [data-testid="stElementContainer"]:has(.stPlotlyChart) { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  body:has(main.sheet) [data-testid="stMainBlockContainer"] :is(
    [data-testid="stElementContainer"], [data-testid="stHorizontalBlock"], [data-testid="stVerticalBlock"]
  ):not(:has(main.sheet)) { display: none !important; }
  [data-testid="stMainBlockContainer"] :has(main.sheet) {
    display: block !important; gap: 0 !important; margin: 0 !important; padding: 0 !important;
  }
  main.sheet { display: block !important; width: auto; margin: 0; padding: 0; }
}
</style>"""


def show_svg(svg: str) -> None:
    """Inline SVG drawn by ovop_data (every text in it escaped there) as one raw HTML block.

    Not st.html: its sanitiser drops SVG. The opening tag goes alone on the first line: Markdown then passes
    everything up to a blank line through untouched (an HTML block), where an SVG on one line would be a
    paragraph whose texts it still reads (a name like www.contoh.id would become a link).
    """
    opening, closed, rest = svg.partition(">")
    if not opening.startswith("<svg") or not closed:
        raise ValueError("Bukan SVG.")
    if "\n\n" in svg:
        raise ValueError("SVG dengan baris kosong akan dibaca sebagai Markdown.")
    body = rest.lstrip("\n")
    st.markdown(f"{opening}>\n{body}", unsafe_allow_html=True)


def print_one_page(sheet: str = "") -> None:
    """Print CSS: the browser's print is one A4 sheet without sidebar, header and controls.

    With `sheet` (briefing.village_briefing_sheet, already escaped) the print is that sheet alone; on screen it
    stays hidden.
    """
    st.markdown(_PRINT_CSS, unsafe_allow_html=True)
    if sheet:
        # Not st.html: its sanitiser keeps HTML only and drops the SVG map and bars. The sheet has no blank line,
        # so Markdown takes it as one raw HTML block.
        st.markdown(sheet, unsafe_allow_html=True)
