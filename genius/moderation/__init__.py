"""Moderation: pre-moderation, reports, the queue, suspensions, duplicates and the audit log (issue 5)."""
