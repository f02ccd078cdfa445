"""Uploaded workbooks kept in the database (every version), for servers whose disk does not matter.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create buku_kerja."""
    op.create_table(
        "buku_kerja",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nama", sa.String(255), nullable=False),
        sa.Column("versi", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("waktu", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ukuran", sa.Integer, nullable=False),
        sa.Column("isi", sa.LargeBinary, nullable=False),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("aktif", sa.Boolean, nullable=False),
        sa.UniqueConstraint("nama", "versi", name="uq_buku_kerja_nama_versi"),
    )


def downgrade() -> None:
    """Drop it (the workbooks go with it)."""
    op.drop_table("buku_kerja")
