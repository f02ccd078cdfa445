"""The one declarative description of the three tables staff keep.

The loader (header aliases), the validator (required columns, kinds), the
templates (headers, drop-down lists) and the README's column table all read
from here, so a column is added or renamed in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import header_key


@dataclass(frozen=True)
class Column:
    """One column of a table: its canonical name and the headers staff use for it."""

    name: str
    label: str  # header written in templates, in Bahasa Indonesia
    description: str
    required: bool = False
    kind: str = "text"  # text | date | int | bool | code | list | vocab
    aliases: tuple[str, ...] = ()
    personal: bool = False  # personal data: never shown or exported on public pages
    # Decides which rows are the same record (duplicates): the same values in every identifying column.
    identifying: bool = False
    # Only describes a row (a category): a sheet without it keeps its rows, the value "tidak tercatat",
    # with one finding for the sheet instead of a rejection of every row.
    describes: bool = False
    # Headers that also say what another column holds: (header, other column, value), e.g. a "Nama BUMDes"
    # column names producers whose jenis_pelaku is BUMDes. Each header is also an alias.
    implies: tuple[tuple[str, str, str], ...] = ()
    context: bool = False  # identifies the village only (files compiled above the regency): not in templates, not kept


@dataclass(frozen=True)
class Table:
    """A table kind: its columns and the words that identify its sheet by name."""

    name: str
    label: str
    columns: tuple[Column, ...]
    sheet_words: tuple[str, ...] = field(default=())

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def identifying(self) -> tuple[str, ...]:
        """Columns whose values together say which record a row is (two rows equal in all are duplicates)."""
        return tuple(c.name for c in self.columns if c.identifying)

    @property
    def describing(self) -> tuple[str, ...]:
        """Columns whose absence from a sheet is 'tidak tercatat' with one sheet-level finding."""
        return tuple(c.name for c in self.columns if c.describes)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def kept_columns(self) -> tuple[Column, ...]:
        """The columns staff fill in and the dashboard keeps: the templates' columns, without context columns."""
        return tuple(c for c in self.columns if not c.context)


_DESA = Column(
    "desa",
    "Desa/Kelurahan",
    "Nama desa atau kelurahan (awalan 'Desa', 'Ds.', 'Kel.' boleh).",
    required=True,
    identifying=True,
    aliases=(
        "nama desa",
        "desa/kel",
        "desa / kelurahan",
        "desa kelurahan",
        "kelurahan",
        "nama desa/kelurahan",
        "desa/kelurahan",
        "lokasi desa",
        "nama kelurahan",
        "village",
    ),
)
_KECAMATAN = Column(
    "kecamatan",
    "Kecamatan",
    "Nama kecamatan; wajib bila nama desa ada di lebih dari satu kecamatan.",
    aliases=("kec", "kec.", "nama kecamatan", "district"),
)
# Registers compiled above the regency (a province's or the nation's) say where each village is; the
# matcher uses these columns to rule out other regions and to choose between same-named villages.
_WILAYAH = (
    Column(
        "provinsi",
        "Provinsi",
        "Provinsi desa (nama atau kode), dari daftar antarwilayah; hanya untuk mencocokkan desa.",
        context=True,
        aliases=("prov", "prov.", "propinsi", "nama provinsi", "nama propinsi", "province"),
    ),
    Column(
        "kode_provinsi",
        "Kode Provinsi",
        "Kode Kemendagri provinsi (35); hanya untuk mencocokkan desa.",
        kind="code",
        context=True,
        aliases=("kode prov", "kode propinsi", "kd prov", "kode provinsi kemendagri"),
    ),
    Column(
        "kabupaten",
        "Kabupaten/Kota",
        "Kabupaten atau kota desa ('KAB. BLITAR', 'Kota Batu', atau kode); hanya untuk mencocokkan desa.",
        context=True,
        aliases=(
            "kabupaten",
            "kab",
            "kab.",
            "kab/kota",
            "kab / kota",
            "kab./kota",
            "kota/kabupaten",
            "kota/kab",
            "nama kabupaten",
            "nama kab/kota",
            "nama kabupaten/kota",
            "regency",
        ),
    ),
    Column(
        "kode_kabupaten",
        "Kode Kabupaten/Kota",
        "Kode Kemendagri kabupaten/kota (35.05); hanya untuk mencocokkan desa.",
        kind="code",
        context=True,
        aliases=("kode kabupaten", "kode kab", "kode kab/kota", "kode kota", "kd kab"),
    ),
)
_TANGGAL = Column(
    "tanggal",
    "Tanggal",
    "Tanggal kegiatan (mis. 12/07/2023, 12 Juli 2023, atau tanggal Excel).",
    required=True,
    identifying=True,
    kind="date",
    aliases=("tgl", "tgl.", "tanggal kunjungan", "hari/tanggal", "hari tanggal", "waktu", "tanggal kegiatan", "date"),
)

