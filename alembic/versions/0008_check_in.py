"""check-in at the post: one row per person and shift instance of a published rota

Revision ID: 0008_check_in
Revises: 0007_accounts
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008_check_in"
down_revision: str | Sequence[str] | None = "0007_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=64), nullable=False),
        sa.Column("is_duty", sa.Boolean(), nullable=False),
        sa.Column("shift", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("planned_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("planned_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["rota_version.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("community_id", "person_id", "place", "shift", "date", name="uq_check_in_shift"),
    )
    op.create_index("ix_check_in_community_id", "check_in", ["community_id"])
    op.create_index("ix_check_in_person_id", "check_in", ["person_id"])
    op.create_index("ix_check_in_date", "check_in", ["date"])


def downgrade() -> None:
    op.drop_index("ix_check_in_date", table_name="check_in")
    op.drop_index("ix_check_in_person_id", table_name="check_in")
    op.drop_index("ix_check_in_community_id", table_name="check_in")
    op.drop_table("check_in")
