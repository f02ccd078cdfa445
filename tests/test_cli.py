"""The command line's JSON contract and exit codes, run as a user would (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = sorted(str(p) for p in (ROOT / "data").glob("demo_*.xlsx"))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ovop_data", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def validated() -> tuple[int, dict]:
    done = cli("validate", *DEMO, "--json")
    return done.returncode, json.loads(done.stdout)


def test_validate_json_reconciles_and_has_the_contract_keys(validated):
    code, report = validated
    assert code == 1  # the demo holds three rows that must be rejected
    assert report["kabupaten"] == "35.05"
    for counts in report["tables"].values():
        assert counts["rows_in"] == counts["accepted"] + counts["rejected"]
    issue_keys = {"table", "sheet", "row", "column", "value", "severity", "code", "message"}
    assert all(issue_keys <= set(issue) for issue in report["issues"])
    match_keys = {
        "table",
        "sheet",
        "row",
        "desa_input",
        "kecamatan_input",
        "kode_desa",
        "nama_desa",
        "kecamatan",
        "method",
        "score",
    }
    assert all(set(m) == match_keys for m in report["matches"])
    assert {m["method"] for m in report["matches"]} <= {"kode", "exact", "fuzzy"}


def test_validate_json_shows_the_balerejo_corrections(validated):
    _, report = validated
    balairejo = [m for m in report["matches"] if m["desa_input"] == "Balairejo"]
    assert balairejo and {m["kode_desa"] for m in balairejo} == {"35.05.17.2009"}
    assert {m["method"] for m in balairejo} == {"fuzzy"}
    kopi_rows = {m["row"] for m in report["matches"] if m["table"] == "produk" and m["desa_input"] == "Ngadirengo"}
    assert len(kopi_rows) >= 1


def test_validate_exit_codes(tmp_path):
    clean = tmp_path / "produk.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Produk"
    wb.active.append(["Nama Produk", "Kategori", "Desa", "Kecamatan"])
    wb.active.append(["Kopi", "kopi", "Tembalang", "Wlingi"])
    wb.save(clean)
    assert cli("validate", str(clean)).returncode == 0
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan spreadsheet")
    done = cli("validate", str(broken), "--json")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout)["issues"][0]["code"] == "berkas_tidak_terbaca"


def test_summary_json(tmp_path):
    done = cli("summary", *DEMO, "--json", "--today", "2024-12-31")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["desa_total"] == 248
    assert 0 < report["desa_dengan_produk_unggulan"] < 248
    assert len(report["kecamatan"]) == 22
    assert sum(k["desa_total"] for k in report["kecamatan"]) == 248
    assert {"kode", "nama", "desa_total", "desa_dengan_produk_unggulan", "desa_dikunjungi"} <= set(
        report["kecamatan"][0]
    )
    assert len(report["gaps"]["tanpa_produk"]) == 248 - report["desa_dengan_produk_unggulan"]
    top = report["prioritas"][0]
    assert set(top) == {"kode_desa", "skor", "alasan"} and top["alasan"]


def test_unknown_area_is_a_message_not_a_traceback():
    done = cli("--wilayah", "99.99", "validate", *DEMO)
    assert done.returncode == 2
    assert "tidak dikenal" in done.stderr and "Traceback" not in done.stderr
