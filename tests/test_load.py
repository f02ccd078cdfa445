"""Loading a data folder: one bad entry (hostile, broken link, vanished, folder) is a finding, the rest loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import hostile_files as hostile
import pandas as pd
import pytest

from ovop_data.load import load_dataset, workbook_paths
from ovop_data.store import folder_files
from ovop_ui.cache import files_signature

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo_produk_ovop.xlsx"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A data folder with the demo products workbook and one of every kind of bad entry."""
    shutil.copy(DEMO, tmp_path / DEMO.name)
    for name in ("sel-jauh.xlsx", "sel-jauh-dimensi-bohong.xlsx", "sejuta-baris.ods", "sel-panjang.csv", "nul.csv"):
        (tmp_path / name).write_bytes(hostile.CORPUS[name]())
    (tmp_path / "pintasan.xlsx").symlink_to(tmp_path / "sudah-dihapus.xlsx")
    (tmp_path / "bukan-berkas.xlsx").mkdir()
    return tmp_path


def _findings_by_file(data) -> dict[str, tuple[str, str]]:
    rows = data.findings.loc[data.findings["sheet"] == ""]
    return {r.file: (r.code, r.message) for r in rows.itertuples()}


def test_each_bad_entry_is_one_finding_and_the_demo_still_loads(folder: Path) -> None:
    alone = load_dataset([folder / DEMO.name], "35.05")
    data = load_dataset(workbook_paths(folder), "35.05")
    assert len(data.produk) == len(alone.produk) > 0
    found = _findings_by_file(data)
    assert found["sel-jauh.xlsx"][0] == "berkas_terlalu_besar"
    assert "menyatakan 1.048.576 baris; batas 200.000 baris per sheet" in found["sel-jauh.xlsx"][1]
    assert found["sel-jauh-dimensi-bohong.xlsx"][0] == "berkas_terlalu_besar"
    assert found["sejuta-baris.ods"][0] == "berkas_terlalu_besar"
    assert "batas 32.767 karakter per sel" in found["sel-panjang.csv"][1]
    assert found["nul.csv"][0] == "berkas_tidak_terbaca"
    assert found["pintasan.xlsx"] == (
        "berkas_tidak_terbaca",
        "Berkas 'pintasan.xlsx' adalah pintasan (symlink) ke berkas yang tidak ada.",
    )
    assert found["bukan-berkas.xlsx"][0] == "berkas_tidak_terbaca"
    assert DEMO.name not in found


def test_a_file_that_vanishes_between_listing_and_reading(folder: Path) -> None:
    paths = workbook_paths(folder)
    (folder / "nul.csv").unlink()
    data = load_dataset(paths, "35.05")
    assert "nul.csv' tidak ditemukan" in _findings_by_file(data)["nul.csv"][1]
    assert len(data.produk) > 0


def test_files_signature_and_folder_listing_survive_broken_links_and_vanished_files(folder: Path) -> None:
    signature = files_signature(folder)
    stamps = {Path(path).name: (size, mtime) for path, size, mtime in signature}
    assert stamps["pintasan.xlsx"] == (-1, -1)
    assert stamps[DEMO.name][0] == DEMO.stat().st_size
    listing = folder_files(folder, load_dataset(workbook_paths(folder), "35.05"))
    assert pd.isna(listing.set_index("berkas").loc["pintasan.xlsx", "ukuran_kb"])


def test_signature_changes_when_a_broken_link_is_repaired(folder: Path) -> None:
    before = files_signature(folder)
    shutil.copy(DEMO, folder / "sudah-dihapus.xlsx")
    after = dict((p, (s, m)) for p, s, m in files_signature(folder))
    assert after[str(folder / "pintasan.xlsx")] != (-1, -1)
    assert before != tuple(files_signature(folder))
