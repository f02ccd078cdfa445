"""The follow-up command line, run as a user or a scheduled job would (subprocesses), against a real database."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from aiosmtpd.controller import Controller

from ovop_data import followup, store
from ovop_data.cli import main
from ovop_data.cli_tindak_lanjut import reminder_text

ROOT = Path(__file__).resolve().parent.parent
DPMD = "Dinas Pemberdayaan Masyarakat dan Desa"
DISPERTA = "Dinas Pertanian dan Pangan"
ROWS = [  # tanggal, desa, kecamatan, aspirasi, opd, status, tenggat
    ("2026-01-05", "Pakisrejo", "Srengat", "Pelatihan pengelolaan desa wisata", DPMD, "Belum", "2026-02-01"),
    ("2026-01-05", "Pakisrejo", "Srengat", "Harga pakan ikan mahal", DISPERTA, "Proses", "2026-03-20"),
    ("2026-01-05", "Ngaglik", "Srengat", "Bantuan alat pengering", DISPERTA, "Belum", "2026-09-01"),
    ("2026-01-05", "Ngaglik", "Srengat", "Sertifikat halal", DPMD, "Selesai", "2026-01-10"),
]


def write_workbook(path: Path) -> Path:
    frame = pd.DataFrame(
        ROWS, columns=["Tanggal", "Desa", "Kecamatan", "Aspirasi", "OPD Penanggung Jawab", "Status", "Tenggat"]
    )
    frame.to_excel(path, sheet_name="Aspirasi", index=False)
    return path


@pytest.fixture
def env(tmp_path, database_url) -> dict[str, str]:
    """A data folder with one aspiration workbook, and the database: the environment of every command."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_workbook(folder / "aspirasi.xlsx")
    return {**os.environ, "OVOP_DATA_DIR": str(folder), "OVOP_DATABASE_URL": database_url}


