"""Ringkasan with AppTest: the headline figures are the data layer's own, filters from the URL apply."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app_helpers import element_tree, markdown_tables, rendered_text

from ovop_data import metrics
from ovop_data.filters import Filters, apply_filters
from ovop_data.fmt import BULAN, angka, persen
from ovop_data.gazetteer import gazetteer
from ovop_data.load import load_dataset, workbook_paths
from ovop_ui.cache import today

WLINGI = "35.05.17"


def expected_headline(app_env: dict[str, str], filters: Filters) -> dict:
    """metrics.area_summary computed straight from the data layer, without the app."""
    data = load_dataset(workbook_paths(Path(app_env["OVOP_DATA_DIR"])), "35.05")
    tables = apply_filters(gazetteer("35.05"), data.produk, data.kunjungan, data.aspirasi, filters)
    day = today(data)
    desa = metrics.desa_summary(tables["desa"], tables["produk"], tables["kunjungan"], tables["aspirasi"], today=day)
    ledger = metrics.aspirasi_ledger(tables["aspirasi"], today=day)
    return metrics.area_summary(desa, tables["produk"], tables["kunjungan"], ledger)


def shown_figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def figures_of(headline: dict) -> dict[str, str]:
    total = angka(headline["desa_total"])
    return {
        "Desa punya produk unggulan": f"{angka(headline['desa_dengan_produk_unggulan'])} / {total}",
        "Desa sudah dikunjungi": f"{angka(headline['desa_dikunjungi'])} / {total}",
        "Produk": angka(headline["produk_total"]),
        "Pelaku usaha": angka(headline["pelaku_usaha_total"]),
        "Aspirasi terbuka": angka(headline["aspirasi_terbuka"]),
        "Aspirasi terlambat": angka(headline["aspirasi_terlambat"]),
    }


def test_renders_on_the_demo_data(run_app) -> None:
    at = run_app(page="ringkasan")
    assert not at.exception
    assert at.title[0].value == "Ringkasan OVOP"


def test_headline_figures_equal_the_data_layer(run_app, app_env) -> None:
    at = run_app(page="ringkasan")
    headline = expected_headline(app_env, Filters())
    assert shown_figures(at) == figures_of(headline)
    deltas = [m.proto.delta for m in at.metric[:2]]
    assert deltas == [persen(headline["persen_produk_unggulan"]), persen(headline["persen_dikunjungi"])]


def test_coverage_says_it_counts_flagship_products_only(run_app, app_env) -> None:
    """The issue: "Desa dengan produk 165" (Produk) beside "160 / 248 punya produk unggulan" (here) looked wrong."""
    at = run_app(page="ringkasan")
    data = load_dataset(workbook_paths(Path(app_env["OVOP_DATA_DIR"])), "35.05")
    any_product = data.produk["kode_desa"].nunique()
    headline = expected_headline(app_env, Filters())
    assert headline["desa_dengan_produk_unggulan"] < any_product  # the demo has the difference to explain
    assert any(
        c.value.startswith("Cakupan dihitung dari produk unggulan")
        and f"{angka(any_product)} desa punya produk (angka “Desa dengan produk” di halaman Produk)" in c.value
        for c in at.caption
    )
    card = next(m for m in at.metric if m.label == "Desa punya produk unggulan")
    assert "halaman Produk menghitung desa dengan produk apa pun" in card.proto.help


def test_kecamatan_from_the_url_changes_the_figures(run_app, app_env) -> None:
    at = run_app(page="ringkasan", params={"kecamatan": "Wlingi"})
    assert not at.exception
    wlingi = figures_of(expected_headline(app_env, Filters(kecamatan=(WLINGI,))))
    assert shown_figures(at) == wlingi
    assert wlingi != figures_of(expected_headline(app_env, Filters()))
    assert wlingi["Desa punya produk unggulan"].endswith("/ 9")  # Wlingi has 9 desa/kelurahan
    assert all(desa.endswith("(Wlingi)") for desa in markdown_tables(at)[1]["Desa"])  # priorities follow it too


def test_latest_visits_have_indonesian_dates_and_priorities_their_reasons(run_app) -> None:
    at = run_app(page="ringkasan")
    visits, priority = markdown_tables(at)
    month = "|".join(BULAN)
    assert len(visits) == 5
    assert all(re.fullmatch(rf"\d{{1,2}} ({month}) \d{{4}}", text) for text in visits["Tanggal"])
    assert list(priority["No."]) == ["1", "2", "3", "4", "5"]
    assert all(priority["Alasan"].str.len() > 0)


def test_the_coverage_map_is_display_only(run_app) -> None:
    at = run_app(page="ringkasan")
    (component,) = at.get("component_instance")
    assert json.loads(component.proto.json_args)["returned_objects"] == []


def test_schematic_boundaries_are_announced(run_app, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("OVOP_GEO_DIR", str(tmp_path))  # no cache there,
    monkeypatch.setenv("OVOP_GEO_BASE_URL", "http://127.0.0.1:9")  # and the download is refused at once
    at = run_app(page="ringkasan")
    assert not at.exception
    assert any("Peta skematis" in w.value for w in at.warning)


def test_no_contact_number_is_rendered(run_app) -> None:
    text = rendered_text(run_app(page="ringkasan"))
    assert "Ngoran" in text  # the check reads dataframe cells (the latest visit's desa)
    assert "0812-0000" not in text


def test_the_briefing_page_loads_no_chart_or_table_script_beside_its_map(run_app) -> None:
    """plotly.js (4.7 MB) and the table grid, parsed beside the coverage map, held it back about a second."""
    at = run_app(page="ringkasan")
    kinds = {getattr(node, "type", "") for node in element_tree(at)}
    assert not kinds & {"plotly_chart", "table", "arrow_data_frame", "dataframe"}, kinds
    (bars,) = [m.value for m in at.markdown if str(m.value).startswith("<svg")]
    assert 'aria-label="Produk per kategori"' in bars and "Makanan olahan" in bars
