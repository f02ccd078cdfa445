"""Sign-in, roles and the Tindak Lanjut page with AppTest, over a real SQLite file (no mocks of the database)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pandas as pd
import pytest
from app_helpers import HALAMAN, SUBMIT_SIGN_IN, rendered_text, sign_in

from ovop_data import followup, store
from ovop_data.demo_mark import TANGGAL_ACUAN
from ovop_data.fmt import tanggal
from ovop_data.load import load_dataset, workbook_paths
from ovop_data.store import db
from ovop_data.store.events import EVENT_COLUMNS
from ovop_data.store.workbooks import store_workbook
from ovop_ui import cache
from ovop_ui.akun import User

DINKES = "Dinas Kesehatan"
OTHER = "Dinas Koperasi dan Usaha Mikro"
PASSWORD = "sandi-uji-yang-panjang"
SUBMIT_REPORT = "FormSubmitter:form_lapor-Kirim laporan"
SESSION = "_ovop_akun"


@pytest.fixture
def database(app_env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh SQLite file for the app and the test, and a throttle with no failures yet."""
    url = f"sqlite:///{tmp_path / 'ovop.sqlite3'}"
    monkeypatch.setenv(db.URL_VARIABLE, url)
    cache.login_throttle.clear()
    yield url
    cache.login_throttle.clear()
    db.dispose(url)


@pytest.fixture(scope="module")
def ledger(app_env) -> pd.DataFrame:
    """The demo ledger with tracking IDs, before any report."""
    data = load_dataset(workbook_paths(Path(app_env["OVOP_DATA_DIR"])), "35.05")
    return followup.followup_ledger(data.aspirasi, pd.DataFrame(columns=list(EVENT_COLUMNS)), today=TANGGAL_ACUAN)


def account(nama: str, peran: str, opd: str | None = None, *, change: bool = True) -> str:
    """Create an account; its password (the one-time one when `change` is False)."""
    one_time = store.add_account(nama, peran, opd)
    if not change:
        return one_time
    store.change_password(nama, one_time, PASSWORD)
    return PASSWORD


def ids_of(ledger: pd.DataFrame, opd: str) -> list[str]:
    return list(ledger.loc[ledger["opd_penanggung_jawab"] == opd, "id"])


def test_public_visitor_is_asked_to_sign_in_and_sees_no_internal_note(run_app, database, ledger):
    account("sekre", "sekretariat")
    item = ledger.loc[ledger["opd_penanggung_jawab"] == DINKES].iloc[0]
    store.record_event(
        store.Item(item["id"], DINKES, item["status"]), "sekre", catatan="RAHASIA-INTERNAL", internal=True
    )
    at = run_app(page="tindak_lanjut")
    assert not at.exception
    assert "masuk dulu" in rendered_text(at)
    assert not at.selectbox and not at.get("form")
    for page in ("tindak_lanjut", "kunjungan", "profil_desa"):
        at.switch_page(str(HALAMAN / f"{page}.py")).run()
        assert "RAHASIA-INTERNAL" not in rendered_text(at), page


@pytest.mark.parametrize(
    ("peran", "opd", "rows", "form"),
    [("opd", DINKES, 5, True), ("sekretariat", None, None, True), ("pimpinan", None, None, False)],
)
def test_each_role_signs_in_changes_the_one_time_password_and_sees_its_inbox(
    run_app, database, ledger, peran, opd, rows, form
):
    one_time = account("pengguna", peran, opd, change=False)
    at = sign_in(run_app, "pengguna", one_time, page="tindak_lanjut")
    assert "ganti kata sandi sekali pakai" in rendered_text(at)  # the inbox waits for a new password
    assert not at.selectbox
    at.switch_page(str(HALAMAN / "masuk.py")).run()
    at.text_input(key="sandi_lama").input(one_time)
    at.text_input(key="sandi_baru").input(PASSWORD)
    at.text_input(key="sandi_ulang").input(PASSWORD)
    at.button(key="FormSubmitter:form_ganti_sandi-Ganti kata sandi").click().run()
    assert not at.exception and not at.error
    at.switch_page(str(HALAMAN / "tindak_lanjut.py")).run()
    assert not at.exception
    assert "Masuk sebagai **pengguna**" in rendered_text(at)
    assert len(at.selectbox(key="tl_id").options) == (rows or len(ledger))
    figures = {m.label: int(m.value) for m in at.metric}
    assert sum(figures.values()) == (rows or len(ledger))
    assert bool(at.get("form")) == form
    # The new password works, the one-time one no longer does.
    assert store.verify_password("pengguna", PASSWORD) is not None
    assert store.verify_password("pengguna", one_time) is None