PRODUK = Table(
    "produk",
    "Produk unggulan",
    (
        Column(
            "nama_produk",
            "Nama Produk",
            "Nama produk unggulan.",
            required=True,
            identifying=True,
            aliases=("produk", "nama produk unggulan", "produk unggulan", "nama barang", "product"),
        ),
        Column(
            "kategori",
            "Kategori",
            "Kategori produk (kosakata baku, sinonim dipetakan); tanpa kolom ini kategori 'tidak tercatat'.",
            describes=True,
            kind="vocab",
            aliases=("kategori produk", "jenis", "jenis produk", "kelompok produk", "sektor", "category"),
        ),
        _DESA,
        _KECAMATAN,
        *_WILAYAH,
        Column(
            "kode_desa",
            "Kode Desa",
            "Kode Kemendagri desa (35.05.17.2009); mengalahkan nama.",
            kind="code",
            aliases=("kode wilayah", "kode kemendagri", "kode desa/kel", "kode"),
        ),
        Column(
            "pelaku_usaha",
            "Pelaku Usaha",
            "Nama usaha, kelompok, perusahaan, BUMDes atau pemilik.",
            identifying=True,
            aliases=(
                "nama pelaku usaha",
                "nama usaha",
                "produsen",
                "pemilik",
                "nama umkm",
                "umkm",
                "nama pemilik",
                "pengusaha",
                "perusahaan",
                "nama perusahaan",
            ),
            implies=(
                ("nama bumdes", "jenis_pelaku", "BUMDes"),
                ("nama bumdesa", "jenis_pelaku", "BUMDes"),
                ("nama bumdesma", "jenis_pelaku", "BUMDesma"),
            ),
        ),
        Column(
            "jenis_pelaku",
            "Jenis Pelaku",
            "UMKM, BUMDes, BUMDesma, Koperasi, Kelompok…",
            kind="vocab",
            aliases=("jenis usaha", "bentuk usaha", "badan usaha", "jenis pelaku usaha"),
        ),
        Column(
            "unggulan",
            "Unggulan",
            "Ya/Tidak: produk unggulan desa (bawaan Ya).",
            kind="bool",
            aliases=("unggulan (ya/tidak)", "unggulan desa", "ovop"),
        ),
        Column(
            "legalitas",
            "Legalitas",
            "Izin yang dimiliki: NIB, P-IRT, Halal, BPOM, HKI…",
            kind="list",
            aliases=("perizinan", "izin", "ijin", "legalitas usaha", "sertifikasi"),
        ),
        Column(
            "pemasaran",
            "Pemasaran",
            "Jangkauan: lokal, regional, nasional, ekspor, daring.",
            kind="list",
            aliases=("jangkauan pemasaran", "pasar", "wilayah pemasaran", "pemasaran produk"),
        ),
        Column(
            "kontak",
            "Kontak",
            "Nomor HP/WA pelaku usaha (data pribadi).",
            personal=True,
            aliases=(
                "no hp",
                "no. hp",
                "hp",
                "telepon",
                "no telp",
                "no. telp",
                "telp",
                "nomor hp",
                "wa",
                "no wa",
                "whatsapp",
                "kontak person",
                "cp",
            ),
        ),
        Column("tahun", "Tahun", "Tahun pendataan.", kind="int", aliases=("tahun data", "thn")),
        Column(
            "bintang",
            "Bintang OVOP",
            "Peringkat bintang OVOP Kemenperin 1–5 (opsional).",
            kind="int",
            aliases=("bintang", "rating", "peringkat", "bintang ovop", "kategori bintang"),
        ),
    ),
    sheet_words=("produk", "umkm", "ikm", "product"),
)

KUNJUNGAN = Table(
    "kunjungan",
    "Kunjungan OVOP",
    (
        _TANGGAL,
        _DESA,
        _KECAMATAN,
        *_WILAYAH,
        Column(
            "kegiatan",
            "Kegiatan",
            "Nama kegiatan (mis. Sambang Desa).",
            aliases=("acara", "nama kegiatan", "jenis kegiatan", "agenda"),
        ),
        Column(
            "pejabat",
            "Pejabat",
            "Pejabat yang hadir (Bupati, Wakil Bupati…).",
            aliases=("pejabat hadir", "yang hadir", "pimpinan"),
        ),
        Column(
            "opd_pendamping",
            "OPD Pendamping",
            "OPD yang ikut mendampingi.",
            aliases=("opd", "opd terkait", "pendamping", "dinas pendamping", "dinas"),
        ),
        Column(
            "produk_disorot",
            "Produk Disorot",
            "Produk yang dilihat saat kunjungan.",
            aliases=("produk", "produk yang dikunjungi", "produk unggulan", "produk dilihat"),
        ),
        Column("catatan", "Catatan", "Catatan bebas.", aliases=("keterangan", "ket", "ket.")),
    ),
    sheet_words=("kunjungan", "sambang", "visit", "kunker"),
)

