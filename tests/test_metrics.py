"""Metrics on a six-village slice of Kabupaten Blitar whose answers are worked out by hand.

Villages: Wlingi — Tembalang (A), Ngadirenggo (B), Tegalasri (C), Balerejo (D);
Panggungrejo — Serang (F), Balerejo (E). Today is 1 January 2024.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from ovop_data import metrics
from ovop_data.gazetteer import gazetteer

TODAY = date(2024, 1, 1)
A, B, C, D = "35.05.17.2005", "35.05.17.2007", "35.05.17.2008", "35.05.17.2009"
E, F = "35.05.13.2010", "35.05.13.2001"
NAT = pd.NaT


def _ts(text: str | None) -> pd.Timestamp:
    return pd.Timestamp(text) if text else NAT


@pytest.fixture
def villages() -> pd.DataFrame:
    g = gazetteer("35.05")
    return g[g["kode_desa"].isin([A, B, C, D, E, F])].reset_index(drop=True)


@pytest.fixture
def produk() -> pd.DataFrame:
    rows = [
        # Kopi Tuan Galang: one product of a BUMDesma, one row per village, same id.
        *[("P1", "Kopi Tuan Galang", k, "Minuman", True, "NIB; P-IRT", "BUMDesma Empat Desa") for k in (A, B, C, D)],
        ("P2", "Keripik Singkong", D, "Makanan olahan", True, "NIB; P-IRT; Halal; Label komposisi", "Bu Winarti"),
        ("P3", "Kue Basah", D, "Makanan olahan", False, "", "bu  winarti "),
        ("P4", "Ikan Koi", E, "Hasil tani/ternak/ikan", False, "Halal", ""),
    ]
    return pd.DataFrame(
        rows, columns=["id_produk", "nama_produk", "kode_desa", "kategori", "unggulan", "legalitas", "pelaku_usaha"]
    )


@pytest.fixture
def kunjungan() -> pd.DataFrame:
    rows = [
        ("K1", "2023-07-12", D),
        ("K2", "2023-03-01", A),
        ("K3", "2023-03-01", B),
        ("K4", "2021-06-10", E),
        ("K5", "2023-12-01", A),
    ]
    frame = pd.DataFrame(rows, columns=["id_kunjungan", "tanggal", "kode_desa"])
    return frame.assign(tanggal=pd.to_datetime(frame["tanggal"]))


@pytest.fixture
def aspirasi() -> pd.DataFrame:
    rows = [
        ("S1", "2023-07-12", D, "Disperindag", "Proses", None),  # default deadline 10 Oct 2023: overdue
        ("S2", "2023-07-12", D, "Dinas Koperasi dan Usaha Mikro", "Selesai", "2023-08-01"),
        ("S3", "2021-06-10", E, "Disperindag", "Belum", "2024-06-30"),  # deadline still ahead
        ("S4", "2023-12-01", A, "", "Belum", None),  # default deadline 29 Feb 2024
        ("S5", "2023-01-01", F, "Disperindag", "Belum", "2023-06-30"),  # overdue 185 days
    ]
    frame = pd.DataFrame(
        rows, columns=["id_aspirasi", "tanggal", "kode_desa", "opd_penanggung_jawab", "status", "tenggat"]
    )
    return frame.assign(tanggal=pd.to_datetime(frame["tanggal"]), tenggat=pd.to_datetime(frame["tenggat"]))


@pytest.fixture
def summary(villages, produk, kunjungan, aspirasi) -> pd.DataFrame:
    return metrics.desa_summary(villages, produk, kunjungan, aspirasi, today=TODAY)


# ---------------------------------------------------------------- legality ladder


@pytest.mark.parametrize(
    ("legalitas", "tangga", "langkah", "opd"),
    [
        ("", 0, "NIB", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        (
            "Halal",
            0,
            "NIB",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        ),  # rungs count in order: no NIB, no climb
        ("NIB", 1, "P-IRT atau BPOM", "Dinas Kesehatan"),
        ("NIB; P-IRT", 2, "Halal", "Kementerian Agama"),
        ("NIB; BPOM; HKI", 2, "Halal", "Kementerian Agama"),
        ("NIB; P-IRT; Halal", 3, "Label komposisi", "Dinas Koperasi dan Usaha Mikro"),
        ("NIB; P-IRT; Halal; Label komposisi", 4, "", ""),
        ("NIB; Halal; Label komposisi", 1, "P-IRT atau BPOM", "Dinas Kesehatan"),
    ],
)
def test_legality_ladder_rungs(legalitas, tangga, langkah, opd):
    frame = pd.DataFrame({"id_produk": ["X"], "nama_produk": ["Sambal Pecel"], "legalitas": [legalitas]})
    row = metrics.legality_ladder(frame).iloc[0]
    assert (row["tangga"], row["langkah_berikut"], row["opd_pembantu"]) == (tangga, langkah, opd)


def test_legality_ladder_one_row_per_product(produk):
    ladder = metrics.legality_ladder(produk)
    assert list(ladder.columns) == [
        "id_produk",
        "nama_produk",
        "legalitas",
        "tangga",
        "langkah_berikut",
        "opd_pembantu",
    ]
    assert list(ladder["id_produk"]) == ["P1", "P2", "P3", "P4"]
    assert list(ladder["tangga"]) == [2, 4, 0, 0]


# ---------------------------------------------------------------- promise ledger


def test_ledger_default_deadline_and_overdue(aspirasi):
    led = metrics.aspirasi_ledger(aspirasi, today=TODAY).set_index("id_aspirasi")
    assert led.loc["S1", "tenggat_efektif"] == pd.Timestamp("2023-10-10")  # 12 Jul + 90 days
    assert led.loc["S4", "tenggat_efektif"] == pd.Timestamp("2024-02-29")
    assert list(led["tenggat_bawaan"]) == [True, False, False, True, False]
    assert list(led["terlambat"]) == [True, False, False, False, True]
    assert led.loc["S1", "hari_terlambat"] == 83
    assert led.loc["S5", "hari_terlambat"] == 185
    assert led["hari_terlambat"].isna().tolist() == [False, True, True, True, False]
    assert str(led["hari_terlambat"].dtype) == "Int64"


def test_ledger_done_is_never_overdue():
    frame = pd.DataFrame(
        {
            "id_aspirasi": ["S"],
            "tanggal": [pd.Timestamp("2020-01-01")],
            "kode_desa": [A],
            "opd_penanggung_jawab": ["DPMD"],
            "status": ["Selesai"],
            "tenggat": [NAT],
        }
    )
    assert not metrics.aspirasi_ledger(frame, today=TODAY)["terlambat"].iloc[0]


def test_default_deadline_is_documented():
    assert metrics.DEFAULT_TENGGAT_HARI == 90
    assert "90" in metrics.__doc__


def test_aspirasi_by_opd(aspirasi):
    by_opd = metrics.aspirasi_by_opd(metrics.aspirasi_ledger(aspirasi, today=TODAY))
    assert list(by_opd["opd"]) == ["Disperindag", metrics.TANPA_OPD, "Dinas Koperasi dan Usaha Mikro"]
    first = by_opd.iloc[0]
    assert (first["aspirasi_total"], first["belum"], first["proses"], first["selesai"], first["terlambat"]) == (
        3,
        2,
        1,
        0,
        2,
    )
    assert first["persen_selesai"] == 0.0
    assert by_opd.set_index("opd").loc["Dinas Koperasi dan Usaha Mikro", "persen_selesai"] == 100.0


def test_aspirasi_by_status(aspirasi):
    by_status = metrics.aspirasi_by_status(metrics.aspirasi_ledger(aspirasi, today=TODAY))
    assert by_status.to_dict("list") == {
        "status": ["Belum", "Proses", "Selesai"],
        "aspirasi": [3, 1, 1],
        "terlambat": [1, 1, 0],
        "persen": [60.0, 20.0, 20.0],
    }


def test_aspirasi_by_status_counts_a_blank_status_apart(aspirasi):
    """A blank status cell (validation reads it as Belum) is its own bar; both count as open."""
    unreported = aspirasi.assign(tercatat_status=[True] * (len(aspirasi) - 1) + [False])
    by_status = metrics.aspirasi_by_status(metrics.aspirasi_ledger(unreported, today=TODAY))
    assert list(by_status["status"]) == ["Belum", "Belum ada laporan", "Proses", "Selesai"]
    assert by_status["aspirasi"].sum() == len(aspirasi)
    assert by_status.set_index("status").loc["Belum ada laporan", "aspirasi"] == 1
    assert list(metrics.status_shown(unreported))[-1] == "Belum ada laporan"
    assert list(metrics.status_shown(aspirasi)) == list(aspirasi["status"])  # typed statuses stay as typed


# ---------------------------------------------------------------- per desa


def test_desa_summary_columns_and_every_village(summary, villages):
    assert tuple(summary.columns) == metrics.DESA_SUMMARY_COLUMNS
    assert sorted(summary["kode_desa"]) == sorted(villages["kode_desa"])


def test_multi_village_product_gives_each_village_a_product(summary):
    s = summary.set_index("kode_desa")
    assert list(s.loc[[A, B, C, D], "produk_total"]) == [1, 1, 1, 3]
    assert list(s.loc[[A, B, C, D], "punya_produk_unggulan"]) == [True, True, True, True]
    assert s.loc[D, "produk_unggulan"] == 2
    assert s.loc[D, "kategori"] == "Makanan olahan; Minuman"


def test_desa_summary_visits_and_aspirations(summary):
    s = summary.set_index("kode_desa")
    assert s.loc[A, "kunjungan_total"] == 2
    assert s.loc[A, "kunjungan_terakhir"] == pd.Timestamp("2023-12-01")
    assert s.loc[A, "hari_sejak_kunjungan"] == 31
    assert s.loc[E, "hari_sejak_kunjungan"] == 935
    assert pd.isna(s.loc[C, "hari_sejak_kunjungan"]) and pd.isna(s.loc[C, "kunjungan_terakhir"])
    assert (s.loc[D, "aspirasi_total"], s.loc[D, "aspirasi_terbuka"], s.loc[D, "aspirasi_terlambat"]) == (2, 1, 1)
    assert s.loc[D, "aspirasi_terbuka_tertua"] == pd.Timestamp("2023-07-12")
    assert (s.loc[F, "aspirasi_terbuka"], s.loc[F, "aspirasi_terlambat"]) == (1, 1)
    assert str(summary["hari_sejak_kunjungan"].dtype) == "Int64"
    assert str(summary["kunjungan_terakhir"].dtype).startswith("datetime64")


def test_status_cakupan(summary):
    status = summary.set_index("kode_desa")["status_cakupan"]
    assert status.to_dict() == {
        F: "Belum ada unggulan & belum dikunjungi",
        E: "Dikunjungi, belum ada unggulan",  # its only product is not a flagship one
        A: "Unggulan & dikunjungi",
        B: "Unggulan & dikunjungi",
        C: "Unggulan, belum dikunjungi",
        D: "Unggulan & dikunjungi",
    }
    assert set(status) <= set(metrics.STATUS_CAKUPAN)


def test_coverage_gaps(summary):
    assert metrics.coverage_gaps(summary) == {"tanpa_produk": [F, E], "belum_dikunjungi": [F, C], "keduanya": [F]}


# ---------------------------------------------------------------- per kecamatan, area


def test_kecamatan_summary(summary, produk):
    kec = metrics.kecamatan_summary(summary)
    assert list(kec["kode_kecamatan"]) == ["35.05.13", "35.05.17"]
    wlingi = kec.iloc[1]
    assert (
        wlingi["kecamatan"],
        wlingi["desa_total"],
        wlingi["desa_dengan_produk_unggulan"],
        wlingi["persen_produk_unggulan"],
        wlingi["desa_dikunjungi"],
        wlingi["persen_dikunjungi"],
    ) == ("Wlingi", 4, 4, 100.0, 3, 75.0)
    assert wlingi["produk_total"] == 6  # village counts summed: Kopi Tuan Galang four times
    panggungrejo = kec.iloc[0]
    assert (
        panggungrejo["persen_produk_unggulan"],
        panggungrejo["persen_dikunjungi"],
        panggungrejo["aspirasi_terbuka"],
        panggungrejo["aspirasi_terlambat"],
    ) == (0.0, 50.0, 2, 1)
    distinct = metrics.kecamatan_summary(summary, produk=produk)
    assert list(distinct["produk_total"]) == [1, 3]


def test_area_summary(summary, produk, kunjungan, aspirasi):
    led = metrics.aspirasi_ledger(aspirasi, today=TODAY)
    area = metrics.area_summary(summary, produk, kunjungan, led)
    assert area == {
        "desa_total": 6,
        "desa_dengan_produk_unggulan": 4,
        "persen_produk_unggulan": 66.7,
        "desa_dikunjungi": 4,
        "persen_dikunjungi": 66.7,
        "produk_total": 4,  # the four-village Kopi Tuan Galang counted once
        "pelaku_usaha_total": 2,  # "Bu Winarti" and "bu  winarti " are one producer; blank is none
        "pelaku_usaha_tercatat": 3,  # of the four products, one names no producer
        "kunjungan_total": 5,
        "aspirasi_total": 5,
        "aspirasi_terbuka": 4,
        "aspirasi_terlambat": 2,
    }
    assert all(type(v) in (int, float) for v in area.values())
    json.dumps(area)


# ---------------------------------------------------------------- priority and plan


def test_visit_priority_order_scores_and_reasons(summary):
    pr = metrics.visit_priority(summary, today=TODAY)
    assert list(pr["kode_desa"]) == [F, E, C, D, B, A]
    assert list(pr["peringkat"]) == [1, 2, 3, 4, 5, 6]
    # F 40+30+5+10; E 40+25(cap)+5; C 30; D 5+5+10; B 10; A 1+5
    assert list(pr["skor"]) == [85.0, 70.0, 30.0, 20.0, 10.0, 6.0]
    reasons = pr.set_index("kode_desa")["alasan"]
    assert reasons[F] == (
        "belum punya produk unggulan; belum pernah dikunjungi; 1 aspirasi terbuka; 1 aspirasi terlambat"
    )
    assert reasons[E] == "belum punya produk unggulan; terakhir dikunjungi 31 bulan lalu; 1 aspirasi terbuka"
    assert reasons[A] == "terakhir dikunjungi 31 hari lalu; 1 aspirasi terbuka"
    assert {"poin_produk", "poin_kunjungan", "poin_aspirasi", "poin_terlambat", "hari_sejak_kunjungan"} <= set(
        pr.columns
    )
    parts = pr[["poin_produk", "poin_kunjungan", "poin_aspirasi", "poin_terlambat"]].sum(axis=1)
    assert (parts == pr["skor"]).all()


def test_visit_priority_ties_take_turns_by_kecamatan(villages):
    empty = pd.DataFrame()
    s = metrics.desa_summary(villages, empty, empty, empty, today=TODAY)
    pr = metrics.visit_priority(s, today=TODAY)
    assert set(pr["skor"]) == {70.0}
    # Was: plain code order [F, E, A, B, C, D]. Now the two kecamatan (equal on every rung, so by code:
    # Panggungrejo 35.05.13 before Wlingi 35.05.17) take turns.
    assert list(pr["kode_desa"]) == [F, A, E, B, C, D]
    assert list(pr["giliran"]) == [1, 1, 2, 2, 3, 4]
    # Was: every reason exactly "belum punya produk unggulan; belum pernah dikunjungi"; now the tie is named.
    assert (
        pr["alasan"]
        .str.startswith("belum punya produk unggulan; belum pernah dikunjungi; sama skor dengan 5 desa lain: ")
        .all()
    )


def test_visit_plan_pairs_villages_of_one_kecamatan(summary, kunjungan):
    pr = metrics.visit_priority(summary, today=TODAY)
    plan, info = metrics.visit_plan(pr, kunjungan, today=TODAY)
    assert list(plan.columns) == list(metrics.PLAN_COLUMNS)
    # F (Panggungrejo) goes with E, not with C, the next in the overall ranking.
    assert plan.groupby("trip")["kode_desa"].apply(list).to_dict() == {1: [F, E], 2: [C, D], 3: [B, A]}
    assert (plan.groupby("trip")["kecamatan"].nunique() == 1).all()
    # 3 distinct visit days in the last 365 days -> one trip every 365/3 days.
    assert info["laju_kunjungan_per_bulan"] == 0.25
    assert list(plan.drop_duplicates("trip")["tanggal_rencana"]) == [
        pd.Timestamp("2024-05-02"),
        pd.Timestamp("2024-08-31"),
        pd.Timestamp("2024-12-31"),
    ]
    assert info["desa_belum_dikunjungi"] == 2
    assert info["perkiraan_selesai"] == date(2024, 8, 31)  # C and F are reached on trip 2
    assert "31 Agustus 2024" in info["catatan"]


def test_visit_plan_trips_and_trip_size(summary, kunjungan):
    pr = metrics.visit_priority(summary, today=TODAY)
    first, info = metrics.visit_plan(pr, kunjungan, today=TODAY, trips=1)
    assert list(first["kode_desa"]) == [F, E]
    assert info["perkiraan_selesai"] == date(2024, 8, 31)  # still about the full plan
    singles, _ = metrics.visit_plan(pr, kunjungan, today=TODAY, per_trip=1)
    assert list(singles["trip"]) == [1, 2, 3, 4, 5, 6]
    triples, _ = metrics.visit_plan(pr, kunjungan, today=TODAY, per_trip=3)
    assert triples.groupby("trip")["kode_desa"].apply(list).to_dict() == {1: [F, E], 2: [C, D, B], 3: [A]}
    with pytest.raises(ValueError):
        metrics.visit_plan(pr, kunjungan, today=TODAY, per_trip=0)


def test_visit_plan_with_zero_pace(summary, kunjungan):
    later = date(2026, 1, 1)  # nothing in the 12 months before
    pr = metrics.visit_priority(summary, today=later)
    plan, info = metrics.visit_plan(pr, kunjungan, today=later)
    assert info["laju_kunjungan_per_bulan"] == 0.0
    assert info["perkiraan_selesai"] is None
    assert plan["tanggal_rencana"].isna().all() and len(plan) == 6
    assert "Tidak ada kunjungan dalam 12 bulan terakhir" in info["catatan"]


def test_visit_plan_when_every_village_was_visited(villages):
    kunjungan = pd.DataFrame(
        {
            "id_kunjungan": [f"K{i}" for i in range(6)],
            "tanggal": pd.to_datetime(["2023-06-01"] * 6),
            "kode_desa": sorted(villages["kode_desa"]),
        }
    )
    empty = pd.DataFrame()
    s = metrics.desa_summary(villages, empty, kunjungan, empty, today=TODAY)
    plan, info = metrics.visit_plan(metrics.visit_priority(s, today=TODAY), kunjungan, today=TODAY)
    assert info["desa_belum_dikunjungi"] == 0 and info["perkiraan_selesai"] is None
    assert set(plan["skor"]) == {47.0} and len(plan) == 6  # no product 40 + 214 days since the visit 7
    assert "Semua desa sudah pernah dikunjungi" in info["catatan"]


# ---------------------------------------------------------------- charts


def test_kunjungan_per_bulan_fills_empty_months(kunjungan):
    per_month = metrics.kunjungan_per_bulan(kunjungan).set_index("bulan")
    assert len(per_month) == 31  # June 2021 .. December 2023
    assert per_month.loc[pd.Timestamp("2023-03-01")].tolist() == [2, 2]
    assert per_month.loc[pd.Timestamp("2022-01-01")].tolist() == [0, 0]


def test_produk_by_kategori(produk):
    assert metrics.produk_by_kategori(produk).to_dict("list") == {
        "kategori": ["Makanan olahan", "Hasil tani/ternak/ikan", "Minuman"],
        "produk": [2, 1, 1],
        "desa": [1, 1, 4],
    }


# ---------------------------------------------------------------- purity and input checks


def test_functions_never_mutate_their_inputs(villages, produk, kunjungan, aspirasi):
    frames = (villages, produk, kunjungan, aspirasi)
    before = [f.copy(deep=True) for f in frames]
    s = metrics.desa_summary(villages, produk, kunjungan, aspirasi, today=TODAY)
    s_before = s.copy(deep=True)
    led = metrics.aspirasi_ledger(aspirasi, today=TODAY)
    led_before = led.copy(deep=True)
    metrics.legality_ladder(produk)
    metrics.kecamatan_summary(s, produk=produk)
    metrics.area_summary(s, produk, kunjungan, led)
    metrics.aspirasi_by_opd(led)
    metrics.aspirasi_by_status(led)
    metrics.coverage_gaps(s)
    pr = metrics.visit_priority(s, today=TODAY)
    pr_before = pr.copy(deep=True)
    metrics.visit_plan(pr, kunjungan, today=TODAY)
    metrics.kunjungan_per_bulan(kunjungan)
    metrics.produk_by_kategori(produk)
    for frame, copy in zip((*frames, s, led, pr), (*before, s_before, led_before, pr_before), strict=True):
        pd.testing.assert_frame_equal(frame, copy)


def test_missing_column_raises_clearly(villages, kunjungan, aspirasi):
    with pytest.raises(ValueError, match="produk tidak punya kolom: unggulan"):
        metrics.desa_summary(
            villages,
            pd.DataFrame(
                {"id_produk": ["P"], "nama_produk": ["x"], "kode_desa": [A], "kategori": ["Minuman"], "legalitas": [""]}
            ),
            kunjungan,
            aspirasi,
            today=TODAY,
        )


def test_priority_formula_names_every_weight():
    from ovop_data.fmt import angka

    text = metrics.priority_formula()
    for weight in (
        metrics.POIN_TANPA_PRODUK,
        metrics.POIN_BELUM_DIKUNJUNGI,
        metrics.BATAS_POIN_LAMA_KUNJUNGAN,
        metrics.POIN_ASPIRASI_TERBUKA,
        metrics.BATAS_POIN_ASPIRASI_TERLAMBAT,
    ):
        assert f"{angka(weight)}" in text


# ---------------------------------------------------------------- ties in the visit priority

TIE_DAY = date(2024, 1, 1)


def _tie_summary(
    kecamatan: dict[str, list[str]],
    *,
    unggulan: tuple[str, ...] = (),
    kunjungan: tuple[tuple[str, str], ...] = (),
    terbuka: tuple[str, ...] = (),
) -> pd.DataFrame:
    """A desa summary of made-up villages ({kecamatan: [kode_desa]}): flagship products, visits, open aspirations."""
    villages = pd.DataFrame(
        [
            {"kode_desa": kode, "desa": f"Desa {kode}", "jenis": "Desa", "kode_kecamatan": kode[:8], "kecamatan": nama}
            for nama, codes in kecamatan.items()
            for kode in codes
        ]
    )
    produk = pd.DataFrame(
        {
            "id_produk": [f"P{i}" for i in range(len(unggulan))],
            "nama_produk": "Keripik",
            "kode_desa": list(unggulan),
            "kategori": "Makanan olahan",
            "unggulan": True,
            "legalitas": "",
        },
        columns=["id_produk", "nama_produk", "kode_desa", "kategori", "unggulan", "legalitas"],
    )
    visits = pd.DataFrame(
        {
            "id_kunjungan": [f"K{i}" for i in range(len(kunjungan))],
            "tanggal": pd.to_datetime([t for _, t in kunjungan]),
            "kode_desa": [k for k, _ in kunjungan],
        },
        columns=["id_kunjungan", "tanggal", "kode_desa"],
    )
    aspirasi = pd.DataFrame(
        {
            "id_aspirasi": [f"S{i}" for i in range(len(terbuka))],
            "tanggal": pd.Timestamp("2023-12-01"),
            "kode_desa": list(terbuka),
            "opd_penanggung_jawab": "Disperindag",
            "status": "Belum",
            "tenggat": pd.Timestamp("2024-06-30"),
        },
        columns=["id_aspirasi", "tanggal", "kode_desa", "opd_penanggung_jawab", "status", "tenggat"],
    )
    return metrics.desa_summary(villages, produk, visits, aspirasi, today=TIE_DAY)


# X1, Y1, Z1 tie at 70 (no product, never visited). X2, Y2, Z2 only shape their kecamatan: by default each has
# a flagship product and a visit 12 days ago (score 0), so the kecamatan are equal on every rung until a case
# changes one of them.
X1, X2, Y1, Y2, Z1, Z2 = (
    "35.99.01.2001",
    "35.99.01.2002",
    "35.99.02.2001",
    "35.99.02.2002",
    "35.99.03.2001",
    "35.99.03.2002",
)
RECENT = "2023-12-20"
SHAPED = {"unggulan": (X2, Y2, Z2), "kunjungan": ((X2, RECENT), (Y2, RECENT), (Z2, RECENT))}
BY_CODE = "kecamatan setara, urutan kode desa"


@pytest.mark.parametrize(
    ("data", "order", "reasons"),
    [
        pytest.param(
            {"kunjungan": ((X2, "2023-09-23"), (Y2, "2022-11-17"))},  # 100 and 410 days ago; Z never
            [Z1, Y1, X1],
            [
                "kecamatan belum pernah dikunjungi",
                "kecamatan lebih lama tidak dikunjungi (410 hari)",
                "kecamatan lebih baru dikunjungi (100 hari lalu)",
            ],
            id="rung 1: longer since any visit in the kecamatan, never visited first",
        ),
        pytest.param(
            {"terbuka": (Y2, Y2, Z2)},
            [Y1, Z1, X1],
            [
                "lebih banyak aspirasi terbuka di kecamatan (2)",
                "lebih banyak aspirasi terbuka di kecamatan (1)",
                "lebih sedikit aspirasi terbuka di kecamatan (0)",
            ],
            id="rung 2: more open aspirations in the kecamatan",
        ),
        pytest.param(
            {"unggulan": (X2,)},
            [Y1, Z1, X1],
            [
                BY_CODE,
                "persentase desa berproduk unggulan di kecamatan lebih rendah (0,0%)",
                "persentase desa berproduk unggulan di kecamatan lebih tinggi (50,0%)",
            ],
            id="rung 3: lower share of villages with a flagship product",
        ),
        pytest.param({}, [X1, Y1, Z1], [BY_CODE] * 3, id="rung 4: equal kecamatan go by code"),
        pytest.param(
            {"kunjungan": ((X2, RECENT), (Y2, RECENT)), "terbuka": (Y2, Y2, Y2)},
            [Z1, Y1, X1],
            [
                "kecamatan belum pernah dikunjungi",
                "lebih banyak aspirasi terbuka di kecamatan (3)",
                "lebih sedikit aspirasi terbuka di kecamatan (0)",
            ],
            id="rung 1 before rung 2: never visited beats three open aspirations",
        ),
        pytest.param(
            {"unggulan": (X2,), "terbuka": (X2,)},
            [X1, Y1, Z1],
            ["lebih banyak aspirasi terbuka di kecamatan (1)", BY_CODE, BY_CODE],
            id="rung 2 before rung 3: an open aspiration beats a lower share",
        ),
    ],
)
def test_ties_broken_by_each_rung_in_order(data, order, reasons):
    s = _tie_summary({"X": [X1, X2], "Y": [Y1, Y2], "Z": [Z1, Z2]}, **{**SHAPED, **data})
    pr = metrics.visit_priority(s, today=TIE_DAY)
    tied = pr.loc[pr["skor"] == 70.0]
    assert list(tied["kode_desa"]) == order
    assert (tied["giliran"] == 1).all()
    for alasan, reason in zip(tied["alasan"], reasons, strict=True):
        assert alasan == f"belum punya produk unggulan; belum pernah dikunjungi; sama skor dengan 2 desa lain: {reason}"
    rung = {
        "kecamatan belum": "kecamatan_hari_sejak_kunjungan",
        "kecamatan lebih": "kecamatan_hari_sejak_kunjungan",
        "lebih banyak": "kecamatan_aspirasi_terbuka",
        "lebih sedikit": "kecamatan_aspirasi_terbuka",
        "persentase": "kecamatan_persen_produk_unggulan",
        "kecamatan setara": "kode_desa",
    }
    wanted = [next(v for k, v in rung.items() if r.startswith(k)) for r in reasons]
    assert list(tied["penentu_urutan"]) == wanted


def test_ties_spread_list_and_trips_across_kecamatan():
    x = ["35.99.01.2001", "35.99.01.2002", "35.99.01.2003"]
    y = ["35.99.02.2001", "35.99.02.2002"]
    z = ["35.99.03.2001"]
    s = _tie_summary({"X": x, "Y": y, "Z": z})
    pr = metrics.visit_priority(s, today=TIE_DAY)
    assert list(pr["kode_desa"]) == [x[0], y[0], z[0], x[1], y[1], x[2]]
    assert list(pr["kecamatan"].head(3)) == ["X", "Y", "Z"]
    assert list(pr["penentu_urutan"]) == ["kode_desa", "kode_desa", "giliran", "kode_desa", "giliran", "giliran"]
    reasons = pr.set_index("kode_desa")["alasan"].str.split(": ", n=1).str[1]
    assert reasons[z[0]] == "giliran pertama di kecamatan Z (desa setara bergiliran antarkecamatan)"
    assert reasons[x[1]] == "giliran ke-2 di kecamatan X, kecamatan setara, urutan kode desa"
    assert reasons[x[2]] == "giliran ke-3 di kecamatan X (desa setara bergiliran antarkecamatan)"
    plan, _ = metrics.visit_plan(pr, pd.DataFrame(), today=TIE_DAY)
    trips = plan.groupby("trip")["kode_desa"].apply(list).to_dict()
    assert trips == {1: [x[0], x[1]], 2: [y[0], y[1]], 3: [z[0]], 4: [x[2]]}
    assert list(plan["alasan"]) == list(pr.set_index("kode_desa").loc[plan["kode_desa"], "alasan"])


def test_visit_plan_follows_the_ranking_not_the_code():
    s = _tie_summary({"X": [X1, X2], "Y": [Y1, Y2], "Z": [Z1]}, kunjungan=((X2, "2023-09-23"), (Y2, "2022-11-17")))
    pr = metrics.visit_priority(s, today=TIE_DAY)
    plan, _ = metrics.visit_plan(pr, pd.DataFrame(), today=TIE_DAY)
    assert list(plan.loc[plan["skor"] == 70.0, "kode_desa"]) == [Z1, Y1, X1]


def test_no_tie_reason_without_a_tie_or_a_score():
    s = _tie_summary(
        {"X": [X1, X2], "Y": [Y1, Y2]},
        unggulan=(X2, Y1, Y2),
        kunjungan=((X2, "2023-12-20"), (Y1, "2023-12-20"), (Y2, "2023-12-20")),
    )
    pr = metrics.visit_priority(s, today=TIE_DAY).set_index("kode_desa")
    assert pr.loc[X1, "alasan"] == "belum punya produk unggulan; belum pernah dikunjungi"  # the only 70
    assert pr.loc[X1, "penentu_urutan"] == ""
    # three villages at 0: ordered by the chain all the same, but "no gap" needs no tie reason
    assert set(pr.loc[[X2, Y1, Y2], "alasan"]) == {"tidak ada kesenjangan"}


def test_tie_order_is_deterministic_and_inputs_untouched():
    s = _tie_summary(
        {"X": [X1, X2, "35.99.01.2003"], "Y": [Y1, Y2], "Z": [Z1]},
        unggulan=(Y2,),
        kunjungan=((X2, "2023-06-01"),),
        terbuka=(Z1,),
    )
    before = s.copy(deep=True)
    pr = metrics.visit_priority(s, today=TIE_DAY)
    shuffled = metrics.visit_priority(s.sample(frac=1, random_state=7), today=TIE_DAY)
    pd.testing.assert_frame_equal(pr, shuffled)
    pd.testing.assert_frame_equal(s, before)
    pr_before = pr.copy(deep=True)
    metrics.visit_plan(pr, pd.DataFrame(), today=TIE_DAY)
    pd.testing.assert_frame_equal(pr, pr_before)


def test_priority_formula_states_the_tie_break_chain():
    text = metrics.priority_formula()
    for _, teks in metrics.URUTAN_SETARA:
        assert teks in text
    chain = [text.index(teks) for _, teks in metrics.URUTAN_SETARA]
    assert chain == sorted(chain)


def test_aspirasi_by_opd_shares_a_promise_among_its_owners():
    rows = [
        ("S1", "2024-01-05", A, "Dinas Koperasi dan Usaha Mikro; Dinas Perindustrian dan Perdagangan", "Selesai"),
        ("S2", "2024-01-05", A, "Dinas Koperasi dan Usaha Mikro", "Belum"),
        ("S3", "2024-01-05", A, "belum ditetapkan", "Belum"),
        ("S4", "2024-01-05", A, "", "Proses"),
        ("S5", "2024-01-05", A, "Bank Rakyat Indonesia", "Selesai"),
    ]
    frame = pd.DataFrame(rows, columns=["id_aspirasi", "tanggal", "kode_desa", "opd_penanggung_jawab", "status"])
    frame = frame.assign(tanggal=pd.to_datetime(frame["tanggal"]), tenggat=pd.to_datetime("2030-01-01"))
    by_opd = metrics.aspirasi_by_opd(metrics.aspirasi_ledger(frame, today=TODAY)).set_index("opd")
    assert by_opd["aspirasi_total"].sum() == len(rows)  # shares add up to the promises made
    dinkop = by_opd.loc["Dinas Koperasi dan Usaha Mikro"]
    assert (dinkop["jenis"], dinkop["aspirasi_total"], dinkop["selesai"], dinkop["belum"]) == ("opd", 1.5, 0.5, 1.0)
    assert dinkop["persen_selesai"] == 33.3
    assert by_opd.loc["Dinas Perindustrian dan Perdagangan", "aspirasi_total"] == 0.5
    # a blank owner and a vague one are one bar: nobody owns these promises yet
    nobody = by_opd.loc[metrics.TANPA_OPD]
    assert (nobody["jenis"], nobody["aspirasi_total"], nobody["belum"], nobody["proses"]) == (
        "belum_ditetapkan",
        2.0,
        1.0,
        1.0,
    )
    assert by_opd.loc["Bank Rakyat Indonesia", "jenis"] == "mitra"
