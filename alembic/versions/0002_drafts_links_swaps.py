"""drafts, access links, swap requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "access_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("post", sa.String(length=64), nullable=True),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("access_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_link_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_access_link_person_id"), ["person_id"], unique=False)

    op.create_table(
        "rota_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("rota", sa.JSON(), nullable=False),
        sa.Column("scenario", sa.JSON(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["base_version_id"], ["rota_version.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_id"], ["solve_job.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("community_id", "week_start", name="uq_rota_draft_week"),
    )
    with op.batch_alter_table("rota_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rota_draft_community_id"), ["community_id"], unique=False)

    op.create_table(
        "swap_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("post", sa.String(length=64), nullable=True),
        sa.Column("duty", sa.String(length=64), nullable=True),
        sa.Column("shift", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("from_person_id", sa.Integer(), nullable=False),
        sa.Column("to_person_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["from_person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["to_person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["rota_version.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("swap_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_swap_request_community_id"), ["community_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_swap_request_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_swap_request_version_id"), ["version_id"], unique=False)

    with op.batch_alter_table("rota_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scenario", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table("rota_version", schema=None) as batch_op:
        batch_op.drop_column("note")
        batch_op.drop_column("scenario")

    with op.batch_alter_table("swap_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_swap_request_version_id"))
        batch_op.drop_index(batch_op.f("ix_swap_request_status"))
        batch_op.drop_index(batch_op.f("ix_swap_request_community_id"))

    op.drop_table("swap_request")
    with op.batch_alter_table("rota_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rota_draft_community_id"))

    op.drop_table("rota_draft")
    with op.batch_alter_table("access_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_link_person_id"))
        batch_op.drop_index(batch_op.f("ix_access_link_community_id"))

    op.drop_table("access_link")
