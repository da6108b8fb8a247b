"""What part of the network a reader asks for: `scope=site|challenge:<id>|group:<id>|person:<id>`,
optional `from`/`to` months (YYYY-MM), and whether challenges are drawn as nodes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

SCOPE_KINDS = ("site", "challenge", "group", "person")
_SCOPE_RE = re.compile(r"^(site|challenge:[1-9][0-9]{0,9}|group:[1-9][0-9]{0,9}|person:[1-9][0-9]{0,9})$")
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{2})$")


class ScopeError(ValueError):
    """Bad scope or dates; `field` names the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Scope:
    kind: str = "site"
    id: int | None = None
    start: str | None = None  # "YYYY-MM", first month included
    end: str | None = None  # "YYYY-MM", last month included
    challenges: bool = False  # draw challenges as nodes too

    @property
    def text(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"

    @property
    def key(self) -> str:
        return f"{self.text}|{self.start or ''}|{self.end or ''}|{int(self.challenges)}"

    @property
    def start_at(self) -> datetime | None:
        return _month_start(self.start) if self.start else None

    @property
    def end_before(self) -> datetime | None:
        """The first moment after the window (the start of the month after `end`)."""
        if not self.end:
            return None
        year, month = map(int, self.end.split("-"))
        return datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=timezone.utc)

    def with_kind(self, text: str) -> "Scope":
        kind, _, ident = text.partition(":")
        return Scope(kind, int(ident) if ident else None, self.start, self.end, self.challenges)

    def query_args(self) -> dict[str, str]:
        args = {"scope": self.text}
        if self.start:
            args["from"] = self.start
        if self.end:
            args["to"] = self.end
        if self.challenges:
            args["challenges"] = "1"
        return args


def _month_start(text: str) -> datetime:
    year, month = map(int, text.split("-"))
    return datetime(year, month, 1, tzinfo=timezone.utc)


def _month(field: str, label: str, text: str) -> str | None:
    text = (text or "").strip()
    if not text:
        return None
    match = _MONTH_RE.match(text)
    if not match or not (1 <= int(match.group(2)) <= 12) or not (2000 <= int(match.group(1)) <= 2100):
        raise ScopeError(field, f"Enter the {label} month as a year and month, like 2026-03")
    return text


def parse_scope(scope: str | None, start: str | None = None, end: str | None = None,
                challenges: str | None = None) -> Scope:
    """Read the query string; raise ScopeError with a plain-English message when it makes no sense."""
    text = (scope or "site").strip().lower() or "site"
    if not _SCOPE_RE.match(text):
        raise ScopeError("scope", "Choose what to show: the whole site, or one challenge, group or person "
                                  "(for example challenge:12)")
    kind, _, ident = text.partition(":")
    first = _month("from", "first", start or "")
    last = _month("to", "last", end or "")
    if first and last and first > last:
        raise ScopeError("to", "The last month must be the same as or after the first month")
    flag = (challenges or "").strip().lower() in {"1", "true", "yes", "on"}
    return Scope(kind, int(ident) if ident else None, first, last, flag)
