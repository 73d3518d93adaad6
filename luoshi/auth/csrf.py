"""The server's secret and the anti-CSRF token it signs (double-submit, bound to the session).

The secret is $LUOSHI_SECRET where a deployment sets one (several hosts behind one proxy must
share it), else generated on first use and kept in the store as an `office_settings` row, so every
worker on the same database agrees and nothing secret is a constant in the code. Keeping it in the
database costs little: a token is HMAC(secret, session token), and the store holds only the
sha256 of session tokens, so a copy of the database still forges no token. Deleting the row (or
changing $LUOSHI_SECRET) only makes signed-in browsers sign in again."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.errors import LuoshiError
from luoshi.store.settings_models import OfficeSetting

SECRET_KEY = "server_secret"  # the office_settings key; luoshi.track.office_settings never lists it
MIN_LENGTH = 32


class SecretInvalid(LuoshiError):
    code = "secret_invalid"


def server_secret(session: Session, configured: str | None = None) -> str:
    """The configured secret (checked), else the stored one, made and committed on first use."""
    if configured:
        if len(configured) < MIN_LENGTH:
            raise SecretInvalid(f"LUOSHI_SECRET 至少 {MIN_LENGTH} 个字符（可用 python -c \"import secrets; "
                                f"print(secrets.token_urlsafe(48))\" 生成）")
        return configured
    first = select(OfficeSetting.value).where(OfficeSetting.key == SECRET_KEY).order_by(OfficeSetting.id).limit(1)
    found = session.scalar(first)
    if found is None:
        session.add(OfficeSetting(key=SECRET_KEY, value=secrets.token_urlsafe(48), changed_by="luoshi"))
        session.commit()
        # Two workers starting at once may both add one: the oldest row wins for everybody.
        found = session.scalar(first)
    return found


def csrf_token(secret: str, session_token: str) -> str:
    return hmac.new(secret.encode(), b"luoshi-csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def csrf_matches(secret: str, session_token: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(secret, session_token), given.strip())
