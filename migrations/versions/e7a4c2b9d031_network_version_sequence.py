"""network view: on PostgreSQL the data version is a sequence, advanced after each commit

Revision ID: e7a4c2b9d031
Revises: f4c5d6e7a809
Create Date: 2026-11-28 13:00:00.000000

Why: bumping the network_state row in every writing transaction locked that row from the
bump until the commit's WAL flush, so every support, comment and idea waited for the
commits before it. A sequence takes no row lock (see genius/network/cache.py). It starts
above the row's value, so no cache key made before the upgrade can be made again.
SQLite keeps the row (its one writer at a time makes the lock free).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a4c2b9d031'
down_revision = 'f4c5d6e7a809'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE SEQUENCE network_data_version AS bigint')
    op.execute("SELECT setval('network_data_version', "
               "coalesce((SELECT data_version FROM network_state WHERE id = 1), 0) + 1)")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    # The row takes over again, above every version the sequence handed out.
    op.execute("UPDATE network_state SET data_version = (SELECT last_value FROM network_data_version) + 1 "
               "WHERE id = 1")
    op.execute('DROP SEQUENCE network_data_version')
