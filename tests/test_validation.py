"""Validation: every row accepted or rejected with its Excel row, counts reconcile, findings are clear."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest
from excel_rows import assert_rows_reconcile

from ovop_data import followup
from ovop_data.codes import code_label
from ovop_data.io import RawSheet
from ovop_data.load import tables_from_sheets
from ovop_data.validation import build_dataset


def sheet(name: str, rows: list[list], file: str = "uji.xlsx") -> RawSheet:
    """A sheet as the reader gives it: row i is Excel row i+1."""
    width = max(len(r) for r in rows)
    cells = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    return RawSheet(file=file, sheet=name, cells=cells)


def dataset(*sheets: RawSheet):
    """The validated dataset of the sheets, checked to account for each of their Excel rows exactly once."""
    tables, findings = tables_from_sheets(sheets)
    data = build_dataset(tables, "35.05", extra_findings=findings, files=[s.file for s in sheets])
    assert_rows_reconcile(data, tables)
    return data


PRODUK_HEADER = ["No", "Nama Produk", "Kategori", "Desa/Kel", "Kecamatan", "Pelaku Usaha", "Legalitas", "No. HP"]


@pytest.fixture
def produk():
    return sheet(
        "Data Produk UMKM",
        [
            ["DATA PRODUK UNGGULAN DESA"],  # 1 merged title
            [],  # 2
            PRODUK_HEADER,  # 3
            [
                1,
                "Kopi Tuan Galang",
                "kopi bubuk",
                "TegalAsri, Tembalang, Balairejo dan Ngadirengo",
                "Wlingi",
                "BUMDesma Wlingi",
                "NIB, PIRT",
                "0812-0000-0001",
            ],  # 4 four villages
            [2, "Keripik Singkong", "kripik", "Balairejo", "Wlingi", "Bu Sri", "-", None],  # 5
            [3, "Kue Basah", "Kue", "Sumberagung", None, "", "", ""],  # 6 ambiguous
            [4, "Gethuk", "Makanan", "Sentul", "Kepanjenkidul", "", "", ""],  # 7 Kota Blitar
            [5, None, "Kerajinan", "Beru", "Wlingi", "", "", ""],  # 8 no product name
            [6],  # 9 blank (running no.)
            [7, "Kendang Djimbe", "kendang djimbe", "Ds. Beru", "Wlingi", "", "", ""],  # 10
            [8, "Kendang Djimbe", "kendang djimbe", "BERU", "Wlingi", "", "", ""],  # 11 duplicate of 10
            [9, "Batu akik", "perhiasan batu", "Beru", "Wlingi", "", "", ""],  # 12 unknown category
        ],
    )


def test_counts_reconcile_and_each_row_has_its_fate(produk):
    data = dataset(produk)
    assert data.counts["produk"] == {"rows_in": 8, "accepted": 4, "rejected": 4, "blank": 1}
    accepted_rows = set(data.produk["baris"])
    rejected_rows = set(data.rejected["row"])
    assert accepted_rows == {4, 5, 10, 12}
    assert rejected_rows == {6, 7, 8, 11}
    assert accepted_rows.isdisjoint(rejected_rows)


def test_rejections_carry_codes_and_excel_rows(produk):
    data = dataset(produk)
    codes = dict(zip(data.rejected["row"], data.rejected["codes"], strict=True))
    assert codes == {6: "desa_ambigu", 7: "di_luar_wilayah", 8: "nilai_wajib_kosong", 11: "duplikat"}
    dup = data.findings[data.findings["code"] == "duplikat"].iloc[0]
    assert "baris 10" in dup["message"]
    assert (data.findings.loc[data.findings["severity"] == "error", "message"] != "").all()


def test_multi_village_product_belongs_to_each_village(produk):
    data = dataset(produk)
    kopi = data.produk[data.produk["nama_produk"] == "Kopi Tuan Galang"]
    assert sorted(kopi["kode_desa"]) == ["35.05.17.2005", "35.05.17.2007", "35.05.17.2008", "35.05.17.2009"]
    assert kopi["id_produk"].nunique() == 1
    assert set(kopi["kategori"]) == {"Minuman"}
    assert set(kopi["legalitas"]) == {"NIB; P-IRT"}
    matched = data.matches[data.matches["row"] == 4]
    assert len(matched) == 4
    assert set(matched["method"]) == {"exact", "fuzzy"}


def test_corrections_are_warnings_not_silent(produk):
    data = dataset(produk)
    notes = data.findings[(data.findings["row"] == 5) & (data.findings["severity"] == "warning")]
    assert set(notes["code"]) == {"koreksi_nama"}
    assert set(notes["column"]) == {"desa"}
    row5 = data.produk[data.produk["baris"] == 5].iloc[0]
    assert (row5["desa"], row5["kecamatan"], row5["legalitas"]) == ("Balerejo", "Wlingi", "")


def test_unknown_category_kept_as_lainnya_with_warning(produk):
    data = dataset(produk)
    row = data.produk[data.produk["baris"] == 12].iloc[0]
    assert (row["kategori"], row["kategori_input"]) == ("Lainnya", "perhiasan batu")
    warn = data.findings[(data.findings["row"] == 12)]
    assert list(warn["code"]) == ["kategori_tidak_dikenal"]


def test_duplicates_are_the_same_product_of_the_same_producer_in_the_same_village():
    s = sheet(
        "Produk",
        [
            ["Nama Produk", "Kategori", "Desa", "Kecamatan", "Pelaku Usaha"],
            ["Abon ikan", "olahan ikan", "Beru", "Wlingi", "UD Mina"],  # 2
            ["Abon ikan", "olahan ikan", "Beru", "Wlingi", "CV Laut"],  # 3 another producer: kept
            ["Abon ikan", "olahan ikan", "Tembalang", "Wlingi", "UD Mina"],  # 4 another village: kept
            ["abon  IKAN", "olahan ikan", "Ds. Beru", "Wlingi", "ud mina"],  # 5 the same as 2
            ["Abon ikan", "olahan ikan", "Beru", "Wlingi", ""],  # 6 no producer
            ["Abon ikan", "olahan ikan", "Beru", "Wlingi", ""],  # 7 the same as 6
        ],
    )
    data = dataset(s)
    dup = data.findings[data.findings["code"] == "duplikat"]
    assert dict(zip(dup["row"], dup["message"].str.extract(r"baris (\d+)")[0], strict=True)) == {5: "2", 7: "6"}
    assert sorted(data.produk["baris"]) == [2, 3, 4, 6]


def test_missing_category_column_is_one_sheet_finding_not_a_rejection_per_row():
    rows = [["Nama Produk", "Desa", "Kecamatan"], ["Kopi", "Beru", "Wlingi"], ["Teh", "Babadan", "Wlingi"]]
    s = sheet("Produk", rows)
    data = dataset(s)
    assert data.counts["produk"]["accepted"] == 2
    assert list(data.findings["code"]) == ["kolom_tidak_tercatat"]
    assert set(data.produk["kategori"]) == {""}  # not recorded, shown as "tidak tercatat"


def test_missing_required_column_rejects_every_row_of_the_sheet():
    s = sheet("Produk", [["Kategori", "Desa"], ["kopi", "Beru"], ["minuman", "Babadan"]])
    data = dataset(s)
    assert data.counts["produk"] == {"rows_in": 2, "accepted": 0, "rejected": 2, "blank": 0}
    finding = data.findings[data.findings["code"] == "kolom_tidak_ada"].iloc[0]
    assert finding["column"] == "nama_produk" and finding["row"] == 1
    assert set(data.rejected["codes"]) == {"kolom_tidak_ada"}


def test_visits_dates_and_unknown_columns_pass_through():
    s = sheet(
        "Kunjungan OVOP 2023",
        [
            ["Tanggal", "Desa", "Kecamatan", "Kegiatan", "OPD Pendamping", "Cuaca"],
            [dt.datetime(2023, 7, 12), "Balairejo", "Wlingi", "Sambang Desa", "Dinkop UM, Disperindag", "cerah"],
            ["Rabu, 12/07/2023", "Tegalasri", "Wlingi", "Sambang Desa", "", "cerah"],
            ["31/02/2023", "Beru", "Wlingi", "", "", "hujan"],
            [45119, "Beru", "Wlingi", "", "", ""],
        ],
    )
    data = dataset(s)
    k = data.kunjungan.sort_values("baris")
    assert list(k["baris"]) == [2, 3, 5]
    assert list(k["tanggal"].dt.date) == [dt.date(2023, 7, 12)] * 3
    assert k.iloc[0]["opd_pendamping"] == "Dinas Koperasi dan Usaha Mikro; Dinas Perindustrian dan Perdagangan"
    assert list(k["Cuaca"]) == ["cerah", "cerah", ""]
    bad = data.findings[data.findings["code"] == "tanggal_tidak_valid"].iloc[0]
    assert (bad["row"], bad["severity"], bad["value"]) == (4, "error", "31/02/2023")


def test_aspirasi_status_and_category_from_text():
    s = sheet(
        "Aspirasi",
        [
            ["Tgl", "Desa / Kelurahan", "Kec.", "Aspirasi", "Kategori Kendala", "OPD", "Status", "Tenggat"],
            ["12/07/2023", "Tembalang", "Wlingi", "Butuh mesin sealer", "", "Disperindag", "belum selesai", ""],
            ["12/07/2023", "Tembalang", "Wlingi", "Perlu izin PIRT", "Legalitas", "Dinkes", "Sudah", "1/9/2023"],
            ["12/07/2023", "Tembalang", "Wlingi", "Akses jalan", "cuaca", "PUPR", "entah", "besok"],
        ],
    )
    data = dataset(s)
    a = data.aspirasi.sort_values("baris")
    assert list(a["status"]) == ["Belum", "Selesai", "Belum"]
    assert list(a["kategori_kendala"]) == ["peralatan", "perizinan/legalitas", "lainnya"]
    assert list(a["opd_penanggung_jawab"]) == [
        "Dinas Perindustrian dan Perdagangan",
        "Dinas Kesehatan",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
    ]
    assert a.iloc[1]["tenggat"] == pd.Timestamp("2023-09-01")
    warnings = data.findings[data.findings["row"] == 4]
    assert set(warnings["code"]) == {"kategori_tidak_dikenal", "nilai_tidak_valid", "tanggal_tidak_valid"}
    assert set(warnings["severity"]) == {"warning"}
    assert data.counts["aspirasi"]["accepted"] == 3


@pytest.mark.parametrize("header", ["ID Aspirasi", "id_aspirasi", "ID Pelacakan", "Nomor Pelacakan"])
def test_aspirasi_keep_the_workbooks_tracking_id_and_a_repeated_one_is_a_finding(header):
    s = sheet(
        "Aspirasi",
        [
            [header, "Tgl", "Desa", "Kec.", "Aspirasi", "Status"],
            ["LAPOR-1", "12/07/2023", "Tembalang", "Wlingi", "Butuh mesin sealer", "Belum"],  # 2
            ["", "12/07/2023", "Tembalang", "Wlingi", "Perlu izin PIRT", "Belum"],  # 3 blank: derived
            ["LAPOR-1", "13/07/2023", "Beru", "Wlingi", "Akses jalan", "Proses"],  # 4 repeats row 2's ID
        ],
    )
    data = dataset(s)
    a = data.aspirasi.sort_values("baris").set_index("baris")
    assert a.loc[2, "id_aspirasi"] == "LAPOR-1"
    assert a.loc[3, "id_aspirasi"] == followup.tracking_id("2023-07-12", a.loc[3, "kode_desa"], "Perlu izin PIRT")
    assert a.loc[4, "id_aspirasi"].startswith("ASP-20230713-")  # kept, with a derived ID, never "LAPOR-1-2"
    assert list(a["tercatat_id_aspirasi"]) == [True, False, True]
    assert data.counts["aspirasi"]["accepted"] == 3
    repeated = data.findings[data.findings["code"] == "id_aspirasi_ganda"]
    assert list(repeated["row"]) == [4] and list(repeated["severity"]) == ["warning"]
    assert "baris 2" in repeated["message"].iloc[0] and repeated["value"].iloc[0] == "LAPOR-1"
    assert code_label("id_aspirasi_ganda") != "id_aspirasi_ganda"


def test_code_column_wins_and_unrecognised_sheet_is_reported():
    produk = sheet(
        "Produk",
        [
            ["Nama Produk", "Kategori", "Desa", "Kode Desa"],
            ["Kopi", "kopi", "Kauman", "3505172009"],
        ],
    )
    other = sheet("Catatan rapat", [["Hari ini rapat"], ["isi bebas"]])
    data = dataset(produk, other)
    assert list(data.produk["kode_desa"]) == ["35.05.17.2009"]
    assert list(data.matches["method"]) == ["kode"]
    assert "sheet_tidak_dikenal" in set(data.findings["code"])
    assert not data.has_errors


def test_same_record_in_two_files_is_counted_once():
    rows = [["Nama Produk", "Kategori", "Desa", "Kecamatan"], ["Kopi Robusta", "kopi", "Beru", "Wlingi"]]
    data = dataset(sheet("Produk", rows, "a.xlsx"), sheet("Produk", rows, "b.xlsx"))
    assert data.counts["produk"] == {"rows_in": 2, "accepted": 1, "rejected": 1, "blank": 0}
    assert data.rejected.iloc[0]["file"] == "b.xlsx"


def test_no_data_gives_empty_tables_with_the_contract_columns():
    data = dataset()
    assert data.produk.empty and "kode_desa" in data.produk and "id_produk" in data.produk
    assert data.counts["kunjungan"] == {"rows_in": 0, "accepted": 0, "rejected": 0, "blank": 0}


KUNJUNGAN_HEADER = ["Tanggal", "Desa", "Kecamatan", "Kegiatan"]
PRODUK_KODE_HEADER = ["Nama Produk", "Kategori", "Desa", "Kecamatan", "Kode Desa"]
DAY = dt.datetime(2023, 7, 12)
# One rejected row of each kind: (sheet, header, row, codes, message, (column, value) of its first error).
REJECTED_ROWS = {
    "desa_tidak_dikenal": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, "Zzzxq", "Wlingi", "x"],
        "desa_tidak_dikenal",
        "Desa 'Zzzxq' tidak dikenal di Kec. Wlingi.",
        ("desa", "Zzzxq"),
    ),
    "desa_tidak_dikenal_tanpa_kecamatan": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, "Qwertyuiop", None, "x"],
        "desa_tidak_dikenal",
        "Desa 'Qwertyuiop' tidak dikenal.",
        ("desa", "Qwertyuiop"),
    ),
    "desa_kosong": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, None, "Wlingi", "x"],
        "nilai_wajib_kosong",
        "Kolom wajib 'Desa/Kelurahan' kosong.",
        ("desa", ""),
    ),
    "tanggal_kosong": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [None, "Beru", "Wlingi", "x"],
        "nilai_wajib_kosong",
        "Kolom wajib 'Tanggal' kosong.",
        ("tanggal", ""),
    ),
    "tanggal_tidak_valid": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        ["31/02/2023", "Beru", "Wlingi", "x"],
        "tanggal_tidak_valid",
        "Tanggal tidak dapat dibaca.",
        ("tanggal", "31/02/2023"),
    ),
    "tanggal_dan_desa": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        ["bukan tanggal", "Zzzxq", "Wlingi", "x"],
        "tanggal_tidak_valid; desa_tidak_dikenal",
        "Tanggal tidak dapat dibaca.",
        ("tanggal", "bukan tanggal"),
    ),
    "kecamatan_di_luar_wilayah": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, "Sentul", "Kepanjenkidul", "x"],
        "di_luar_wilayah",
        "Kecamatan 'Kepanjenkidul' berada di luar wilayah program (Kecamatan Kepanjenkidul, Kota Blitar, Jawa Timur).",
        ("kecamatan", "Kepanjenkidul"),
    ),
    "desa_di_luar_wilayah": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, "Sentul", None, "x"],
        "di_luar_wilayah",
        "Desa 'Sentul' berada di luar wilayah program (Sentul, Kota Blitar; Sentul, Kabupaten Lumajang; "
        "Sentul, Kabupaten Probolinggo; Sentul, Kabupaten Pasuruan; dan 2 lainnya).",
        ("desa", "Sentul"),
    ),
    "desa_ambigu": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, "Sumberagung", None, "x"],
        "desa_ambigu",
        "Desa 'Sumberagung' ada di 3 kecamatan; isi kolom kecamatan.",
        ("desa", "Sumberagung"),
    ),
    "kecamatan_tidak_cocok": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, "Beru", "Kanigoro", "x"],
        "kecamatan_tidak_cocok",
        "Desa 'Beru' tidak ada di Kec. Kanigoro.",
        ("desa", "Beru"),
    ),
    "satu_dari_beberapa_desa": (
        "Kunjungan",
        KUNJUNGAN_HEADER,
        [DAY, "Beru dan Zzzxq", "Wlingi", "x"],
        "desa_tidak_dikenal",
        "Desa 'Zzzxq' tidak dikenal di Kec. Wlingi.",
        ("desa", "Zzzxq"),
    ),
    "kode_tidak_dikenal": (
        "Produk",
        PRODUK_KODE_HEADER,
        ["Kopi", "kopi", "Kauman", None, "3505992099"],
        "desa_tidak_dikenal",
        "Kode desa 35.05.99.2099 tidak ada dalam daftar Kemendagri.",
        ("kode_desa", "3505992099"),
    ),
    "kode_di_luar_wilayah": (
        "Produk",
        PRODUK_KODE_HEADER,
        ["Kopi", "kopi", None, None, "35.72.01.1001"],
        "di_luar_wilayah",
        "Kode desa 35.72.01.1001 berada di luar wilayah program (Kepanjenkidul, Kota Blitar).",
        ("kode_desa", "35.72.01.1001"),
    ),
    "nama_kosong_dan_di_luar_wilayah": (
        "Produk",
        PRODUK_KODE_HEADER,
        [None, "kopi", "Sentul", "Kepanjenkidul", None],
        "nilai_wajib_kosong; di_luar_wilayah",
        "Kolom wajib 'Nama Produk' kosong.",
        ("nama_produk", ""),
    ),
}


@pytest.mark.parametrize("kind", REJECTED_ROWS)
def test_each_kind_of_rejected_row_gives_its_codes_message_and_value(kind):
    name, header, row, codes, message, (column, value) = REJECTED_ROWS[kind]
    data = dataset(sheet(name, [header] + [row] * 3))
    table = "kunjungan" if name == "Kunjungan" else "produk"
    assert data.counts[table] == {"rows_in": 3, "accepted": 0, "rejected": 3, "blank": 0}
    assert list(data.rejected["row"]) == [2, 3, 4]
    assert set(data.rejected["codes"]) == {codes} and set(data.rejected["message"]) == {message}
    errors = data.findings[data.findings["severity"] == "error"]
    first = errors.groupby("row").head(1)
    assert list(first["row"]) == [2, 3, 4]
    assert set(zip(first["column"], first["value"], first["message"], strict=True)) == {(column, value, message)}


def _interleaved(
    name: str, header: list, accepted: Callable[[int], list], repeats: int
) -> tuple[RawSheet, dict[int, tuple]]:
    """Every rejected kind of one sheet plus accepted rows and repeats of one record, interleaved `repeats` times;
    with each Excel row's expected (codes, message), or None for an accepted row."""
    kinds = [k for k, case in REJECTED_ROWS.items() if case[0] == name]
    rows, expected = [header], {}
    for i in range(repeats):
        for kind in kinds:
            rows.append(REJECTED_ROWS[kind][2])
            expected[len(rows)] = REJECTED_ROWS[kind][3:5]
        rows.append(accepted(i))
        expected[len(rows)] = None
        rows.append(accepted(-1))  # the same record every time: the first is accepted, the rest are duplicates
        if i == 0:
            first, expected[len(rows)] = len(rows), None
        else:
            message = (
                f"Baris ini sama dengan baris {first} (berkas 'uji.xlsx', sheet '{name}'); tidak dihitung dua kali."
            )
            expected[len(rows)] = ("duplikat", message)
    return sheet(name, rows), expected


