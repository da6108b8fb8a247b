"""Read-only select() builders for accounts."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from genius.accounts.models import User


def people(search: str = "", role: str = "") -> Select:
    stmt = select(User).where(User.deleted_at.is_(None))
    if search:
        # What people type is text to find, not a LIKE pattern: "%" and "_" match themselves.
        text = search.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        like = f"%{text}%"
        stmt = stmt.where(or_(User.email.like(like, escape="\\"), User.display_name.ilike(like, escape="\\")))
    if role:
        stmt = stmt.where(User.role == role)
    return stmt.order_by(User.created_at.desc(), User.id.desc())
