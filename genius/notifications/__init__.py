"""Follows, in-app notifications and the emails that carry them."""