def test_big_mixed_upload_reconciles_row_by_row():
    visits, visit_fate = _interleaved(
        "Kunjungan", KUNJUNGAN_HEADER, lambda i: [DAY + dt.timedelta(days=i), "Beru", "Wlingi", "x"], 150
    )
    products, product_fate = _interleaved(
        "Produk",
        PRODUK_KODE_HEADER,
        lambda i: [f"Kopi {i}" if i >= 0 else "Teh", "kopi", "Kauman", None, "3505172009"],
        150,
    )
    data = dataset(visits, products)
    for table, fate in (("kunjungan", visit_fate), ("produk", product_fate)):
        c = data.counts[table]
        assert c["rows_in"] == len(fate)
        clean = getattr(data, table)
        assert sorted(clean["baris"].unique()) == sorted(r for r, f in fate.items() if f is None)
        rejected = data.rejected[data.rejected["table"] == table]
        got = {
            r: (codes, message) for r, codes, message in rejected[["row", "codes", "message"]].itertuples(index=False)
        }
        assert got == {r: f for r, f in fate.items() if f is not None}
        errors = data.findings[(data.findings["table"] == table) & (data.findings["severity"] == "error")]
        assert set(errors["row"]) == set(got)


def test_opd_spellings_one_agency_vague_owner_a_finding_with_the_likely_agency():
    s = sheet(
        "Aspirasi",
        [
            ["Tgl", "Desa", "Kec.", "Aspirasi", "Kategori Kendala", "OPD Penanggung Jawab", "Status"],
            ["12/07/2023", "Tembalang", "Wlingi", "Akses KUR", "Permodalan", "Dinkop UM", "Belum"],
            [
                "12/07/2023",
                "Tembalang",
                "Wlingi",
                "Modal kelompok",
                "Modal",
                "DINAS KOPERASI DAN USAHA MIKRO (Bu Sri)",
                "Belum",
            ],
            ["13/07/2023", "Tembalang", "Wlingi", "Pinjaman lunak", "Permodalan", "OPD terkait", "Belum"],
            ["14/07/2023", "Tembalang", "Wlingi", "Izin PIRT", "Legalitas", "Kepala OPD", "Belum"],
            ["15/07/2023", "Tembalang", "Wlingi", "Pameran", "Pemasaran", "Dinkop dan Disperindag", "Proses"],
            ["16/07/2023", "Tembalang", "Wlingi", "KUR", "Permodalan", "BRI", "Selesai"],
        ],
    )
    data = dataset(s)
    a = data.aspirasi.sort_values("baris")
    assert list(a["opd_penanggung_jawab"]) == [
        "Dinas Koperasi dan Usaha Mikro",
        "Dinas Koperasi dan Usaha Mikro",
        "belum ditetapkan",
        "belum ditetapkan",
        "Dinas Koperasi dan Usaha Mikro; Dinas Perindustrian dan Perdagangan",
        "Bank Rakyat Indonesia",
    ]
    vague = data.findings[data.findings["code"] == "opd_tidak_jelas"].sort_values("row")
    assert list(vague["row"]) == [4, 5]
    assert set(vague["severity"]) == {"warning"} and set(vague["column"]) == {"opd_penanggung_jawab"}
    assert list(vague["value"]) == ["OPD terkait", "Kepala OPD"]
    assert "Dinas Koperasi dan Usaha Mikro" in vague.iloc[0]["suggestion"]  # permodalan
    assert "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu" in vague.iloc[1]["suggestion"]  # perizinan


