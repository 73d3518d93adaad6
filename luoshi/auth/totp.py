"""The second factor for administrators (等保 A3: two factors, one of them cryptographic): a
time-based one-time password (RFC 6238, pyotp) from an authenticator app, asked after the
password for the roles in `AuthPolicy.second_factor_roles`.

A session of such a role opens "pending"; `session_account` refuses it (SecondFactorRequired)
until `verify` accepts a code for it. The secret is bound on the server (`luoshi account totp`,
and when the account is made), never by the web: a stolen password alone cannot bind a new
authenticator. Wrong codes count towards the same lock-out as wrong passwords, and a code once
used is refused again (its time step is kept)."""
from __future__ import annotations

from datetime import datetime

import pyotp

from luoshi.auth.accounts import AccountLocked, count_failure, _aware, now_utc
from luoshi.auth.policy import DEFAULT_POLICY, AuthPolicy
from luoshi.errors import LuoshiError
from luoshi.store.account_models import Account, AccountSession

ISSUER = "落实 luoshi"
STEP = 30  # seconds a code lives (RFC 6238's default, what every authenticator app uses)
DRIFT = 1  # steps either side accepted: a phone's clock may be half a minute off


class SecondFactorRequired(LuoshiError):
    code = "second_factor_required"
    http_status = 401


class SecondFactorFailed(LuoshiError):
    code = "second_factor_failed"
    http_status = 401


def needs_second_factor(account: Account, policy: AuthPolicy = DEFAULT_POLICY) -> bool:
    return account.role in policy.second_factor_roles


def enroll(account: Account) -> str:
    """Bind a new secret to the account (the caller commits and shows it once); returns it."""
    secret = pyotp.random_base32()
    account.totp_secret, account.totp_last_step = secret, None
    return secret


def provisioning_uri(account: Account, secret: str) -> str:
    """The otpauth:// address an authenticator app reads (as text or from a QR code)."""
    return pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=account.username, issuer_name=ISSUER)


def code_now(secret: str, at: datetime | None = None) -> str:
    """The code an authenticator shows now (tests and the demo)."""
    return pyotp.TOTP(secret, interval=STEP).at(at or now_utc())


def verify(row: AccountSession, account: Account, code: str, *, policy: AuthPolicy = DEFAULT_POLICY,
           now: datetime | None = None) -> None:
    """Mark the pending session `row` as past its second factor, or raise. Commit also when this
    raises: the failure count and the lock must stay."""
    now = now or now_utc()
    if account.locked_until is not None and _aware(account.locked_until) > now:
        raise AccountLocked("账号已锁定，请稍后再试")
    if not account.totp_secret:
        raise SecondFactorFailed("此账号尚未绑定动态口令，请在服务器上运行：luoshi account totp " + account.username)
    digits = "".join(ch for ch in (code or "") if ch.isascii() and ch.isdigit())
    step = _matching_step(account.totp_secret, digits, now)
    if step is None or (account.totp_last_step is not None and step <= account.totp_last_step):
        count_failure(account, policy, now, "动态口令错误")
        raise SecondFactorFailed("动态口令错误或已使用", hint=f"再错 {policy.max_failures - account.failed_logins} 次将锁定")
    account.totp_last_step, account.failed_logins = step, 0
    row.second_factor = True


def _matching_step(secret: str, digits: str, now: datetime) -> int | None:
    if len(digits) != 6:
        return None
    totp = pyotp.TOTP(secret, interval=STEP)
    current = int(now.timestamp()) // STEP
    for step in range(current - DRIFT, current + DRIFT + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), digits):
            return step
    return None
