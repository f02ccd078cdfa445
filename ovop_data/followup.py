"""The follow-up loop's rules, without a database: tracking IDs, effective status, who may do what, reminders.

The store (`ovop_data.store`) keeps the events; everything decided about them is decided here, on plain
values and DataFrames, so the rules are tested without SQL and the pages and the command line share them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

import pandas as pd

from . import metrics, vocab
from .fmt import tanggal
from .recorded import BELUM_ADA_LAPORAN
from .text import fold, header_key, is_blank

#: The three statuses, in the order a promise moves through them.
STATUSES = ("Belum", "Proses", "Selesai")
STATUS_SELESAI = "Selesai"

#: Roles: the shared link, an agency, the OVOP secretariat (administrator), the Bupati's office (reads only).
ROLES = ("publik", "opd", "sekretariat", "pimpinan")

#: Kinds of event: a progress report, "bukan kewenangan kami" (back to the secretariat), an (re)assignment.
LAPORAN = "laporan"
BUKAN_KEWENANGAN = "bukan_kewenangan"
PENUGASAN = "penugasan"
EVENT_KINDS = (LAPORAN, BUKAN_KEWENANGAN, PENUGASAN)

#: Who may do what. "catat" and "bukan_kewenangan" also need the item to be the agency's own (see `may`).
PERMISSIONS: Mapping[str, frozenset[str]] = {
    "lihat": frozenset(ROLES),
    "lihat_internal": frozenset({"opd", "sekretariat", "pimpinan"}),
    "catat": frozenset({"opd", "sekretariat"}),
    "bukan_kewenangan": frozenset({"opd"}),
    "tugaskan": frozenset({"sekretariat"}),
    "unggah": frozenset({"sekretariat"}),
    "kelola_akun": frozenset({"sekretariat"}),
    "audit": frozenset({"sekretariat", "pimpinan"}),
}
#: Actions an agency may take only on an item assigned to it.
_OWN_ITEM_ACTIONS = frozenset({"catat", "bukan_kewenangan", "lihat_internal"})

#: Largest evidence file kept in the database (bytes).
EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
#: Evidence kinds recognised by their first bytes (never by the name or the browser's word).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
_ID_PREFIX = "ASP"
#: The regency's time zone: an event's UTC time is shown, and its date taken, in WIB.
WAKTU_LOKAL = "Asia/Jakarta"


def opd_labels() -> frozenset[str]:
    """The canonical agency names an opd account may belong to (the OPD vocabulary)."""
    return frozenset(t.label for t in vocab.OPD)


def owners(opd_cell: object) -> list[str]:
    """The agencies named in a ledger's owner cell ('A; B' after validation), blank for none."""
    if is_blank(opd_cell):
        return []
    parts = (p.strip() for p in str(opd_cell).split(";"))
    return [p for p in parts if p and p != vocab.BELUM_DITETAPKAN]


def may(role: str, opd: str | None, action: str, item_opd: object = None) -> bool:
    """Whether an account of `role` (agency `opd`) may take `action` on an item owned by `item_opd`.

    The one place permissions are decided; every store function that changes something asks it first.
    Unknown roles and actions are refused.
    """
    allowed = PERMISSIONS.get(action, frozenset())
    if role not in allowed:
        return False
    if role == "opd" and action in _OWN_ITEM_ACTIONS:
        return bool(opd) and opd in owners(item_opd)
    return True


def tracking_id(tanggal: object, kode_desa: object, aspirasi: object, given: object = None) -> str:
    """The aspiration's stable tracking ID: the workbook's own ID when given, else derived from its content.

    Derived as ASP-<yyyymmdd>-<10 hex of sha256(date | village code | normalised text)>, so re-uploading a
    workbook (re-sorted, re-typed in other case or spacing) finds the same item and keeps its history.
    """
    if not is_blank(given):
        return str(given).strip()
    return _derived_id(_day_stamp(pd.to_datetime(tanggal, errors="coerce")), fold(kode_desa), header_key(aspirasi))


def _day_stamp(day: object) -> str:
    return "" if pd.isna(day) else day.strftime("%Y%m%d")


def _derived_id(stamp: str, kode: str, text: str) -> str:
    """The derived ID from the day, the folded village code and the normalised text."""
    key = "|".join((stamp, kode, text))
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    return f"{_ID_PREFIX}-{stamp or '00000000'}-{digest}"


#: The aspiration table's tracking-ID column: the workbook's own ID ("ID Aspirasi") when given, else derived.
ID_COLUMN = "id_aspirasi"


#: Where a validated row comes from: one input row naming several villages is one aspiration, one ID.
_INPUT_ROW = ["sumber", "sheet", "baris"]


