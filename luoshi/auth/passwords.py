"""Password hashing and the complexity rule, behind one small module so a deployment whose 密评
asks for SM3-based hashing can swap it here alone. Argon2id with argon2-cffi's defaults (RFC 9106
low-memory profile)."""
from __future__ import annotations

import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from luoshi.auth.policy import DEFAULT_POLICY, AuthPolicy

_HASHER = PasswordHasher()
# Verifying against this costs what a real check costs, so an unknown user name takes as long as
# a wrong password and timing tells nothing about which names exist.
_DUMMY = _HASHER.hash("luoshi-no-such-user")


def hash_password(password: str) -> str:
    return _HASHER.hash(_normal(password))


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, _normal(password)) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def weaknesses(password: str, username: str = "", policy: AuthPolicy = DEFAULT_POLICY) -> list[str]:
    """What is wrong with a new password, in Chinese; empty when it is acceptable."""
    p = _normal(password)
    problems = []
    if len(p) < policy.min_length:
        problems.append(f"密码至少 {policy.min_length} 个字符")
    if len(p) > policy.max_length:
        problems.append(f"密码最多 {policy.max_length} 个字符")
    classes = sum((any(c.islower() for c in p), any(c.isupper() for c in p), any(c.isdigit() for c in p),
                   any(not c.isalnum() for c in p)))
    if len(p) < policy.passphrase_length and classes < policy.min_classes:
        problems.append(f"密码须包含大写字母、小写字母、数字、符号中的至少 {policy.min_classes} 类"
                        f"（或使用不少于 {policy.passphrase_length} 个字符的口令短语）")
    if username and username.casefold() in p.casefold():
        problems.append("密码不能包含用户名")
    if len(set(p)) <= 2:
        problems.append("密码不能由一两个字符重复组成")
    return problems


def _normal(password: str) -> str:
    # The same password typed on another keyboard or IME (全角 digits, composed accents) must match.
    return unicodedata.normalize("NFKC", password)
