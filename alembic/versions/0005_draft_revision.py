"""draft revision: a counter of the draft's saved changes, for optimistic locking (rota_draft.revision)

Revision ID: 0005_draft_revision
Revises: 0004_draft_check
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005_draft_revision"
down_revision: str | Sequence[str] | None = "0004_draft_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rota_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("rota_draft", schema=None) as batch_op:
        batch_op.drop_column("revision")
