"""Command line of the follow-up loop: accounts, aspirations with effective statuses, reports, history, reminders.

`python -m ovop_data akun tambah USER --peran opd --opd "Dinas Kesehatan"` prints a one-time password;
`aspirasi FILE… --json`, `tindak-lanjut catat|tugaskan|riwayat`, `pengingat --out DIR` and `db upgrade`.
Every command uses OVOP_DATABASE_URL or the SQLite file in the data folder. Exit codes: 0 done,
1 refused (the reason on stderr), 2 a file could not be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import smtplib
import sys
import tomllib
from email.message import EmailMessage
from pathlib import Path

import pandas as pd

from . import followup, store
from .config import PROJECT_DIR, data_dir
from .export import to_xlsx_bytes
from .load import load_dataset, workbook_paths
from .store import db as store_db
from .text import fold, is_blank

#: Where the dashboard keeps its secrets; [smtp] there turns on e-mailed reminders.
SECRETS_FILE = PROJECT_DIR / ".streamlit" / "secrets.toml"
#: Columns of a reminder workbook, in order.
REMINDER_COLUMNS = (
    "id_aspirasi",
    "tanggal",
    "desa",
    "kecamatan",
    "aspirasi",
    "status",
    "tenggat_efektif",
    "hari_tersisa",
    "terakhir_diperbarui",
)


def _uploaded_times(paths: list[Path]) -> dict[str, pd.Timestamp]:
    """When each workbook was last saved (UTC), by file name: a newer workbook disagreeing with a report is flagged."""
    times = {}
    for path in paths:
        try:
            times[path.name] = pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC")
        except OSError:
            continue  # unreadable: load_dataset reports it
    return times


def _ledger(paths: list[Path], area: str | None, today: dt.date) -> pd.DataFrame:
    """The aspirations of these workbooks with the effective statuses from the database."""
    data = load_dataset(paths, area)
    return followup.followup_ledger(data.aspirasi, store.all_events(), today=today, uploaded=_uploaded_times(paths))


def _folder_paths(args: argparse.Namespace) -> list[Path]:
    return workbook_paths(Path(args.data_dir) if args.data_dir else data_dir())


def _iso(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    return stamp.isoformat() if stamp.tzinfo else stamp.date().isoformat()


def aspirasi_records(ledger: pd.DataFrame) -> list[dict]:
    """The `aspirasi --json` document: one object per aspiration with its effective status."""
    return [
        {
            "id": r.id,
            "tanggal": _iso(r.tanggal),
            "kode_desa": r.kode_desa,
            "desa": r.desa,
            "opd": None if is_blank(r.opd_penanggung_jawab) else r.opd_penanggung_jawab,
            "status": None if is_blank(r.status) else r.status,
            "tenggat": _iso(r.tenggat_efektif),
            "terakhir_diperbarui": _iso(r.terakhir_diperbarui),
        }
        for r in ledger.itertuples()
    ]


def _fail(message: str) -> int:
    print(f"Ditolak: {message}", file=sys.stderr)
    return 1


def _cmd_akun_tambah(args: argparse.Namespace) -> int:
    try:
        password = store.add_account(args.user, args.peran, args.opd, penyedia=args.penyedia)
    except store.AccountError as err:
        return _fail(str(err))
    if password is None:
        print(f"Akun '{args.user.strip().lower()}' ({args.peran}) dibuat: masuk lewat penyedia identitas, tanpa sandi.")
        return 0
    print(f"Akun '{args.user.strip().lower()}' ({args.peran}) dibuat. Kata sandi sekali pakai (wajib diganti saat")
    print(f"masuk pertama; tidak ditampilkan lagi): {password}")
    return 0


def _cmd_akun_nonaktif(args: argparse.Namespace) -> int:
    try:
        store.disable_account(args.user)
    except store.AccountError as err:
        return _fail(str(err))
    print(f"Akun '{args.user.strip().lower()}' dinonaktifkan; sesi yang terbuka berakhir.")
    return 0


def _cmd_aspirasi(args: argparse.Namespace) -> int:
    paths = [Path(f) for f in args.files]
    unreadable = [p for p in paths if not p.is_file()]
    for path in unreadable:
        print(f"Galat: berkas '{path}' tidak bisa dibaca.", file=sys.stderr)
    ledger = _ledger(paths, args.wilayah, _today(args))
    records = aspirasi_records(ledger)
    if args.json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in records:
            print(f"{r['id']}  {r['status'] or '-':<8} {r['tenggat'] or '-':<10} {r['desa']}  {r['opd'] or '-'}")
    return 2 if unreadable else 0


def _today(args: argparse.Namespace) -> dt.date:
    return dt.date.fromisoformat(args.today) if getattr(args, "today", None) else dt.date.today()


def _item(args: argparse.Namespace) -> store.Item | None:
    """The aspiration `args.id` among the data folder's workbooks (owner and workbook status), or None."""
    data = load_dataset(_folder_paths(args), args.wilayah)
    ids = followup.tracking_ids(data.aspirasi)
    found = data.aspirasi.loc[ids == args.id]
    if not len(found):
        return None
    row = found.iloc[0]
    return store.Item(args.id, row["opd_penanggung_jawab"], row["status"])