def test_inbox_lists_overdue_first(run_app, database):
    account("dinkes", "opd", DINKES)
    at = sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")
    table = next(df.value for df in at.dataframe if "Kelompok" in df.value.columns)
    order = [followup.KOTAK.index(k) for k in table["Kelompok"]]
    assert order == sorted(order) and order[0] == 0
    overdue = table.loc[table["Kelompok"] == followup.KOTAK[0], "Hari Tersisa (negatif: terlambat)"]
    assert overdue.is_monotonic_increasing and (overdue < 0).all()


def test_agency_reports_selesai_and_the_ledger_shows_it(run_app, database, ledger):
    account("dinkes", "opd", DINKES)
    at = sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")
    chosen = at.selectbox(key="tl_id").value
    assert chosen in ids_of(ledger, DINKES)
    at.selectbox(key="lapor_status").set_value("Selesai")
    at.button(key=SUBMIT_REPORT).click().run()
    assert "wajib disertai catatan" in " ".join(e.value for e in at.error)  # refused: no note
    assert store.all_events().empty

    at.text_area(key="lapor_catatan").input("Sosialisasi selesai 3 Desember")
    at.button(key=SUBMIT_REPORT).click().run()
    assert not at.exception and not at.error
    events = store.events_of(chosen)
    assert list(events["status_ke"]) == ["Selesai"] and events["oleh"].iloc[0] == "dinkes"
    assert "Laporan tersimpan." in [e.value for e in at.success]
    assert "Sosialisasi selesai 3 Desember" in rendered_text(at)  # the timeline

    at.switch_page(str(HALAMAN / "kunjungan.py")).run()
    assert not at.exception
    row = ledger.loc[ledger["id"] == chosen].iloc[0]
    promises = next(df.value for df in at.dataframe if tuple(df.value.columns[:4])[-1:] == ("Aspirasi",))
    same = (
        (promises["Aspirasi"] == row["aspirasi"])
        & (promises["Desa/Kelurahan"] == row["desa"])
        & (pd.to_datetime(promises["Tanggal"]) == row["tanggal"])
    )
    assert same.sum() == 1 and promises.loc[same, "Status"].iloc[0] == "Selesai"
    today_wib = pd.Timestamp.now(tz=followup.WAKTU_LOKAL)
    assert promises.loc[same, "Terakhir Diperbarui"].tolist() == [tanggal(today_wib)]
    assert (promises.loc[~same, "Terakhir Diperbarui"] == "belum ada laporan").all()
    assert promises.loc[same, "ID Aspirasi"].tolist() == [chosen]
    assert row["status"] != "Selesai"  # the workbook said otherwise


def test_agency_cannot_report_on_another_agencys_item_whatever_the_session_says(run_app, database, ledger):
    account("dinkes", "opd", DINKES)
    at = sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")
    real = at.session_state[SESSION]
    # A forged item ID: not in this agency's list, so no form for it and its internal notes stay hidden.
    other = ids_of(ledger, OTHER)[0]
    forged_id = run_app(page="tindak_lanjut", state={SESSION: real, "tl_id": other})
    assert not forged_id.exception
    # Streamlit falls back to an item of the list (the page would refuse one outside it): never the forged one.
    assert forged_id.session_state["tl_id"] in ids_of(ledger, DINKES)
    # A forged agency (or role) in the session is not believed: every run takes role and agency from the store.
    for forged in (
        User(real.nama, "opd", OTHER, real.generasi_sesi),
        User(real.nama, "sekretariat", None, real.generasi_sesi),
    ):
        at.session_state[SESSION] = forged
        at.run()
        assert not at.exception
        believed = at.session_state[SESSION]
        assert (believed.peran, believed.opd) == ("opd", DINKES)
        assert other not in at.selectbox(key="tl_id").options
        at.selectbox(key="lapor_status").set_value("Proses")
        at.text_area(key="lapor_catatan").input("laporan")
        at.button(key=SUBMIT_REPORT).click().run()
        assert not at.exception and not at.error
    # What was filed went to the agency's own item, never to the other agency's.
    events = store.all_events()
    assert len(events) == 2 and set(events["id_pelacakan"]) <= set(ids_of(ledger, DINKES))
    assert other not in set(events["id_pelacakan"])


