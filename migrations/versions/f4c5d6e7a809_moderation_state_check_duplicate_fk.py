"""moderation constraints: moderation_state is visible, held or hidden; ideas.duplicate_of_id is a foreign key

Revision ID: f4c5d6e7a809
Revises: d4c0a7e1b2f3
Create Date: 2026-11-28 13:20:00.000000

Rows the new constraints would refuse are made safe first rather than failing the upgrade:
an unknown moderation state becomes 'held' (no public list showed it, and a moderator now sees it
in the queue), and a duplicate_of_id pointing at no idea is emptied (what ON DELETE SET NULL
would have done). SQLite rebuilds both tables in batch mode; migrations/env.py keeps foreign
keys off meanwhile and checks them after.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4c5d6e7a809'
down_revision = 'd4c0a7e1b2f3'
branch_labels = None
depends_on = None

STATES = "('visible', 'held', 'hidden')"


def upgrade():
    for table in ("ideas", "comments"):
        op.execute(f"UPDATE {table} SET moderation_state = 'held' WHERE moderation_state NOT IN {STATES}")
    op.execute("UPDATE ideas SET duplicate_of_id = NULL WHERE duplicate_of_id IS NOT NULL "
               "AND NOT EXISTS (SELECT 1 FROM ideas AS original WHERE original.id = ideas.duplicate_of_id)")

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_comments_moderation_state_known'), f"moderation_state IN {STATES}")

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_ideas_moderation_state_known'), f"moderation_state IN {STATES}")
        batch_op.create_foreign_key(op.f('fk_ideas_duplicate_of_id_ideas'), 'ideas', ['duplicate_of_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index('ix_ideas_duplicate_of', ['duplicate_of_id'], unique=False,
                              sqlite_where=sa.text('duplicate_of_id IS NOT NULL'),
                              postgresql_where=sa.text('duplicate_of_id IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index('ix_ideas_duplicate_of', sqlite_where=sa.text('duplicate_of_id IS NOT NULL'),
                            postgresql_where=sa.text('duplicate_of_id IS NOT NULL'))
        batch_op.drop_constraint(op.f('fk_ideas_duplicate_of_id_ideas'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_ideas_moderation_state_known'), type_='check')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_comments_moderation_state_known'), type_='check')