def _cmd_catat(args: argparse.Namespace) -> int:
    item = _item(args)
    if item is None:
        return _fail(f"ID aspirasi '{args.id}' tidak ditemukan di buku kerja folder data.")
    try:
        tenggat = dt.date.fromisoformat(args.tenggat) if args.tenggat else None
    except ValueError:
        return _fail(f"Tenggat '{args.tenggat}' bukan tanggal YYYY-MM-DD.")
    bukti = None
    if args.bukti:
        try:
            bukti = (Path(args.bukti).name, Path(args.bukti).read_bytes()[: followup.EVIDENCE_MAX_BYTES + 1])
        except OSError as err:
            return _fail(f"Berkas bukti '{args.bukti}' tidak bisa dibaca ({err.strerror}).")
    try:
        number = store.record_event(
            item,
            args.oleh,
            status=args.status,
            catatan=args.catatan or "",
            internal=args.internal,
            tautan_bukti=args.tautan,
            bukti=bukti,
            tenggat_baru=tenggat,
            alasan_tenggat=args.alasan,
            bukan_kewenangan=args.bukan_kewenangan,
        )
    except store.Refused as err:
        return _fail(str(err))
    print(f"Tindak lanjut {args.id} dicatat (nomor {number}).")
    return 0


def _cmd_tugaskan(args: argparse.Namespace) -> int:
    item = _item(args)
    if item is None:
        return _fail(f"ID aspirasi '{args.id}' tidak ditemukan di buku kerja folder data.")
    try:
        store.record_event(item, args.oleh, catatan=args.catatan or "", opd_baru=args.opd)
    except store.Refused as err:
        return _fail(str(err))
    print(f"Aspirasi {args.id} ditugaskan ke {args.opd}.")
    return 0


def _cmd_riwayat(args: argparse.Namespace) -> int:
    events = store.events_of(args.id)
    records = [
        {
            "waktu": _iso(r.waktu),
            "oleh": r.oleh,
            "jenis": r.jenis,
            "status_dari": r.status_dari,
            "status_ke": r.status_ke,
            "catatan": r.catatan,
            "internal": bool(r.internal),
            "tautan_bukti": r.tautan_bukti,
            "bukti": None if is_blank(r.nama_bukti) else r.nama_bukti,
            "tenggat_baru": _iso(r.tenggat_baru),
            "alasan_tenggat": r.alasan_tenggat,
            "opd_baru": r.opd_baru,
        }
        for r in events.itertuples()
    ]
    if args.json:
        json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in records:
            change = f"{r['status_dari'] or '-'} → {r['status_ke']}" if r["status_ke"] else r["jenis"]
            print(f"{r['waktu']}  {r['oleh']}  {change}  {r['catatan']}")
    return 0


