"""The offline village briefing: one self-contained, escaped, small HTML page with SVG map and bars."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hostile_text import hostile_texts

from ovop_data import geo
from ovop_data.briefing import (
    posisi_svg,
    village_briefing_html,
    village_briefing_sheet,
    village_svg,
)
from ovop_data.demo import KUNJUNGAN_FILE, PRODUK_FILE
from ovop_data.fmt import angka
from ovop_data.gazetteer import gazetteer
from ovop_data.load import load_dataset
from ovop_data.profile import village_profile

TODAY = dt.date(2024, 12, 31)
A, B, C, FAR = "35.05.17.2009", "35.05.17.2005", "35.05.17.1001", "35.05.16.2001"
XSS = "<img src=x onerror=alert(1)>"
MAX_BYTES = 600_000  # sent by WhatsApp before a visit
DATA = Path(__file__).resolve().parents[1] / "data"


def _villages() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode_desa": [A, B, C, FAR],
            "desa": ["Balerejo", "Tembalang", "Beru", "Jauh"],
            "jenis": ["desa", "desa", "kelurahan", "desa"],
            "kode_kecamatan": ["35.05.17", "35.05.17", "35.05.17", "35.05.16"],
            "kecamatan": ["Wlingi", "Wlingi", "Wlingi", "Selorejo"],
            "kabupaten": ["Kabupaten Blitar"] * 4,
        }
    )


def _boundaries(codes: tuple[str, ...] = (A, B, C, FAR), source: str = geo.SOURCE_UNDUHAN) -> geo.Boundaries:
    """Unit squares in a row near Blitar: A touches B and C; FAR lies well away."""
    boxes = {A: (112.30, -8.05), B: (112.31, -8.05), C: (112.29, -8.05), FAR: (112.50, -8.05)}
    v = _villages().set_index("kode_desa").loc[list(codes)].reset_index()
    geoms = [shapely.box(x, y, x + 0.01, y + 0.01) for x, y in (boxes[k] for k in codes)]
    desa = gpd.GeoDataFrame(v.drop(columns="kabupaten"), geometry=geoms, crs="EPSG:4326")
    kec = desa.dissolve("kode_kecamatan", as_index=False).loc[:, ["kode_kecamatan", "kecamatan", "geometry"]]
    empty = gpd.GeoDataFrame({"kode": [], "nama": []}, geometry=[], crs="EPSG:4326")
    return geo.Boundaries("35.05", desa, kec, empty, empty, source, note="Catatan batas untuk uji.")


@pytest.fixture
def profile():
    produk = pd.DataFrame(
        {
            "id_produk": ["p1", "p2", "p3"],
            "kode_desa": [A, A, B],
            "nama_produk": ["Kopi Tuan Galang", XSS, "Gula Aren"],
            "kategori": ["Minuman", "Makanan olahan", "Makanan olahan"],
            "pelaku_usaha": ["Kopi & Co", "KWT Balerejo", "Pak Slamet"],
            "jenis_pelaku": ["BUMDesma", "Kelompok", "UMKM"],
            "unggulan": [True, True, True],
            "legalitas": ["NIB; P-IRT", "", "NIB"],
            "pemasaran": ["lokal", "lokal", "lokal"],
            "kontak": ["0812-0000-1208", "0812-0000-1209", "0812-0000-1210"],
        }
    )
    kunjungan = pd.DataFrame(
        {
            "id_kunjungan": ["k1"],
            "kode_desa": [A],
            "tanggal": pd.to_datetime(["2023-07-12"]),
            "kegiatan": ["Sambang Desa OVOP"],
            "pejabat": ["Bupati Blitar"],
            "opd_pendamping": ["Disperindag"],
            "produk_disorot": ["Kopi Tuan Galang"],
            "catatan": [""],
        }
    )
    aspirasi = pd.DataFrame(
        {
            "id_aspirasi": ["a1"],
            "kode_desa": [A],
            "tanggal": pd.to_datetime(["2023-07-12"]),
            "aspirasi": ["Bantuan mesin sangrai kopi"],
            "kategori_kendala": ["peralatan"],
            "opd_penanggung_jawab": ["Disperindag"],
            "status": ["Proses"],
            "tenggat": pd.to_datetime([None]),
            "tindak_lanjut": ["Masuk usulan anggaran"],
        }
    )
    return village_profile(A, _villages(), produk, kunjungan, aspirasi, today=TODAY)


@pytest.fixture
def page(profile) -> str:
    return village_briefing_html(profile, _boundaries())


def test_the_page_names_the_village_its_products_visits_and_promises(page: str) -> None:
    assert "<title>Profil Desa Balerejo — Kecamatan Wlingi</title>" in page
    for text in (
        "Kopi Tuan Galang",
        "Kopi &amp; Co",
        "Sambang Desa OVOP",
        "Bantuan mesin sangrai kopi",
        "Proses · terlambat 448 hari",
        "Halal (Kementerian Agama)",
        "●●○○ NIB, P-IRT/BPOM",
    ):
        assert text in page
    assert "12 Juli 2023" in page and "31 Desember 2024" in page  # Indonesian dates
    assert "10 Oktober 2023 (otomatis)" in page  # the default deadline is marked as such


def test_the_map_is_an_inline_svg_of_the_village_and_its_neighbours(page: str) -> None:
    svg = re.search(r'<svg[^>]*aria-label="Peta Balerejo[^>]*>.*?</svg>', page, flags=re.S).group(0)
    paths = re.findall(r'<path d="(M[^"]+Z)"', svg)
    assert len(paths) == 3  # two neighbours and the village itself (drawn last, on top)
    assert ">Balerejo</text>" in svg and ">Tembalang</text>" in svg and ">Beru</text>" in svg
    assert "Jauh" not in svg


def test_nothing_is_fetched_and_no_script_is_needed(page: str) -> None:
    assert "<script" not in page and "plotly" not in page.lower()
    external = re.findall(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)
    assert external == []
    # the only address is the SVG namespace, which names the format and is never fetched
    assert set(re.findall(r"(?:https?:)?//[^\s\"'<>)]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "@page { size: A4 portrait" in page


def test_the_priority_bars_are_an_inline_svg_with_names_and_scores(profile, page: str) -> None:
    svg = re.search(r'<svg[^>]*aria-label="Prioritas kunjungan di Kecamatan Wlingi"[^>]*>.*?</svg>', page, flags=re.S)
    assert svg is not None
    bars = re.findall(r'<rect x="\d+" y="[\d.]+" width="([\d.]+)"[^>]*fill="(#[0-9A-F]{6})"', svg.group(0))
    assert len(bars) == len(profile.kecamatan_desa) == 3
    widths = [float(w) for w, _ in bars]
    assert widths == sorted(widths, reverse=True)  # highest priority on top
    for row in profile.kecamatan_desa.itertuples():
        assert f">{angka(row.skor)}</text>" in svg.group(0)
    assert re.findall(r'font-weight="bold">▶ ([^<]+)</text>', svg.group(0)) == ["Balerejo"]
    assert 'stroke="#000000" stroke-width="2"' in svg.group(0)  # the chosen bar is outlined


@pytest.mark.parametrize("name", hostile_texts(Path("/nonexistent/ovop_canary")))
def test_hostile_village_names_in_the_bars_are_text(profile, name: str) -> None:
    table = profile.kecamatan_desa.assign(desa=[name, "Tembalang", "Beru"], status_cakupan=[name, "x", "y"])
    svg = posisi_svg(dataclasses.replace(profile, kecamatan=name, kecamatan_desa=table))
    text = re.sub(r"<[^>]*>", "", svg)  # the characters between the tags
    assert not re.search(r"[<>{}`$]", text)
    for tag in re.findall(r"<(\w+)", svg):  # no <script>, <img>, <a> made of a name
        assert tag in {"svg", "text", "g", "title", "rect"}


@pytest.fixture(scope="module")
def demo_pages() -> list[tuple[str, str]]:
    """The briefings of the demo villages with the most rows (products, visits, promises), richest first."""
    data = load_dataset([DATA / PRODUK_FILE, DATA / KUNJUNGAN_FILE], "35.05")
    villages = gazetteer("35.05")
    rows = pd.concat([data.produk["kode_desa"], data.kunjungan["kode_desa"], data.aspirasi["kode_desa"]])
    boundaries = geo.schematic_boundaries("35.05")
    pages = []
    for kode in rows.value_counts().index[:3]:
        profile = village_profile(kode, villages, data.produk, data.kunjungan, data.aspirasi, today=TODAY)
        pages.append((profile.nama, village_briefing_html(profile, boundaries, is_demo=True)))
    return pages


def test_the_richest_demo_briefing_is_small_enough_for_whatsapp(demo_pages) -> None:
    for nama, page in demo_pages:
        assert len(page.encode("utf-8")) <= MAX_BYTES, nama
        assert nama in page and "<script" not in page


def test_user_text_is_escaped(page: str) -> None:
    assert XSS not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_no_contact_number(page: str) -> None:
    assert "0812-0000" not in page


def test_demo_data_is_labelled(profile) -> None:
    assert "DATA DEMO" in village_briefing_html(profile, _boundaries(), is_demo=True)
    assert "DATA DEMO" not in village_briefing_html(profile, _boundaries())


def test_schematic_boundaries_say_so(profile) -> None:
    page = village_briefing_html(profile, _boundaries(source=geo.SOURCE_SKEMATIS))
    assert "Peta skematis: Catatan batas untuk uji." in page


def test_village_missing_from_the_boundaries_gets_a_note() -> None:
    svg = village_svg(_boundaries(codes=(B, C)), A)
    assert "<svg" in svg and "<path" not in svg
    assert "Batas desa tidak tersedia" in svg


@pytest.mark.parametrize("fluid", [False, True], ids=["sheet", "page"])
def test_position_chart_marks_the_village(profile, fluid: bool) -> None:
    svg = posisi_svg(profile, width=320, fluid=fluid)
    labels = re.findall(r'text-anchor="end"( font-weight="bold")?>([^<]*)</text>', svg)
    assert len(labels) == 3
    assert [name for bold, name in labels if bold] == ["▶ Balerejo"] and all("▶" not in n for b, n in labels if not b)
    assert ('width="100%"' in svg) == fluid and ('width="320"' in svg) != fluid
    assert "\n\n" not in svg  # one raw HTML block for st.markdown


def test_the_sheet_alone_is_the_page_body_with_its_style_inside(profile, page: str) -> None:
    sheet = village_briefing_sheet(profile, _boundaries())
    assert sheet.lstrip().startswith('<main class="sheet">')  # a leading <style> may be dropped by sanitisers
    assert "<style>" in sheet and "<html" not in sheet and "@page" not in sheet
    assert sheet in "\n".join(line for line in page.splitlines() if line.strip())  # the page's body
    assert "&lt;img src=x onerror=alert(1)&gt;" in sheet and XSS not in sheet


def test_the_sheet_stays_one_markdown_html_block_whatever_the_texts(profile) -> None:
    texts = ["Baris satu\n\n    # Judul\n\n* butir", *hostile_texts(Path("/nonexistent/ovop_canary"))]
    produk = profile.produk.assign(nama_produk=(texts * len(profile.produk))[: len(profile.produk)])
    sheet = village_briefing_sheet(dataclasses.replace(profile, produk=produk), _boundaries())
    assert sheet.startswith('<main class="sheet">') and sheet.endswith("</main>")
    assert all(line.strip() for line in sheet.splitlines())  # a blank line would end the HTML block
