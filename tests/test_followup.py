"""The follow-up rules without a database: tracking IDs, effective status, permissions, reminders, evidence."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ovop_data import followup
from ovop_data.store.events import EVENT_COLUMNS

DINKES = "Dinas Kesehatan"
DISPERTA = "Dinas Pertanian dan Pangan"


def events(*rows: dict) -> pd.DataFrame:
    """Events as the store returns them; unspecified columns empty."""
    base = dict.fromkeys(EVENT_COLUMNS)
    full = [{**base, "jenis": followup.LAPORAN, "internal": False, "catatan": "", **r} for r in rows]
    frame = pd.DataFrame(full, columns=list(EVENT_COLUMNS), dtype=object)
    frame["waktu"] = pd.to_datetime(frame["waktu"], utc=True)
    return frame


def items(**columns) -> pd.DataFrame:
    base = {"id": ["A"], "status": ["Belum"], "opd_penanggung_jawab": [DINKES], "tenggat": [None]}
    return pd.DataFrame({**base, **columns})


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("2025-03-01", "35.05.01.2001", "Butuh mesin jahit"),
            ("2025-03-01", "35.05.01.2001", "  butuh MESIN  jahit "),
        ),
        (
            ("2025-03-01", "35.05.01.2001", "Butuh mesin jahit"),
            (pd.Timestamp("2025-03-01"), "35.05.01.2001", "Butuh mesin jahit."),
        ),
    ],
)
def test_tracking_id_survives_retyping(first, second):
    assert followup.tracking_id(*first) == followup.tracking_id(*second)
    assert followup.tracking_id(*first).startswith("ASP-20250301-")


@pytest.mark.parametrize(
    "other",
    [
        ("2025-03-02", "35.05.01.2001", "Butuh mesin jahit"),
        ("2025-03-01", "35.05.01.2002", "Butuh mesin jahit"),
        ("2025-03-01", "35.05.01.2001", "Butuh mesin jahit baru"),
    ],
)
def test_tracking_id_differs_when_date_village_or_text_differs(other):
    assert followup.tracking_id("2025-03-01", "35.05.01.2001", "Butuh mesin jahit") != followup.tracking_id(*other)


def test_tracking_ids_use_the_workbooks_id_and_number_identical_rows():
    frame = pd.DataFrame(
        {
            "tanggal": ["2025-03-01"] * 3 + ["2025-04-01"],
            "kode_desa": ["35.05.01.2001"] * 4,
            "aspirasi": ["Pelatihan", "pelatihan", "Pelatihan", "Modal"],
            "id_aspirasi": [None, None, None, "LAPOR-77"],
        }
    )
    ids = followup.tracking_ids(frame).tolist()
    assert ids[1] == ids[0] + "-2" and ids[2] == ids[0] + "-3"
    assert ids[3] == "LAPOR-77"
    # re-uploaded in another order: the first of the identical rows keeps the plain ID
    assert followup.tracking_ids(frame.iloc[::-1]).loc[3] == "LAPOR-77"
    # IDs written back (a validated table, an export re-uploaded) are read back unchanged
    assert followup.tracking_ids(frame.assign(id_aspirasi=ids)).tolist() == ids


def test_a_given_id_used_twice_is_kept_by_the_first_row_only_and_one_row_of_several_villages_shares_it():
    frame = pd.DataFrame(
        {
            "tanggal": ["2025-03-01"] * 4,
            "kode_desa": ["35.05.01.2001", "35.05.01.2002", "35.05.01.2003", "35.05.01.2004"],
            "aspirasi": ["Pelatihan", "Pelatihan", "Modal", "Pasar"],
            "id_aspirasi": [" LAPOR-1 ", "LAPOR-1", "LAPOR-1", ""],
            "sumber": ["a.xlsx"] * 4,
            "sheet": ["Aspirasi"] * 4,
            "baris": [4, 4, 5, 6],  # row 4 names two villages
        }
    )
    assert followup.repeated_ids(frame).tolist() == [False, False, True, False]
    ids = followup.tracking_ids(frame).tolist()
    assert ids[:2] == ["LAPOR-1", "LAPOR-1"]
    assert ids[2] == followup.tracking_id("2025-03-01", "35.05.01.2003", "Modal")  # derived, not "LAPOR-1-2"
    assert ids[3] == followup.tracking_id("2025-03-01", "35.05.01.2004", "Pasar")  # blank: derived


def test_effective_status_is_the_latest_report_else_the_workbook():
    evs = events(
        {"urutan": 2, "id_pelacakan": "A", "waktu": "2026-01-02T10:00Z", "status_ke": "Selesai", "catatan": "x"},
        {"urutan": 1, "id_pelacakan": "A", "waktu": "2026-01-01T10:00Z", "status_ke": "Proses"},
        {"urutan": 3, "id_pelacakan": "A", "waktu": "2026-01-03T10:00Z", "catatan": "catatan saja"},
    )
    out = followup.effective_statuses(
        pd.DataFrame({"id": ["A", "B"], "status": ["Belum", "Proses"], "opd_penanggung_jawab": [DINKES, DINKES]}),
        evs,
    )
    assert out["status_efektif"].tolist() == ["Selesai", "Proses"]
    assert out["terakhir_diperbarui"].iloc[0] == pd.Timestamp("2026-01-03T10:00Z")
    assert pd.isna(out["terakhir_diperbarui"].iloc[1])
    assert not out["perlu_ditinjau"].any()


def test_same_time_events_are_ordered_by_the_order_written():
    at = "2026-01-01T10:00Z"
    evs = events(
        {"urutan": 8, "id_pelacakan": "A", "waktu": at, "status_ke": "Selesai", "catatan": "x"},
        {"urutan": 7, "id_pelacakan": "A", "waktu": at, "status_ke": "Proses"},
    )
    assert followup.effective_statuses(items(), evs)["status_efektif"].iloc[0] == "Selesai"


@pytest.mark.parametrize(
    ("uploaded", "workbook_status", "flagged"),
    [
        ("2026-02-01T00:00Z", "Belum", True),  # newer workbook disagrees: flagged, the report still counts
        ("2025-12-01T00:00Z", "Belum", False),  # older workbook: the report simply supersedes it
        ("2026-02-01T00:00Z", "Proses", False),  # newer workbook agrees
    ],
)
def test_newer_workbook_that_disagrees_is_flagged(uploaded, workbook_status, flagged):
    evs = events({"urutan": 1, "id_pelacakan": "A", "waktu": "2026-01-01T10:00Z", "status_ke": "Proses"})
    out = followup.effective_statuses(items(status=[workbook_status], diunggah=[pd.Timestamp(uploaded)]), evs)
    assert bool(out["perlu_ditinjau"].iloc[0]) is flagged
    assert out["status_efektif"].iloc[0] == "Proses" and out["status"].iloc[0] == workbook_status


def test_not_ours_returns_the_item_to_the_queue_and_assignment_sets_the_owner():
    evs = events(
        {
            "urutan": 1,
            "id_pelacakan": "A",
            "waktu": "2026-01-01T00:00Z",
            "jenis": followup.BUKAN_KEWENANGAN,
            "catatan": "x",
        },
    )
    assert followup.effective_statuses(items(), evs)["opd_efektif"].iloc[0] is None
    evs = events(
        {
            "urutan": 1,
            "id_pelacakan": "A",
            "waktu": "2026-01-01T00:00Z",
            "jenis": followup.BUKAN_KEWENANGAN,
            "catatan": "x",
        },
        {
            "urutan": 2,
            "id_pelacakan": "A",
            "waktu": "2026-01-02T00:00Z",
            "jenis": followup.PENUGASAN,
            "opd_baru": DISPERTA,
        },
    )
    assert followup.effective_statuses(items(), evs)["opd_efektif"].iloc[0] == DISPERTA


@pytest.mark.parametrize(
    ("role", "opd", "action", "item_opd", "allowed"),
    [
        ("opd", DINKES, "catat", DINKES, True),
        ("opd", DINKES, "catat", f"{DISPERTA}; {DINKES}", True),
        ("opd", DINKES, "catat", DISPERTA, False),
        ("opd", DINKES, "catat", None, False),
        ("opd", None, "catat", DINKES, False),
        ("opd", DINKES, "bukan_kewenangan", DINKES, True),
        ("opd", DINKES, "tugaskan", DINKES, False),
        ("opd", DINKES, "lihat_internal", DISPERTA, False),
        ("sekretariat", None, "catat", DISPERTA, True),
        ("sekretariat", None, "tugaskan", None, True),
        ("sekretariat", None, "kelola_akun", None, True),
        ("pimpinan", None, "lihat_internal", DINKES, True),
        ("pimpinan", None, "audit", None, True),
        ("pimpinan", None, "catat", DINKES, False),
        ("pimpinan", None, "unggah", None, False),
        ("publik", None, "lihat", None, True),
        ("publik", None, "lihat_internal", None, False),
        ("publik", None, "catat", DINKES, False),
        ("tamu", None, "lihat", None, False),
        ("sekretariat", None, "hapus", None, False),
    ],
)
def test_may(role, opd, action, item_opd, allowed):
    assert followup.may(role, opd, action, item_opd) is allowed


def test_due_for_reminder_overdue_first_then_soonest_per_agency():
    ledger = pd.DataFrame(
        {
            "id": ["late", "soon", "far", "done", "shared", "nobody"],
            "opd_penanggung_jawab": [DINKES, DINKES, DINKES, DINKES, f"{DINKES}; {DISPERTA}", None],
            "status": ["Belum", "Proses", "Belum", "Selesai", "Belum", "Belum"],
            "tenggat_efektif": pd.to_datetime(
                ["2026-01-01", "2026-01-20", "2026-03-01", "2026-01-01", "2026-01-12", "2026-01-01"]
            ),
        }
    )
    due = followup.due_for_reminder(ledger, today=dt.date(2026, 1, 10), days=14)
    assert due.loc[due["opd"] == DINKES, "id"].tolist() == ["late", "shared", "soon"]
    assert due.loc[due["opd"] == DISPERTA, "id"].tolist() == ["shared"]
    assert due.set_index("id").loc["late", "hari_tersisa"] == -9
    assert "nobody" not in due["id"].tolist() and "far" not in due["id"].tolist()


@pytest.mark.parametrize(
    ("content", "media"),
    [
        (b"%PDF-1.7\n...", "application/pdf"),
        (b"\xff\xd8\xff\xe0 jfif", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
def test_evidence_by_magic_bytes(content, media):
    assert followup.checked_evidence(content) == media


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 an exe named foto.jpg", "foto (JPEG, PNG, WebP) atau PDF"),
        (b"<svg onload=alert(1)>", "foto (JPEG, PNG, WebP) atau PDF"),
        (b"%PDF-" + b"0" * followup.EVIDENCE_MAX_BYTES, "terlalu besar"),
    ],
)
def test_evidence_refused(content, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        followup.checked_evidence(content)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://x", "https://a b", "data:text/html,x"])
def test_evidence_link_must_be_web_address(link):
    with pytest.raises(ValueError, match="http"):
        followup.checked_link(link)


def test_effective_aspirasi_replaces_status_owner_and_deadline_and_keeps_the_workbooks():
    aspirasi = pd.DataFrame(
        {
            "tanggal": pd.to_datetime(["2026-01-05"]),
            "kode_desa": ["35.05.03.2005"],
            "aspirasi": ["Pelatihan"],
            "opd_penanggung_jawab": [DINKES],
            "status": ["Belum"],
            "tenggat": pd.to_datetime(["2026-02-01"]),
        }
    )
    item = followup.tracking_id("2026-01-05", "35.05.03.2005", "Pelatihan")
    evs = events(
        {"urutan": 1, "id_pelacakan": item, "waktu": "2026-01-06T00:00Z", "status_ke": "Proses",
         "tenggat_baru": dt.date(2026, 4, 1), "alasan_tenggat": "anggaran"},
        {"urutan": 2, "id_pelacakan": item, "waktu": "2026-01-07T00:00Z", "jenis": followup.PENUGASAN,
         "opd_baru": DISPERTA},
    )  # fmt: skip
    out = followup.effective_aspirasi(aspirasi, evs).iloc[0]
    assert (out["status"], out["opd_penanggung_jawab"], out["tenggat"]) == (
        "Proses",
        DISPERTA,
        pd.Timestamp("2026-04-01"),
    )
    assert (out["status_buku_kerja"], out["opd_buku_kerja"]) == ("Belum", DINKES)
    assert out["tenggat_buku_kerja"] == pd.Timestamp("2026-02-01") and out["id"] == item
    unchanged = followup.effective_aspirasi(aspirasi, events())
    columns = ["status", "opd_penanggung_jawab", "tenggat"]
    pd.testing.assert_frame_equal(unchanged[columns], aspirasi[columns], check_dtype=False)


def test_inbox_is_the_agencys_own_overdue_first_then_due_soon_then_the_rest():
    ledger = pd.DataFrame(
        {
            "id": ["jauh", "bersama", "lain", "selesai", "dekat", "lebih-terlambat"],
            "opd_penanggung_jawab": [
                "Dinas Kesehatan",
                "Dinas Kesehatan; Dinas Pertanian dan Pangan",
                "Dinas Pertanian dan Pangan",
                "Dinas Kesehatan",
                "Dinas Kesehatan",
                "Dinas Kesehatan",
            ],
            "status": ["Belum", "Proses", "Belum", "Selesai", "Belum", "Proses"],
            "tenggat_efektif": pd.to_datetime(
                ["2024-03-01", "2024-01-05", "2024-01-01", "2023-01-01", "2024-01-24", "2023-12-01"]
            ),
        }
    )
    got = followup.inbox(ledger, opd="Dinas Kesehatan", today=dt.date(2024, 1, 10))
    assert list(got["id"]) == ["lebih-terlambat", "bersama", "dekat", "jauh", "selesai"]
    assert list(got["kotak"]) == ["Terlambat", "Terlambat", "Jatuh tempo dekat", "Lainnya", "Lainnya"]
    assert got["hari_tersisa"].tolist()[:4] == [-40, -5, 14, 51] and pd.isna(got["hari_tersisa"].iloc[4])
    everyone = followup.inbox(ledger, opd=None, today=dt.date(2024, 1, 10))
    assert len(everyone) == len(ledger) and everyone["id"].iloc[0] == "lebih-terlambat"
    assert list(ledger.columns) == ["id", "opd_penanggung_jawab", "status", "tenggat_efektif"]  # not mutated


def test_assignment_queue_holds_items_without_agency_and_says_who_returned_one_and_why():
    ledger = pd.DataFrame(
        {
            "id": ["kosong", "dikembalikan", "dipindah-lalu-dikembalikan", "dikembalikan-lalu-ditugaskan", "milik"],
            "tanggal": pd.to_datetime(["2026-01-05", "2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"]),
            "opd_penanggung_jawab": ["belum ditetapkan", None, None, DINKES, DINKES],
            "opd_buku_kerja": ["belum ditetapkan", DINKES, DINKES, DINKES, DINKES],
        }
    )
    evs = events(
        {"urutan": 1, "id_pelacakan": "dikembalikan", "waktu": "2026-02-01T00:00Z",
         "jenis": followup.BUKAN_KEWENANGAN, "catatan": "urusan Disperta"},
        {"urutan": 2, "id_pelacakan": "dipindah-lalu-dikembalikan", "waktu": "2026-02-01T00:00Z",
         "jenis": followup.PENUGASAN, "opd_baru": DISPERTA},
        {"urutan": 3, "id_pelacakan": "dipindah-lalu-dikembalikan", "waktu": "2026-02-02T00:00Z",
         "jenis": followup.BUKAN_KEWENANGAN, "catatan": "bukan kami juga"},
        {"urutan": 4, "id_pelacakan": "dikembalikan-lalu-ditugaskan", "waktu": "2026-02-01T00:00Z",
         "jenis": followup.BUKAN_KEWENANGAN, "catatan": "x"},
        {"urutan": 5, "id_pelacakan": "dikembalikan-lalu-ditugaskan", "waktu": "2026-02-02T00:00Z",
         "jenis": followup.PENUGASAN, "opd_baru": DINKES},
    )  # fmt: skip
    queue = followup.assignment_queue(ledger, evs)
    assert list(queue["id"]) == ["dikembalikan", "dipindah-lalu-dikembalikan", "kosong"]  # oldest first
    assert queue["dikembalikan_oleh"].tolist()[:2] == [DINKES, DISPERTA]
    assert queue["alasan_pengembalian"].tolist()[:2] == ["urusan Disperta", "bukan kami juga"]
    assert queue[["dikembalikan_oleh", "alasan_pengembalian"]].iloc[2].isna().all()  # the workbook left it so
    assert followup.assignment_queue(ledger, events())["dikembalikan_oleh"].isna().all()