def repeated_ids(aspirasi: pd.DataFrame) -> pd.Series:
    """Per row, whether its given tracking ID was already given to an earlier input row (it gets a derived ID).

    The rows of one input row naming several villages share its ID: they are one aspiration, not a repeat.
    """
    if ID_COLUMN not in aspirasi or aspirasi.empty:
        return pd.Series(False, index=aspirasi.index, dtype=bool)
    given = aspirasi[ID_COLUMN].map(lambda v: None if is_blank(v) else str(v).strip())
    source = [c for c in _INPUT_ROW if c in aspirasi]
    row = (
        aspirasi.groupby(source, sort=False, dropna=False).ngroup()
        if source
        else pd.Series(range(len(aspirasi)), index=aspirasi.index)
    )
    owner = row.groupby(given).transform("first")  # the input row that first gave each ID
    return (given.notna() & (row != owner)).astype(bool)


def tracking_ids(aspirasi: pd.DataFrame) -> pd.Series:
    """Tracking IDs for a ledger's rows: the `id_aspirasi` cell when given, else derived (`tracking_id`).

    A given ID already used by an earlier row is not used twice (validation reports it, `repeated_ids`): that row
    gets its derived ID. Identical derived IDs (same day, village, text) get '-2', '-3'… in row order. An ID set
    here and re-read (a validated table, an export re-uploaded) gives the same IDs again.
    """
    given = aspirasi[ID_COLUMN] if ID_COLUMN in aspirasi else pd.Series(None, index=aspirasi.index, dtype=object)
    given = given.where(~repeated_ids(aspirasi), None)
    is_given = pd.Series([not is_blank(g) for g in given], index=aspirasi.index, dtype=bool)
    days = aspirasi["tanggal"]  # a validated table's dates are typed; others are read one by one, like tracking_id
    if pd.api.types.is_datetime64_any_dtype(days):
        stamps = days.dt.strftime("%Y%m%d").fillna("").tolist()
    else:
        stamps = [_day_stamp(pd.to_datetime(d, errors="coerce")) for d in days]
    # Each distinct code and text is normalised once (a workbook repeats its villages many times).
    folded: dict[object, str] = {}
    kodes = [folded[k] if k in folded else folded.setdefault(k, fold(k)) for k in aspirasi["kode_desa"]]
    texts = [header_key(a) for a in aspirasi["aspirasi"]]
    base = pd.Series(
        [
            str(g).strip() if keep else _derived_id(t, k, a)
            for t, k, a, g, keep in zip(stamps, kodes, texts, given, is_given, strict=True)
        ],
        index=aspirasi.index,
        dtype=object,
    )
    derived = base.where(~is_given)
    nth = (derived.groupby(derived).cumcount() + 1).reindex(aspirasi.index).fillna(1).astype(int)
    return base.where(is_given | (nth == 1), base + "-" + nth.astype(str))


