"""Printing a village: Profil Desa and its offline briefing each print to one A4 page in chromium.

35.05.17.2009 is Balerejo (Wlingi), maker of Kopi Tuan Galang, in the committed demo data.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from ovop_data import geo
from ovop_data.briefing import village_briefing_html
from ovop_data.demo import KUNJUNGAN_FILE, PRODUK_FILE
from ovop_data.demo_mark import TANGGAL_ACUAN
from ovop_data.gazetteer import gazetteer
from ovop_data.load import load_dataset
from ovop_data.profile import village_profile

from .conftest import BrowserErrors, Dashboard, wait_for_app, wait_for_page

pytestmark = pytest.mark.e2e

BALEREJO = "35.05.17.2009"
NGAGLIK = "35.05.03.2016"  # in Srengat, the kecamatan with the most villages (16 bars)
DATA = Path(__file__).resolve().parents[2] / "data"
MAX_BRIEFING_BYTES = 600_000  # sent by WhatsApp before a visit
KEY_TEXTS = (
    "Profil Desa Balerejo",
    "Kecamatan Wlingi",
    "Produk dan tangga legalitas",
    "Kopi Tuan Galang",
    "Kunjungan",
    "Aspirasi dan tindak lanjut",
    "Prioritas kunjungan di Kecamatan Wlingi",
    "Unggulan & dikunjungi",  # the coverage legend
)


def _printed(page: Page) -> tuple[int, str]:
    """(pages, text) of the page printed to an A4 PDF, as chromium's print to PDF makes it."""
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = unicodedata.normalize("NFKC", "\n".join(sheet.extract_text() for sheet in reader.pages))  # "ﬁ" -> "fi"
    return len(reader.pages), " ".join(text.split())  # the PDF breaks lines where the table cells wrap


def test_profil_desa_prints_on_one_a4_page(page: Page, dashboard: Dashboard, browser_errors: BrowserErrors) -> None:
    page.goto(dashboard.url + f"profil-desa?desa={BALEREJO}")
    wait_for_page(page)
    assert page.locator("main.sheet").count() == 1 and not page.locator("main.sheet").is_visible()  # print only

    pages, text = _printed(page)

    assert pages == 1, text
    for key in KEY_TEXTS:
        assert key in text, key
    # the legality ladder's last column is printed whole, not cut at the page edge
    assert "NIB (DPMPTSP)" in text or "Halal (Kementerian Agama)" in text or "P-IRT atau BPOM" in text, text
    assert "Unduh profil" not in text and "Pilih desa" not in text  # controls stay off paper
    assert browser_errors.all() == []


def test_offline_briefing_is_small_and_prints_on_one_a4_page(page: Page, dashboard: Dashboard, tmp_path: Path) -> None:
    page.goto(dashboard.url + f"profil-desa?desa={BALEREJO}")
    wait_for_app(page)
    with page.expect_download() as started:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name="Unduh profil").click()
    path = tmp_path / "profil.html"
    started.value.save_as(path)
    assert path.stat().st_size <= MAX_BRIEFING_BYTES

    page.goto(path.as_uri())
    pages, text = _printed(page)

    assert pages == 1, text
    for key in KEY_TEXTS:
        assert key in text, key


def _fullest_briefing() -> str:
    """The briefing with the most to print: 16 bars, schematic-map note, every table over its row limit."""
    data = load_dataset([DATA / PRODUK_FILE, DATA / KUNJUNGAN_FILE], "35.05")

    def more(table: pd.DataFrame, id_column: str) -> pd.DataFrame:
        # the demo's first rows, with their long names and follow-ups, moved to Ngaglik under new ids
        added = table.head(12).assign(kode_desa=NGAGLIK, **{id_column: [f"tambahan-{i}" for i in range(12)]})
        return pd.concat([table, added], ignore_index=True)

    profile = village_profile(
        NGAGLIK,
        gazetteer("35.05"),
        more(data.produk, "id_produk"),
        more(data.kunjungan, "id_kunjungan"),
        more(data.aspirasi, "id_aspirasi"),
        today=TANGGAL_ACUAN,
    )
    assert (
        len(profile.kecamatan_desa) == 16 and min(map(len, (profile.produk, profile.kunjungan, profile.aspirasi))) > 8
    )
    return village_briefing_html(profile, geo.schematic_boundaries("35.05"), is_demo=True)


def test_the_fullest_briefing_still_prints_on_one_a4_page(page: Page) -> None:
    page.set_content(_fullest_briefing())
    pages, text = _printed(page)
    assert pages == 1, text
    assert "Prioritas kunjungan di Kecamatan Srengat" in text and "lainnya (lihat dasbor)" in text
