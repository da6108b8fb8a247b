"""The home page, the statutory pages and a health check."""
