"""Controlled vocabularies: product categories, obstacles, statuses, legality, markets, OPD.

Each vocabulary maps the words staff actually type to one canonical label, so
charts count "kripik", "Keripik pisang" and "makanan ringan" as one category.
Lookups are by keyword containment on folded text; the first vocabulary entry
whose keyword occurs wins, so more specific entries come first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold


@dataclass(frozen=True)
class Term:
    """A canonical label, the keywords that map to it, and a short explanation for the README."""

    label: str
    keywords: tuple[str, ...]
    note: str = ""


def _compile(terms: tuple[Term, ...]) -> list[tuple[re.Pattern[str], str]]:
    """One pattern per term: any of its keywords, each at the start of a word."""
    return [
        (re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(k) for k in (t.label.lower(), *t.keywords)) + ")"), t.label)
        for t in terms
    ]


def lookup(text: object, terms: tuple[Term, ...]) -> str | None:
    """Canonical label for a typed value, or None when no keyword occurs in it."""
    s = fold(text)
    if not s:
        return None
    for pattern, label in _compiled(terms):
        if pattern.search(s):
            return label
    return None


def lookup_all(text: object, terms: tuple[Term, ...]) -> list[str]:
    """Every canonical label whose keyword occurs in a multi-valued cell ('NIB, PIRT, halal')."""
    s = fold(text)
    return [label for pattern, label in _compiled(terms) if pattern.search(s)]


_CACHE: dict[int, list[tuple[re.Pattern[str], str]]] = {}


def _compiled(terms: tuple[Term, ...]) -> list[tuple[re.Pattern[str], str]]:
    key = id(terms)
    if key not in _CACHE:
        _CACHE[key] = _compile(terms)
    return _CACHE[key]


# Anchored on Thailand's OTOP groups (food, beverage, textiles, household/souvenir,
# herbal non-food), Kemenperin's OVOP groups (food & drink, tenun, batik, anyaman,
# gerabah) and what Blitar's villages show (wisata desa, fresh farm and fish produce).
KATEGORI_PRODUK: tuple[Term, ...] = (
    Term(
        "Wisata desa",
        ("wisata", "desa wisata", "homestay", "agrowisata", "tourism", "outbound", "pemandian", "air terjun"),
        "desa wisata, agrowisata, homestay",
    ),
    Term(
        "Minuman",
        (
            "kopi",
            "coffee",
            "teh",
            "jamu",
            "wedang",
            "minuman",
            "sirup",
            "sari buah",
            "susu",
            "beverage",
            "drink",
            "jahe instan",
            "serbuk",
        ),
        "kopi, teh, jamu, sirup, susu olahan",
    ),
    Term(
        "Herbal non-pangan",
        (
            "herbal non",
            "minyak atsiri",
            "sabun",
            "kosmetik",
            "lulur",
            "aromaterapi",
            "obat tradisional",
            "minyak kayu putih",
        ),
        "sabun, minyak atsiri, kosmetik alami",
    ),
    Term(
        "Fesyen & tekstil",
        (
            "batik",
            "tenun",
            "fesyen",
            "fashion",
            "konveksi",
            "busana",
            "pakaian",
            "tekstil",
            "bordir",
            "jahit",
            "sepatu",
            "tas kulit",
        ),
        "batik, tenun, konveksi, bordir",
    ),
    Term(
        "Kerajinan & suvenir",
        (
            "kerajinan",
            "djembe",
            "jimbe",
            "djimbe",
            "kendang",
            "anyaman",
            "gerabah",
            "keramik",
            "ukir",
            "mebel",
            "meubel",
            "furnitur",
            "bambu",
            "suvenir",
            "souvenir",
            "handicraft",
            "craft",
            "miniatur",
            "dekorasi",
            "cobek",
            "rotan",
            "kayu",
            "topeng",
            "wayang",
            "lukis",
        ),
        "djembe/kendang, anyaman, gerabah, ukiran, mebel",
    ),
    Term(
        "Makanan olahan",
        (
            "makanan",
            "olahan",
            "kripik",
            "keripik",
            "kerupuk",
            "krupuk",
            "rengginang",
            "kue",
            "roti",
            "jenang",
            "dodol",
            "sambal",
            "abon",
            "camilan",
            "cemilan",
            "snack",
            "opak",
            "emping",
            "tempe",
            "tahu",
            "bakpia",
            "geti",
            "wajik",
            "wingko",
            "manisan",
            "selai",
            "tape",
            "tepung",
            "mie",
            "mi ",
            "sale",
            "pia",
            "stik",
            "nugget",
            "bakso",
            "food",
            "kuliner",
            "gula",
            "brem",
        ),
        "keripik, kerupuk, kue, jenang, sambal, abon, gula",
    ),
    Term(
        "Hasil tani/ternak/ikan",
        (
            "hasil tani",
            "pertanian",
            "peternakan",
            "perikanan",
            "sayur",
            "buah segar",
            "ikan",
            "koi",
            "lele",
            "nila",
            "ternak",
            "telur",
            "ayam petelur",
            "kambing",
            "sapi",
            "padi",
            "beras",
            "jagung",
            "belimbing",
            "nanas",
            "durian",
            "manggis",
            "rambutan",
            "kakao",
            "cengkeh",
            "bibit",
            "tanaman hias",
            "hortikultura",
            "madu",
        ),
        "panen segar: sayur, buah, ikan koi/lele, telur, ternak, madu",
    ),
    Term("Lainnya", ("lainnya", "lain-lain", "lain lain", "jasa"), "yang belum masuk kategori lain"),
)

KATEGORI_KENDALA: tuple[Term, ...] = (
    Term(
        "perizinan/legalitas",
        (
            "izin",
            "ijin",
            "perizinan",
            "legal",
            "nib",
            "pirt",
            "p-irt",
            "halal",
            "bpom",
            "sertifikat",
            "sertifikasi",
            "hki",
            "merek",
        ),
    ),
    Term("permodalan", ("modal", "kredit", "pinjaman", "kur", "dana", "biaya", "keuangan", "hibah")),
    Term("pengemasan/branding", ("kemasan", "pengemasan", "packaging", "label", "branding", "merk", "desain", "logo")),
    Term(
        "pemasaran",
        (
            "pemasaran",
            "pasar",
            "marketing",
            "penjualan",
            "promosi",
            "jual",
            "marketplace",
            "online",
            "daring",
            "ekspor",
            "pameran",
        ),
    ),
    Term("peralatan", ("alat", "peralatan", "mesin", "oven", "spinner", "sealer", "teknologi")),
    Term("bahan baku", ("bahan baku", "bahan", "pasokan", "bibit", "pakan", "pupuk")),
    Term("pelatihan", ("pelatihan", "pendampingan", "bimtek", "training", "sdm", "keterampilan")),
    Term(
        "infrastruktur",
        (
            "infrastruktur",
            "jalan",
            "listrik",
            "air bersih",
            "irigasi",
            "gedung",
            "bangunan",
            "sinyal",
            "internet",
            "jembatan",
        ),
    ),
    Term("lainnya", ("lainnya", "lain")),
)

# "Belum selesai" must read as Belum, so Belum is tried first.
STATUS: tuple[Term, ...] = (
    Term("Belum", ("belum", "open", "menunggu", "pending")),
    Term("Proses", ("proses", "progres", "progress", "berjalan", "sedang", "on going", "ongoing", "dalam tindak")),
    Term("Selesai", ("selesai", "sudah", "done", "tuntas", "terealisasi", "terlaksana", "closed")),
)

JENIS_PELAKU: tuple[Term, ...] = (
    Term("BUMDesma", ("bumdesma", "bumdes bersama", "bum desma", "bumdes ma", "bumdesa bersama")),
    Term("BUMDes", ("bumdes", "bum des", "bumdesa", "badan usaha milik desa")),
    Term("Koperasi", ("koperasi", "kop.", "kud")),
    Term(
        "Kelompok",
        (
            "kelompok",
            "poklahsar",
            "pokdarwis",
            "kwt",
            "gapoktan",
            "poktan",
            "pkk",
            "karang taruna",
            "komunitas",
            "paguyuban",
        ),
    ),
    Term("UMKM", ("umkm", "ukm", "ikm", "usaha mikro", "perorangan", "pribadi", "rumah tangga")),
)

# The rungs of the legality ladder come first, in order; then other certificates.
LEGALITAS: tuple[Term, ...] = (
    Term("NIB", ("nib", "nomor induk berusaha", "oss", "iumk", "siup")),
    Term("P-IRT", ("pirt", "p-irt", "p irt", "spp-irt", "sppirt", "spp irt")),
    Term("BPOM", ("bpom", "md ", "ml ", "izin edar bpom", "pom")),
    Term("Halal", ("halal", "mui", "bpjph")),
    Term("Label komposisi", ("label komposisi", "komposisi", "label gizi", "nilai gizi", "label")),
    Term("HKI", ("hki", "haki", "merek", "merk", "paten")),
    Term("SNI", ("sni",)),
)

PEMASARAN: tuple[Term, ...] = (
    Term("ekspor", ("ekspor", "export", "luar negeri", "mancanegara", "internasional")),
    Term("nasional", ("nasional", "luar jawa", "antar provinsi", "indonesia")),
    Term(
        "regional",
        (
            "regional",
            "jawa timur",
            "jatim",
            "luar kota",
            "antar kota",
            "luar kabupaten",
            "provinsi",
            "malang",
            "surabaya",
            "kediri",
            "tulungagung",
        ),
    ),
    Term("lokal", ("lokal", "desa", "kecamatan", "blitar", "setempat", "sekitar", "pasar tradisional")),
    Term(
        "daring",
        (
            "daring",
            "online",
            "marketplace",
            "shopee",
            "tokopedia",
            "tiktok",
            "instagram",
            "facebook",
            "whatsapp",
            "e-commerce",
            "ecommerce",
            "medsos",
            "media sosial",
        ),
    ),
)

# Blitar's agencies with the abbreviations staff use; unknown names are kept as typed.
OPD: tuple[Term, ...] = (
    Term("Dinas Koperasi dan Usaha Mikro", ("dinkop", "diskop", "koperasi", "usaha mikro", "dkum")),
    Term("Disperindag", ("disperindag", "perindustrian", "perdagangan", "perindag")),
    Term("Dinas Pertanian dan Pangan", ("pertanian", "dispertapa", "pangan", "distan")),
    Term("Dinas Peternakan dan Perikanan", ("peternakan", "perikanan", "disnakkan", "disnak")),
    Term("DPMD", ("dpmd", "pemberdayaan masyarakat", "dispmd", "pmd")),
    Term("DPMPTSP", ("dpmptsp", "penanaman modal", "ptsp", "perizinan terpadu")),
    Term("Disporapar", ("disporapar", "pariwisata", "kepemudaan", "olahraga")),
    Term("Dinas Kesehatan", ("dinkes", "kesehatan")),
    Term("Dinas PUPR", ("pupr", "pekerjaan umum", "bina marga")),
    Term("Bappeda", ("bappeda", "perencanaan")),
    Term("Kementerian Agama", ("kemenag", "kementerian agama", "bpjph")),
)

#: Which OPD helps a producer climb each rung of the legality ladder.
OPD_LEGALITAS: dict[str, str] = {
    "NIB": "DPMPTSP",
    "P-IRT": "Dinas Kesehatan",
    "BPOM": "Disperindag",
    "Halal": "Kementerian Agama",
    "Label komposisi": "Dinas Koperasi dan Usaha Mikro",
}

#: The legality ladder: each product climbs NIB → P-IRT or izin edar → halal → composition label.
TANGGA_LEGALITAS: tuple[tuple[str, ...], ...] = (("NIB",), ("P-IRT", "BPOM"), ("Halal",), ("Label komposisi",))

YA = frozenset({"ya", "y", "yes", "iya", "1", "true", "benar", "unggulan", "v", "ok"})
TIDAK = frozenset({"tidak", "t", "no", "n", "0", "false", "bukan", "tdk", "-"})
#: What staff write in a list cell to say "none yet"; read as empty, not as an unknown value.
NONE_WORDS = frozenset(
    {"-", "--", "belum ada", "tidak ada", "belum", "tidak", "none", "n/a", "na", "0", "nihil", "kosong"}
)
