"""The Kunjungan & Aspirasi page with AppTest: visits, the promise ledger, overdue follow-ups, URL filters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_helpers import element_tree, rendered_text

from ovop_data import metrics
from ovop_data.demo_mark import TANGGAL_ACUAN
from ovop_data.load import load_dataset, workbook_paths

DEMO_PHONE = "0812-0000"


def table_starting(at, *columns: str):
    """The one table on the page whose first headers are these."""
    tables = [df.value for df in at.dataframe if tuple(df.value.columns[: len(columns)]) == columns]
    assert len(tables) == 1, [list(df.value.columns) for df in at.dataframe]
    return tables[0]


VISITS = ("Tanggal", "Desa/Kelurahan", "Kecamatan", "Kegiatan")
LEDGER = ("Tanggal", "Desa/Kelurahan", "Kecamatan", "Aspirasi")
PER_OPD = ("OPD", "Aspirasi")
OVERDUE = ("OPD Penanggung Jawab", "Hari Terlambat")


@pytest.fixture(scope="module")
def ledger(app_env):
    data = load_dataset(workbook_paths(Path(app_env["OVOP_DATA_DIR"])), "35.05")
    return metrics.aspirasi_ledger(data.aspirasi, today=TANGGAL_ACUAN), data


def test_page_renders_visits_ledger_and_overdue_list(run_app, ledger):
    led, data = ledger
    at = run_app(page="kunjungan")
    assert not at.exception
    assert at.title[0].value == "Kunjungan & Aspirasi"
    figures = {m.label: m.value for m in at.metric}
    assert figures["Kunjungan"] == str(data.kunjungan["id_kunjungan"].nunique())
    assert figures["Aspirasi terlambat"] == str(int(led["terlambat"].sum()))

    visits = table_starting(at, *VISITS)
    assert len(visits) == len(data.kunjungan)
    assert visits["Tanggal"].is_monotonic_decreasing  # newest first

    promises = table_starting(at, *LEDGER)
    assert len(promises) == len(led)
    assert promises["Tenggat Bawaan (+90 hari)"].sum() == led["tenggat_bawaan"].sum() > 0  # defaults are marked

    per_opd = table_starting(at, *PER_OPD)
    assert per_opd["Aspirasi"].sum() == len(led)

    overdue = table_starting(at, *OVERDUE)
    assert len(overdue) == int(led["terlambat"].sum())
    assert (overdue["Status"] != "Selesai").all()
    assert (overdue["Tenggat Efektif"] < str(TANGGAL_ACUAN)).all()

    buttons = {b.proto.label for b in at.get("download_button")}
    assert "⬇️ Unduh daftar terlambat (Excel)" in buttons


def test_charts_are_inline_svg_not_plotly(run_app, ledger):
    """plotly.js (4.7 MB), parsed beside the visits map, held the map back about two seconds."""
    led, _ = ledger
    at = run_app(page="kunjungan")
    kinds = {getattr(node, "type", "") for node in element_tree(at)}
    assert "plotly_chart" not in kinds, kinds
    charts = {
        re.search(r'aria-label="([^"]+)"', m.value)[1]: m.value for m in at.markdown if m.value.startswith("<svg")
    }
    assert list(charts) == ["Kunjungan per bulan", "Janji tindak lanjut per OPD", "Aspirasi per status"]
    assert [s.value for s in at.subheader] == list(charts)  # each chart keeps its title above it
    late = metrics.aspirasi_by_status(led).set_index("status")["terlambat"]
    assert charts["Aspirasi per status"].count("url(#") == int((late > 0).sum()) + 1  # hatched parts + legend


def test_no_contact_number_anywhere(run_app):
    assert DEMO_PHONE not in rendered_text(run_app(page="kunjungan"))


def test_kecamatan_from_the_url_narrows_visits_and_promises(run_app, ledger):
    led, data = ledger
    at = run_app(page="kunjungan", params={"kecamatan": "Wlingi"})
    assert not at.exception
    visits = table_starting(at, *VISITS)
    assert set(visits["Kecamatan"]) == {"Wlingi"}
    assert len(visits) == (data.kunjungan["kecamatan"] == "Wlingi").sum()
    promises = table_starting(at, *LEDGER)
    assert set(promises["Kecamatan"]) == {"Wlingi"}
    assert len(promises) == (led["kecamatan"] == "Wlingi").sum()


def test_period_from_the_url_narrows_the_visits(run_app, ledger):
    _, data = ledger
    at = run_app(page="kunjungan", params={"dari": "2024-01-01", "sampai": "2024-06-30"})
    visits = table_starting(at, *VISITS)
    dates = data.kunjungan["tanggal"]
    assert len(visits) == dates.between("2024-01-01", "2024-06-30").sum() > 0


def test_status_choice_narrows_the_ledger(run_app, ledger):
    led, _ = ledger
    at = run_app(page="kunjungan", state={"status_janji": ["Belum"]})
    promises = table_starting(at, *LEDGER)
    assert set(promises["Status"]) == {"Belum"}
    assert len(promises) == (led["status"] == "Belum").sum()
