"""Site administration: people and roles."""
