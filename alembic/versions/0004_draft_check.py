"""draft check: the validator's verdict kept with the week's draft (rota_draft.check_result)

Revision ID: 0004_draft_check
Revises: 0003_repair_jobs
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004_draft_check"
down_revision: str | Sequence[str] | None = "0003_repair_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rota_draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("check_result", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rota_draft", schema=None) as batch_op:
        batch_op.drop_column("check_result")
