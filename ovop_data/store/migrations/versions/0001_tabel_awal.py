"""The first tables: accounts, follow-up events, uploads log, sign-in failures.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "akun",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nama", sa.String(254), nullable=False, unique=True),
        sa.Column("peran", sa.String(20), nullable=False),
        sa.Column("opd", sa.String(200)),
        sa.Column("hash_sandi", sa.String(255)),
        sa.Column("wajib_ganti", sa.Boolean, nullable=False),
        sa.Column("aktif", sa.Boolean, nullable=False),
        sa.Column("generasi_sesi", sa.Integer, nullable=False),
        sa.Column("dibuat", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("peran IN ('publik', 'opd', 'sekretariat', 'pimpinan')", name="ck_akun_peran"),
        sa.CheckConstraint("(peran = 'opd') = (opd IS NOT NULL)", name="ck_akun_opd"),
    )
    op.create_table(
        "tindak_lanjut",
        sa.Column("urutan", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id_pelacakan", sa.String(80), nullable=False),
        sa.Column("waktu", sa.DateTime(timezone=True), nullable=False),
        sa.Column("oleh", sa.String(254), nullable=False),
        sa.Column("jenis", sa.String(20), nullable=False),
        sa.Column("status_dari", sa.String(10)),
        sa.Column("status_ke", sa.String(10)),
        sa.Column("catatan", sa.Text, nullable=False),
        sa.Column("internal", sa.Boolean, nullable=False),
        sa.Column("tautan_bukti", sa.String(2000)),
        sa.Column("bukti", sa.LargeBinary),
        sa.Column("jenis_bukti", sa.String(40)),
        sa.Column("nama_bukti", sa.String(120)),
        sa.Column("tenggat_baru", sa.Date),
        sa.Column("alasan_tenggat", sa.Text),
        sa.Column("opd_baru", sa.String(200)),
        sa.CheckConstraint("jenis IN ('laporan', 'bukan_kewenangan', 'penugasan')", name="ck_tindak_lanjut_jenis"),
        sa.CheckConstraint(
            "status_ke IS NULL OR status_ke IN ('Belum', 'Proses', 'Selesai')", name="ck_tindak_lanjut_status"
        ),
    )
    op.create_index("ix_tindak_lanjut_id_pelacakan", "tindak_lanjut", ["id_pelacakan"])
    op.create_table(
        "unggahan",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("waktu", sa.DateTime(timezone=True), nullable=False),
        sa.Column("oleh", sa.String(254), nullable=False),
        sa.Column("berkas", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("diterima", sa.Integer, nullable=False),
        sa.Column("ditolak", sa.Integer, nullable=False),
        sa.Column("disimpan", sa.Boolean, nullable=False),
        sa.Column("pesan", sa.Text, nullable=False),
    )
    op.create_table(
        "gagal_masuk",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("waktu", sa.DateTime(timezone=True), nullable=False),
        sa.Column("nama", sa.String(254), nullable=False),
        sa.Column("alasan", sa.String(40), nullable=False),
        sa.Column("alamat", sa.String(64)),
    )


def downgrade() -> None:
    """Drop them (only for a database with nothing worth keeping)."""
    for table in ("gagal_masuk", "unggahan", "tindak_lanjut", "akun"):
        op.drop_table(table)
