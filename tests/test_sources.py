"""Files published by other offices, one small synthetic file per class (issue 13 §3–4).

A city's list of fish-product makers (producer column, phone column, two producers of one product), a
register of village enterprises with no product column, a product list without a category column, and
BUMDes lists: each is accepted, kept apart or explained as the issue asks.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from excel_rows import assert_rows_reconcile

from ovop_data import recorded
from ovop_data.io import read_sheets
from ovop_data.load import load_dataset, tables_from_sheets
from ovop_data.metrics import produk_by_kategori
from ovop_data.privacy import public_columns

ROOT = Path(__file__).resolve().parent.parent


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = sheet
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def loaded(*paths: Path):
    """The dataset of the files, checked to account for each of their Excel rows exactly once."""
    data = load_dataset(paths, "35.05")
    tables, _ = tables_from_sheets([s for p in paths for s in read_sheets(p)])
    assert_rows_reconcile(data, tables)
    return data


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ovop_data", *args], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


@pytest.fixture
def ikan(tmp_path: Path) -> Path:
    """Fish-product makers: PERUSAHAAN and TELP headers, 10-digit Kode_Desa, a province code column."""
    return write_csv(
        tmp_path / "olahan_ikan.csv",
        [
            ["No", "PERUSAHAAN", "Nama Produk", "Kategori", "Desa", "Kecamatan", "Kode_Desa", "Kode_Prov", "TELP"],
            [1, "UD Mina Jaya", "Abon ikan", "olahan ikan", "Balerejo", "Wlingi", "3505172009", "35", "081234567801"],
            [2, "CV Laut Biru", "Abon ikan", "olahan ikan", "Balerejo", "Wlingi", "3505172009", "35", "081234567802"],
            [3, "Bu Sri", "Abon ikan", "olahan ikan", "Balerejo", "Wlingi", "3505172009", "35", ""],
            [4, "UD Mina Jaya", "Abon ikan", "olahan ikan", "Balerejo", "Wlingi", "3505172009", "35", "081234567801"],
            [5, "UD Mina Jaya", "Kerupuk ikan", "olahan ikan", "Balerejo", "Wlingi", "3505172009", "35", ""],
        ],
    )


def test_two_producers_of_one_product_are_not_duplicates(ikan: Path):
    data = loaded(ikan)
    assert data.counts["produk"] == {"rows_in": 5, "accepted": 4, "rejected": 1, "blank": 0}
    assert sorted(data.produk["pelaku_usaha"]) == ["Bu Sri", "CV Laut Biru", "UD Mina Jaya", "UD Mina Jaya"]
    (dup,) = data.findings[data.findings["code"] == "duplikat"].itertuples()
    assert dup.row == 5 and "sama dengan baris 2" in dup.message  # the same producer, product and village
    assert set(data.produk["kode_desa"]) == {"35.05.17.2009"}  # the 10-digit code is read
    assert not data.findings["code"].isin(["kode_tidak_valid", "kolom_tidak_ada"]).any()


def test_telp_is_the_contact_column_masked_and_never_public(ikan: Path):
    data = loaded(ikan)
    assert "kontak" in data.produk and "TELP" not in data.produk
    assert not data.produk["kontak"].str.contains("081234567801").any()  # masked as it is loaded
    assert "kontak" not in public_columns(data.produk)
    # The province code only places the row (matching); it is never the village code and is not kept.
    assert "kode_desa" in data.produk and not {"Kode_Prov", "kode_provinsi"} & set(data.produk.columns)


def test_kode_prov_alone_is_not_read_as_the_village_code(tmp_path: Path):
    path = write_xlsx(
        tmp_path / "produk.xlsx",
        "Produk",
        [["Nama Produk", "Kode_Prov", "Desa", "Kecamatan"], ["Kopi", "35", "Tembalang", "Wlingi"]],
    )
    data = loaded(path)
    assert data.counts["produk"]["accepted"] == 1
    assert data.produk[["desa", "kecamatan"]].values.tolist() == [["Tembalang", "Wlingi"]]
    assert not data.findings["code"].eq("kode_tidak_valid").any()


def test_without_a_category_column_rows_are_kept_and_kategori_is_not_recorded(tmp_path: Path):
    path = write_xlsx(
        tmp_path / "produk.xlsx",
        "Produk",
        [["Nama Produk", "Desa", "Kode Desa"], ["Kopi", "Tembalang", "35.05.17.2005"], ["Teh", "Beru", ""]],
    )
    data = loaded(path)
    assert data.counts["produk"] == {"rows_in": 2, "accepted": 2, "rejected": 0, "blank": 0}
    (note,) = data.findings.itertuples()  # one finding for the sheet, not one per row
    assert (note.code, note.severity, note.column, note.row) == ("kolom_tidak_tercatat", "warning", "kategori", 1)
    assert recorded.tercatat(data)["produk"]["kategori"] == 0.0
    assert recorded.recorded_note(*recorded.recorded_counts(data.produk, "produk", "kategori")) == "tidak tercatat"


@pytest.mark.parametrize("header", ["Nama BUMDes", "NAMA_BUMDESA"])
def test_a_bumdes_name_column_is_the_producer_of_kind_bumdes(tmp_path: Path, header: str):
    path = write_xlsx(
        tmp_path / "bumdes.xlsx",
        "Sheet1",
        [
            ["No", header, "Nama Produk", "Desa", "Kecamatan", "Telp."],
            [1, "BUMDes Maju", "Keripik pisang", "Tembalang", "Wlingi", "0812 3456 7890"],
            [2, "BUMDes Sejahtera", "Keripik pisang", "Beru", "Wlingi", ""],
        ],
    )
    data = loaded(path)
    assert data.counts["produk"]["accepted"] == 2
    assert sorted(data.produk["pelaku_usaha"]) == ["BUMDes Maju", "BUMDes Sejahtera"]
    assert set(data.produk["jenis_pelaku"]) == {"BUMDes"}
    assert "kontak" in data.produk and not data.produk["kontak"].str.contains("3456").any()


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A register of village enterprises: producer, village, codes, but no product column."""
    return write_csv(
        tmp_path / "daftar_bumdes.csv",
        [
            ["No", "Nama BUMDes", "Desa", "Kecamatan", "Kode_Desa", "Kode_Prov", "Unit Usaha"],
            [1, "BUMDes Maju", "Tembalang", "Wlingi", "3505172005", "35", "Simpan pinjam"],
            [2, "BUMDes Sejahtera", "Beru", "Wlingi", "3505171001", "35", "Wisata"],
        ],
    )


