"""Challenges: staff post them; ideas answer them."""