def test_pimpinan_reads_internal_notes_the_public_does_not(run_app, database, ledger):
    account("sekre", "sekretariat")
    account("bupati", "pimpinan")
    item = ledger.loc[ledger["opd_penanggung_jawab"] == DINKES].iloc[0]
    store.record_event(
        store.Item(item["id"], DINKES, item["status"]), "sekre", catatan="CATATAN-INTERNAL", internal=True
    )
    store.record_event(store.Item(item["id"], DINKES, item["status"]), "sekre", status="Proses", catatan="CATATAN-UMUM")
    at = sign_in(run_app, "bupati", PASSWORD, page="tindak_lanjut")
    at.selectbox(key="tl_id").set_value(item["id"]).run()
    shown = rendered_text(at)
    assert "CATATAN-INTERNAL" in shown and "CATATAN-UMUM" in shown
    assert not at.get("form")  # reads only
    assert store.events_of(item["id"], with_internal=False)["catatan"].tolist() == ["CATATAN-UMUM"]
    publik = run_app(page="tindak_lanjut")
    assert "CATATAN-INTERNAL" not in rendered_text(publik)


def test_a_disabled_account_is_signed_out_at_its_next_run(run_app, database):
    account("dinkes", "opd", DINKES)
    at = sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")
    assert at.selectbox
    store.disable_account("dinkes")
    at.run()
    assert not at.exception
    assert SESSION not in at.session_state
    assert "Sesi Anda berakhir" in " ".join(w.value for w in at.sidebar.warning)
    assert not at.selectbox and "masuk dulu" in rendered_text(at)


def test_wrong_passwords_are_throttled_and_logged(run_app, database):
    account("dinkes", "opd", DINKES)
    at = run_app(page="masuk")
    for n in range(1, 6):
        at.text_input(key="masuk_nama").input("dinkes")
        at.text_input(key="masuk_sandi").input(f"salah-{n}")
        at.button(key=SUBMIT_SIGN_IN).click().run()
        assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert "Terlalu banyak percobaan" in messages
    failures = store.signin_failures()
    assert len(failures) == 4 and set(failures["alasan"]) == {"sandi_salah"}  # the 5th was refused before checking
    assert "salah-" not in failures.to_csv()
    at.text_input(key="masuk_sandi").input(PASSWORD)  # even the right password waits
    at.button(key=SUBMIT_SIGN_IN).click().run()
    assert SESSION not in at.session_state
    assert "Terlalu banyak percobaan" in " ".join(e.value for e in at.error)


def test_before_any_report_the_public_ledger_is_the_workbooks_and_no_database_is_made(run_app, database):
    at = run_app(page="kunjungan")
    assert not at.exception
    headers = {h for df in at.dataframe for h in df.value.columns}
    assert "Aspirasi" in headers and "Terakhir Diperbarui" not in headers
    assert not Path(database.removeprefix("sqlite:///")).exists()


def test_the_identity_provider_is_offered_only_when_configured(run_app, database):
    provider = "Masuk dengan akun instansi (penyedia identitas)"
    plain = run_app(page="masuk")
    assert provider not in [b.label for b in plain.button]
    auth = {"client_id": "x", "client_secret": "y", "server_metadata_url": "https://idp.invalid/.well-known"}
    configured = run_app(page="masuk", secrets={"auth": auth})
    assert not configured.exception
    assert provider in [b.label for b in configured.button]


SUBMIT_ASSIGN = "FormSubmitter:form_tugaskan-Tugaskan"


def table_with(at, header: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if header in df.value.columns)


def inbox_ids(at) -> list[str]:
    """The tracking IDs of the inbox table shown."""
    return table_with(at, "Kelompok")["ID Aspirasi"].tolist()


def test_secretariat_reassigns_through_the_form_and_the_inboxes_follow(run_app, database, ledger):
    account("sekre", "sekretariat")
    account("dinkes", "opd", DINKES)
    account("koperasi", "opd", OTHER)
    item = ids_of(ledger, DINKES)[0]
    at = sign_in(run_app, "sekre", PASSWORD, page="tindak_lanjut")
    at.selectbox(key="tl_id").set_value(item).run()
    at.button(key=SUBMIT_ASSIGN).click().run()  # no agency chosen: refused before the store
    assert "Pilih OPD tujuan" in " ".join(e.value for e in at.error)
    at.selectbox(key="tugas_opd").set_value(OTHER)
    at.text_area(key="tugas_catatan").input("Urusan permodalan koperasi")
    at.button(key=SUBMIT_ASSIGN).click().run()
    assert not at.exception and not at.error
    assert f"Aspirasi ditugaskan ke {OTHER}." in [s.value for s in at.success]
    events = store.events_of(item)
    assert list(events["jenis"]) == [followup.PENUGASAN] and list(events["opd_baru"]) == [OTHER]
    assert list(events["oleh"]) == ["sekre"] and list(events["catatan"]) == ["Urusan permodalan koperasi"]
    shown = table_with(at, "Kelompok")
    assert shown.loc[shown["ID Aspirasi"] == item, "OPD Penanggung Jawab"].tolist() == [OTHER]

    old = sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")
    assert item not in set(inbox_ids(old)) and len(inbox_ids(old)) == len(ids_of(ledger, DINKES)) - 1
    new = sign_in(run_app, "koperasi", PASSWORD, page="tindak_lanjut")
    assert item in set(inbox_ids(new)) and len(inbox_ids(new)) == len(ids_of(ledger, OTHER)) + 1
    new.selectbox(key="tl_id").set_value(item).run()
    assert new.get("form") and "Urusan permodalan koperasi" in rendered_text(new)  # may report on it now


