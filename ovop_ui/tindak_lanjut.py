"""The follow-up page's pieces: an aspiration's timeline and the report form (which the store checks again)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ovop_data import followup, store
from ovop_data.escape import markdown_text
from ovop_data.store.events import MAX_NOTE
from ovop_data.store.workbooks import as_utc

from .akun import User
from .cache import files_signature
from .tables import show_table
from .view import View, tracked_ledger

_DONE = "_tl_tersimpan"  # the confirmation shown once after a stored report (the page reruns to show it)
_ASSIGNED = "_tl_ditugaskan"  # the same after a stored (re)assignment
_FORM_ITEM = "_tl_formulir_{}"  # the aspiration a form (lapor, tugaskan) was drawn for on the previous run
KOLOM_ANTREAN = {
    "tanggal": "Tanggal",
    "desa": "Desa/Kelurahan",
    "aspirasi": "Aspirasi",
    "dikembalikan_oleh": "Dikembalikan oleh",
    "alasan_pengembalian": "Alasan Pengembalian",
    "id_aspirasi": "ID Aspirasi",
}
KOLOM_TINJAU = {
    "status": "Status Laporan OPD",
    "status_buku_kerja": "Status Buku Kerja (lebih baru)",
    "terakhir_diperbarui": "Terakhir Diperbarui",
    "desa": "Desa/Kelurahan",
    "aspirasi": "Aspirasi",
    "opd_penanggung_jawab": "OPD Penanggung Jawab",
    "sumber": "Berkas",
    "id_aspirasi": "ID Aspirasi",
}
JENIS = {followup.LAPORAN: "Laporan", followup.BUKAN_KEWENANGAN: "Bukan kewenangan", followup.PENUGASAN: "Penugasan"}


def item_of(row: pd.Series) -> store.Item:
    """What the store needs to check a report on a ledger row: the workbook's owner and status (events on top)."""
    opd = row.get("opd_buku_kerja", row["opd_penanggung_jawab"])
    status = row.get("status_buku_kerja", row["status"])
    return store.Item(str(row["id"]), None if pd.isna(opd) else str(opd), None if pd.isna(status) else str(status))


def timeline(id_pelacakan: str, *, with_internal: bool) -> None:
    """The item's history, oldest first; internal notes only when `with_internal`, evidence files downloadable."""
    events = store.events_of(id_pelacakan, with_internal=with_internal)
    if events.empty:
        st.caption("Belum ada laporan tindak lanjut untuk aspirasi ini.")
        return
    waktu = pd.to_datetime(events["waktu"], utc=True).dt.tz_convert(followup.WAKTU_LOKAL).dt.strftime("%d/%m/%Y %H:%M")
    change = [f"{a or '—'} → {b}" if b else "" for a, b in zip(events["status_dari"], events["status_ke"], strict=True)]
    table = pd.DataFrame(
        {
            "Waktu (WIB)": waktu,
            "Oleh": events["oleh"],
            "Jenis": events["jenis"].map(JENIS),
            "Status": change,
            "Catatan": events["catatan"],
            "Internal": events["internal"].map({True: "internal", False: ""}),
            "Tenggat baru": events["tenggat_baru"].map(lambda d: "" if d is None else str(d)),
            "Alasan tenggat": events["alasan_tenggat"].fillna(""),
            "OPD baru": events["opd_baru"].fillna(""),
            "Tautan bukti": events["tautan_bukti"].fillna(""),
            "Berkas bukti": events["nama_bukti"].fillna(""),
        }
    )
    st.dataframe(table, hide_index=True, key=f"riwayat_{id_pelacakan}")
    for row in events.loc[events["nama_bukti"].notna()].itertuples():
        found = store.evidence_of(int(row.urutan))
        if found is not None:
            name, media, content = found
            st.download_button(
                f"⬇️ Bukti: {name}", content, file_name=name, mime=media, key=f"bukti_{row.urutan}", on_click="ignore"
            )


def _drawn_for(form: str, item: store.Item) -> str | None:
    """The aspiration `form` was drawn for on the previous run; this run's is remembered for the next.

    If the list changed under an open form (the item was reassigned away, dropped by a new workbook, or the
    filters changed), the page now selects another item: what was typed must not be filed against that one.
    """
    key = _FORM_ITEM.format(form)
    before = st.session_state.get(key)
    st.session_state[key] = item.id
    return before


def _list_changed(drawn_for: str | None, item: store.Item, what: str) -> bool:
    """Whether the form was drawn for another aspiration than the one now selected (then says so)."""
    if drawn_for is None or drawn_for == item.id:
        return False
    st.error(
        f"{what} tidak disimpan: daftar Anda berubah sejak formulir dibuka (aspirasi itu tidak lagi ditugaskan "
        "ke Anda, atau pilihan berganti). Periksa aspirasi yang terpilih lalu kirim lagi.",
        icon="⛔",
    )
    return True


