"""Password hashes and the complexity rule (等保 A1, A4)."""
from __future__ import annotations

import pytest

from luoshi.auth.passwords import hash_password, verify_password, weaknesses
from luoshi.auth.policy import AuthPolicy


def test_hashes_are_argon2id_salted_and_verify():
    a, b = hash_password("Lanzhou-2024!"), hash_password("Lanzhou-2024!")
    assert a.startswith("$argon2id$") and a != b  # a fresh salt each time
    assert verify_password(a, "Lanzhou-2024!") and not verify_password(a, "Lanzhou-2024?")


def test_full_width_typing_matches():
    assert verify_password(hash_password("Abc12345!"), "Ａｂｃ１２３４５！")


def test_no_stored_hash_never_verifies():
    assert not verify_password(None, "") and not verify_password("not a hash", "x")


@pytest.mark.parametrize("password, words", [
    ("Ab1!", "至少 8"), ("abcdefgh", "至少 3 类"), ("12345678", "至少 3 类"), ("aaaaaaaaaaaaaaaaaa", "重复"),
    ("Zhangsan-2024", "用户名"),
])
def test_weak_passwords_are_refused(password, words):
    assert any(words in w for w in weaknesses(password, "zhangsan"))


@pytest.mark.parametrize("password", ["Lanzhou-2024", "tk8#Lz29", "correct horse battery staple"])
def test_strong_passwords_and_long_passphrases_pass(password):
    assert weaknesses(password, "zhangsan") == []


def test_the_rule_is_a_setting():
    relaxed = AuthPolicy(min_length=6, min_classes=1)
    assert weaknesses("abcdef", policy=relaxed) == [] and weaknesses("abcdef") != []