def test_an_assignment_typed_while_the_selection_changed_is_not_filed_against_another(run_app, database, ledger):
    """The form was drawn for one aspiration; if the page now selects another, nothing is assigned."""
    account("sekre", "sekretariat")
    first, second = ids_of(ledger, DINKES)[:2]
    at = sign_in(run_app, "sekre", PASSWORD, page="tindak_lanjut")
    at.selectbox(key="tl_id").set_value(first).run()
    at.selectbox(key="tl_id").set_value(second)  # the selection changes in the same run the form is sent
    at.selectbox(key="tugas_opd").set_value(OTHER)
    at.button(key=SUBMIT_ASSIGN).click().run()
    assert not at.exception
    assert "Penugasan tidak disimpan: daftar Anda berubah" in " ".join(e.value for e in at.error)
    assert store.events_if_any().empty
    at.selectbox(key="tugas_opd").set_value(OTHER)
    at.button(key=SUBMIT_ASSIGN).click().run()  # drawn for the item shown: filed
    assert list(store.events_of(second)["opd_baru"]) == [OTHER] and store.events_of(first).empty


def test_an_agencys_forged_reassignment_is_refused(run_app, database, ledger):
    account("dinkes", "opd", DINKES)
    at = sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")
    assert "Tugaskan ke OPD" not in [h.value for h in at.subheader]
    real = at.session_state[SESSION]
    at.session_state[SESSION] = User(real.nama, "sekretariat", None, real.generasi_sesi)  # a forged role
    at.run()
    assert not at.exception
    assert (at.session_state[SESSION].peran, at.session_state[SESSION].opd) == ("opd", DINKES)  # not believed
    assert "Tugaskan ke OPD" not in [h.value for h in at.subheader]
    assert "Antrean penugasan (belum ditetapkan)" not in [h.value for h in at.subheader]
    # Sent past the page all the same: the store asks the account's role again and refuses.
    row = ledger.loc[ledger["id"] == ids_of(ledger, OTHER)[0]].iloc[0]
    with pytest.raises(store.Refused, match="Peran opd tidak boleh"):
        store.record_event(store.Item(row["id"], OTHER, row["status"]), "dinkes", opd_baru=DINKES)
    assert store.all_events().empty


