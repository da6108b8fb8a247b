"""Real-browser tests (Chromium through Playwright). Shared helpers live in helpers.py."""