def effective_statuses(items: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Each item's effective status, owner and deadline: the latest event's, else the workbook's.

    `items`: id, status, opd_penanggung_jawab, tenggat and diunggah (when the workbook was saved, UTC).
    `events`: the store's events (id_pelacakan, waktu, jenis, status_ke, opd_baru, tenggat_baru).
    Adds status_efektif, opd_efektif, tenggat_efektif_baru, terakhir_diperbarui and perlu_ditinjau (a workbook
    saved after the latest report says another status: both are kept, the secretariat decides).
    """
    ordered = events.sort_values(["waktu", "urutan"]) if len(events) else events
    reports = ordered.loc[ordered["status_ke"].notna()] if len(ordered) else ordered
    last_status = reports.groupby("id_pelacakan")["status_ke"].last() if len(reports) else pd.Series(dtype=object)
    last_time = ordered.groupby("id_pelacakan")["waktu"].last() if len(ordered) else pd.Series(dtype=object)
    report_time = reports.groupby("id_pelacakan")["waktu"].last() if len(reports) else pd.Series(dtype=object)
    owner = _latest(ordered, "opd_baru", kinds=(PENUGASAN, BUKAN_KEWENANGAN))
    deadline = _latest(ordered, "tenggat_baru")
    ids = items["id"]
    event_status = ids.map(last_status)
    workbook_time = pd.to_datetime(items["diunggah"], utc=True) if "diunggah" in items else None
    reported_at = pd.to_datetime(ids.map(report_time), utc=True)
    newer = (
        (workbook_time > reported_at).fillna(False)
        if workbook_time is not None
        else pd.Series(False, index=items.index)
    )
    disagrees = event_status.notna() & (items["status"].astype(object) != event_status)
    return items.assign(
        status_efektif=event_status.where(event_status.notna(), items["status"]),
        opd_efektif=[
            (owner[i] or None) if i in owner else current
            for i, current in zip(ids, items["opd_penanggung_jawab"], strict=True)
        ],
        tenggat_efektif_baru=pd.to_datetime(ids.map(deadline)),
        terakhir_diperbarui=pd.to_datetime(ids.map(last_time), utc=True),
        perlu_ditinjau=(disagrees & newer).to_numpy(dtype=bool),
    )


def effective_aspirasi(
    aspirasi: pd.DataFrame, events: pd.DataFrame, *, uploaded: Mapping[str, object] | None = None
) -> pd.DataFrame:
    """The aspirations with the effective status, owner and deadline in place of the workbook's.

    The workbook's values are kept as status_buku_kerja, opd_buku_kerja and tenggat_buku_kerja; id (the
    tracking ID), terakhir_diperbarui and perlu_ditinjau are added. Everything built on the aspiration table
    (ledger, per-agency counts, village figures) then counts what the agencies reported. `uploaded`: when each
    source file was saved (UTC), to flag a newer workbook that disagrees with a report.
    """
    times = aspirasi["sumber"].map(uploaded) if uploaded is not None and "sumber" in aspirasi else None
    items = aspirasi.assign(id=tracking_ids(aspirasi), diunggah=times if times is not None else pd.NaT)
    eff = effective_statuses(items, events)
    moved = eff["tenggat_efektif_baru"]
    return eff.assign(
        status_buku_kerja=eff["status"],
        opd_buku_kerja=eff["opd_penanggung_jawab"],
        tenggat_buku_kerja=eff["tenggat"],
        status=eff["status_efektif"],
        opd_penanggung_jawab=eff["opd_efektif"],
        tenggat=moved.where(moved.notna(), pd.to_datetime(eff["tenggat"], errors="coerce")),
    ).drop(columns=["status_efektif", "opd_efektif", "tenggat_efektif_baru", "diunggah"])


def followup_ledger(
    aspirasi: pd.DataFrame,
    events: pd.DataFrame,
    *,
    today: dt.date,
    uploaded: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The aspiration ledger (`metrics.aspirasi_ledger`) over the effective statuses: what reminders and exports use."""
    return metrics.aspirasi_ledger(effective_aspirasi(aspirasi, events, uploaded=uploaded), today=today)


def last_update_text(values: pd.Series) -> pd.Series:
    """When each aspiration was last reported on, as its WIB date in house style; 'belum ada laporan' for none."""
    stamps = pd.to_datetime(values, utc=True).dt.tz_convert(WAKTU_LOKAL)
    return pd.Series(
        [BELUM_ADA_LAPORAN if pd.isna(t) else tanggal(t) for t in stamps], index=values.index, dtype=object
    )


def with_update_text(table: pd.DataFrame) -> pd.DataFrame:
    """The table with terakhir_diperbarui as `last_update_text` (for profiles and exports); unchanged without it."""
    if "terakhir_diperbarui" not in table:
        return table
    return table.assign(terakhir_diperbarui=last_update_text(table["terakhir_diperbarui"]))


def _latest(events: pd.DataFrame, column: str, kinds: tuple[str, ...] | None = None) -> dict[str, object]:
    """The latest value of `column` per item among events that set it (or, for `kinds`, among those kinds)."""
    if not len(events):
        return {}
    chosen = events.loc[events["jenis"].isin(kinds)] if kinds else events.loc[events[column].notna()]
    return {i: (None if is_blank(v) else v) for i, v in chosen.groupby("id_pelacakan")[column].last().items()}


def due_for_reminder(ledger: pd.DataFrame, *, today: dt.date, days: int = 14) -> pd.DataFrame:
    """Open promises overdue or due within `days`, per agency: overdue first (most overdue), then soonest due.

    `ledger`: `followup_ledger`'s (id, opd_penanggung_jawab, status, tenggat_efektif). Adds hari_tersisa
    (negative when overdue) and opd, one row per agency named; promises with no agency are the secretariat's
    queue, not an agency's reminder, and are left out.
    """
    now = pd.Timestamp(today)
    deadline = pd.to_datetime(ledger["tenggat_efektif"], errors="coerce")
    left = (deadline - now).dt.days
    wanted = (ledger["status"] != STATUS_SELESAI) & deadline.notna() & (left <= days)
    chosen = ledger.loc[wanted].assign(hari_tersisa=left[wanted].astype(int))
    chosen = chosen.assign(opd=chosen["opd_penanggung_jawab"].map(owners))
    chosen = chosen.explode("opd").dropna(subset=["opd"])
    return chosen.sort_values(["opd", "hari_tersisa", "id"], ignore_index=True)


