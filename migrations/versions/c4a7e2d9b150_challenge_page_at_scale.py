"""challenge page at scale: ideas_version (filter-count cache key), trending_supports, index-page index, ideas by author and challenge

Revision ID: c4a7e2d9b150
Revises: e7a4c2b9d031
Create Date: 2026-11-28 13:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a7e2d9b150'
down_revision = 'e7a4c2b9d031'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ideas_version', sa.Integer(), server_default='0', nullable=False))
        # The index page reads visibility and order from this index alone, not from the wide rows.
        batch_op.create_index('ix_challenges_listing', ['status', 'audience', 'public_from', 'opens_at', 'closes_at', 'id'],
                              unique=False)

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trending_supports', sa.Integer(), server_default='0', nullable=False))

    # Supports of the last 7 days (genius.ideas.trending.TRENDING_DAYS), as `genius ideas refresh-trending` counts them.
    since = sa.func.now() - sa.text("interval '7 days'") if op.get_bind().dialect.name == 'postgresql' \
        else sa.func.datetime('now', '-7 days')
    ideas = sa.table('ideas', sa.column('id'), sa.column('trending_supports'))
    supports = sa.table('supports', sa.column('idea_id'), sa.column('created_at'))
    recent = (sa.select(sa.func.count()).select_from(supports)
              .where(supports.c.idea_id == ideas.c.id, supports.c.created_at >= since).scalar_subquery())
    op.execute(ideas.update().values(trending_supports=recent))

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_challenge_trending', ['challenge_id', 'trending_supports', 'supports_count', 'id'],
                              unique=False)
        # (author_id, challenge_id) serves every lookup by author_id alone too.
        batch_op.create_index('ix_ideas_author_challenge', ['author_id', 'challenge_id'], unique=False)
        batch_op.drop_index('ix_ideas_author_id')


def downgrade():
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index('ix_ideas_author_id', ['author_id'], unique=False)
        batch_op.drop_index('ix_ideas_author_challenge')
        batch_op.drop_index('ix_ideas_challenge_trending')
        batch_op.drop_column('trending_supports')

    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index('ix_challenges_listing')
        batch_op.drop_column('ideas_version')
