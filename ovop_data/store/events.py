"""Follow-up events: record one (after checking who may), read an item's history, and the logs for the audit view.

An event is appended and never edited or deleted. Its time is the server's clock in UTC when it is written;
events of one item are ordered by that time, then by the order they were written, so two people reporting
on the same item at the same moment both keep their report. Writers of one item take turns (SQLite's
BEGIN IMMEDIATE, a PostgreSQL advisory lock on the item), so each event's status_dari is the status the
previous one set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, func, insert, select

from .. import followup
from ..text import is_blank
from .accounts import account
from .db import database_exists, database_url, writes_refused
from .db import engine as default_engine
from .tables import gagal_masuk, tindak_lanjut, unggahan
from .uploads import safe_file_name

#: Columns of `events_of` / `all_events` (the evidence bytes are read only by `evidence_of`).
EVENT_COLUMNS = (
    "urutan",
    "id_pelacakan",
    "waktu",
    "oleh",
    "jenis",
    "status_dari",
    "status_ke",
    "catatan",
    "internal",
    "tautan_bukti",
    "jenis_bukti",
    "nama_bukti",
    "tenggat_baru",
    "alasan_tenggat",
    "opd_baru",
)
MAX_NOTE = 5000


class Refused(ValueError):
    """A follow-up request that is refused; the message says why (Bahasa Indonesia)."""


@dataclass(frozen=True)
class Item:
    """What the store needs to know of an aspiration to check a report: its ID, owner and workbook status."""

    id: str
    opd: str | None
    status: str | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record_event(
    item: Item,
    oleh: str,
    *,
    status: str | None = None,
    catatan: str = "",
    internal: bool = False,
    tautan_bukti: str | None = None,
    bukti: tuple[str, bytes] | None = None,
    tenggat_baru: dt.date | None = None,
    alasan_tenggat: str | None = None,
    bukan_kewenangan: bool = False,
    opd_baru: str | None = None,
    db: Engine | None = None,
) -> int:
    """Append one event for `item` by account `oleh`, after every check; its number, or Refused with the reason.

    A report (`status`, note, evidence, new deadline), "bukan kewenangan kami" (back to the secretariat's queue)
    or an assignment (`opd_baru`, secretariat only). The owner and status in force are read inside the same
    transaction, so the permission check and status_dari see the latest events.
    """
    refusal = writes_refused() if db is None else None  # a database given explicitly is not the ephemeral disk
    if refusal:
        raise Refused(refusal)
    db = db or default_engine()
    who = account(oleh, db=db)
    if who is None or not who.aktif:
        raise Refused(f"Akun '{oleh}' tidak dikenal atau nonaktif.")
    kind = (
        followup.PENUGASAN
        if opd_baru is not None
        else (followup.BUKAN_KEWENANGAN if bukan_kewenangan else followup.LAPORAN)
    )
    values = _checked_values(kind, status, catatan, tautan_bukti, bukti, tenggat_baru, alasan_tenggat, opd_baru)
    with db.begin() as conn:
        if conn.dialect.name == "postgresql":  # one writer per item at a time (SQLite: BEGIN IMMEDIATE already)
            conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(item.id))))
        history = _frame(conn.execute(_events_query(item.id)).mappings().all())
        current = followup.effective_statuses(
            pd.DataFrame(
                {"id": [item.id], "status": [item.status], "opd_penanggung_jawab": [item.opd], "tenggat": [None]}
            ),
            history,
        ).iloc[0]
        action = {followup.LAPORAN: "catat", followup.PENUGASAN: "tugaskan"}.get(kind, kind)
        if not followup.may(who.peran, who.opd, action, current["opd_efektif"]):
            raise Refused(_refusal(who.peran, who.opd, action, current["opd_efektif"]))
        if internal and not followup.may(who.peran, who.opd, "lihat_internal", current["opd_efektif"]):
            raise Refused("Akun ini tidak boleh menulis catatan internal.")
        result = conn.execute(
            insert(tindak_lanjut).values(
                id_pelacakan=item.id,
                waktu=_now(),
                oleh=who.nama,
                jenis=kind,
                status_dari=current["status_efektif"] if isinstance(current["status_efektif"], str) else None,
                internal=internal,
                **values,
            )
        )
        return int(result.inserted_primary_key[0])


def _checked_values(
    kind: str,
    status: str | None,
    catatan: str,
    tautan_bukti: str | None,
    bukti: tuple[str, bytes] | None,
    tenggat_baru: dt.date | None,
    alasan_tenggat: str | None,
    opd_baru: str | None,
) -> dict[str, object]:
    """The event's columns from the request, or Refused: note rules, status vocabulary, evidence, deadline reason."""
    note = (catatan or "").strip()
    if len(note) > MAX_NOTE:
        raise Refused(f"Catatan terlalu panjang (lebih dari {MAX_NOTE} karakter).")
    if kind == followup.LAPORAN:
        if status is not None and status not in followup.STATUSES:
            raise Refused(f"Status '{status}' tidak dikenal; gunakan Belum, Proses atau Selesai.")
        if status == followup.STATUS_SELESAI and not note:
            raise Refused("Status Selesai wajib disertai catatan: apa yang sudah dilakukan.")
        if status is None and not note and tenggat_baru is None:
            raise Refused("Laporan kosong: isi status, catatan atau tenggat baru.")
    elif kind == followup.BUKAN_KEWENANGAN and not note:
        raise Refused("Sebutkan alasan 'bukan kewenangan kami' di catatan (mis. OPD yang tepat).")
    if kind != followup.LAPORAN and (status is not None or tenggat_baru is not None):
        raise Refused("Penugasan dan 'bukan kewenangan kami' tidak mengubah status atau tenggat.")
    if tenggat_baru is not None and is_blank(alasan_tenggat):
        raise Refused("Tenggat baru wajib disertai alasan.")
    if opd_baru is not None and opd_baru not in followup.opd_labels():
        raise Refused(f"OPD '{opd_baru}' bukan nama OPD baku.")
    values: dict[str, object] = {
        "status_ke": status,
        "catatan": note,
        "tenggat_baru": tenggat_baru,
        "alasan_tenggat": alasan_tenggat.strip() if tenggat_baru is not None and alasan_tenggat else None,
        "opd_baru": opd_baru,
    }
    try:
        if tautan_bukti:
            values["tautan_bukti"] = followup.checked_link(tautan_bukti)
        if bukti is not None:
            name, content = bukti
            values.update(
                bukti=content, jenis_bukti=followup.checked_evidence(content), nama_bukti=safe_file_name(name)
            )
    except ValueError as err:
        raise Refused(str(err)) from err
    return values


def _refusal(peran: str, opd: str | None, action: str, item_opd: object) -> str:
    if peran == "opd" and action in ("catat", "bukan_kewenangan"):
        owner = item_opd or "belum ditetapkan (antrean sekretariat)"
        return f"Aspirasi ini ditugaskan ke {owner}, bukan ke {opd}; akun OPD hanya melaporkan aspirasi OPD-nya."
    return f"Peran {peran} tidak boleh melakukan '{action}'."


def _events_query(id_pelacakan: str | None = None):
    columns = [tindak_lanjut.c[name] for name in EVENT_COLUMNS]
    query = select(*columns).order_by(tindak_lanjut.c.waktu, tindak_lanjut.c.urutan)
    return query.where(tindak_lanjut.c.id_pelacakan == id_pelacakan) if id_pelacakan is not None else query


def _table(rows, columns: list[str]) -> pd.DataFrame:
    """Rows as a frame in which absent is None, never NaN (so JSON and comparisons see null)."""
    frame = pd.DataFrame([dict(r) for r in rows], columns=columns, dtype=object)
    return frame.where(frame.notna(), None)


def _frame(rows) -> pd.DataFrame:
    frame = _table(rows, list(EVENT_COLUMNS))
    if len(frame):
        frame["waktu"] = pd.to_datetime(frame["waktu"], utc=True)
    return frame


#: What `events_if_any` answers before the database exists (every run of a dashboard nobody has reported in yet):
#: built once, shared, never to be mutated.
_NO_EVENTS = _frame([])


def events_of(id_pelacakan: str, *, with_internal: bool = True, db: Engine | None = None) -> pd.DataFrame:
    """An item's events, oldest first; `with_internal=False` leaves out internal notes (for public views)."""
    db = db or default_engine()
    with db.connect() as conn:
        frame = _frame(conn.execute(_events_query(id_pelacakan)).mappings().all())
    return frame if with_internal else frame.loc[~frame["internal"].astype(bool)].reset_index(drop=True)


def all_events(*, db: Engine | None = None) -> pd.DataFrame:
    """Every event, oldest first (what effective statuses are computed from)."""
    db = db or default_engine()
    with db.connect() as conn:
        return _frame(conn.execute(_events_query()).mappings().all())


def events_if_any() -> pd.DataFrame:
    """Every event of the configured database; none (and no database file created) before the first use."""
    url = database_url()
    if not database_exists(url):
        return _NO_EVENTS
    return all_events(db=default_engine(url))


def evidence_of(urutan: int, *, db: Engine | None = None) -> tuple[str, str, bytes] | None:
    """The evidence file of one event (name, media type, bytes), or None."""
    db = db or default_engine()
    query = select(tindak_lanjut.c.nama_bukti, tindak_lanjut.c.jenis_bukti, tindak_lanjut.c.bukti).where(
        tindak_lanjut.c.urutan == urutan
    )
    with db.connect() as conn:
        row = conn.execute(query).first()
    return (row[0], row[1], bytes(row[2])) if row and row[2] is not None else None


def effective_statuses(items: pd.DataFrame, *, db: Engine | None = None) -> pd.DataFrame:
    """The items (id, status, opd_penanggung_jawab, tenggat[, diunggah]) with their effective status from the events."""
    return followup.effective_statuses(items, all_events(db=db))


def record_upload(
    oleh: str,
    berkas: str,
    content: bytes,
    diterima: int,
    ditolak: int,
    disimpan: bool,
    pesan: str,
    *,
    db: Engine | None = None,
) -> None:
    """Log an upload attempt (who, when, file, SHA-256, accepted/rejected rows, saved or not) for the audit view."""
    db = db or default_engine()
    with db.begin() as conn:
        conn.execute(
            insert(unggahan).values(
                waktu=_now(),
                oleh=oleh,
                berkas=berkas[:255],
                sha256=hashlib.sha256(content).hexdigest(),
                diterima=diterima,
                ditolak=ditolak,
                disimpan=disimpan,
                pesan=pesan,
            )
        )


def upload_log(*, db: Engine | None = None) -> pd.DataFrame:
    """The uploads log, newest first (the audit view and its export)."""
    db = db or default_engine()
    with db.connect() as conn:
        rows = conn.execute(select(unggahan).order_by(unggahan.c.waktu.desc(), unggahan.c.id.desc())).mappings().all()
    return _table(rows, [c.name for c in unggahan.columns])


def signin_failures(*, db: Engine | None = None) -> pd.DataFrame:
    """The failed sign-ins, newest first (the audit view and its export)."""
    db = db or default_engine()
    with db.connect() as conn:
        query = select(gagal_masuk).order_by(gagal_masuk.c.waktu.desc(), gagal_masuk.c.id.desc())
        rows = conn.execute(query).mappings().all()
    return _table(rows, [c.name for c in gagal_masuk.columns])
