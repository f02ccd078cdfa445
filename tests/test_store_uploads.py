"""Saving uploads: validated first, written atomically, the previous version archived — never data lost."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import stat
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import xlsxwriter
from filelock import FileLock

from ovop_data import store
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.store import uploads

AREA = "35.05"
NOW = dt.datetime(2025, 1, 2, 3, 4, 5)


def workbook(rows: list[tuple], sheet: str = "Produk", headers=("Nama Produk", "Kategori", "Desa", "Kecamatan")):
    """A small workbook as bytes: one sheet, one header row, the given rows."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as wb:
        ws = wb.add_worksheet(sheet)
        for c, header in enumerate(headers):
            ws.write(0, c, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                ws.write(r, c, value)
    return buffer.getvalue()


ROOT = Path(__file__).resolve().parent.parent
GOOD = workbook(
    [
        ("Keripik Tempe", "Makanan olahan", "Kemloko", "Nglegok"),
        ("Kopi Robusta", "Minuman", "Tidak Ada Desa Ini", "Nglegok"),
    ]
)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder (recursively) with its bytes: 'byte-identical' made checkable.

    The empty lock file is left out: it is created once, holds nothing, and is never loaded.
    """
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != store.LOCK_FILE
    }


def versions(folder: Path, name: str) -> Counter:
    """How often each content of `name` is found as the live file or in the archive."""
    found = [p.read_bytes() for p in (folder / store.ARCHIVE).glob(f"*_{name}")]
    live = folder / name
    return Counter([*found, *([live.read_bytes()] if live.exists() else [])])


def distinct_workbook(i: int) -> bytes:
    return workbook([(f"Keripik Tempe {i}", "Makanan olahan", "Kemloko", "Nglegok")])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "produk.xlsx").write_bytes(workbook([("Jenang", "Makanan olahan", "Kemloko", "Nglegok")]))
    return data


def test_good_upload_is_saved_and_the_previous_version_archived(folder: Path):
    old = (folder / "produk.xlsx").read_bytes()
    result = store.save_upload("produk.xlsx", GOOD, folder, AREA, now=NOW)

    assert result.ok, result.message
    assert (folder / "produk.xlsx").read_bytes() == GOOD
    archived = folder / "arsip" / "20250102-030405-000000_produk.xlsx"
    assert result.archived == [archived] and archived.read_bytes() == old
    assert result.counts["produk"] == {"rows_in": 2, "accepted": 1, "rejected": 1, "blank": 0}
    assert "1 baris produk diterima" in result.message and "1 baris ditolak" in result.message
    assert result.rejected["row"].tolist() == [3]  # the Excel row of the unknown village
    assert [p.name for p in workbook_paths(folder)] == ["produk.xlsx"]  # the archive is not loaded
    assert not list(folder.glob(".unggah-*"))  # no temporary file left behind
    assert load_dataset(workbook_paths(folder), AREA).produk["nama_produk"].tolist() == ["Keripik Tempe"]


def test_two_uploads_in_one_microsecond_keep_both_previous_versions(folder: Path):
    store.save_upload("produk.xlsx", GOOD, folder, AREA, now=NOW)
    second = store.save_upload("produk.xlsx", GOOD, folder, AREA, now=NOW)
    assert second.ok
    assert sorted(p.name for p in (folder / "arsip").iterdir()) == [
        "20250102-030405-000000-2_produk.xlsx",
        "20250102-030405-000000_produk.xlsx",
    ]


DEMO = (ROOT / "data" / "demo_produk_ovop.xlsx").read_bytes()  # carries the demo mark in every sheet


@pytest.mark.parametrize("demo_name", ["demo_produk_ovop.xlsx", "contoh.xlsx"])
def test_real_data_moves_the_demo_workbooks_to_the_archive(folder: Path, demo_name: str):
    """Demo-ness is the mark inside the workbook, whatever the file is called."""
    demo = folder / demo_name
    demo.write_bytes(DEMO)
    real_named_demo = folder / "demo_lama.xlsx"  # real data that happens to be named demo_…: stays
    real_named_demo.write_bytes(GOOD)
    result = store.save_upload("data_2025.xlsx", GOOD, folder, AREA, now=NOW)
    assert result.ok
    assert not demo.exists() and real_named_demo.exists()
    assert (folder / "arsip" / f"20250102-030405-000000_{demo_name}").read_bytes() == DEMO
    assert f"Data demo ({demo_name}) dipindahkan ke arsip" in result.message


def test_uploading_the_demo_again_retires_nothing(folder: Path):
    (folder / "demo_kunjungan_ovop.xlsx").write_bytes((ROOT / "data" / "demo_kunjungan_ovop.xlsx").read_bytes())
    assert store.save_upload("salinan_demo.xlsx", DEMO, folder, AREA, now=NOW).ok
    assert (folder / "demo_kunjungan_ovop.xlsx").exists()


def test_demo_can_be_kept(folder: Path):
    (folder / "demo_produk_ovop.xlsx").write_bytes(DEMO)
    assert store.save_upload("data_2025.xlsx", GOOD, folder, AREA, retire_demo=False).ok
    assert (folder / "demo_produk_ovop.xlsx").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rusak.xlsx", os.urandom(4096), "tidak bisa dibaca sebagai spreadsheet"),
        ("kosong.xlsx", b"", "kosong"),
        ("lain.xlsx", workbook([("a", "b")], sheet="Lembar1", headers=("Harga", "Satuan")), "tidak berisi tabel"),
        ("ditolak.xlsx", workbook([("Keripik", "Makanan olahan", "Antah Berantah", "")]), "Tidak ada baris"),
        ("program.exe", GOOD, "bukan spreadsheet"),
    ],
)
def test_refused_upload_leaves_the_folder_byte_identical(folder: Path, name: str, content: bytes, message: str):
    before = snapshot(folder)
    result = store.save_upload(name, content, folder, AREA, now=NOW)
    assert not result.ok
    assert message in result.message
    assert snapshot(folder) == before


def test_broken_workbook_message_is_indonesian(folder: Path):
    result = store.save_upload("rusak.xlsx", os.urandom(4096), folder, AREA)
    assert result.message == (
        "Berkas 'rusak.xlsx' tidak bisa dibaca sebagai spreadsheet (rusak atau bukan Excel). "
        "Data di folder tidak diubah."
    )


def test_path_traversal_stays_inside_the_folder(folder: Path):
    outside = folder.parent
    before = {p.name for p in outside.iterdir()}
    result = store.save_upload("../../jahat.xlsx", GOOD, folder, AREA)
    assert result.ok and result.file == "jahat.xlsx"
    assert (folder / "jahat.xlsx").read_bytes() == GOOD
    assert {p.name for p in outside.iterdir()} == before


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\Users\\staf\\..\\Data OVOP.XLSX", "Data OVOP.xlsx"),
        ("produk<script>.xlsx", "produk_script_.xlsx"),
        ("..", "unggahan"),
        (".xlsx", "xlsx"),  # a hidden file is not a spreadsheet: refused by its (missing) suffix
        ("ｄａｔａ.xlsx", "data.xlsx"),  # full-width letters folded to ASCII
        ("~$produk.xlsx", "_produk.xlsx"),  # Excel's lock-file prefix cannot survive
        ("a" * 300 + ".xlsx", "a" * 95 + ".xlsx"),
        ("данные.xlsx", "данные.xlsx"),  # other scripts keep their letters…
        ("数据.XLSX", "数据.xlsx"),
        ("بيانات.xlsx", "بيانات.xlsx"),
        ("डेटा.xlsx", "डेटा.xlsx"),  # …and their vowel signs
        ("Désa Kemloko.xlsx", "Desa Kemloko.xlsx"),  # accents on Latin letters are folded
        ("..\\..\\данные.xlsx", "данные.xlsx"),
        ("．．／．．／etc／passwd.xlsx", "passwd.xlsx"),  # full-width '../' is a path too
        ("harga\u202excod.xlsx", "hargaxcod.xlsx"),  # a right-to-left override cannot disguise the suffix
        ("baris\nbaru\x00.xlsx", "baris_baru_.xlsx"),
        ("con.xlsx", "_con.xlsx"),  # Windows device names
        ("LPT1.tahun.csv", "_LPT1.tahun.csv"),
        ("数" * 100 + ".xlsx", "数" * 31 + ".xlsx"),  # bounded to 100 bytes of UTF-8, whole characters
    ],
)
def test_safe_file_name(name: str, expected: str):
    assert store.safe_file_name(name) == expected


@pytest.mark.parametrize("name", ["данные.xlsx", "数据.xlsx", "بيانات.xlsx"])
def test_non_latin_name_is_saved_under_that_name(folder: Path, name: str):
    result = store.save_upload(name, GOOD, folder, AREA)
    assert result.ok, result.message
    assert (folder / name).read_bytes() == GOOD and f"'{name}' disimpan" in result.message


def test_saved_files_are_readable_by_others(folder: Path):
    store.save_upload("produk.xlsx", GOOD, folder, AREA)
    assert stat.S_IMODE((folder / "produk.xlsx").stat().st_mode) == store.FILE_MODE == 0o644


def test_archive_is_a_copy_where_hard_links_are_not_supported(folder: Path, monkeypatch):
    old = (folder / "produk.xlsx").read_bytes()

    def no_links(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(uploads.os, "link", no_links)
    result = store.save_upload("produk.xlsx", GOOD, folder, AREA, now=NOW)
    assert result.ok and result.archived[0].read_bytes() == old
    assert (folder / "produk.xlsx").read_bytes() == GOOD


def test_threads_saving_one_name_lose_no_version(folder: Path):
    contents = [distinct_workbook(i) for i in range(40)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: store.save_upload("sama.xlsx", c, folder, AREA), contents))
    assert all(r.ok for r in results)
    named = {c: f"unggahan {i}" for i, c in enumerate(contents)}
    found = Counter(named.get(c, "?") for c in versions(folder, "sama.xlsx").elements())
    assert found == Counter(named.values())  # each version once: live or archived
    assert not list(folder.glob(".unggah-*"))


def test_upload_waits_for_the_lock_and_gives_up_with_a_message(folder: Path, monkeypatch):
    monkeypatch.setattr(uploads, "LOCK_TIMEOUT", 0.2)
    before = snapshot(folder)
    with FileLock(folder / store.LOCK_FILE):  # another upload is archiving and replacing
        result = store.save_upload("produk.xlsx", GOOD, folder, AREA)
    assert not result.ok and result.code == "folder_sibuk"
    assert "unggahan lain ke folder data belum selesai" in result.message
    assert snapshot(folder) == before and not list(folder.glob(".unggah-*"))


def _folder_is_a_file(folder: Path) -> Path:
    path = folder / "bukan_folder"
    path.write_text("")
    return path


def _parent_is_a_file(folder: Path) -> Path:
    return _folder_is_a_file(folder) / "data"


def _archive_is_a_file(folder: Path) -> Path:
    (folder / store.ARCHIVE).write_text("")
    return folder


@pytest.mark.parametrize(
    "make",
    [
        _folder_is_a_file,
        _parent_is_a_file,
        _archive_is_a_file,
    ],
)
def test_unwritable_folder_is_a_message_and_nothing_half_written(folder: Path, make):
    target = make(folder)
    before = snapshot(folder)
    try:
        result = store.save_upload("produk.xlsx", GOOD, target, AREA)
    finally:
        folder.chmod(0o755)
    assert not result.ok and result.code == "folder_tidak_bisa_ditulis"
    assert result.message.startswith("Berkas 'produk.xlsx' tidak disimpan: folder data")
    assert "tidak bisa ditulis" in result.message and result.message.endswith("Data di folder tidak diubah.")
    assert result.counts["produk"]["accepted"] == 1  # the validation is still shown
    assert snapshot(folder) == before
    assert not list(folder.rglob(".unggah-*"))


def test_read_only_file_system_during_the_rename_keeps_the_old_file_and_no_archive_copy(folder: Path, monkeypatch):
    before = snapshot(folder)

    def read_only(src, dst):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(uploads.os, "replace", read_only)
    result = store.save_upload("produk.xlsx", GOOD, folder, AREA)
    assert not result.ok and "(sistem berkas hanya-baca)" in result.message
    assert snapshot(folder) == before
    assert not list(folder.glob(".unggah-*")) and not list((folder / store.ARCHIVE).iterdir())


def test_folder_files_lists_rows_per_table(folder: Path):
    store.save_upload(
        "kunjungan.xlsx",
        workbook([("2024-05-02", "Kemloko", "Nglegok")], sheet="Kunjungan", headers=("Tanggal", "Desa", "Kecamatan")),
        folder,
        AREA,
    )
    data = load_dataset(workbook_paths(folder), AREA)
    files = store.folder_files(folder, data).set_index("berkas")
    assert list(files.index) == ["kunjungan.xlsx", "produk.xlsx"]
    assert files.loc["produk.xlsx", ["produk", "kunjungan", "aspirasi", "ditolak"]].tolist() == [1, 0, 0, 0]
    assert files.loc["kunjungan.xlsx", "kunjungan"] == 1
    assert files.loc["produk.xlsx", "ukuran_kb"] > 0