def test_a_register_without_a_product_column_says_what_to_add(register: Path):
    data = loaded(register)
    assert all(c["rows_in"] == 0 for c in data.counts.values())
    (sheet,) = data.findings[data.findings["code"] == "sheet_tidak_dikenal"].itertuples()
    assert "Paling mirip tabel produk unggulan" in sheet.message
    assert "'Desa/Kelurahan'" in sheet.message and "'Pelaku Usaha'" in sheet.message  # the columns found
    assert "kolom yang kurang 'Nama Produk'" in sheet.message and "'Nama Produk'" in sheet.suggestion
    (none,) = data.findings[data.findings["code"] == "tabel_tidak_ditemukan"].itertuples()
    assert none.severity == "error"


def test_validate_exits_1_when_no_file_holds_a_table(register: Path, ikan: Path):
    done = cli("validate", str(register))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Paling mirip tabel produk unggulan" in done.stdout and "Traceback" not in done.stderr
    with_table = cli("validate", str(register), str(ikan), "--json")  # one file has a table: only the row error
    assert with_table.returncode == 1
    codes = [i["code"] for i in json.loads(with_table.stdout)["issues"]]
    assert "tabel_tidak_ditemukan" not in codes and codes.count("duplikat") == 1


def test_identical_warnings_are_grouped_in_the_readable_output_json_keeps_every_row(tmp_path: Path):
    rows = [["Nama Produk", "Jenis", "Desa", "Kecamatan", "Pelaku Usaha"]]
    rows += [["Simpan pinjam", "BUM Desa", "Tembalang", "Wlingi", f"Unit {i}"] for i in range(143)]
    path = write_xlsx(tmp_path / "unit.xlsx", "Produk", rows)
    readable = cli("validate", str(path))
    assert readable.returncode == 0, readable.stdout + readable.stderr
    lines = [line for line in readable.stdout.splitlines() if "Kategori tidak dikenal" in line]
    assert lines == [
        "  [catatan] unit.xlsx/Produk baris 2–144 (143 baris) kategori: Kategori tidak dikenal; dicatat sebagai "
        "'Lainnya'. Pakai salah satu kategori baku (lihat README)."
    ]
    issues = json.loads(cli("validate", str(path), "--json").stdout)["issues"]
    assert len([i for i in issues if i["code"] == "kategori_tidak_dikenal"]) == 143


def test_validate_piped_into_head_exits_quietly(tmp_path: Path):
    # Enough distinct lines to fill the pipe after `head` has gone, so the write fails for certain.
    rows = [["Nama Produk", "Kategori", "Desa"]] + [[f"Produk {i}", "kopi", f"Desa Entah {i}"] for i in range(3000)]
    path = write_xlsx(tmp_path / "banyak.xlsx", "Produk", rows)
    done = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m ovop_data validate "{path}" | head -1; exit "${{PIPESTATUS[0]}}"'],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
        check=False,
    )
    assert done.stdout.startswith("Wilayah 35.05: 1 berkas")
    assert done.stderr == "" and done.returncode == 141


def test_products_without_a_category_are_counted_as_not_recorded_not_hidden(tmp_path: Path):
    path = write_xlsx(
        tmp_path / "produk.xlsx", "Produk", [["Nama Produk", "Desa", "Kecamatan"], ["Kopi", "Beru", "Wlingi"]]
    )
    table = produk_by_kategori(loaded(path).produk)
    assert table.to_dict("records") == [{"kategori": "tidak tercatat", "produk": 1, "desa": 1}]