ASPIRASI = Table(
    "aspirasi",
    "Aspirasi & tindak lanjut",
    (
        Column(
            "id_aspirasi",
            "ID Aspirasi",
            "Nomor pelacakan aspirasi (opsional). Kosong: dibuat otomatis dari tanggal, kode desa dan isi "
            "aspirasi, sehingga riwayat tindak lanjut tetap tersambung saat buku kerja diunggah ulang.",
            # Only headers that clearly name a tracking number: "No. Aspirasi" or "No. Register" are often a
            # running number or a letter's register, which would tie unrelated rows to one history.
            aliases=(
                "id pelacakan",
                "nomor pelacakan",
                "no pelacakan",
                "no. pelacakan",
                "kode pelacakan",
                "nomor tracking",
                "no tracking",
            ),
        ),
        _TANGGAL,
        _DESA,
        _KECAMATAN,
        *_WILAYAH,
        Column(
            "aspirasi",
            "Aspirasi",
            "Kendala atau permintaan yang disampaikan.",
            required=True,
            identifying=True,
            aliases=(
                "kendala",
                "usulan",
                "permasalahan",
                "masalah",
                "uraian aspirasi",
                "aspirasi/kendala",
                "isi aspirasi",
            ),
        ),
        Column(
            "kategori_kendala",
            "Kategori Kendala",
            "perizinan/legalitas, permodalan, pemasaran, pengemasan/branding, peralatan, "
            "bahan baku, pelatihan, infrastruktur, lainnya.",
            kind="vocab",
            aliases=("jenis kendala", "kategori", "kategori aspirasi", "bidang"),
        ),
        Column(
            "opd_penanggung_jawab",
            "OPD Penanggung Jawab",
            "OPD yang menindaklanjuti.",
            aliases=("opd", "penanggung jawab", "pj", "opd pj", "opd terkait", "dinas"),
        ),
        Column(
            "status",
            "Status",
            "Belum / Proses / Selesai.",
            kind="vocab",
            aliases=("status tindak lanjut", "progres", "progress"),
        ),
        Column(
            "tenggat",
            "Tenggat",
            "Batas waktu tindak lanjut.",
            kind="date",
            aliases=("batas waktu", "deadline", "target selesai", "target"),
        ),
        Column(
            "tindak_lanjut",
            "Tindak Lanjut",
            "Apa yang sudah dilakukan.",
            aliases=("tindaklanjut", "keterangan tindak lanjut", "hasil tindak lanjut"),
        ),
    ),
    sheet_words=("aspirasi", "kendala", "tindak lanjut", "tindaklanjut", "janji"),
)

TABLES: dict[str, Table] = {t.name: t for t in (PRODUK, KUNJUNGAN, ASPIRASI)}

#: Words naming an area level above the village: a header such as "Kode Prov" or "Kode Kab" qualifies an
#: alias ("kode") with one of them, so it is never read as the village's column.
AREA_LEVEL_WORDS = frozenset({"prov", "provinsi", "propinsi", "kab", "kabupaten", "kota", "negara"})

#: Headers that carry no data of their own (a running number), ignored when present.
RUNNING_NUMBER_HEADERS = frozenset({"no", "nomor", "no urut", "nomor urut", "#"})


def header_texts(column: Column) -> tuple[str, ...]:
    """Every header that names a column: its name, its template label, its aliases and its implying headers."""
    return (column.name, column.label, *column.aliases, *(header for header, _, _ in column.implies))


def header_index(table: Table) -> dict[str, str]:
    """Map every normalised header (name, label, alias) of a table to its column name."""
    index: dict[str, str] = {}
    for col in table.columns:
        for text in header_texts(col):
            index.setdefault(header_key(text), col.name)
    return index


def implied_values(table: Table) -> dict[str, tuple[str, str]]:
    """Normalised header -> (other column, value) for headers that also say what another column holds."""
    return {header_key(h): (other, value) for col in table.columns for h, other, value in col.implies}


def personal_columns() -> frozenset[str]:
    """Columns holding personal data, dropped from every public view and export."""
    return frozenset(c.name for t in TABLES.values() for c in t.columns if c.personal)
