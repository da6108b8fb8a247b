"""network view: the data version its cache checks

Revision ID: e1f2a3b4c508
Revises: d9e3f4a5b607
Create Date: 2026-11-28 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e1f2a3b4c508'
down_revision = 'd9e3f4a5b607'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('network_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_version', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_state'))
    )
    op.bulk_insert(table, [{'id': 1, 'data_version': 0}])


def downgrade():
    op.drop_table('network_state')