def test_vague_owner_naming_agencies_in_brackets_suggests_those():
    s = sheet(
        "Aspirasi",
        [
            ["Tgl", "Desa", "Kec.", "Aspirasi", "Kategori Kendala", "OPD Penanggung Jawab", "Status"],
            ["12/07/2023", "Tembalang", "Wlingi", "Pameran", "Pemasaran", "beberapa OPD terkait (Dinkop, DPMD)", ""],
        ],
    )
    data = dataset(s)
    assert data.aspirasi.iloc[0]["opd_penanggung_jawab"] == "belum ditetapkan"
    found = data.findings[data.findings["code"] == "opd_tidak_jelas"].iloc[0]
    assert found["suggestion"] == (
        "Tulis satu OPD; dalam kurung disebut Dinas Koperasi dan Usaha Mikro"
        " dan Dinas Pemberdayaan Masyarakat dan Desa."
    )


def test_vague_accompanying_opd_on_a_visit_is_a_finding_too():
    s = sheet(
        "Kunjungan",
        [
            ["Tanggal", "Desa", "Kecamatan", "Kegiatan", "OPD Pendamping"],
            ["12/07/2023", "Tembalang", "Wlingi", "Sambang Desa", "Dinkop (Pak Budi), OPD terkait"],
        ],
    )
    data = dataset(s)
    assert data.kunjungan.iloc[0]["opd_pendamping"] == "Dinas Koperasi dan Usaha Mikro; belum ditetapkan"
    assert list(data.findings["code"]).count("opd_tidak_jelas") == 1


