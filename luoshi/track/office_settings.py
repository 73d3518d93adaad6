"""The rules an office sets for its monthly dispatch, kept in the store (`office_settings`) so the
command line, the workbook import and the web app all apply the same ones: the day of the month
a report is due, the days after which a month is locked, the light thresholds, the reminder
window. A key never set has its default (domain.md's published figures). Changing one appends a
row with who and when; nothing is overwritten, so `setting_history` shows every change."""
from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.settings_models import OfficeSetting
from luoshi.track.goals import Rules, ScheduleError
from luoshi.track.timeliness import DISPATCH, DispatchSettings, PeriodError


@dataclass(frozen=True)
class Key:
    label: str
    kind: type
    low: float
    high: float
    default: float


KEYS = {
    "due_day": Key("月报截止日（次月几日）", int, 1, 31, DISPATCH.due_day),
    "lock_after_days": Key("截止后几日锁定（之后补报须调度办同意）", int, 0, 366, DISPATCH.lock_after_days),
    "yellow_behind": Key("黄灯：落后序时进度不少于（百分点）", float, 0, 100, DISPATCH.rules.yellow_behind),
    "red_behind": Key("红灯：落后序时进度超过（百分点）", float, 0, 100, DISPATCH.rules.red_behind),
    "remind_days": Key("截止前几日列入催办提醒", int, 0, 31, 3),
}


class SettingInvalid(LuoshiError):
    code = "setting_invalid"
    http_status = 422


def current(session: Session) -> dict[str, float]:
    """Every key's value in force: the newest stored row, else the default."""
    values = {k: k_.default for k, k_ in KEYS.items()}
    for key, value in session.execute(select(OfficeSetting.key, OfficeSetting.value).order_by(OfficeSetting.id)):
        if key in KEYS:
            values[key] = KEYS[key].kind(value)
    return values


def dispatch_settings(session: Session) -> DispatchSettings:
    """The office's DispatchSettings (with its light Rules) as stored."""
    return _build(current(session))


def remind_days(session: Session) -> int:
    return int(current(session)["remind_days"])


def set_setting(session: Session, key: str, value, *, changed_by: str | None = None) -> OfficeSetting:
    """Set one key (the caller commits); SettingInvalid when the key or the value is not allowed,
    or the rules would contradict each other (a yellow threshold above the red one)."""
    k = KEYS.get(key)
    if k is None:
        raise SettingInvalid(f"没有设置项“{key}”，可设置：{'、'.join(KEYS)}")
    try:
        number = k.kind(str(value).strip())
    except ValueError:
        raise SettingInvalid(f"{k.label}应为{'整数' if k.kind is int else '数字'}，不是“{value}”") from None
    if not k.low <= number <= k.high:
        raise SettingInvalid(f"{k.label}应在 {k.low:g} 到 {k.high:g} 之间，不是 {number:g}")
    try:
        _build(current(session) | {key: number})
    except (ScheduleError, PeriodError) as e:
        raise SettingInvalid(e.message) from None
    row = OfficeSetting(key=key, value=str(number), changed_by=(changed_by or "").strip()[:100] or None)
    session.add(row)
    session.flush()
    return row


def setting_rows(session: Session) -> list[dict]:
    values = current(session)
    return [{"key": key, "label": k.label, "value": values[key], "default": k.default,
             "changed": values[key] != k.default} for key, k in KEYS.items()]


def setting_history(session: Session) -> list[OfficeSetting]:
    # Only the office's keys: the same table keeps the server's secret (luoshi.auth.csrf).
    return list(session.scalars(select(OfficeSetting).where(OfficeSetting.key.in_(KEYS)).order_by(OfficeSetting.id)))


def _build(values: dict) -> DispatchSettings:
    rules = Rules(yellow_behind=float(values["yellow_behind"]), red_behind=float(values["red_behind"]))
    return replace(DISPATCH, due_day=int(values["due_day"]), lock_after_days=int(values["lock_after_days"]),
                   rules=rules)
