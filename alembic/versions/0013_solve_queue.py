"""solve jobs know who runs them: the local runner of one web process, or the distributed queue's workers

Revision ID: 0013_solve_queue
Revises: 0012_communities
Create Date: 2026-12-07

A web process that starts marks interrupted only the unfinished jobs of local runners that no longer exist, never
another live process's jobs nor the queue's (whose workers recover their own). `attempts` counts the workers that
began a queued job, so a job whose workers keep dying fails instead of going round for ever.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0013_solve_queue"
down_revision: str | Sequence[str] | None = "0012_communities"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solve_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("runner", sa.String(16), nullable=False, server_default="local"))
        batch_op.add_column(sa.Column("owner", sa.String(160), nullable=True))
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("solve_job", schema=None) as batch_op:
        batch_op.drop_column("attempts")
        batch_op.drop_column("owner")
        batch_op.drop_column("runner")