# A national-style register of village enterprises (issue 13): its own Provinsi and Kab/Kota columns,
# upper case, "KAB."/"KOTA" prefixes; some rows without them. (row) -> (kode_desa accepted, or the error code
# and the column it is about), checked against the gazetteer.
REGISTER_HEADER = ["No", "Provinsi", "Kab/Kota", "Kecamatan", "Desa", "Nama Produk", "Kategori"]
REGISTER_ROWS = [
    (["JAWA TIMUR", "KAB. BLITAR", "WLINGI", "BERU"], "35.05.17.1001"),
    (["JAWA TIMUR", "KAB. BLITAR", "WLINGGI", "TEGALASRI"], "35.05.17.2008"),  # one guess: the kecamatan
    (["ACEH", "KAB. ACEH TAMIANG", "SERUWAY", "SIDODADI"], ("di_luar_wilayah", "kabupaten")),
    (["JAWA TIMUR", "KOTA BLITAR", "KEPANJENKIDUL", "SENTUL"], ("di_luar_wilayah", "kabupaten")),
    (["JAWA TIMUR", "KAB. BOJONEGORO", "SUMBEREJO", "TLOGOHAJI"], ("di_luar_wilayah", "kabupaten")),
    ([None, None, "SERUWAY", "GUMPANG"], ("di_luar_wilayah", "kecamatan")),
    ([None, None, "SUMBEREJO", "TLOGOHAJI"], ("di_luar_wilayah", "kecamatan")),
    ([None, None, "WLINGGI", "BALAIREJO"], ("desa_tidak_dikenal", "desa")),  # two guesses: refused
    (["ACEH", "KAB. BLITAR", "WLINGI", "BERU"], ("wilayah_tidak_cocok", "kabupaten")),
]


