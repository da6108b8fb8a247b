"""One search box over challenges and ideas: SQLite FTS5 or PostgreSQL full-text search."""
