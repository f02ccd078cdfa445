"""The database's tables (SQLAlchemy Core): the one description migrations are checked against.

Events are appended and never changed: the store offers no function that updates or deletes one.
Times are UTC, taken on the server when the row is written.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

akun = Table(
    "akun",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("nama", String(254), nullable=False, unique=True),  # user name or e-mail (OIDC), lower-cased
    Column("peran", String(20), nullable=False),
    Column("opd", String(200)),  # canonical agency name, only for role opd
    Column("hash_sandi", String(255)),  # argon2id; NULL for accounts that sign in through the identity provider
    Column("wajib_ganti", Boolean, nullable=False),
    Column("aktif", Boolean, nullable=False),
    Column("generasi_sesi", Integer, nullable=False),  # raised on disable/password change: older sessions end
    Column("dibuat", DateTime(timezone=True), nullable=False),
    CheckConstraint("peran IN ('publik', 'opd', 'sekretariat', 'pimpinan')", name="ck_akun_peran"),
    CheckConstraint("(peran = 'opd') = (opd IS NOT NULL)", name="ck_akun_opd"),
)

tindak_lanjut = Table(
    "tindak_lanjut",
    metadata,
    Column("urutan", Integer, primary_key=True, autoincrement=True),
    Column("id_pelacakan", String(80), nullable=False, index=True),
    Column("waktu", DateTime(timezone=True), nullable=False),
    Column("oleh", String(254), nullable=False),
    Column("jenis", String(20), nullable=False),  # laporan, bukan_kewenangan, penugasan
    Column("status_dari", String(10)),
    Column("status_ke", String(10)),
    Column("catatan", Text, nullable=False),
    Column("internal", Boolean, nullable=False),
    Column("tautan_bukti", String(2000)),
    Column("bukti", LargeBinary),
    Column("jenis_bukti", String(40)),
    Column("nama_bukti", String(120)),
    Column("tenggat_baru", Date),
    Column("alasan_tenggat", Text),
    Column("opd_baru", String(200)),
    CheckConstraint("jenis IN ('laporan', 'bukan_kewenangan', 'penugasan')", name="ck_tindak_lanjut_jenis"),
    CheckConstraint("status_ke IS NULL OR status_ke IN ('Belum', 'Proses', 'Selesai')", name="ck_tindak_lanjut_status"),
)

unggahan = Table(
    "unggahan",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("waktu", DateTime(timezone=True), nullable=False),
    Column("oleh", String(254), nullable=False),
    Column("berkas", String(255), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("diterima", Integer, nullable=False),
    Column("ditolak", Integer, nullable=False),
    Column("disimpan", Boolean, nullable=False),
    Column("pesan", Text, nullable=False),
)

gagal_masuk = Table(
    "gagal_masuk",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("waktu", DateTime(timezone=True), nullable=False),
    Column("nama", String(254), nullable=False),
    Column("alasan", String(40), nullable=False),
    Column("alamat", String(64)),
)

buku_kerja = Table(
    "buku_kerja",
    metadata,
    Column("id", Integer, primary_key=True),  # grows with every saved version: the data version replicas key on
    Column("nama", String(255), nullable=False),  # the sanitised file name, as in the data folder
    Column("versi", Integer, nullable=False),  # 1, 2, … per name
    Column("sha256", String(64), nullable=False),
    Column("waktu", DateTime(timezone=True), nullable=False),
    Column("ukuran", Integer, nullable=False),
    Column("isi", LargeBinary, nullable=False),
    Column("demo", Boolean, nullable=False),  # carries the demo mark (decided from its content when saved)
    Column("aktif", Boolean, nullable=False),  # False: replaced by a newer version or retired demo (archived)
    UniqueConstraint("nama", "versi", name="uq_buku_kerja_nama_versi"),
)
