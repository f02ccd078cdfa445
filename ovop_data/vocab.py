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

# Kabupaten Blitar's perangkat daerah under their official names (Perda Kab. Blitar on the formation
# and composition of perangkat daerah, as amended), with the abbreviations and older names staff still
# write. Kementerian Agama is a vertical agency, not a perangkat daerah, but it takes promises at the
# same meetings (halal certification), so it is counted as an owner like the others.
OPD: tuple[Term, ...] = (
    Term(
        "Dinas Koperasi dan Usaha Mikro",
        ("dinkop", "diskop", "dkum", "koperasi", "usaha mikro", "diskopum", "dinkopum"),
        "Dinkop UM",
    ),
    Term(
        "Dinas Perindustrian dan Perdagangan",
        ("disperindag", "perindag", "perindustrian", "perdagangan", "indag"),
        "Disperindag",
    ),
    Term(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        ("dpmptsp", "penanaman modal", "ptsp", "pelayanan terpadu", "perizinan terpadu", "kppt", "bppt"),
        "DPMPTSP; dulu KPPT/BPPT",
    ),
    Term(
        "Dinas Pemberdayaan Masyarakat dan Desa",
        ("dpmd", "dispmd", "pmd", "pemberdayaan masyarakat", "bpmpd"),
        "DPMD; dulu BPMPD",
    ),
    Term("Dinas Kesehatan", ("dinkes", "kesehatan", "puskesmas"), "Dinkes; puskesmas adalah UPT-nya"),
    Term(
        "Dinas Pertanian dan Pangan",
        ("dispertapa", "distan", "dispertan", "pertanian", "pangan", "ketahanan pangan"),
        "Dispertapa; dulu Dinas Pertanian, Badan Ketahanan Pangan",
    ),
    Term(
        "Dinas Peternakan dan Perikanan",
        ("disnakkan", "disnak", "peternakan", "perikanan"),
        "Disnakkan",
    ),
    Term(
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        ("dpupr", "pupr", "dinas pu", "dpu", "pekerjaan umum", "penataan ruang", "bina marga"),
        "DPUPR",
    ),
    Term(
        "Badan Perencanaan Pembangunan Daerah",
        ("bappeda", "perencanaan pembangunan"),
        "Bappeda",
    ),
    Term(
        "Dinas Pariwisata, Kebudayaan, Pemuda dan Olahraga",
        ("disparbudpora", "disporapar", "disbudpar", "parbudpora", "pariwisata", "kebudayaan", "pemuda", "olahraga"),
        "Disparbudpora",
    ),
    Term("Dinas Komunikasi dan Informatika", ("diskominfo", "kominfo", "informatika", "komunikasi"), "Diskominfo"),
    Term("Dinas Lingkungan Hidup", ("dlh", "lingkungan hidup", "blh"), "DLH; dulu Badan Lingkungan Hidup"),
    Term("Dinas Tenaga Kerja", ("disnaker", "disnakertrans", "tenaga kerja"), "Disnaker"),
    Term(
        "Kementerian Agama",
        ("kemenag", "kementerian agama", "kantor kementerian agama", "depag", "bpjph"),
        "instansi vertikal (Kemenag Kab. Blitar), bukan perangkat daerah; dihitung sebagai OPD",
    ),
)

#: Banks, state-owned companies, universities and CSR companies: partners ('mitra') who help, not agencies.
MITRA: tuple[Term, ...] = (
    Term("Bank Rakyat Indonesia", ("bri", "bank rakyat"), "BRI"),
    Term("Bank Negara Indonesia", ("bni", "bank negara"), "BNI"),
    Term("Bank Mandiri", ("mandiri",), "Bank Mandiri"),
    Term("Bank Jatim", ("bank jatim", "bpd jatim", "bank jawa timur"), "BPD Jatim"),
    Term("Bank Syariah Indonesia", ("bsi", "bank syariah"), "BSI"),
    Term("Pegadaian", ("pegadaian",), "PT Pegadaian"),
    Term("PNM", ("pnm", "permodalan nasional"), "PT Permodalan Nasional Madani"),
)
#: Words that make any other named partner a mitra, kept under the name typed (brackets removed).
MITRA_UMUM: tuple[str, ...] = (
    "bank",
    "bpr",
    "bumn",
    "persero",
    "pt ",
    "pt.",
    "csr",
    "universitas",
    "univ ",
    "politeknik",
    "poltek",
    "institut",
    "sekolah tinggi",
    "stie",
    "unisba",
    "uin",
    "unair",
    "unesa",
    "brawijaya",
    "kampus",
    "perguruan tinggi",
)
#: What staff write when nobody owns the promise yet; such owners are recorded as BELUM_DITETAPKAN.
OPD_TIDAK_JELAS: tuple[str, ...] = (
    "opd terkait",
    "kepala opd",
    "dinas terkait",
    "instansi terkait",
    "pihak terkait",
    "semua opd",
    "seluruh opd",
    "beberapa opd",
    "lintas opd",
    "opd",
    "dinas",
    "pemkab",
    "pemda",
    "terkait",
)
BELUM_DITETAPKAN = "belum ditetapkan"