def _register(rows: list[tuple[list, object]]) -> RawSheet:
    cells = [REGISTER_HEADER] + [[i + 1, *r, f"Produk {i}", "Makanan"] for i, (r, _) in enumerate(rows)]
    return sheet("Produk BUMDes", cells, file="register.xlsx")


def test_register_of_other_regions_accepts_only_our_villages():
    data = dataset(_register(REGISTER_ROWS))
    accepted = dict(zip(data.produk["baris"], data.produk["kode_desa"], strict=True))
    errors = data.findings[data.findings["severity"] == "error"]
    for row, (_, fate) in enumerate(REGISTER_ROWS, start=2):
        if isinstance(fate, str):
            assert accepted.get(row) == fate, row
        else:
            assert row not in accepted, row
            mine = errors[errors["row"] == row]
            assert (mine["code"].iloc[0], mine["column"].iloc[0]) == fate, row
    # the region columns identify villages; they are not kept, nor passed through as extra columns
    assert not {"provinsi", "kabupaten", "Provinsi", "Kab/Kota"} & set(data.produk.columns)


def test_register_outside_value_is_the_typed_kabupaten():
    data = dataset(_register(REGISTER_ROWS[2:3]))
    [finding] = data.findings[data.findings["severity"] == "error"].itertuples()
    assert (finding.column, finding.value) == ("kabupaten", "KAB. ACEH TAMIANG")
    assert "Kab. Aceh Tamiang, Aceh" in finding.message