def test_queue_lists_items_without_agency_and_returned_ones_with_the_reason(run_app, database, ledger):
    account("sekre", "sekretariat")
    account("dinkes", "opd", DINKES)
    row = ledger.loc[ledger["opd_penanggung_jawab"] == DINKES].iloc[0]
    store.record_event(
        store.Item(row["id"], DINKES, row["status"]), "dinkes", catatan="Bukan kami: urusan Disperindag",
        bukan_kewenangan=True,
    )  # fmt: skip
    unowned = [i for i, o in zip(ledger["id"], ledger["opd_penanggung_jawab"], strict=True) if not followup.owners(o)]
    at = sign_in(run_app, "sekre", PASSWORD, page="tindak_lanjut")
    queue = table_with(at, "Dikembalikan oleh")
    assert set(queue["ID Aspirasi"]) == {row["id"], *unowned}
    returned = queue.loc[queue["ID Aspirasi"] == row["id"]].iloc[0]
    assert returned["Dikembalikan oleh"] == DINKES
    assert returned["Alasan Pengembalian"] == "Bukan kami: urusan Disperindag"
    assert queue.loc[queue["ID Aspirasi"] != row["id"], "Dikembalikan oleh"].isna().all()
    # The agency no longer has it in its inbox.
    assert row["id"] not in set(inbox_ids(sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")))


def test_a_newer_workbook_that_disagrees_is_flagged_for_the_secretariat_with_both_statuses(
    run_app, app_env, database, ledger
):
    account("sekre", "sekretariat")
    row = ledger.loc[(ledger["opd_penanggung_jawab"] == DINKES) & (ledger["status"] != "Selesai")].iloc[0]
    store.record_event(store.Item(row["id"], DINKES, row["status"]), "sekre", status="Selesai", catatan="beres")
    at = sign_in(run_app, "sekre", PASSWORD, page="tindak_lanjut")
    assert "Perlu ditinjau" not in [h.value for h in at.subheader]  # the workbook is older than the report
    workbook = Path(app_env["OVOP_DATA_DIR"]) / row["sumber"]
    later = time.time() + 3600
    os.utime(workbook, (later, later))  # saved again after the report, still saying the old status
    at.run()
    assert not at.exception
    assert "Perlu ditinjau" in [h.value for h in at.subheader]
    review = table_with(at, "Status Buku Kerja (lebih baru)")
    assert review["ID Aspirasi"].tolist() == [row["id"]]
    assert review["Status Laporan OPD"].tolist() == ["Selesai"]
    assert review["Status Buku Kerja (lebih baru)"].tolist() == [row["status"]]


def test_the_village_profile_shows_the_reported_status_and_date_and_never_the_internal_note(run_app, database, ledger):
    account("dinkes", "opd", DINKES)
    row = ledger.loc[(ledger["opd_penanggung_jawab"] == DINKES) & (ledger["status"] != "Selesai")].iloc[0]
    item = store.Item(row["id"], DINKES, row["status"])
    store.record_event(item, "dinkes", status="Selesai", catatan="Mesin diserahkan")
    store.record_event(item, "dinkes", catatan="RAHASIA-INTERNAL", internal=True)
    at = run_app(page="profil_desa", params={"desa": row["kode_desa"]})
    assert not at.exception
    assert "RAHASIA-INTERNAL" not in rendered_text(at)
    promises = table_with(at, "Terakhir Diperbarui")
    mine = promises.loc[promises["Aspirasi"] == row["aspirasi"]]
    assert len(mine) == 1 and mine["Status"].iloc[0].startswith("Selesai")
    assert mine["Terakhir Diperbarui"].iloc[0] == tanggal(pd.Timestamp.now(tz=followup.WAKTU_LOKAL))
    others = promises.loc[promises["Aspirasi"] != row["aspirasi"], "Terakhir Diperbarui"]
    assert (others == "belum ada laporan").all()


def test_a_report_typed_on_an_item_reassigned_meanwhile_is_not_filed_against_another(run_app, database, ledger):
    account("sekre", "sekretariat")
    account("dinkes", "opd", DINKES)
    at = sign_in(run_app, "dinkes", PASSWORD, page="tindak_lanjut")
    opened = at.selectbox(key="tl_id").value
    row = ledger.loc[ledger["id"] == opened].iloc[0]
    store.record_event(store.Item(opened, DINKES, row["status"]), "sekre", opd_baru=OTHER)  # while the form is open
    at.selectbox(key="lapor_status").set_value("Proses")
    at.text_area(key="lapor_catatan").input("dikerjakan")
    at.button(key=SUBMIT_REPORT).click().run()
    assert not at.exception
    assert "daftar Anda berubah" in " ".join(e.value for e in at.error)
    assert at.selectbox(key="tl_id").value != opened  # the page now shows another of its items
    assert list(store.all_events()["oleh"]) == ["sekre"]  # nothing filed, on either item


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_with_a_shared_database_a_newer_workbook_version_that_disagrees_is_flagged(
    run_app, app_env, database_url, monkeypatch, ledger
):
    monkeypatch.setenv(db.URL_VARIABLE, database_url)  # the workbooks live in the database, versioned
    cache.login_throttle.clear()
    assert not run_app(page="kunjungan").exception  # the first run copies the data folder's workbooks in
    account("sekre", "sekretariat")
    row = ledger.loc[(ledger["opd_penanggung_jawab"] == DINKES) & (ledger["status"] != "Selesai")].iloc[0]
    store.record_event(store.Item(row["id"], DINKES, row["status"]), "sekre", status="Selesai", catatan="beres")
    at = sign_in(run_app, "sekre", PASSWORD, page="tindak_lanjut")
    assert "Perlu ditinjau" not in [h.value for h in at.subheader]
    content = (Path(app_env["OVOP_DATA_DIR"]) / row["sumber"]).read_bytes()
    store_workbook(row["sumber"], content, demo=True, retire_demo=False)  # a new version, still the old status
    at.run()
    assert not at.exception
    review = table_with(at, "Status Buku Kerja (lebih baru)")
    assert review["ID Aspirasi"].tolist() == [row["id"]]
    assert review["Status Buku Kerja (lebih baru)"].tolist() == [row["status"]]
