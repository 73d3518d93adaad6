"""The demo's accounts: one of each office role and a reporter for each unit that leads tasks with
targets, all with one demo password. Argon2 costs about 0.2 s a hash, so the password is checked
against the complexity rule and hashed once, and the hash shared (the accounts are otherwise made
as `create_account` makes them). Where the administrator and the auditor sign in with a second
factor (luoshi.auth.totp), each gets its authenticator secret, which the demo prints."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from luoshi.auth.accounts import AccountInvalid
from luoshi.auth.passwords import hash_password, weaknesses
from luoshi.demo.county_plans import SLUGS
from luoshi.store.account_models import Account

PASSWORD = "Demo-2024-luoshi"
OFFICE = [("admin", "admin", "系统管理员"), ("auditor", "auditor", "审计员"), ("office", "coordinator", "调度办"),
          ("leader", "leader", "分管领导")]
# A department's short login name (工信局 → gxj), after its region's name.
DEPARTMENTS = {"工业和信息化局": "gxj", "通信发展管理办公室": "txb", "委网络安全和信息化委员会办公室": "wxb",
               "大数据局": "dsj", "大数据中心": "dsj", "文化广电和旅游局": "wlj", "发展和改革委员会": "fgw",
               "发展和改革局": "fgj", "财政局": "czj", "科学技术局": "kjj", "交通运输局": "jtj", "卫生健康委员会": "wjw",
               "人力资源和社会保障局": "rsj", "住房和城乡建设局": "zjj", "农业农村局": "nyj"}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit: str | None
    second_factor: str | None = None  # the TOTP secret, where the role signs in with one


def username_for(unit_id: int, unit_name: str) -> str:
    """gxj for 澜州市工业和信息化局, yg-gxj for 阳谷县工业和信息化局, else u<id>."""
    prefix = next((slug + "-" for county, slug in SLUGS.items() if unit_name.startswith(county)), "")
    rest = re.sub(r"^(?:澜州市|东昌府区|茌平区|阳谷县|莘县|东阿县|冠县|高唐县|临清市)", "", unit_name)
    short = DEPARTMENTS.get(rest)
    return prefix + short if short else f"u{unit_id}"


def add_accounts(session: Session, units: list[tuple[int, str]]) -> list[DemoAccount]:
    """The office's accounts, then a reporter for each (unit id, name); the caller commits."""
    problems = weaknesses(PASSWORD, "")
    if problems:
        raise AccountInvalid(problems)
    digest = hash_password(PASSWORD)
    second = _second_factor()
    made: list[DemoAccount] = []
    taken: set[str] = set()
    for username, role, title in OFFICE:
        a = _add(session, username, role, None, title, digest)
        secret = second(a)
        made.append(DemoAccount(username, role, None, secret))
        taken.add(username)
    for unit_id, name in units:
        username = username_for(unit_id, name)
        username = username if username not in taken else f"u{unit_id}"
        taken.add(username)
        _add(session, username, "reporter", unit_id, f"{name}填报员", digest)
        made.append(DemoAccount(username, "reporter", name))
    session.flush()
    return made


def _add(session: Session, username: str, role: str, unit_id: int | None, display: str, digest: str) -> Account:
    a = Account(username=username, password_hash=digest, role=role, unit_id=unit_id, display_name=display,
                active=True, failed_logins=0)
    session.add(a)
    return a


def _second_factor():
    """A function binding a TOTP secret to an account of a role that needs one."""
    from luoshi.auth.totp import enroll, needs_second_factor

    return lambda a: enroll(a) if needs_second_factor(a) else None