#: The agency usually owning a promise, by the aspiration's obstacle category: the suggestion
#: shown when the owner was left vague ("OPD terkait").
OPD_SARAN: dict[str, str] = {
    "perizinan/legalitas": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "permodalan": "Dinas Koperasi dan Usaha Mikro",
    "pengemasan/branding": "Dinas Perindustrian dan Perdagangan",
    "pemasaran": "Dinas Perindustrian dan Perdagangan",
    "peralatan": "Dinas Perindustrian dan Perdagangan",
    "bahan baku": "Dinas Pertanian dan Pangan",
    "pelatihan": "Dinas Koperasi dan Usaha Mikro",
    "infrastruktur": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "lainnya": "Badan Perencanaan Pembangunan Daerah",
}

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
_OWNER_SEPARATORS = re.compile(r"\s*(?:;|,|/|&|\+|\n|\bdan\b|\bserta\b)\s*", re.IGNORECASE)
_OPD_LABELS = frozenset(t.label for t in OPD)
_MITRA_LABELS = frozenset(t.label for t in MITRA)


def _without_brackets(text: str) -> str:
    """A cell with the people's names and notes in brackets taken out ('Dinkop (Bu Sri)' -> 'Dinkop')."""
    previous = None
    while previous != text:
        previous, text = text, _BRACKETS.sub(" ", text)
    return re.sub(r"\s+", " ", re.sub(r"[()\[\]{}]", " ", text)).strip()


def opd_in_brackets(text: object) -> list[str]:
    """The agencies a cell names only in brackets ('beberapa OPD terkait (Dinkop, Disperindag)')."""
    s = "" if text is None else str(text)
    inside = " ; ".join(m.group(0)[1:-1] for m in _BRACKETS.finditer(s))
    return [label for label, jenis in opd_owners(inside) if jenis == "opd"] if inside else []


def _is_mitra(text: str) -> bool:
    s = f" {fold(text)} "
    return any(re.search(r"(?<![a-z])" + re.escape(k), s) for k in MITRA_UMUM)


def _is_vague(text: str) -> bool:
    s = fold(text)
    return s in OPD_TIDAK_JELAS or any(s.startswith(k) for k in OPD_TIDAK_JELAS if " " in k)


def opd_owners(text: object) -> list[tuple[str, str]]:
    """Each owner a cell names as (label, jenis): jenis is 'opd', 'mitra' or 'belum_ditetapkan'.

    Brackets (people, notes) are dropped; the rest is split on ; , / & + 'dan' 'serta', but a part
    is first read whole, so 'Dinas Koperasi dan Usaha Mikro' stays one agency while
    'Dinkop dan Disperindag' gives two. Agencies get their official name, known partners theirs,
    other partners (a bank, BUMN, university, CSR company) the name typed; vague owners
    ('OPD terkait', 'Kepala OPD') become BELUM_DITETAPKAN. A name matching none is kept as typed,
    as an agency. A blank cell names nobody.
    """
    s = "" if text is None else str(text)
    clean = _without_brackets(s)
    if not fold(clean):
        # Only a bracket ('(Pak Camat)') or nothing: a non-blank cell still says nobody owns it yet.
        return [(BELUM_DITETAPKAN, "belum_ditetapkan")] if fold(s) else []
    out: dict[str, str] = {}
    for chunk in (c for c in re.split(r"\s*[;,/&+\n]\s*", clean) if fold(c)):
        for label, jenis in _chunk_owners(chunk):
            out.setdefault(label, jenis)
    return list(out.items())


def _chunk_owners(chunk: str) -> list[tuple[str, str]]:
    agencies = lookup_all(chunk, OPD)
    partners = lookup_all(chunk, MITRA)
    words = [w for w in _OWNER_SEPARATORS.split(chunk) if fold(w)]
    if agencies or partners:
        # 'Dinkop dan Dinas Sosial': a part the vocabulary does not know still names an owner when it reads
        # as one ('Dinas …', a university); 'Desa' of 'Dinas Pemberdayaan Masyarakat dan Desa' does not.
        known = [(a, "opd") for a in agencies] + [(m, "mitra") for m in partners]
        unknown = [w for w in words if not lookup_all(w, OPD) and not lookup_all(w, MITRA)]
        extra = [o for w in unknown if _names_an_owner(w) for o in _chunk_owners(w)]
        return known + extra
    if len(words) > 1 and not _is_mitra(chunk):
        # 'X dan Y' of names the vocabulary does not know: still two owners.
        return [o for w in words for o in _chunk_owners(w)]
    if _is_mitra(chunk):
        return [(chunk.strip(), "mitra")]
    if _is_vague(chunk):
        return [(BELUM_DITETAPKAN, "belum_ditetapkan")]
    return [(chunk.strip(), "opd")]


_OWNER_WORDS = frozenset({"dinas", "badan", "kantor", "bagian", "upt", "satpol", "sekretariat", "inspektorat"})


def _names_an_owner(part: str) -> bool:
    words = fold(part).split()
    return bool(words) and (words[0] in _OWNER_WORDS or _is_mitra(part)) and not _is_vague(part)


def opd_jenis(label: str) -> str:
    """Whether a stored owner label (a canonical or kept-as-typed name) is an agency, a partner or nobody yet."""
    if label in _OPD_LABELS:
        return "opd"
    if label == BELUM_DITETAPKAN:
        return "belum_ditetapkan"
    if label in _MITRA_LABELS or _is_mitra(label):
        return "mitra"
    return "opd"


#: Which OPD helps a producer climb each rung of the legality ladder (canonical OPD labels).
OPD_LEGALITAS: dict[str, str] = {
    "NIB": "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "P-IRT": "Dinas Kesehatan",
    "BPOM": "Dinas Perindustrian dan Perdagangan",
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
