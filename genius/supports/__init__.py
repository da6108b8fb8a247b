"""Supports: one person backs one idea, within an optional per-challenge limit."""
