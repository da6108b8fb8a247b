"""comments by author in time order: the profile's list of a person's comments walks an index

Replaces ix_comments_author_id (author_id) with ix_comments_author_created
(author_id, created_at, id): the profile reads a person's newest comments, or
those before or after one, without sorting all of them. The old index is a
prefix of the new one, so nothing loses an index.

Revision ID: d4c0a7e1b2f3
Revises: a3c5e7f9b1d2
Create Date: 2026-11-28 13:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4c0a7e1b2f3'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE/DROP INDEX: no table rebuild on SQLite.
    op.create_index('ix_comments_author_created', 'comments', ['author_id', 'created_at', 'id'], unique=False)
    op.drop_index('ix_comments_author_id', table_name='comments')


def downgrade():
    op.create_index('ix_comments_author_id', 'comments', ['author_id'], unique=False)
    op.drop_index('ix_comments_author_created', table_name='comments')