#: The groups of an inbox, in the order they are listed.
KOTAK = ("Terlambat", "Jatuh tempo dekat", "Lainnya")


def inbox(ledger: pd.DataFrame, *, opd: str | None, today: dt.date, days: int = 14) -> pd.DataFrame:
    """What an account answers for, most urgent first: overdue (most overdue first), due within `days`, the rest.

    `ledger`: `followup_ledger`'s. `opd`: the agency whose aspirations are listed (None: every aspiration, for
    the secretariat and the Bupati's office). Adds hari_tersisa (negative when overdue, blank once Selesai) and
    kotak (one of KOTAK).
    """
    mine = ledger if opd is None else ledger.loc[[opd in owners(c) for c in ledger["opd_penanggung_jawab"]]]
    deadline = pd.to_datetime(mine["tenggat_efektif"], errors="coerce")
    open_ = (mine["status"] != STATUS_SELESAI).to_numpy(dtype=bool)
    left = (deadline - pd.Timestamp(today)).dt.days.astype("Int64").where(open_, pd.NA)
    group = pd.Series(2, index=mine.index).mask(left.le(days).fillna(False), 1).mask(left.lt(0).fillna(False), 0)
    ordered = mine.assign(hari_tersisa=left, kotak=group.map(dict(enumerate(KOTAK))), _urut=group)
    return ordered.sort_values(["_urut", "hari_tersisa", "id"], na_position="last", ignore_index=True).drop(
        columns="_urut"
    )


def assignment_queue(ledger: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The secretariat's queue: aspirations with no agency ("belum ditetapkan"), returned ones among them.

    `ledger`: `followup_ledger`'s (id, opd_penanggung_jawab, opd_buku_kerja). Adds dikembalikan_oleh (the agency
    that answered "bukan kewenangan kami", when that is why the item has no agency) and alasan_pengembalian
    (its note); both blank for an item the workbook left without an agency. Oldest aspiration first.
    """
    queue = ledger.loc[[not owners(c) for c in ledger["opd_penanggung_jawab"]]]
    returns = _returns(events, ledger)
    return queue.assign(
        dikembalikan_oleh=[returns.get(i, (None, None))[0] for i in queue["id"]],
        alasan_pengembalian=[returns.get(i, (None, None))[1] for i in queue["id"]],
    ).sort_values(["tanggal", "id"], ignore_index=True)


def _returns(events: pd.DataFrame, ledger: pd.DataFrame) -> dict[str, tuple[str | None, str]]:
    """Item -> (agency that returned it, its note), for items whose latest change of agency is such a return.

    The returning agency is the one in charge just before: the previous assignment's, else the workbook's.
    """
    if not len(events):
        return {}
    moves = events.loc[events["jenis"].isin((PENUGASAN, BUKAN_KEWENANGAN))].sort_values(["waktu", "urutan"])
    workbook = ledger.drop_duplicates("id").set_index("id").get("opd_buku_kerja", pd.Series(dtype=object))
    out: dict[str, tuple[str | None, str]] = {}
    for item, moved in moves.groupby("id_pelacakan", sort=False):
        if moved["jenis"].iloc[-1] != BUKAN_KEWENANGAN:
            continue
        before = moved["opd_baru"].iloc[-2] if len(moved) > 1 else workbook.get(item)
        out[item] = ("; ".join(owners(before)) or None, moved["catatan"].iloc[-1] or "")
    return out


def evidence_type(content: bytes) -> str | None:
    """The media type of a photo or PDF from its first bytes; None for anything else."""
    for magic, media in _MAGIC:
        if content.startswith(magic):
            return media
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def checked_evidence(content: bytes) -> str:
    """The evidence file's media type, or ValueError (in Indonesian) when too big or not a photo/PDF."""
    if len(content) > EVIDENCE_MAX_BYTES:
        raise ValueError(f"Bukti terlalu besar (lebih dari {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB).")
    media = evidence_type(content)
    if media is None:
        raise ValueError("Bukti harus foto (JPEG, PNG, WebP) atau PDF; isi berkas ini bukan salah satunya.")
    return media


def checked_link(link: str) -> str:
    """An evidence link as stored: http(s) only, or ValueError."""
    text = link.strip()
    if not text.lower().startswith(("https://", "http://")) or any(c.isspace() for c in text):
        raise ValueError("Tautan bukti harus alamat web yang diawali http:// atau https://.")
    return text