def _file_stem(opd: str) -> str:
    """A file name for an agency's reminder: 'Dinas Kesehatan' -> 'pengingat_dinas_kesehatan'."""
    return "pengingat_" + re.sub(r"[^a-z0-9]+", "_", fold(opd)).strip("_")


def reminder_text(opd: str, rows: pd.DataFrame, today: dt.date) -> str:
    """A short WhatsApp-ready message for one agency: counts, then one line per promise (most urgent first)."""
    late = int((rows["hari_tersisa"] < 0).sum())
    lines = [
        f"*Pengingat tindak lanjut aspirasi OVOP* ({today:%d/%m/%Y})",
        f"{opd}: {late} terlambat, {len(rows) - late} jatuh tempo segera.",
        "",
    ]
    for r in rows.itertuples():
        when = f"terlambat {-r.hari_tersisa} hari" if r.hari_tersisa < 0 else f"tenggat {r.hari_tersisa} hari lagi"
        lines.append(f"- {r.id} · {r.desa}: {str(r.aspirasi)[:80]} ({when})")
    lines += ["", "Laporkan perkembangan di dasbor OVOP (menu Tindak lanjut)."]
    return "\n".join(lines) + "\n"


def _cmd_pengingat(args: argparse.Namespace) -> int:
    today = _today(args)
    ledger = _ledger(_folder_paths(args), args.wilayah, today)
    due = followup.due_for_reminder(ledger, today=today, days=args.hari)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    smtp = _smtp_settings(Path(args.secrets))
    code = 0
    for opd, rows in due.groupby("opd", sort=True):
        table = rows.assign(id_aspirasi=rows["id"]).loc[:, list(REMINDER_COLUMNS)]
        table = table.assign(terakhir_diperbarui=table["terakhir_diperbarui"].dt.tz_localize(None))
        workbook = to_xlsx_bytes({"Pengingat": table})
        text = reminder_text(opd, rows, today)
        stem = _file_stem(opd)
        (out / f"{stem}.xlsx").write_bytes(workbook)
        (out / f"{stem}.txt").write_text(text, encoding="utf-8")
        print(f"ditulis: {out / stem}.xlsx ({len(rows)} aspirasi)")
        if smtp:
            code = max(code, _send(smtp, opd, stem, workbook, text))
    if due.empty:
        print(f"Tidak ada aspirasi terlambat atau jatuh tempo dalam {args.hari} hari.")
    return code


def _smtp_settings(path: Path) -> dict | None:
    """The [smtp] table of the secrets file (host, port, pengirim, optional user/password/starttls), or None."""
    try:
        with path.open("rb") as handle:
            settings = tomllib.load(handle).get("smtp")
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"Berkas rahasia '{path}' tidak bisa dibaca: {err}") from err
    return settings or None


def _send(smtp: dict, opd: str, stem: str, workbook: bytes, text: str) -> int:
    """E-mail one agency's reminder to its accounts' addresses; 1 when it has none or sending failed."""
    recipients = store.agency_emails(opd)
    if not recipients:
        print(f"Tidak dikirim: {opd} belum punya akun ber-alamat e-mail.", file=sys.stderr)
        return 1
    message = EmailMessage()
    message["Subject"] = f"Pengingat tindak lanjut aspirasi OVOP — {opd}"
    message["From"] = smtp["pengirim"]
    message["To"] = ", ".join(recipients)
    message.set_content(text)
    message.add_attachment(
        workbook,
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename=f"{stem}.xlsx",
    )
    try:
        with smtplib.SMTP(smtp["host"], int(smtp.get("port", 25)), timeout=30) as client:
            if smtp.get("starttls"):
                client.starttls()
            if smtp.get("user"):
                client.login(smtp["user"], smtp["password"])
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as err:
        print(f"Tidak dikirim ke {opd}: {err}", file=sys.stderr)
        return 1
    print(f"dikirim ke {opd}: {', '.join(recipients)}")
    return 0


