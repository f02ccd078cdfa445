"""The OPD vocabulary: one agency, one name; partners apart; vague owners named as such."""

from __future__ import annotations

import pytest

from ovop_data import vocab

DINKOP = "Dinas Koperasi dan Usaha Mikro"
INDAG = "Dinas Perindustrian dan Perdagangan"
PTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"
BELUM = (vocab.BELUM_DITETAPKAN, "belum_ditetapkan")


@pytest.mark.parametrize(
    ("typed", "owners"),
    [
        ("Dinkop UM", [(DINKOP, "opd")]),  # abbreviation
        ("Dinas Koperasi dan Usaha Mikro", [(DINKOP, "opd")]),  # full name: its 'dan' splits nothing
        ("Dinas Koperasi dan Usaha Mikro (Bu Sri Wahyuni)", [(DINKOP, "opd")]),  # person in brackets
        ("Dinkop [konfirmasi ulang]", [(DINKOP, "opd")]),  # note in brackets
        ("DISKOP", [(DINKOP, "opd")]),  # case
        ("Dinas Disperindag", [(INDAG, "opd")]),  # 'Dinas' prefix on an abbreviation
        ("Badan Bappeda", [("Badan Perencanaan Pembangunan Daerah", "opd")]),  # 'Badan' prefix
        ("KPPT", [(PTSP, "opd")]),  # older name
        ("BPMPD", [("Dinas Pemberdayaan Masyarakat dan Desa", "opd")]),  # older name
        ("Dinas Pemberdayaan Masyarakat dan Desa", [("Dinas Pemberdayaan Masyarakat dan Desa", "opd")]),
        ("Dinas PUPR (Pak Agus, bidang Bina Marga)", [("Dinas Pekerjaan Umum dan Penataan Ruang", "opd")]),
        ("Disporapar", [("Dinas Pariwisata, Kebudayaan, Pemuda dan Olahraga", "opd")]),
        (
            "Dinas Pariwisata, Kebudayaan, Pemuda dan Olahraga",
            [("Dinas Pariwisata, Kebudayaan, Pemuda dan Olahraga", "opd")],
        ),
        ("Kemenag", [("Kementerian Agama", "opd")]),
        ("Dinkop dan Disperindag", [(DINKOP, "opd"), (INDAG, "opd")]),
        ("Dinkop/Disperindag", [(DINKOP, "opd"), (INDAG, "opd")]),
        ("Dinkop; Disperindag, DPMPTSP", [(DINKOP, "opd"), (INDAG, "opd"), (PTSP, "opd")]),
        ("Dinkop, Dinas Koperasi dan Usaha Mikro", [(DINKOP, "opd")]),  # one agency named twice
        ("BRI", [("Bank Rakyat Indonesia", "mitra")]),
        ("Bank BRI Unit Wlingi", [("Bank Rakyat Indonesia", "mitra")]),
        ("Bank Jatim", [("Bank Jatim", "mitra")]),
        ("BPR Bank Blitar", [("BPR Bank Blitar", "mitra")]),
        ("Universitas Islam Balitar (UNISBA)", [("Universitas Islam Balitar", "mitra")]),
        ("Politeknik Negeri Malang", [("Politeknik Negeri Malang", "mitra")]),
        ("PT Pertamina (Persero) — CSR", [("PT Pertamina — CSR", "mitra")]),
        ("Dinkop dan BRI", [(DINKOP, "opd"), ("Bank Rakyat Indonesia", "mitra")]),
        ("Dinkop dan Dinas Sosial", [(DINKOP, "opd"), ("Dinas Sosial", "opd")]),  # a known and an unknown agency
        ("Dinkop dan Universitas Brawijaya", [(DINKOP, "opd"), ("Universitas Brawijaya", "mitra")]),
        ("Dinkop dan dinas terkait", [(DINKOP, "opd")]),  # a real owner named: the vague part adds nobody
        ("OPD terkait", [BELUM]),
        ("Kepala OPD", [BELUM]),
        ("dinas terkait", [BELUM]),
        ("Instansi terkait", [BELUM]),
        ("semua OPD", [BELUM]),
        ("beberapa OPD terkait (Dinkop, Disperindag)", [BELUM]),
        ("(Pak Camat)", [BELUM]),  # only a person: nobody owns it yet
        ("Puskesmas Wlingi", [("Dinas Kesehatan", "opd")]),  # a UPT of the agency
        ("Dinas Sosial", [("Dinas Sosial", "opd")]),  # not in the vocabulary: kept as typed
        ("", []),
    ],
)
def test_opd_owners(typed, owners):
    assert vocab.opd_owners(typed) == owners


@pytest.mark.parametrize("label", [t.label for t in vocab.OPD])
def test_canonical_labels_read_back_as_themselves(label):
    # Validation stores canonical labels; reading one again must not change it or split it.
    assert vocab.opd_owners(label) == [(label, "opd")]
    assert vocab.opd_jenis(label) == "opd"


def test_jenis_of_stored_labels():
    assert vocab.opd_jenis("Bank Rakyat Indonesia") == "mitra"
    assert vocab.opd_jenis("Universitas Islam Balitar") == "mitra"
    assert vocab.opd_jenis(vocab.BELUM_DITETAPKAN) == "belum_ditetapkan"
    assert vocab.opd_jenis("Dinas Sosial") == "opd"


def test_legality_ladder_and_suggestions_name_canonical_agencies():
    labels = {t.label for t in vocab.OPD}
    assert set(vocab.OPD_LEGALITAS.values()) <= labels
    assert set(vocab.OPD_SARAN.values()) <= labels
    assert set(vocab.OPD_SARAN) == {t.label for t in vocab.KATEGORI_KENDALA}
