"""SECURITY.md 1 and 2: the password policy and Argon2id hashing."""

from __future__ import annotations

import re
import unicodedata

from argon2 import PasswordHasher

from genius.core import passwords

# 64 code points of Greek, emoji and CJK, stable under NFKC (what we hash).
UNICODE_PASSWORD = ("Γλυκό νερό 🐉 龍の湖 ☕ παλιό δάσος 🌲 森林の小道 " * 3)[:63] + "λ"


def argon2_parameters(stored_hash: str) -> dict[str, int]:
    match = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored_hash)
    assert match, f"not an Argon2id hash: {stored_hash[:30]}"
    return {"m": int(match.group(1)), "t": int(match.group(2)), "p": int(match.group(3))}


def test_the_unicode_example_is_64_characters_and_normalised():
    assert len(UNICODE_PASSWORD) == 64
    assert unicodedata.normalize("NFKC", UNICODE_PASSWORD) == UNICODE_PASSWORD
    assert any(ord(ch) > 0xFFFF for ch in UNICODE_PASSWORD)  # emoji outside the BMP
    assert UNICODE_PASSWORD.strip() == UNICODE_PASSWORD


def test_common_passwords_are_refused_whatever_their_case():
    assert "too common" in passwords.problem_with("password123")
    assert "too common" in passwords.problem_with("PassWord123")
    assert "too common" in passwords.problem_with("qwertyuiop")


def test_length_limits_are_10_to_256_characters():
    assert "at least 10" in passwords.problem_with("a9#kLm2$x")  # 9
    assert passwords.problem_with("a9#kLm2$xQ") is None  # 10
    assert passwords.problem_with("z" * 255 + "q") is None  # 256
    assert "256 characters or fewer" in passwords.problem_with("z" * 256 + "q")  # 257


def test_spaces_around_a_password_do_not_count_towards_the_minimum():
    assert "at least 10" in passwords.problem_with(" " * 12)
    assert "at least 10" in passwords.problem_with("   a9#kLm2$x   ")
    assert passwords.problem_with("  a9#kLm2$xQ  ") is None


def test_no_composition_rules():
    assert passwords.problem_with("all lower case words here") is None
    assert passwords.problem_with(UNICODE_PASSWORD) is None


def test_hash_is_argon2id_at_or_above_the_owasp_floor():
    stored = passwords.hash_password(UNICODE_PASSWORD)
    params = argon2_parameters(stored)
    assert params["m"] >= 19456
    assert params["t"] >= 2
    assert params["p"] >= 1


def test_each_hash_is_salted():
    assert passwords.hash_password("the same password") != passwords.hash_password("the same password")


def test_verify_accepts_the_password_and_refuses_others():
    stored = passwords.hash_password(UNICODE_PASSWORD)
    assert passwords.verify_password(stored, UNICODE_PASSWORD)
    assert not passwords.verify_password(stored, UNICODE_PASSWORD[:-1])
    assert not passwords.verify_password(stored, "")


def test_verify_treats_compatibility_forms_as_the_same_password():
    # "ﬁ" (one ligature character) and "fi" are the same text to a person.
    stored = passwords.hash_password("ﬁsh and chips on friday")
    assert passwords.verify_password(stored, "fish and chips on friday")


def test_verify_without_a_stored_hash_is_false_not_an_error():
    assert passwords.verify_password(None, "anything at all") is False
    assert passwords.verify_password("", "anything at all") is False
    assert passwords.verify_password("not-a-hash", "anything at all") is False


def test_weaker_hashes_are_flagged_for_rehashing():
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash("some long password")
    assert passwords.needs_rehash(weak)
    assert not passwords.needs_rehash(passwords.hash_password("some long password"))
