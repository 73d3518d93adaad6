"""Accounts, sign-in with lock-out, sessions (等保 A1, A2, B1). Both backends."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from luoshi.auth.accounts import (AccountInvalid, AccountLocked, LoginFailed, authenticate, create_account,
                                  now_utc, password_expired, set_active, set_password)
from luoshi.auth.policy import AuthPolicy
from luoshi.auth.sessions import NotSignedIn, close_session, open_session, session_account
from luoshi.store import Store
from luoshi.store.account_models import Account, AccountSession
from luoshi.store.dispatch_models import Unit

PASSWORD = "Lanzhou-2024"


@pytest.fixture
def s(db_url):
    store = Store(db_url)
    with store.session() as session:
        yield session
    store.close()


def office(s, name="office"):
    a = create_account(s, username=name, password=PASSWORD, role="coordinator")
    s.commit()
    return a


def test_every_problem_of_a_new_account_at_once(s):
    office(s)
    with pytest.raises(AccountInvalid) as e:
        create_account(s, username="OFFICE", password="short", role="boss")
    text = "；".join(e.value.problems)
    assert "已被使用" in text and "角色" in text and "至少 8" in text  # a name differing in case is the same name
    assert s.scalar(select(Account.id).where(Account.role == "boss")) is None


def test_a_reporter_belongs_to_a_unit_and_only_a_reporter(s):
    u = Unit(name="澜州市工业和信息化局")
    s.add(u)
    s.flush()
    with pytest.raises(AccountInvalid, match="须指定所属单位"):
        create_account(s, username="rep", password=PASSWORD, role="reporter")
    with pytest.raises(AccountInvalid, match="只有单位填报员"):
        create_account(s, username="boss", password=PASSWORD, role="leader", unit_id=u.id)
    assert create_account(s, username="rep", password=PASSWORD, role="reporter", unit_id=u.id).unit_id == u.id


def test_wrong_name_and_wrong_password_read_the_same(s):
    office(s)
    with pytest.raises(LoginFailed) as bad_name:
        authenticate(s, "nobody", PASSWORD)
    with pytest.raises(LoginFailed) as bad_password:
        authenticate(s, "office", "Wrong-2024")
    assert bad_name.value.message == bad_password.value.message == "用户名或密码错误"
    assert authenticate(s, "Office", PASSWORD).username == "office"


def test_five_failures_lock_for_fifteen_minutes_even_the_right_password(s):
    office(s)
    t0 = now_utc()
    for _ in range(4):
        with pytest.raises(LoginFailed):
            authenticate(s, "office", "Wrong-2024", now=t0)
    with pytest.raises(AccountLocked, match="连续 5 次"):
        authenticate(s, "office", "Wrong-2024", now=t0)
    with pytest.raises(AccountLocked):
        authenticate(s, "office", PASSWORD, now=t0 + timedelta(minutes=14))
    assert authenticate(s, "office", PASSWORD, now=t0 + timedelta(minutes=15, seconds=1)).failed_logins == 0


def test_a_success_resets_the_count(s):
    office(s)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            authenticate(s, "office", "Wrong-2024")
    authenticate(s, "office", PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            authenticate(s, "office", "Wrong-2024")  # four again, not locked


def test_sessions_end_when_idle_too_old_signed_out_or_disabled(s):
    a = office(s)
    policy = AuthPolicy(idle_minutes=30, absolute_hours=12)
    t = open_session(s, a, "127.0.0.1")
    s.commit()
    assert session_account(s, t, policy=policy)[0].id == a.id
    row = s.scalar(select(AccountSession))
    assert row.token_hash != t and len(row.token_hash) == 64  # only the hash is stored
    with pytest.raises(NotSignedIn, match="长时间未操作"):
        session_account(s, t, policy=policy, now=now_utc() + timedelta(minutes=31))
    with pytest.raises(NotSignedIn):  # ended for good, not only while idle
        session_account(s, t, policy=policy)
    t2 = open_session(s, a)
    s.commit()
    with pytest.raises(NotSignedIn):
        session_account(s, t2, policy=policy, now=now_utc() + timedelta(hours=12, minutes=1))
    t3 = open_session(s, a)
    assert close_session(s, t3) and not close_session(s, t3)
    with pytest.raises(NotSignedIn):
        session_account(s, t3)
    t4 = open_session(s, a)
    set_active(s, a, False)
    s.commit()
    with pytest.raises(NotSignedIn):
        session_account(s, t4)
    with pytest.raises(LoginFailed):
        authenticate(s, "office", PASSWORD)


def test_a_new_password_ends_the_sessions_and_is_checked(s):
    a = office(s)
    t = open_session(s, a)
    with pytest.raises(AccountInvalid):
        set_password(s, a, "12345678")
    set_password(s, a, "Another-2025")
    s.commit()
    with pytest.raises(NotSignedIn):
        session_account(s, t)
    assert authenticate(s, "office", "Another-2025").id == a.id


def test_password_expiry_is_a_setting(s):
    a = office(s)
    assert not password_expired(a)  # off by default (ASVS)
    later = now_utc() + timedelta(days=91)
    assert password_expired(a, AuthPolicy(password_days=90), now=later)
    assert not password_expired(a, AuthPolicy(password_days=90))