def report_form(item: store.Item, user: User) -> None:
    """The report form; what is sent goes to `store.record_event`, which checks every permission again."""
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done, icon="✅")
    drawn_for = _drawn_for("lapor", item)
    with st.form("form_lapor"):
        status = st.selectbox(
            "Status baru", followup.STATUSES, index=None, placeholder="Status tidak berubah", key="lapor_status"
        )
        catatan = st.text_area("Catatan (wajib untuk Selesai)", max_chars=MAX_NOTE, key="lapor_catatan")
        internal = st.checkbox("Catatan internal (tidak tampil di tautan publik)", key="lapor_internal")
        tautan = st.text_input("Tautan bukti (https://…)", key="lapor_tautan")
        berkas = st.file_uploader(
            "Foto atau PDF bukti (paling besar 2 MB)", type=["jpg", "jpeg", "png", "webp", "pdf"], key="lapor_bukti"
        )
        tenggat = st.date_input("Tenggat baru (bila diubah)", value=None, format="DD/MM/YYYY", key="lapor_tenggat")
        alasan = st.text_input("Alasan tenggat baru", key="lapor_alasan")
        bukan = user.peran == "opd" and st.checkbox(
            "Bukan kewenangan kami (kembalikan ke Sekretariat OVOP; sebutkan OPD yang tepat di catatan)",
            key="lapor_bukan",
        )
        sent = st.form_submit_button("Kirim laporan", type="primary")
    if not sent:
        return
    if _list_changed(drawn_for, item, "Laporan"):
        return
    try:
        store.record_event(
            item,
            user.nama,
            status=status,
            catatan=catatan,
            internal=internal,
            tautan_bukti=tautan.strip() or None,
            bukti=(berkas.name, berkas.getvalue()) if berkas is not None else None,
            tenggat_baru=tenggat,
            alasan_tenggat=alasan.strip() or None,
            bukan_kewenangan=bool(bukan),
        )
    except store.Refused as err:
        st.error(f"Laporan tidak disimpan: {markdown_text(err, limit=None)}", icon="⛔")
        return
    st.session_state[_DONE] = "Laporan tersimpan."
    st.rerun()


def followup_ledger(view: View, events: pd.DataFrame) -> pd.DataFrame:
    """The view's aspirations as a follow-up ledger, flagged where a workbook saved after a report disagrees.

    Built from the workbook's own table (the view's has the reported statuses in place already) restricted to
    the view's aspirations, with each workbook's save time from the data folder's listing.
    """
    if followup.ID_COLUMN not in view.aspirasi or not len(events):
        return tracked_ledger(view)
    shown = view.data.aspirasi[followup.ID_COLUMN].isin(view.aspirasi[followup.ID_COLUMN])
    return followup.followup_ledger(view.data.aspirasi.loc[shown], events, today=view.today, uploaded=_workbook_times())


def _workbook_times() -> dict[str, pd.Timestamp]:
    """When each workbook in use was saved (UTC), by file name: its active version's in the shared database, else
    the data folder file's modification time."""
    if store.shared_database():
        return {str(w["nama"]): pd.Timestamp(as_utc(w["waktu"])) for w in store.active_workbooks()}
    return {Path(p).name: pd.Timestamp(ns, unit="ns", tz="UTC") for p, _, ns in files_signature() if ns >= 0}


def secretariat_tables(ledger: pd.DataFrame, events: pd.DataFrame) -> None:
    """The queue of aspirations with no agency (returned ones with the agency's reason) and those to review."""
    st.subheader("Antrean penugasan (belum ditetapkan)")
    st.caption("Aspirasi tanpa OPD, termasuk yang dikembalikan OPD sebagai 'bukan kewenangan kami'.")
    queue = followup.assignment_queue(ledger, events)
    show_table(queue, key="tabel_antrean", columns=KOLOM_ANTREAN, empty="Antrean kosong: semua aspirasi ber-OPD.")
    review = ledger.loc[ledger["perlu_ditinjau"].astype(bool)] if "perlu_ditinjau" in ledger else ledger.iloc[:0]
    if len(review):
        st.subheader("Perlu ditinjau")
        st.warning(
            f"{len(review)} aspirasi: buku kerja yang disimpan setelah laporan OPD menyebut status lain. "
            "Yang berlaku laporan OPD; periksa dan catat status yang benar.",
            icon="⚠️",
        )
        show_table(followup.with_update_text(review), key="tabel_tinjau", columns=KOLOM_TINJAU)


def assign_form(item: store.Item, user: User) -> None:
    """(Re)assign the aspiration to one canonical agency; `store.record_event` checks the role again."""
    done = st.session_state.pop(_ASSIGNED, None)
    if done:
        st.success(done, icon="✅")
    drawn_for = _drawn_for("tugaskan", item)
    with st.form("form_tugaskan"):
        opd = st.selectbox(
            "OPD penanggung jawab baru",
            sorted(followup.opd_labels()),
            index=None,
            placeholder="Pilih OPD",
            key="tugas_opd",
        )
        catatan = st.text_area("Catatan penugasan", max_chars=MAX_NOTE, key="tugas_catatan")
        sent = st.form_submit_button("Tugaskan", type="primary")
    if not sent:
        return
    if _list_changed(drawn_for, item, "Penugasan"):
        return
    if opd is None:
        st.error("Pilih OPD tujuan dulu.", icon="⛔")
        return
    try:
        store.record_event(item, user.nama, opd_baru=opd, catatan=catatan)
    except store.Refused as err:
        st.error(f"Penugasan tidak disimpan: {markdown_text(err, limit=None)}", icon="⛔")
        return
    st.session_state[_ASSIGNED] = f"Aspirasi ditugaskan ke {markdown_text(opd)}."
    st.rerun()