def test_register_region_codes_are_read_like_names():
    header = ["Kode Prov", "Kode Kab/Kota", "Kecamatan", "Desa", "Nama Produk", "Kategori"]
    rows = [
        header,
        ["35", "3505", "Wlingi", "Beru", "Kopi", "Minuman"],
        ["11", "1116", "Seruway", "Sidodadi", "Kopi", "Minuman"],
    ]
    data = dataset(sheet("Produk", rows))
    assert data.produk["kode_desa"].tolist() == ["35.05.17.1001"]
    assert data.rejected["codes"].tolist() == ["di_luar_wilayah"]


def test_province_wide_register_lets_the_kabupaten_choose_between_same_named_villages():
    rows = [
        (["JAWA TIMUR", "KAB. MALANG", None, "KRANGGAN"], "35.07.20.2005"),
        (["JAWA TIMUR", "KOTA MOJOKERTO", None, "KRANGGAN"], "35.76.03.1001"),
        ([None, None, "NGAJUNG", "PALAAN"], "35.07.20.2002"),
    ]
    tables, findings = tables_from_sheets([_register(rows)])
    data = build_dataset(tables, "35", extra_findings=findings)
    assert data.produk["kode_desa"].tolist() == [fate for _, fate in rows]
    assert data.counts["produk"]["rejected"] == 0
