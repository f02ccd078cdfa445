"""The Kesenjangan page with AppTest: gap counts equal the data layer's, the priority list and the visit plan."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import rendered_text, tables_starting

from ovop_data import metrics
from ovop_data.demo_mark import TANGGAL_ACUAN
from ovop_data.fmt import tanggal
from ovop_data.gazetteer import gazetteer
from ovop_data.load import load_dataset, workbook_paths

DEMO_PHONE = "0812-0000"
GAPS = (
    ("tanpa_produk", "Belum punya produk unggulan"),
    ("belum_dikunjungi", "Belum pernah dikunjungi"),
    ("keduanya", "Keduanya"),
)


PRIORITY = ("Peringkat", "Desa/Kelurahan", "Kecamatan", "Skor", "Alasan")
PLAN = ("Perjalanan ke-", "Tanggal Rencana")
KECAMATAN = ("Kecamatan", "Desa", "Punya unggulan", "% unggulan")


@pytest.fixture(scope="module")
def layer(app_env):
    """The data layer's own answers for the demo data, computed without the app."""
    data = load_dataset(workbook_paths(Path(app_env["OVOP_DATA_DIR"])), "35.05")
    desa = metrics.desa_summary(gazetteer("35.05"), data.produk, data.kunjungan, data.aspirasi, today=TANGGAL_ACUAN)
    priority = metrics.visit_priority(desa, today=TANGGAL_ACUAN)
    plan, info = metrics.visit_plan(priority, data.kunjungan, today=TANGGAL_ACUAN)
    return desa, priority, plan, info


def test_gap_counts_and_lists_equal_the_data_layer(run_app, layer):
    desa, *_ = layer
    gaps = metrics.coverage_gaps(desa)
    at = run_app(page="kesenjangan")
    assert not at.exception
    figures = {m.label: m.value for m in at.metric}
    for key, label in GAPS:
        assert figures[label] == f"{len(gaps[key])} desa"
    lists = tables_starting(at, "Desa/Kelurahan", "Kecamatan", "Produk Unggulan")
    assert [len(t) for t in lists] == [len(gaps[key]) for key, _ in GAPS]
    by_code = desa.set_index("kode_desa")
    for table, (key, _) in zip(lists, GAPS, strict=True):
        assert sorted(table["Kode Desa"]) == gaps[key]
        assert (table["Kecamatan"] == by_code.loc[table["Kode Desa"], "kecamatan"].to_numpy()).all()


def test_kecamatan_ranking_and_priority_with_reasons(run_app, layer):
    _, priority, *_ = layer
    at = run_app(page="kesenjangan")
    ranking = tables_starting(at, *KECAMATAN)[0]
    assert len(ranking) == 22
    shares = ranking["% unggulan"].str.rstrip("%").str.replace(",", ".").astype(float)
    assert shares.is_monotonic_decreasing
    top = tables_starting(at, *PRIORITY)[0]
    wanted = priority[priority["skor"] > 0]
    assert top["Desa/Kelurahan"].tolist() == wanted["desa"].tolist()
    assert top["Alasan"].iloc[0] == wanted["alasan"].iloc[0]
    assert top["Alasan"].str.contains("belum").any()


def test_visit_plan_and_projected_completion(run_app, layer):
    *_, plan, info = layer
    at = run_app(page="kesenjangan")
    shown = tables_starting(at, *PLAN)[0]
    assert len(shown) == len(plan)
    assert (shown.groupby("Perjalanan ke-")["Kecamatan"].nunique() == 1).all()  # one kecamatan per trip
    figures = {m.label: m.value for m in at.metric}
    assert figures["Perkiraan semua desa terkunjungi"] == tanggal(info["perkiraan_selesai"])
    assert any(info["catatan"] in i.value for i in at.info)
    assert "⬇️ Unduh rencana kunjungan (Excel)" in {b.proto.label for b in at.get("download_button")}


def test_kecamatan_from_the_url_narrows_gaps_priority_and_plan(run_app):
    at = run_app(page="kesenjangan", params={"kecamatan": "Wlingi"})
    assert not at.exception
    for table in (
        *tables_starting(at, *PRIORITY),
        *tables_starting(at, *PLAN),
        *tables_starting(at, "Desa/Kelurahan", "Kecamatan", "Produk Unggulan"),
    ):
        assert set(table["Kecamatan"]) <= {"Wlingi"}
    assert len(tables_starting(at, *KECAMATAN)[0]) == 1


def test_a_period_filter_does_not_stop_the_plan(run_app):
    """The pace counts the last 12 months of visits even when the view is narrowed to an old period."""
    at = run_app(page="kesenjangan", params={"dari": "2021-01-01", "sampai": "2021-12-31"})
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Perkiraan semua desa terkunjungi"] != "–"


def test_no_contact_number_anywhere(run_app):
    assert DEMO_PHONE not in rendered_text(run_app(page="kesenjangan"))
