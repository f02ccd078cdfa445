"""Each page of the dashboard in a real browser: what a visitor sees, what the sidebar filter and a copied
link do, what a download holds, and how long the first map takes.

The figures come from the committed demo data (data/demo_*.xlsx) and the gazetteer: Kabupaten Blitar has
248 desa/kelurahan, Kecamatan Wlingi 9 of them; 35.05.17.2009 is Balerejo (Wlingi), maker of Kopi Tuan Galang.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
import xlsxwriter
from playwright.sync_api import Browser, Locator, Page, expect

from .conftest import (
    VIEWPORTS,
    BrowserErrors,
    Dashboard,
    Network,
    map_frame,
    new_context,
    new_page,
    save_screenshots,
    script_runs,
    wait_for_app,
    wait_for_page,
)

pytestmark = pytest.mark.e2e

VILLAGES = 248
KECAMATAN = "Wlingi"
KECAMATAN_VILLAGES = 9
BALEREJO = "35.05.17.2009"
#: url path -> (title in the sidebar navigation, the page's heading). The default page is served at "/".
PAGES = {
    "": ("Ringkasan", "Ringkasan OVOP"),
    "peta": ("Peta", "Peta cakupan"),
    "produk": ("Produk", "Produk unggulan desa"),
    "kunjungan": ("Kunjungan & Aspirasi", "Kunjungan & Aspirasi"),
    "kesenjangan": ("Kesenjangan", "Kesenjangan cakupan"),
    "profil-desa": ("Profil Desa", "Profil desa"),
    "data": ("Data", "Data"),
    "tindak-lanjut": ("Tindak Lanjut", "Tindak Lanjut"),
    "kelola": ("Akun & Audit", "Akun & Audit"),
    "masuk": ("Masuk", "Masuk"),
}
NAVIGATION = [title for title, _ in PAGES.values()]
#: The two headline cards that count villages, "<with> / <villages in the filter>".
VILLAGE_CARDS = ("Desa punya produk unggulan", "Desa sudah dikunjungi")
#: Headers of the Produk page's XLSX, in order (kontak / "No. HP" never leaves the dashboard).
PRODUK_HEADERS = (
    "Nama Produk",
    "Kategori",
    "Pelaku Usaha",
    "Jenis Pelaku",
    "Desa/Kelurahan",
    "Kecamatan",
    "Unggulan",
    "Legalitas",
    "Pemasaran",
    "Tahun",
    "Bintang OVOP",
    "Kode Desa",
)
#: The demo workbook's phone numbers all look like this ("0812-0000-1058").
DEMO_PHONE = "0812-0000"
#: What makes Excel or LibreOffice read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
#: A product row as staff might type it, with text cells that start like formulas.
HOSTILE_PRODUK = {
    "Nama Produk": '=HYPERLINK("http://contoh.invalid","Klik")',
    "Kategori": "Minuman",
    "Desa/Kel": "Balerejo",
    "Kecamatan": KECAMATAN,
    "Pelaku Usaha": "@Kelompok Uji",
    "Jenis Pelaku": "UMKM",
    "Unggulan": "ya",
    "Legalitas": "NIB",
    "Pemasaran": "lokal",
    "No. HP": "0812-0000-9999",
    "Tahun": "2024",
}
COVERAGE_LEGEND = "Cakupan desa"


# --- reading the page ----------------------------------------------------------------------------


def figures(page: Page) -> dict[str, str]:
    """Every st.metric on the page: label -> value as shown ("160 / 248")."""
    return {
        card.get_by_test_id("stMetricLabel").inner_text().strip(): card.get_by_test_id("stMetricValue")
        .inner_text()
        .strip()
        for card in page.get_by_test_id("stMetric").all()
    }


def title(page: Page) -> Locator:
    """The page's st.title (Markdown in a table can make more <h1>s: a "#" column header does)."""
    return page.get_by_test_id("stHeading").get_by_role("heading", level=1).first


def navigation_titles(page: Page) -> list[str]:
    """The page titles the sidebar navigation shows, without their icons."""
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    return [text.split("\n")[-1].strip() for text in links.all_inner_texts()]


def kecamatan_filter(page: Page) -> Locator:
    """The sidebar's "Kecamatan" multiselect."""
    box = page.get_by_role("combobox", name="Kecamatan", exact=True)  # `has` looks inside each multiselect
    return page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has=box)


