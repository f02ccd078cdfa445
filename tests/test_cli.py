"""The command line's JSON contract and exit codes, run as a user would (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from excel_rows import input_rows

from ovop_data.io import read_sheets
from ovop_data.load import tables_from_sheets

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
    # Per table and schema column, the share of accepted rows that carry a value (as summary --json).
    assert report["tercatat"]["produk"]["nama_produk"] == 1.0 and 0.0 < report["tercatat"]["produk"]["legalitas"] < 1.0
    # The JSON lists no accepted rows: rejected = the rows of error issues, accepted = the other input rows.
    raw_tables, _ = tables_from_sheets([s for path in DEMO for s in read_sheets(path)])
    for table, counts in report["tables"].items():
        given = input_rows(raw_tables, table)
        rejected = {
            (i["file"], i["sheet"], i["row"])
            for i in report["issues"]
            if i["table"] == table and i["severity"] == "error" and i["row"] is not None
        }
        assert rejected <= given
        assert (counts["rows_in"], counts["accepted"], counts["rejected"]) == (
            len(given),
            len(given - rejected),
            len(rejected),
        )
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
    assert set(report["tercatat"]) == {"produk", "kunjungan", "aspirasi"}
    assert report["tercatat"]["produk"]["nama_produk"] == 1.0
    assert all(0.0 <= share <= 1.0 for table in report["tercatat"].values() for share in table.values())
    assert report["pelaku_usaha_total"] > 0
    owners = report["opd"]
    assert owners and all(
        set(o) == {"opd", "jenis", "aspirasi", "belum", "proses", "selesai", "terlambat"} for o in owners
    )
    assert all(o["jenis"] in {"opd", "mitra", "belum_ditetapkan"} for o in owners)
    assert all((o["opd"] is None) == (o["jenis"] == "belum_ditetapkan") for o in owners)
    names = [o["opd"] for o in owners]
    assert len(names) == len(set(names))  # one entry per owner
    assert "Dinas Koperasi dan Usaha Mikro" in names and "Dinkop UM" not in names
    for o in owners:
        assert abs(o["belum"] + o["proses"] + o["selesai"] - o["aspirasi"]) < 1e-3


def test_summary_json_says_null_for_a_column_not_recorded(tmp_path):
    """A workbook without Pelaku Usaha: the producer count is unknown (null), not 0, and its share is 0."""
    path = produk_workbook(tmp_path / "produk.xlsx", ("Kopi", "kopi", "Tembalang", "Wlingi"))
    done = cli("summary", str(path), "--json", "--today", "2024-12-31")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["pelaku_usaha_total"] is None
    shares = report["tercatat"]["produk"]
    assert shares["pelaku_usaha"] == 0.0 and shares["legalitas"] == 0.0 and shares["unggulan"] == 0.0
    assert shares["nama_produk"] == 1.0 and shares["kecamatan"] == 1.0
    assert report["tercatat"]["aspirasi"]["status"] == 0.0  # no rows: nothing recorded


def test_unknown_area_is_a_message_not_a_traceback():
    done = cli("--wilayah", "99.99", "validate", *DEMO)
    assert done.returncode == 2
    assert "tidak dikenal" in done.stderr and "Traceback" not in done.stderr


def produk_workbook(path: Path, *rows: tuple) -> Path:
    """A one-sheet produk workbook at `path` (its folder created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.Workbook()
    wb.active.title = "Produk"
    wb.active.append(["Nama Produk", "Kategori", "Desa", "Kecamatan"])
    for row in rows:
        wb.active.append(list(row))
    wb.save(path)
    return path


def test_unggah_saves_and_archives_the_previous_version(tmp_path):
    data = tmp_path / "data"
    first = produk_workbook(tmp_path / "a" / "produk.xlsx", ("Kopi", "kopi", "Tembalang", "Wlingi"))
    second = produk_workbook(tmp_path / "b" / "produk.xlsx", ("Teh", "minuman", "Tembalang", "Wlingi"))
    assert cli("unggah", str(first), "--data-dir", str(data)).returncode == 0
    done = cli("unggah", str(second), "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    assert "Berkas 'produk.xlsx' disimpan: 1 baris produk diterima." in done.stdout
    assert "Versi sebelumnya disimpan di arsip" in done.stdout
    assert (data / "produk.xlsx").read_bytes() == second.read_bytes()
    assert [p.read_bytes() for p in (data / "arsip").iterdir()] == [first.read_bytes()]
    assert oct((data / "produk.xlsx").stat().st_mode & 0o777) == "0o644"


def test_unggah_exit_codes_and_indonesian_reasons(tmp_path):
    data = tmp_path / "data"
    good = produk_workbook(tmp_path / "baik.xlsx", ("Kopi", "kopi", "Tembalang", "Wlingi"))
    wrong = produk_workbook(tmp_path / "salah.xlsx", ("Kopi", "kopi", "Antah Berantah", ""))
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"bukan spreadsheet")

    refused = cli("unggah", str(good), str(wrong), "--data-dir", str(data))
    assert refused.returncode == 1  # one refused; the good one is saved all the same
    assert "Ditolak: Tidak ada baris di 'salah.xlsx' yang lolos pemeriksaan" in refused.stderr
    assert [p.name for p in data.iterdir() if not p.name.startswith(".")] == ["baik.xlsx"]

    unreadable = cli("unggah", str(broken), str(tmp_path / "tidak_ada.xlsx"), "--data-dir", str(data))
    assert unreadable.returncode == 2
    assert "Berkas 'rusak.xlsx' tidak bisa dibaca sebagai spreadsheet" in unreadable.stderr
    assert f"Galat: berkas '{tmp_path / 'tidak_ada.xlsx'}' tidak bisa dibaca (tidak ditemukan)." in unreadable.stderr

    blocked = cli("unggah", str(good), "--data-dir", str(good / "data"))  # a file where the folder should be
    assert blocked.returncode == 1
    assert "tidak bisa ditulis (jalurnya bukan folder)" in blocked.stderr
    for done in (refused, unreadable, blocked):
        assert "Traceback" not in done.stderr


def test_two_processes_uploading_one_name_lose_no_version(tmp_path):
    """Two `unggah` processes save 20 versions of sama.xlsx each, at the same time: all 40 are kept."""
    data = tmp_path / "data"
    batches = [
        [
            produk_workbook(tmp_path / f"p{p}" / f"{i:02d}" / "sama.xlsx", (f"Kopi {p}-{i}", "kopi", "Tembalang", ""))
            for i in range(20)
        ]
        for p in range(2)
    ]
    command = [sys.executable, "-m", "ovop_data", "unggah", "--data-dir", str(data)]
    runs = [
        subprocess.Popen([*command, *map(str, files)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for files in batches
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err.decode() for _, err in outputs]
    assert sum(out.decode().count("'sama.xlsx' disimpan") for out, _ in outputs) == 40

    version = {
        f.read_bytes(): f"proses {p} unggahan {i}" for p, files in enumerate(batches) for i, f in enumerate(files)
    }
    kept = [data / "sama.xlsx", *(data / "arsip").iterdir()]
    assert Counter(version.get(p.read_bytes(), p.name) for p in kept) == Counter(version.values())  # each once
    assert {p.stat().st_mode & 0o777 for p in kept} == {0o644}
    assert not [p.name for p in data.iterdir() if p.name.startswith(".unggah-")]
