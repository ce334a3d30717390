"""communities: accounts are members of communities; a login session, an invitation and an audit entry name their
community

Every existing account that is not an admin becomes a member of every existing community, so an existing deployment
(one community, as every deployment was) shows each account what it showed before.

Revision ID: 0012_communities
Revises: 0011_outbox_expiry
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012_communities"
down_revision: str | Sequence[str] | None = "0011_outbox_expiry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


ACCOUNT_ACTIONS = (
    "login", "logout", "password.", "account.", "invitation.", "coordinator.", "community.",
)
"""Audit actions about accounts and the deployment, not a community's."""


def upgrade() -> None:
    op.create_table(
        "community_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coordinator_id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coordinator_id"], ["coordinator.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("coordinator_id", "community_id", name="uq_community_member"),
    )
    with op.batch_alter_table("community_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_member_community_id"), ["community_id"], unique=False)
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("community_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_login_session_community_id", "community", ["community_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("community_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_invitation_community_id", "community", ["community_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("community_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_log_community_id"), ["community_id"], unique=False)
    # until now the app served one community (the first): every entry so far but the accounts' own is its
    op.execute(
        "UPDATE audit_log SET community_id = (SELECT MIN(id) FROM community) WHERE NOT ("
        + " OR ".join(f"action LIKE '{prefix}%'" for prefix in ACCOUNT_ACTIONS)
        + ")"
    )
    op.execute(
        "INSERT INTO community_member (coordinator_id, community_id, created_at) "
        "SELECT coordinator.id, community.id, CURRENT_TIMESTAMP FROM coordinator CROSS JOIN community "
        "WHERE coordinator.role <> 'admin'"
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_community_id"))
        batch_op.drop_column("community_id")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint("fk_invitation_community_id", type_="foreignkey")
        batch_op.drop_column("community_id")
    with op.batch_alter_table("login_session", schema=None) as batch_op:
        batch_op.drop_constraint("fk_login_session_community_id", type_="foreignkey")
        batch_op.drop_column("community_id")
    with op.batch_alter_table("community_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_member_community_id"))
    op.drop_table("community_member")