def chosen_kecamatan(page: Page) -> list[str]:
    """The kecamatan shown as chosen (tags) in the sidebar filter."""
    return kecamatan_filter(page).locator("[data-tag]").all_inner_texts()


def choose_kecamatan(page: Page, name: str) -> None:
    """Click the sidebar's Kecamatan filter, pick `name` from its list, and wait for the rerun."""
    runs = script_runs(page)
    box = kecamatan_filter(page).get_by_role("combobox")
    box.click()
    box.press_sequentially(name)  # the list is virtualised: typing brings the option into it
    page.get_by_role("listbox").get_by_role("option", name=name, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page, after=runs)


def query(page: Page) -> dict[str, list[str]]:
    """The page URL's query parameters."""
    return parse_qs(urlsplit(page.url).query)


# --- every page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url_path", PAGES, ids=lambda url_path: url_path or "ringkasan")
def test_page_shows_its_title_without_errors(
    page: Page, dashboard: Dashboard, browser_errors: BrowserErrors, network: Network, url_path: str
) -> None:
    nav_title, heading = PAGES[url_path]
    page.goto(dashboard.url + url_path)
    wait_for_page(page)

    expect(title(page)).to_have_text(heading)
    current = page.get_by_test_id("stSidebarNav").locator("a[aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_contain_text(nav_title)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []
    assert network.blocked == []

    save_screenshots(page, url_path or "ringkasan")  # leaves the page at phone size
    expect(page.get_by_test_id("stException")).to_have_count(0)
    # Wide tables and charts scroll inside themselves; the page itself never scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    assert browser_errors.all() == []


# --- maps ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_path", ["", "peta"], ids=["ringkasan", "peta"])
def test_map_shows_every_village_and_the_legend(
    page: Page,
    dashboard: Dashboard,
    browser_errors: BrowserErrors,
    url_path: str,
    report_timing: Callable[[str, float], None],
) -> None:
    page.goto(dashboard.url + url_path)

    leaflet_map = map_frame(page, min_shapes=VILLAGES)
    report_timing(
        f"{PAGES[url_path][0]} (/{url_path}): navigation → {VILLAGES} village shapes", leaflet_map.ms_to_shapes
    )

    assert leaflet_map.desa == VILLAGES
    legend = leaflet_map.frame.locator(".ovop-legend", has_text=COVERAGE_LEGEND)
    expect(legend).to_be_visible()
    # One row per coverage status with its count of villages: together every village (the product row aside).
    rows = [row for row in legend.inner_text().splitlines() if not row.startswith("Produk (klik")]
    assert sum(int(count) for row in rows for count in re.findall(r"\((\d+)\)$", row)) == VILLAGES
    if url_path == "peta":  # product points are on by default, one row of the same legend
        expect(legend.get_by_text(re.compile(r"^Produk \(klik titik untuk rincian\) \(\d+\)$"))).to_be_visible()
    wait_for_app(page)
    assert browser_errors.all() == []


# Container pixels of the legend box and of the box around every village (issue 8 §6).
LEGEND_AND_VILLAGES = """() => {
  const map = Object.values(window).find((value) => value instanceof L.Map);
  const frame = map.getContainer().getBoundingClientRect();
  const box = map.getContainer().querySelector('.ovop-legend > div').getBoundingClientRect();
  let bounds = null;
  map.eachLayer((layer) => {
    if (layer.feature && layer.feature.properties && layer.feature.properties.kode_desa) {
      const own = layer.getBounds();
      bounds = bounds ? bounds.extend(own) : L.latLngBounds(own.getSouthWest(), own.getNorthEast());
    }
  });
  const nw = map.latLngToContainerPoint(bounds.getNorthWest()), se = map.latLngToContainerPoint(bounds.getSouthEast());
  return {
    legend: [box.left - frame.left, box.top - frame.top, box.right - frame.left, box.bottom - frame.top],
    villages: [nw.x, nw.y, se.x, se.y],
    size: [frame.width, frame.height],
  };
}"""


@pytest.mark.parametrize("device", ["desktop", "phone"])
@pytest.mark.parametrize(
    "url_path", ["", "peta", f"peta?kecamatan={KECAMATAN}"], ids=["ringkasan", "peta", "peta-wlingi"]
)
def test_the_legend_is_open_and_beside_the_villages(
    page: Page, dashboard: Dashboard, browser_errors: BrowserErrors, url_path: str, device: str
) -> None:
    """A key is there without a tap on a phone, and it covers none of the area the map is fitted to."""
    page.set_viewport_size(VIEWPORTS[device])
    page.goto(dashboard.url + url_path)
    frame = map_frame(page, min_shapes=2).frame
    wait_for_app(page)
    legend = frame.locator(".ovop-legend", has_text=COVERAGE_LEGEND)
    expect(legend.get_by_text(re.compile(r"^Unggulan & dikunjungi \(\d+\)$"))).to_be_visible()
    if "kecamatan" in url_path:
        expect(legend.get_by_text(re.compile(r"^Di luar filter \(239\)$"))).to_be_visible()
        expect(legend.get_by_text("Tidak ada data")).to_have_count(0)
    else:  # the whole regency is the fitted area: no village shape under the legend
        placed = frame.evaluate(LEGEND_AND_VILLAGES)
        left, top, _right, bottom = placed["legend"]
        assert left >= 0 and bottom <= placed["size"][1], placed  # the whole legend is on the map
        # beside the villages (right of their box) or below them
        assert left >= placed["villages"][2] or top >= placed["villages"][3], placed
    assert browser_errors.all() == []


@pytest.mark.parametrize("url_path", ["kunjungan", f"profil-desa?desa={BALEREJO}"], ids=["kunjungan", "profil-desa"])
def test_every_other_map_draws_every_village(
    page: Page,
    dashboard: Dashboard,
    browser_errors: BrowserErrors,
    url_path: str,
    report_timing: Callable[[str, float], None],
) -> None:
    """The other pages with a map: all 248 villages drawn, and how long it took (the goal is the same for all)."""
    page.goto(dashboard.url + url_path)

    leaflet_map = map_frame(page, min_shapes=VILLAGES)
    report_timing(f"/{url_path}: navigation → {VILLAGES} village shapes", leaflet_map.ms_to_shapes)

    assert leaflet_map.desa == VILLAGES
    wait_for_app(page)
    assert browser_errors.all() == []


# --- filters and links ---------------------------------------------------------------------------


def test_kecamatan_filter_changes_the_figures_and_the_url(app_page: Page, browser_errors: BrowserErrors) -> None:
    everywhere = figures(app_page)
    assert all(everywhere[card].endswith(f"/ {VILLAGES}") for card in VILLAGE_CARDS), everywhere
    assert "kecamatan" not in query(app_page)

    choose_kecamatan(app_page, KECAMATAN)

    in_wlingi = figures(app_page)
    assert all(in_wlingi[card].endswith(f"/ {KECAMATAN_VILLAGES}") for card in VILLAGE_CARDS), in_wlingi
    assert int(in_wlingi["Produk"]) < int(everywhere["Produk"])
    expect(app_page.get_by_text(f"{KECAMATAN_VILLAGES} desa/kelurahan dalam saringan")).to_be_visible()
    assert query(app_page) == {"kecamatan": [KECAMATAN]}
    assert chosen_kecamatan(app_page) == [KECAMATAN]
    assert browser_errors.all() == []


def test_copied_url_reproduces_the_view(
    app_page: Page, browser: Browser, network: Network, browser_errors: BrowserErrors
) -> None:
    choose_kecamatan(app_page, KECAMATAN)
    shown, copied = figures(app_page), app_page.url
    assert urlsplit(copied).path == "/" and query(app_page) == {"kecamatan": [KECAMATAN]}

    other = new_context(browser, network)  # another person opening the link: nothing shared but the URL
    try:
        opened = new_page(other, browser_errors)
        opened.goto(copied)
        wait_for_app(opened)

        assert figures(opened) == shown
        assert chosen_kecamatan(opened) == [KECAMATAN]
        assert query(opened) == {"kecamatan": [KECAMATAN]}
    finally:
        other.close()
    assert browser_errors.all() == []


def test_deep_link_opened_first_after_a_restart_runs_inside_the_app_frame(
    fresh_dashboard: Dashboard, page: Page, browser_errors: BrowserErrors
) -> None:
    """A shared link to a sub-page, the first request the new server gets: sidebar, filters and page all there.

    Guards against a `pages/` folder beside app.py, which made Streamlit run the sub-page without app.py.
    """
    page.goto(fresh_dashboard.url + f"produk?kecamatan={KECAMATAN}")
    wait_for_app(page)

    assert navigation_titles(page) == NAVIGATION
    expect(page.get_by_test_id("stSidebarNav").locator("a[aria-current=page]")).to_contain_text("Produk")
    expect(title(page)).to_have_text(PAGES["produk"][1])
    assert chosen_kecamatan(page) == [KECAMATAN]
    expect(page.get_by_test_id("stSidebar").get_by_text("DATA DEMO")).to_be_visible()
    assert int(figures(page)["Desa dengan produk"]) <= KECAMATAN_VILLAGES
    assert query(page) == {"kecamatan": [KECAMATAN]}
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []


# --- one village ---------------------------------------------------------------------------------


def test_profil_desa_link_shows_the_village_and_its_products(
    page: Page, dashboard: Dashboard, browser_errors: BrowserErrors
) -> None:
    page.goto(dashboard.url + f"profil-desa?desa={BALEREJO}")
    wait_for_page(page)

    expect(title(page)).to_contain_text("Balerejo")
    expect(page.get_by_text(f"Kecamatan {KECAMATAN} · kode {BALEREJO}", exact=False)).to_be_visible()
    # st.dataframe draws on a canvas; its accessible copy of the visible cells appears once it has drawn.
    products = page.get_by_test_id("stDataFrame").first
    products.scroll_into_view_if_needed()
    expect(products.locator("td[role=gridcell]", has_text="Kopi Tuan Galang")).to_have_count(1)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert browser_errors.all() == []

    save_screenshots(page, "profil-desa-balerejo")


# --- downloads -----------------------------------------------------------------------------------


def add_hostile_workbook(folder: Path) -> None:
    """One product whose text cells a spreadsheet would run as formulas, with a phone number (kept as text)."""
    workbook = xlsxwriter.Workbook(folder / "uji_sel_berbahaya.xlsx")
    sheet = workbook.add_worksheet("Produk")
    for column, (header, value) in enumerate(HOSTILE_PRODUK.items()):
        sheet.write_string(0, column, header)
        sheet.write_string(1, column, value)
    workbook.close()


def test_produk_xlsx_download_is_readable_and_holds_no_personal_data(
    fresh_dashboard: Dashboard, page: Page, browser_errors: BrowserErrors, tmp_path: Path
) -> None:
    """The demo data plus one hostile row (the demo data has no cell a spreadsheet would run)."""
    add_hostile_workbook(fresh_dashboard.data)
    page.goto(fresh_dashboard.url + "produk")
    wait_for_app(page)
    listed = int(re.search(r"(\d+) baris", page.get_by_text(re.compile(r"^\d+ baris")).inner_text())[1])

    button = page.get_by_test_id("stDownloadButton").get_by_role("button", name="Unduh Excel")
    with page.expect_download() as started:
        button.click()
    download = started.value
    assert download.failure() is None
    assert download.suggested_filename == "produk_ovop.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["Produk"]
    rows = list(workbook["Produk"].iter_rows(values_only=True))
    workbook.close()
    assert rows[0] == PRODUK_HEADERS
    assert len(rows) - 1 == listed  # the same rows as the list on the page
    texts = [value for row in rows for value in row if isinstance(value, str)]
    assert [text for text in texts if DEMO_PHONE in text] == []
    assert [text for text in texts if text.lstrip().startswith(FORMULA_STARTS)] == []
    # The hostile row is there, as text that Excel shows instead of running.
    assert "'" + HOSTILE_PRODUK["Nama Produk"] in texts
    assert "'" + HOSTILE_PRODUK["Pelaku Usaha"] in texts
    assert browser_errors.all() == []


# --- first visitor after a restart ---------------------------------------------------------------


def test_first_map_after_a_restart(
    fresh_dashboard: Dashboard, page: Page, browser_errors: BrowserErrors, report_timing: Callable[[str, float], None]
) -> None:
    """The cold case after a restart: the server (serve.py) has warmed itself before it answered its health check
    (data, gazetteer, boundaries downloaded from the local geo server); the test's visitor is its first."""
    assert "Pemanasan selesai" in fresh_dashboard.log_tail(), "healthy before app.py's first run had finished"
    page.goto(fresh_dashboard.url)

    leaflet_map = map_frame(page, min_shapes=VILLAGES)
    report_timing(
        f"Ringkasan (/) on a freshly started server: navigation → {VILLAGES} village shapes", leaflet_map.ms_to_shapes
    )

    assert leaflet_map.desa == VILLAGES
    wait_for_app(page)
    assert browser_errors.all() == []
