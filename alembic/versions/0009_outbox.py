"""outbox: stored notifications; people's e-mail, channel and quiet hours; the community's WeCom webhook

Revision ID: 0009_outbox
Revises: 0008_check_in
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009_outbox"
down_revision: str | Sequence[str] | None = "0008_check_in"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wecom_webhook", sa.String(length=500), nullable=True))
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("channel", sa.String(length=16), nullable=False, server_default="email"))
        batch_op.add_column(sa.Column("quiet_start", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("quiet_end", sa.Time(), nullable=True))
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index("ix_outbox_message_community_id", "outbox_message", ["community_id"])
    op.create_index("ix_outbox_message_person_id", "outbox_message", ["person_id"])
    op.create_index("ix_outbox_message_status", "outbox_message", ["status"])
    op.create_index("ix_outbox_message_next_attempt_at", "outbox_message", ["next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_message_next_attempt_at", table_name="outbox_message")
    op.drop_index("ix_outbox_message_status", table_name="outbox_message")
    op.drop_index("ix_outbox_message_person_id", table_name="outbox_message")
    op.drop_index("ix_outbox_message_community_id", table_name="outbox_message")
    op.drop_table("outbox_message")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("quiet_end")
        batch_op.drop_column("quiet_start")
        batch_op.drop_column("channel")
        batch_op.drop_column("email")
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.drop_column("wecom_webhook")