def _cmd_db_upgrade(_args: argparse.Namespace) -> int:
    made = store.engine()
    print(f"Basis data {made.url.render_as_string(hide_password=True)} pada versi {store_db.current_revision(made)}.")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add akun, aspirasi, tindak-lanjut, pengingat and db to the main parser's subcommands."""
    p = subparsers.add_parser("akun", help="kelola akun bawaan (tanpa penyedia identitas)")
    sub = p.add_subparsers(dest="akun", required=True)
    q = sub.add_parser("tambah", help="buat akun; mencetak kata sandi sekali pakai")
    q.add_argument("user", metavar="USER", help="nama akun atau alamat e-mail")
    q.add_argument("--peran", required=True, choices=list(followup.ROLES))
    q.add_argument("--opd", help="nama OPD baku (wajib untuk peran opd)")
    q.add_argument(
        "--penyedia", action="store_true", help="akun penyedia identitas (OIDC): dinamai e-mail, tanpa kata sandi"
    )
    q.set_defaults(run=_cmd_akun_tambah)
    q = sub.add_parser("nonaktif", help="nonaktifkan akun; sesi yang terbuka berakhir")
    q.add_argument("user", metavar="USER")
    q.set_defaults(run=_cmd_akun_nonaktif)

    p = subparsers.add_parser("aspirasi", help="aspirasi dengan ID pelacakan dan status efektif")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.add_argument("--today", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
    p.set_defaults(run=_cmd_aspirasi)

    p = subparsers.add_parser("tindak-lanjut", help="catat atau lihat tindak lanjut satu aspirasi")
    sub = p.add_subparsers(dest="tindak_lanjut", required=True)
    q = sub.add_parser("catat", help="tambahkan laporan (tidak pernah mengubah yang lama)")
    q.add_argument("id", metavar="ID")
    q.add_argument("--status", choices=list(followup.STATUSES))
    q.add_argument("--catatan", help="apa yang dilakukan (wajib untuk Selesai)")
    q.add_argument("--oleh", required=True, metavar="USER", help="akun yang melapor")
    q.add_argument("--tenggat", help="tenggat baru YYYY-MM-DD (wajib dengan --alasan)")
    q.add_argument("--alasan", help="alasan tenggat baru")
    q.add_argument("--internal", action="store_true", help="catatan internal (tidak tampil di tautan publik)")
    q.add_argument("--tautan", help="tautan bukti (http/https)")
    q.add_argument("--bukti", metavar="BERKAS", help="foto atau PDF bukti, paling besar 2 MB")
    q.add_argument("--bukan-kewenangan", action="store_true", help="kembalikan ke antrean sekretariat")
    q.add_argument("--data-dir", metavar="DIR", help="folder data (bawaan: OVOP_DATA_DIR atau data/ proyek)")
    q.set_defaults(run=_cmd_catat)
    q = sub.add_parser("tugaskan", help="(sekretariat) tugaskan aspirasi ke OPD")
    q.add_argument("id", metavar="ID")
    q.add_argument("--opd", required=True)
    q.add_argument("--oleh", required=True, metavar="USER")
    q.add_argument("--catatan")
    q.add_argument("--data-dir", metavar="DIR")
    q.set_defaults(run=_cmd_tugaskan)
    q = sub.add_parser("riwayat", help="semua tindak lanjut satu aspirasi, terlama dulu")
    q.add_argument("id", metavar="ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(run=_cmd_riwayat)

    p = subparsers.add_parser(
        "pengingat", help="satu buku kerja dan teks WhatsApp per OPD: terlambat dan jatuh tempo segera"
    )
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--hari", type=int, default=14, help="jatuh tempo dalam berapa hari (bawaan 14)")
    p.add_argument("--today", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
    p.add_argument("--data-dir", metavar="DIR")
    p.add_argument("--secrets", default=str(SECRETS_FILE), help="berkas rahasia dengan [smtp] untuk kirim e-mail")
    p.set_defaults(run=_cmd_pengingat)

    p = subparsers.add_parser("db", help="basis data tindak lanjut")
    sub = p.add_subparsers(dest="db", required=True)
    q = sub.add_parser("upgrade", help="terapkan migrasi sampai versi terbaru")
    q.set_defaults(run=_cmd_db_upgrade)
