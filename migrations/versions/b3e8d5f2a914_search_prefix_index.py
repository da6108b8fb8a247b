"""search: SQLite's full-text index keeps prefix indexes for 2 to 6 characters

The last word of a search matches as a prefix ("bicyc" finds "bicycle"). Without
a prefix index FTS5 answers a prefix by merging the lists of every indexed word
that starts with it: for "every" at ten times York scale (13,772 documents),
that merge was half the cost of the search. With prefix indexes a prefix of 2
to 6 characters is read like one word. PostgreSQL is unchanged: its GIN index
answers prefixes from its sorted keys.

Revision ID: b3e8d5f2a914
Revises: c4a7e2d9b150
Create Date: 2026-11-28 23:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3e8d5f2a914'
down_revision = 'c4a7e2d9b150'
branch_labels = None
depends_on = None

# The triggers that keep search_fts in step are on search_documents and name search_fts only in their
# bodies, so they outlive the table being made again.
_FTS = """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, content='search_documents', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'{prefix})"""


def _remake(prefix: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE search_fts")
    op.execute(_FTS.format(prefix=prefix))
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def upgrade():
    _remake(", prefix='2 3 4 5 6'")


def downgrade():
    _remake("")
