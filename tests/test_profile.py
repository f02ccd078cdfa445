"""The village profile: identity, products with their ladder, visits, promises and the kecamatan position."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ovop_data.profile import (
    ASPIRASI_COLUMNS,
    KUNJUNGAN_COLUMNS,
    PRODUK_COLUMNS,
    ladder_text,
    position_sentences,
    village_profile,
)

TODAY = dt.date(2024, 12, 31)
A, B, C, D = "35.05.17.2009", "35.05.17.2005", "35.05.17.1001", "35.05.16.2001"


@pytest.fixture
def villages() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kode_desa": [A, B, C, D],
            "desa": ["Balerejo", "Tembalang", "Beru", "Olak Alen"],
            "jenis": ["desa", "desa", "kelurahan", "desa"],
            "kode_kecamatan": ["35.05.17", "35.05.17", "35.05.17", "35.05.16"],
            "kecamatan": ["Wlingi", "Wlingi", "Wlingi", "Selorejo"],
            "kabupaten": ["Kabupaten Blitar"] * 4,
        }
    )


@pytest.fixture
def produk() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id_produk": ["p1", "p2", "p3", "p4", "p5"],
            "kode_desa": [A, A, A, B, D],
            "nama_produk": ["Kopi Tuan Galang", "keripik singkong", "Kue Basah", "Gula Aren", "Tempe"],
            "kategori": ["Minuman", "Makanan olahan", "Makanan olahan", "Makanan olahan", "Makanan olahan"],
            "pelaku_usaha": ["BUMDesma", "KWT Balerejo", "Bu Winarti", "Pak Slamet", "Bu Sri"],
            "jenis_pelaku": ["BUMDesma", "Kelompok", "UMKM", "UMKM", "UMKM"],
            "unggulan": [True, True, False, True, True],
            "legalitas": ["NIB; P-IRT", "NIB; P-IRT; Halal; Label komposisi", "Halal", "NIB", ""],
            "pemasaran": ["lokal; daring", "lokal", "lokal", "lokal", "lokal"],
            "kontak": ["0812-0000-1208", "0812-0000-1209", "0812-0000-1210", "0812-0000-1211", "0812-0000-1212"],
            "Keterangan": ["catatan pribadi"] * 5,
        }
    )


@pytest.fixture
def kunjungan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id_kunjungan": ["k1", "k2", "k3"],
            "kode_desa": [A, A, B],
            "tanggal": pd.to_datetime(["2023-07-12", "2024-03-01", "2024-07-19"]),
            "kegiatan": ["Sambang Desa OVOP", "Monitoring", "Kunjungan OVOP"],
            "pejabat": ["Bupati Blitar", "Kepala Dinas", "Bupati Blitar"],
            "opd_pendamping": ["Disperindag", "DPMD", "Disperindag"],
            "produk_disorot": ["Kopi Tuan Galang", "", "Gula Aren"],
            "catatan": ["", "", ""],
        }
    )


@pytest.fixture
def aspirasi() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id_aspirasi": ["a1", "a2", "a3", "a4"],
            "kode_desa": [A, A, A, B],
            "tanggal": pd.to_datetime(["2023-07-12", "2023-07-12", "2024-12-01", "2024-07-19"]),
            "aspirasi": ["Mesin sangrai", "Sertifikasi halal", "Pelatihan kemasan", "Alat press"],
            "kategori_kendala": ["peralatan", "perizinan/legalitas", "pemasaran", "peralatan"],
            "opd_penanggung_jawab": ["Disperindag", "Dinas Koperasi dan Usaha Mikro", "Disperindag", "DPMD"],
            "status": ["Proses", "Selesai", "Belum", "Belum"],
            "tenggat": pd.to_datetime([None, "2023-11-09", None, None]),
            "tindak_lanjut": ["Masuk usulan anggaran", "Sertifikat terbit", "", ""],
        }
    )


@pytest.fixture
def profile(villages, produk, kunjungan, aspirasi):
    return village_profile(A, villages, produk, kunjungan, aspirasi, today=TODAY)


def test_identity_and_names(profile) -> None:
    assert (profile.kode_desa, profile.desa, profile.kecamatan, profile.kabupaten) == (
        A,
        "Balerejo",
        "Wlingi",
        "Kabupaten Blitar",
    )
    assert profile.nama == "Desa Balerejo"
    assert profile.today == TODAY


@pytest.mark.parametrize(
    ("kode", "stem"),
    [(A, "profil_35.05.17.2009_balerejo"), (D, "profil_35.05.16.2001_olak_alen")],
)
def test_file_stem(villages, produk, kunjungan, aspirasi, kode: str, stem: str) -> None:
    assert village_profile(kode, villages, produk, kunjungan, aspirasi, today=TODAY).file_stem == stem


def test_products_of_the_village_flagship_first_with_their_ladder(profile) -> None:
    p = profile.produk
    assert list(p.columns) == list(PRODUK_COLUMNS)
    assert list(p["nama_produk"]) == ["keripik singkong", "Kopi Tuan Galang", "Kue Basah"]
    assert list(p["tangga"]) == [4, 2, 0]  # Halal without NIB is still rung 0: NIB comes first
    assert list(p["langkah"]) == [
        "lengkap",
        "Halal (Kementerian Agama)",
        "NIB (Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu)",
    ]
    assert p["tangga_teks"].iloc[1] == "●●○○ NIB, P-IRT/BPOM"


@pytest.mark.parametrize(
    ("tangga", "text"),
    [
        (0, "○○○○ belum ada"),
        (1, "●○○○ NIB"),
        (4, "●●●● NIB, P-IRT/BPOM, Halal, Label komposisi"),
        (None, "○○○○ belum ada"),
    ],
)
def test_ladder_text(tangga, text: str) -> None:
    assert ladder_text(tangga) == text


def test_a_product_without_legality_is_not_recorded_not_belum_ada(villages, produk, kunjungan, aspirasi) -> None:
    """A blank legality cell is no rung ('tidak tercatat'); an explicit "belum ada" (flagged) is rung 0."""
    blank = produk.assign(legalitas=["NIB; P-IRT", "", "", "NIB", ""])
    flagged = blank.assign(tercatat_legalitas=[True, False, True, True, False])
    for table, kue in ((blank, "tidak tercatat"), (flagged, "○○○○ belum ada")):
        p = village_profile(A, villages, table, kunjungan, aspirasi, today=TODAY).produk.set_index("nama_produk")
        assert p.loc["keripik singkong", "tangga_teks"] == "tidak tercatat"
        assert p.loc["keripik singkong", "langkah"] == "tidak tercatat"
        assert pd.isna(p.loc["keripik singkong", "tangga"])
        assert p.loc["Kue Basah", "tangga_teks"] == kue
        assert p.loc["Kopi Tuan Galang", "tangga_teks"] == "●●○○ NIB, P-IRT/BPOM"


def test_a_blank_status_reads_belum_ada_laporan(villages, produk, kunjungan, aspirasi) -> None:
    """Validation fills a blank status with Belum (still open); the profile shows it apart from an explicit Belum."""
    unreported = aspirasi.assign(tercatat_status=[True, True, False, True])
    a = village_profile(A, villages, produk, kunjungan, unreported, today=TODAY).aspirasi.set_index("id_aspirasi")
    assert a.loc["a3", "keadaan"] == "Belum ada laporan"
    assert a.loc["a3", "status"] == "Belum"  # still counted as open
    assert a.loc["a1", "keadaan"] == "Proses · terlambat 448 hari"


def test_no_personal_or_pass_through_column_reaches_the_profile(profile) -> None:
    tables = [profile.produk, profile.kunjungan, profile.aspirasi, profile.kecamatan_desa, profile.wilayah]
    for table in tables:
        assert "kontak" not in table.columns
        assert "Keterangan" not in table.columns
        assert not table.astype(str).apply(lambda col: col.str.contains("0812-0000")).any().any()
    assert "0812" not in repr(profile.ringkasan) + repr(profile.posisi)


def test_visits_newest_first_only_this_village(profile) -> None:
    assert list(profile.kunjungan.columns) == list(KUNJUNGAN_COLUMNS)
    assert list(profile.kunjungan["id_kunjungan"]) == ["k2", "k1"]
    assert profile.ringkasan["kunjungan_total"] == 2
    assert profile.ringkasan["kunjungan_terakhir"] == pd.Timestamp("2024-03-01")


def test_aspirations_overdue_first_with_their_state_in_words(profile) -> None:
    a = profile.aspirasi
    assert list(a.columns) == list(ASPIRASI_COLUMNS)
    # a1: no deadline -> 12 Jul 2023 + 90 days = 10 Oct 2023, overdue by 448 days on 31 Dec 2024
    assert list(a["id_aspirasi"]) == ["a1", "a3", "a2"]
    assert list(a["keadaan"]) == ["Proses · terlambat 448 hari", "Belum", "Selesai"]
    assert a["tenggat_efektif"].iloc[0] == pd.Timestamp("2023-10-10")
    assert bool(a["tenggat_bawaan"].iloc[0])


def test_position_within_the_kecamatan(profile) -> None:
    pos = profile.posisi
    # Beru: no product, never visited: 40 + 30 = 70. Balerejo: 305 days since the visit (10), two open (10),
    # one of them overdue (10) = 30. Tembalang: 165 days (5), one open (5) and overdue (10) = 20.
    assert list(profile.kecamatan_desa["kode_desa"]) == [C, A, B]
    assert list(profile.kecamatan_desa["peringkat"]) == [1, 2, 3]
    assert (pos["peringkat_kecamatan"], pos["desa_kecamatan"]) == (2, 3)
    assert pos["desa_kabupaten"] == 4
    assert pos["skor"] == 30.0
    assert (pos["desa_dengan_produk_unggulan_kecamatan"], pos["persen_produk_unggulan_kecamatan"]) == (2, 66.7)
    assert (pos["desa_dikunjungi_kecamatan"], pos["persen_dikunjungi_kecamatan"]) == (2, 66.7)
    rank, coverage = position_sentences(profile)
    assert "ke-2 dari 3 desa di Kecamatan Wlingi" in rank
    assert coverage == ("Kecamatan Wlingi: 2 dari 3 desa punya produk unggulan (66,7%), 2 sudah dikunjungi (66,7%).")


def test_village_without_any_data(villages, produk, kunjungan, aspirasi) -> None:
    profile = village_profile(C, villages, produk, kunjungan, aspirasi, today=TODAY)
    assert profile.produk.empty and list(profile.produk.columns) == list(PRODUK_COLUMNS)
    assert profile.kunjungan.empty and profile.aspirasi.empty
    assert list(profile.aspirasi.columns) == list(ASPIRASI_COLUMNS)
    assert profile.ringkasan["status_cakupan"] == "Belum ada unggulan & belum dikunjungi"
    assert profile.ringkasan["kunjungan_terakhir"] is None
    assert profile.nama == "Kelurahan Beru"


def test_unknown_village_is_an_error(villages, produk, kunjungan, aspirasi) -> None:
    with pytest.raises(ValueError, match="tidak ada di wilayah ini"):
        village_profile("35.05.99.9999", villages, produk, kunjungan, aspirasi, today=TODAY)


def test_arguments_are_not_mutated(villages, produk, kunjungan, aspirasi) -> None:
    before = [t.copy() for t in (villages, produk, kunjungan, aspirasi)]
    village_profile(A, villages, produk, kunjungan, aspirasi, today=TODAY)
    for original, now in zip(before, (villages, produk, kunjungan, aspirasi), strict=True):
        pd.testing.assert_frame_equal(original, now)


def test_aspirations_say_when_they_were_last_reported_on(villages, produk, kunjungan, aspirasi) -> None:
    # 17:30 UTC on 1 March is already 2 March in Blitar (WIB, UTC+7).
    reported = aspirasi.assign(terakhir_diperbarui=pd.to_datetime([None, "2024-03-01T17:30Z", None, None], utc=True))
    a = village_profile(A, villages, produk, kunjungan, reported, today=TODAY).aspirasi.set_index("id_aspirasi")
    assert a.loc["a2", "terakhir_diperbarui"] == "2 Maret 2024"
    assert a.loc[["a1", "a3"], "terakhir_diperbarui"].tolist() == ["belum ada laporan"] * 2
    before_any = village_profile(A, villages, produk, kunjungan, aspirasi, today=TODAY).aspirasi
    assert set(before_any["terakhir_diperbarui"]) == {"belum ada laporan"}
