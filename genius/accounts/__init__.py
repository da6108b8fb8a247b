"""Accounts: registration, sign-in, email confirmation, password reset, roles."""
