"""Printing a village: Profil Desa and its offline briefing each print to one A4 page in chromium.

35.05.17.2009 is Balerejo (Wlingi), maker of Kopi Tuan Galang, in the committed demo data.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from .conftest import BrowserErrors, Dashboard, wait_for_app, wait_for_page

pytestmark = pytest.mark.e2e

BALEREJO = "35.05.17.2009"
MAX_BRIEFING_BYTES = 600_000  # sent by WhatsApp before a visit
KEY_TEXTS = (
    "Profil Desa Balerejo",
    "Kecamatan Wlingi",
    "Produk dan tangga legalitas",
    "Kopi Tuan Galang",
    "Kunjungan",
    "Aspirasi dan tindak lanjut",
    "Prioritas kunjungan di Kecamatan Wlingi",
    "Produk & dikunjungi",  # the coverage legend
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
