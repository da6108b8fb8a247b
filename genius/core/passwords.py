"""Password policy and hashing (SECURITY.md 1 and 2).

Policy: 10 to 256 characters, any Unicode, no composition rules, and none of
the 10,000 most common passwords. Hashing: Argon2id at or above OWASP's floor.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10
MAX_LENGTH = 256

# OWASP: Argon2id, m=19 MiB, t=2, p=1 at least.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# A hash of a random password, verified against when no account matches, so
# "no such account" takes as long as "wrong password".
_DUMMY_HASH = _hasher.hash("genius-timing-equaliser-7f3a")


def normalise(password: str) -> str:
    return unicodedata.normalize("NFKC", password)


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = resources.files("genius.core").joinpath("data/common-passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def problem_with(password: str) -> str | None:
    """Return a plain-English reason the password is not allowed, or None."""
    password = normalise(password)
    # Spaces around a password are kept (it is used as typed) but do not count
    # towards the minimum: ten spaces are not a password.
    if len(password.strip()) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters long"
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer"
    if password.strip().lower() in _common_passwords():
        return "That password is too common and easy to guess. Choose a different password, such as three random words"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(normalise(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        try:
            _hasher.verify(_DUMMY_HASH, normalise(password))
        except VerificationError:
            pass
        return False
    try:
        return _hasher.verify(stored_hash, normalise(password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
