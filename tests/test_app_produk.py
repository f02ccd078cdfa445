"""The Produk page with AppTest: charts and list on the demo data, URL filters and the search box applied."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from app_helpers import element_order, rendered_text

from ovop_data.load import load_dataset, workbook_paths

DEMO_PHONE = "0812-0000"


def numbers(array) -> list:
    """A plotly array as sent to the browser: a list, or plotly's typed-array form {dtype, bdata}."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def table_with(at, column: str):
    """The one table on the page with this header."""
    tables = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(tables) == 1, [list(t.columns) for t in tables]
    return tables[0]


@pytest.fixture(scope="module")
def demo(app_env):
    return load_dataset(workbook_paths(Path(app_env["OVOP_DATA_DIR"])), "35.05")


def test_page_renders_on_the_demo_data(run_app, demo):
    at = run_app(page="produk")
    assert not at.exception
    assert at.title[0].value == "Produk unggulan desa"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Produk"] == str(demo.produk["id_produk"].nunique())
    daftar = table_with(at, "Nama Produk")
    assert len(daftar) == len(demo.produk)
    assert {"Kategori", "Pelaku Usaha", "Desa/Kelurahan", "Legalitas", "Pemasaran"} <= set(daftar.columns)
    assert len(at.get("plotly_chart")) == 4  # no treemap: the heatmap shows the same kecamatan × kategori counts
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["⬇️ Unduh CSV", "⬇️ Unduh Excel"]


def test_no_contact_number_anywhere(run_app):
    at = run_app(page="produk")
    assert DEMO_PHONE not in rendered_text(at)
    assert all("Kontak" not in df.value.columns for df in at.dataframe)


def test_kecamatan_from_the_url_narrows_everything(run_app, demo):
    at = run_app(page="produk", params={"kecamatan": "Wlingi"})
    assert not at.exception
    daftar = table_with(at, "Nama Produk")
    wlingi = demo.produk[demo.produk["kecamatan"] == "Wlingi"]
    assert set(daftar["Kecamatan"]) == {"Wlingi"}
    assert len(daftar) == len(wlingi) > 0
    assert {m.label: m.value for m in at.metric}["Produk"] == str(wlingi["id_produk"].nunique())


def test_category_from_the_url_narrows_the_list(run_app):
    at = run_app(page="produk", params={"kategori": "Minuman"})
    assert set(table_with(at, "Nama Produk")["Kategori"]) == {"Minuman"}


def test_search_box_filters_name_producer_and_village(run_app, demo):
    at = run_app(page="produk", state={"cari_produk": "keripik"})
    assert not at.exception
    daftar = table_with(at, "Nama Produk")
    assert 0 < len(daftar) < len(demo.produk)
    hay = (daftar["Nama Produk"] + " " + daftar["Pelaku Usaha"] + " " + daftar["Desa/Kelurahan"]).str.lower()
    assert hay.str.contains("keripik").all()


def test_search_finds_a_village(run_app, demo):
    at = run_app(page="produk", state={"cari_produk": "pulerejo"})
    daftar = table_with(at, "Nama Produk")
    assert set(daftar["Desa/Kelurahan"]) == {"Pulerejo"}
    assert len(daftar) == (demo.produk["desa"] == "Pulerejo").sum()


def test_search_without_hits_shows_an_empty_list(run_app):
    at = run_app(page="produk", state={"cari_produk": "tidak ada produk bernama begini"})
    assert not at.exception
    assert not [df for df in at.dataframe if "Nama Produk" in df.value.columns]
    assert any(c.value.startswith("0 baris cocok") for c in at.caption)
    assert any(c.value == "Tidak ada baris." for c in at.caption)


def test_search_and_list_come_before_the_charts(run_app):
    order = element_order(run_app(page="produk"))
    first_chart = min(i for i, e in enumerate(order) if e.startswith("plotly_chart"))
    assert order.index("text_input:cari_produk") < order.index("dataframe") < first_chart


def test_search_narrows_the_charts_too(run_app, demo):
    at = run_app(page="produk", state={"cari_produk": "keripik"})
    assert any("grafik di bawah juga hanya memuat produk ini" in c.value for c in at.caption)
    bars = next(c for c in at.get("plotly_chart") if c.key == "grafik_kategori")
    shown = int(sum(numbers(json.loads(bars.proto.spec)["data"][0]["x"])))
    found = demo.produk.loc[demo.produk["nama_produk"].str.contains("keripik", case=False), "id_produk"]
    assert 0 < shown < demo.produk["id_produk"].nunique()
    assert shown >= found.nunique()  # also products of a producer or village named so


def test_villages_with_any_product_say_how_many_have_a_flagship_one(run_app, demo):
    at = run_app(page="produk")
    card = next(m for m in at.metric if m.label == "Desa dengan produk")
    produk = demo.produk
    flagship = produk.loc[produk["unggulan"].eq(True), "kode_desa"].nunique()
    assert card.value == str(produk["kode_desa"].nunique())
    assert card.proto.delta == f"{flagship} punya produk unggulan"
    assert "unggulan atau bukan" in card.proto.help
    assert flagship < produk["kode_desa"].nunique()  # the demo has villages with only non-flagship products


def test_filters_without_products_give_a_note_not_an_error(run_app):
    at = run_app(page="produk", params={"kecamatan": "Wlingi", "kategori": "Herbal non-pangan"})
    assert not at.exception
    assert any("Tidak ada produk" in i.value for i in at.info)
    assert not at.get("plotly_chart")


@pytest.fixture
def unrecorded_data_dir(app_env, tmp_path: Path, monkeypatch) -> Path:
    """A data folder with one produk workbook that has no Pelaku Usaha and no Legalitas column."""
    import openpyxl

    folder = tmp_path / "data"
    folder.mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "Produk"
    wb.active.append(["Nama Produk", "Kategori", "Desa", "Kecamatan"])
    wb.active.append(["Kopi", "kopi", "Tembalang", "Wlingi"])
    wb.active.append(["Teh", "minuman", "Tembalang", "Wlingi"])
    wb.save(folder / "produk.xlsx")
    monkeypatch.setenv("OVOP_DATA_DIR", str(folder))
    return folder


@pytest.mark.parametrize("page", ["ringkasan", "produk"])
def test_a_column_not_recorded_is_not_shown_as_zero(run_app, unrecorded_data_dir, page):
    at = run_app(page=page)
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Pelaku usaha"] == "tidak tercatat"
    if page == "produk":
        ladder = next(c for c in at.get("plotly_chart") if "Tangga legalitas" in c.proto.spec)
        assert "Tidak tercatat" in ladder.proto.spec
