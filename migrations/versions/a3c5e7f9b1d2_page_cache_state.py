"""rendered-page cache: the version every cached page's key carries

On SQLite the row page_cache_state; on PostgreSQL the sequence page_cache_version, advanced after each
commit that matters (genius/core/versions.py), so writers never wait on a row lock.

Revision ID: a3c5e7f9b1d2
Revises: e1f2a3b4c508
Create Date: 2026-11-28 13:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3c5e7f9b1d2'
down_revision = 'e1f2a3b4c508'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('page_cache_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_page_cache_state'))
    )
    op.bulk_insert(table, [{'id': 1, 'version': 0}])
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE SEQUENCE page_cache_version AS bigint')
        op.execute("SELECT setval('page_cache_version', 1)")  # called: the next bump moves last_value


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP SEQUENCE page_cache_version')
    op.drop_table('page_cache_state')