def run_here(monkeypatch, capsys, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """The command run in this process (same parser and code as a subprocess, without its 3 s start-up)."""
    for name in ("OVOP_DATA_DIR", "OVOP_DATABASE_URL"):
        monkeypatch.setenv(name, env[name])
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ovop_data", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def aspirasi(env: dict[str, str]) -> list[dict]:
    done = cli(env, "aspirasi", str(Path(env["OVOP_DATA_DIR"]) / "aspirasi.xlsx"), "--json", "--today", "2026-01-20")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def one_time_password(env: dict[str, str], user: str, *args: str) -> str:
    done = cli(env, "akun", "tambah", user, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[-1]


def test_report_then_history_and_effective_status(env, monkeypatch, capsys):
    """Akun, reports and the first listing in this process; history and the final listing as subprocesses."""
    workbook = str(Path(env["OVOP_DATA_DIR"]) / "aspirasi.xlsx")
    assert run_here(monkeypatch, capsys, env, "akun", "tambah", "dpmd", "--peran", "opd", "--opd", DPMD)[0] == 0
    code, out, _ = run_here(monkeypatch, capsys, env, "aspirasi", workbook, "--json", "--today", "2026-01-20")
    before = json.loads(out)
    assert code == 0
    assert [set(r) for r in before] == [
        {"id", "tanggal", "kode_desa", "desa", "opd", "status", "tenggat", "terakhir_diperbarui"}
    ] * len(ROWS)
    first = before[0]
    assert first["status"] == "Belum" and first["terakhir_diperbarui"] is None and first["desa"] == "Pakisrejo"
    assert first["id"] == followup.tracking_id("2026-01-05", first["kode_desa"], ROWS[0][3])

    report = ("tindak-lanjut", "catat", first["id"], "--oleh", "dpmd", "--status", "Proses", "--catatan")
    assert run_here(monkeypatch, capsys, env, *report, "Jadwal disusun")[0] == 0
    later = ("--tenggat", "2026-04-30", "--alasan", "P-APBD")
    assert run_here(monkeypatch, capsys, env, *report, "Menunggu anggaran", *later)[0] == 0

    done = cli(env, "tindak-lanjut", "riwayat", first["id"], "--json")
    assert done.returncode == 0, done.stderr
    history = json.loads(done.stdout)
    assert [(e["status_dari"], e["status_ke"], e["catatan"]) for e in history] == [
        ("Belum", "Proses", "Jadwal disusun"),
        ("Proses", "Proses", "Menunggu anggaran"),
    ]
    assert history[1]["tenggat_baru"] == "2026-04-30" and history[1]["alasan_tenggat"] == "P-APBD"
    assert history[0]["oleh"] == "dpmd" and history[0]["waktu"] < history[1]["waktu"]

    after = {r["id"]: r for r in aspirasi(env)}
    assert after[first["id"]]["status"] == "Proses"
    assert after[first["id"]]["tenggat"] == "2026-04-30"
    assert after[first["id"]]["terakhir_diperbarui"] == history[1]["waktu"]
    assert after[before[1]["id"]] == before[1]  # the other items are untouched


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_refusals_exit_1_with_the_reason(env, monkeypatch, capsys):
    assert run_here(monkeypatch, capsys, env, "akun", "tambah", "dpmd", "--peran", "opd", "--opd", DPMD)[0] == 0
    code, out, _ = run_here(
        monkeypatch, capsys, env, "aspirasi", str(Path(env["OVOP_DATA_DIR"]) / "aspirasi.xlsx"), "--json"
    )
    ids = [r["id"] for r in json.loads(out)]
    cases = [
        (["ASP-00000000-tidakada", "--status", "Proses", "--catatan", "x", "--oleh", "dpmd"], "tidak ditemukan"),
        ([ids[0], "--status", "Selesai", "--oleh", "dpmd"], "wajib disertai catatan"),
        ([ids[1], "--status", "Proses", "--catatan", "x", "--oleh", "dpmd"], f"ditugaskan ke {DISPERTA}"),
        ([ids[0], "--status", "Proses", "--catatan", "x", "--oleh", "hantu"], "tidak dikenal"),
        ([ids[0], "--catatan", "x", "--tenggat", "2026-05-01", "--oleh", "dpmd"], "wajib disertai alasan"),
        ([ids[0], "--catatan", "x", "--tenggat", "1 Mei", "--alasan", "y", "--oleh", "dpmd"], "bukan tanggal"),
    ]
    for args, reason in cases:
        code, out, err = run_here(monkeypatch, capsys, env, "tindak-lanjut", "catat", *args)
        assert code == 1, (args, out)
        assert reason in err
    code, out, _ = run_here(monkeypatch, capsys, env, "tindak-lanjut", "riwayat", ids[0], "--json")
    assert json.loads(out) == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_akun_tambah_refuses_an_unknown_agency_and_a_duplicate(env, monkeypatch, capsys):
    code, out, _ = run_here(monkeypatch, capsys, env, "akun", "tambah", "sek", "--peran", "sekretariat")
    assert code == 0 and len(out.split()[-1]) >= 12
    code, _, err = run_here(monkeypatch, capsys, env, "akun", "tambah", "x", "--peran", "opd", "--opd", "Dinas Ngawur")
    assert code == 1 and "bukan nama OPD baku" in err
    code, _, err = run_here(monkeypatch, capsys, env, "akun", "tambah", "SEK", "--peran", "sekretariat")
    assert code == 1 and "sudah ada" in err
    code, out, _ = run_here(monkeypatch, capsys, env, "db", "upgrade")
    assert code == 0 and "versi 0002" in out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_akun_tambah_penyedia_makes_a_passwordless_account_named_by_its_email(env, monkeypatch, capsys):
    args = ("akun", "tambah", "Kadis@Blitarkab.go.id", "--peran", "opd", "--opd", DPMD, "--penyedia")
    code, out, _ = run_here(monkeypatch, capsys, env, *args)
    assert code == 0 and "penyedia identitas" in out
    found = store.account("kadis@blitarkab.go.id")
    assert found is not None and found.opd == DPMD and not found.wajib_ganti
    assert store.verify_password("kadis@blitarkab.go.id", out.split()[-1]) is None  # nothing printed signs in
    code, _, err = run_here(monkeypatch, capsys, env, "akun", "tambah", "kadis", "--peran", "pimpinan", "--penyedia")
    assert code == 1 and "e-mail" in err


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_pengingat_writes_one_workbook_and_text_per_agency_and_mails_them(env, tmp_path):
    one_time_password(env, "tani@blitarkab.go.id", "--peran", "opd", "--opd", DISPERTA)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\npengirim = "ovop@blitarkab.go.id"\n')
    inbox = _Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        out = tmp_path / "pengingat"
        done = cli(env, "pengingat", "--out", str(out), "--today", "2026-03-10", "--secrets", str(secrets))
    finally:
        server.stop()
    # DPMD: overdue (2026-02-01); the Selesai one is not a reminder. Pertanian: due 2026-03-20 (10 days);
    # the September one is beyond 14 days.
    assert sorted(p.name for p in out.iterdir()) == [
        "pengingat_dinas_pemberdayaan_masyarakat_dan_desa.txt",
        "pengingat_dinas_pemberdayaan_masyarakat_dan_desa.xlsx",
        "pengingat_dinas_pertanian_dan_pangan.txt",
        "pengingat_dinas_pertanian_dan_pangan.xlsx",
    ]
    sheet = openpyxl.load_workbook(out / "pengingat_dinas_pertanian_dan_pangan.xlsx").active
    rows = list(sheet.values)
    assert rows[0][0] == "ID Aspirasi" and len(rows) == 2 and rows[1][4] == "Harga pakan ikan mahal"
    text = (out / "pengingat_dinas_pemberdayaan_masyarakat_dan_desa.txt").read_text()
    assert "1 terlambat" in text and "terlambat 37 hari" in text and "Pelatihan pengelolaan desa wisata" in text
    # mailed where the agency has an e-mail account; DPMD has none: said, exit 1
    assert [to for to, _ in inbox.messages] == [["tani@blitarkab.go.id"]]
    assert b"Harga pakan ikan mahal" in inbox.messages[0][1]
    assert done.returncode == 1 and "belum punya akun ber-alamat e-mail" in done.stderr


def test_reminder_text_is_short_and_plain():
    rows = pd.DataFrame(
        {"id": ["ASP-1"], "desa": ["Pakisrejo"], "aspirasi": ["x" * 200], "hari_tersisa": [3]},
    )
    text = reminder_text(DPMD, rows, dt.date(2026, 1, 1))
    assert "0 terlambat, 1 jatuh tempo segera" in text and "tenggat 3 hari lagi" in text
    assert max(len(line) for line in text.splitlines()) < 140


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_summary_counts_the_effective_statuses(env, monkeypatch, capsys):
    workbook = str(Path(env["OVOP_DATA_DIR"]) / "aspirasi.xlsx")

    def dpmd_counts() -> dict:
        _, out, _ = run_here(monkeypatch, capsys, env, "summary", workbook, "--json", "--today", "2026-03-10")
        return next(o for o in json.loads(out)["opd"] if o["opd"] == DPMD)

    assert dpmd_counts() | {"aspirasi": 2, "belum": 1, "selesai": 1, "terlambat": 1} == dpmd_counts()
    run_here(monkeypatch, capsys, env, "akun", "tambah", "dpmd", "--peran", "opd", "--opd", DPMD)
    _, out, _ = run_here(monkeypatch, capsys, env, "aspirasi", workbook, "--json")
    late = json.loads(out)[0]["id"]
    assert run_here(monkeypatch, capsys, env, "tindak-lanjut", "catat", late, "--status", "Selesai",
                    "--catatan", "Pelatihan dilaksanakan 3 Maret", "--oleh", "dpmd")[0] == 0  # fmt: skip
    assert dpmd_counts() | {"aspirasi": 2, "belum": 0, "selesai": 2, "terlambat": 0} == dpmd_counts()


def test_summary_without_a_database_creates_none(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    write_workbook(folder / "aspirasi.xlsx")
    monkeypatch.delenv("OVOP_DATABASE_URL", raising=False)
    monkeypatch.setenv("OVOP_DATA_DIR", str(folder))
    assert main(["summary", str(folder / "aspirasi.xlsx"), "--json", "--today", "2026-03-10"]) == 0
    assert json.loads(capsys.readouterr().out)["aspirasi_total"] == len(ROWS)
    assert sorted(p.name for p in folder.iterdir()) == ["aspirasi.xlsx"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_unggah_by_an_account_is_logged_and_checked(env, tmp_path, monkeypatch, capsys):
    run_here(monkeypatch, capsys, env, "akun", "tambah", "sek", "--peran", "sekretariat")
    run_here(monkeypatch, capsys, env, "akun", "tambah", "dpmd", "--peran", "opd", "--opd", DPMD)
    upload = write_workbook(tmp_path / "baru.xlsx")
    code, _, err = run_here(monkeypatch, capsys, env, "unggah", str(upload), "--oleh", "dpmd")
    assert code == 1 and "tidak boleh mengunggah" in err
    assert sorted(p.name for p in Path(env["OVOP_DATA_DIR"]).glob("*.xlsx")) == ["aspirasi.xlsx"]
    assert run_here(monkeypatch, capsys, env, "unggah", str(upload), "--oleh", "sek")[0] == 0
    log = store.upload_log(db=store.engine(env["OVOP_DATABASE_URL"]))
    assert log[["oleh", "berkas", "diterima", "ditolak", "disimpan"]].values.tolist() == [
        ["sek", "baru.xlsx", len(ROWS), 0, True]
    ]
    assert log["sha256"].iloc[0] == hashlib.sha256(upload.read_bytes()).hexdigest()
