"""Users, passwords, server-side sessions and API tokens."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from web.models import ROLES, ApiToken, User, UserSession, utcnow
from web.services import NotFound, ServiceError

_hasher = PasswordHasher()
MIN_PASSWORD = 10
COMMON_PASSWORDS = frozenset(["password", "password1", "password123", "123456789", "1234567890", "12345678", "qwertyuiop", "qwerty123", "iloveyou", "admin123", "administrator", "welcome123", "letmein123", "passw0rd", "p@ssw0rd", "abc123456", "1q2w3e4r5t", "11111111", "00000000", "123123123", "shanghai123", "changeme123", "zaq12wsx", "asdfghjkl", "1qaz2wsx3edc", "woaini1314", "a1234567"])
_DUMMY_HASH = _hasher.hash("timing-equaliser-not-a-password")
# common words that people pad with digits or symbols to reach the minimum length
COMMON_WORDS = frozenset(["password", "passw0rd", "p@ssw0rd", "p@ssword", "qwerty", "qwertyuiop",
                          "asdfgh", "asdfghjkl", "zxcvbn", "iloveyou", "woaini", "admin",
                          "administrator", "welcome", "letmein", "changeme", "shanghai",
                          "zhaoshang", "officer", "secret", "dragon", "monkey", "sunshine",
                          "football", "baseball", "superman", "abc", "abcd", "abcdef",
                          "abcdefg", "test", "guest", "root", "user", "login", "master",
                          "china", "beijing", "qazwsx", "1qaz2wsx", "zaq1xsw2"])
_DECORATION = "0123456789!@#$%^&*()_+-=.,;:?~ "


def _is_run(low: str) -> bool:
    """Only steps of +1 or -1 between neighbouring characters ('1234567890', 'abcdefghij')."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(low)}
    return steps <= {1} or steps <= {-1}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def check_password_strength(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise ServiceError(f"The password must have at least {MIN_PASSWORD} characters.", "password",
                           zh=f"密码至少须有 {MIN_PASSWORD} 个字符。")
    if len(password) > 256:
        raise ServiceError("The password is too long.", "password", zh="密码太长。")
    low = password.lower()
    base = low.strip(_DECORATION)  # "Password2024!" is "password" with decoration
    if (low in COMMON_PASSWORDS or base in COMMON_PASSWORDS or base in COMMON_WORDS
            or (username and username.lower() in low)):
        raise ServiceError("The password is too common or contains the username.", "password",
                           zh="密码太常见，或含有用户名。")
    if len(set(low)) < 5 or _is_run(low):
        raise ServiceError("The password is too simple (repeated or sequential characters).",
                           "password", zh="密码太简单（重复或连续的字符）。")


def create_user(*, session: Session, username: str, password: str, role: str = "officer",
                display_name: str = "") -> User:
    username = (username or "").strip()
    if not username or len(username) > 64 or not username.replace("_", "").replace(".", "").replace("-", "").isalnum():
        raise ServiceError("A username has 1 to 64 letters, digits or . _ - only.", "username",
                           zh="用户名只能由字母、数字和 . _ - 组成（1 到 64 个字符）。")
    if role not in ROLES:
        raise ServiceError(f"The role must be one of: {', '.join(ROLES)}.", "role",
                           zh="角色须为管理员或招商人员。")
    check_password_strength(password, username)
    if session.exec(select(User).where(User.username == username)).first():
        raise ServiceError(f"A user named {username} already exists.", "username",
                           zh=f"用户“{username}”已存在。")
    user = User(username=username, password_hash=_hasher.hash(password), role=role,
                display_name=(display_name or "").strip()[:128] or username)
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def set_password(*, session: Session, user: User, password: str,
                 keep_session: str | None = None) -> None:
    """A new password; every session of the user ends but `keep_session` (an id)."""
    check_password_strength(password, user.username)
    user.password_hash = _hasher.hash(password)
    user.password_changed_at = utcnow()
    session.add(user)
    end_sessions(session=session, user_id=user.id, keep=keep_session)
    session.commit()


def generate_password() -> str:
    """A random password that passes the strength check (shown once to an admin)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            check_password_strength(password)
        except ServiceError:
            continue
        return password


def change_own_password(*, session: Session, user: User, current: str, new: str,
                        keep_session: str | None = None) -> None:
    """The user's own change: the current password first; other sessions end, this one stays."""
    try:
        _hasher.verify(user.password_hash, current or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise ServiceError("The current password is wrong.", "current_password",
                           zh="当前密码不正确。") from None
    if new == current:
        raise ServiceError("Choose a password other than the current one.", "new_password",
                           zh="新密码不能与当前密码相同。")
    try:
        set_password(session=session, user=user, password=new, keep_session=keep_session)
    except ServiceError as exc:
        exc.field = "new_password"
        raise


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, else None (same cost either way)."""
    user = session.exec(select(User).where(User.username == (username or "").strip())).first()
    if user is None or not user.is_active:
        with contextlib.suppress(VerificationError):  # same cost as a real check
            _hasher.verify(_DUMMY_HASH, password or "")
        return None
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    session.add(user)
    session.commit()
    return user


def start_session(*, session: Session, user: User) -> str:
    """A new server-side session; returns the raw cookie value."""
    raw = secrets.token_urlsafe(32)
    session.add(UserSession(id=hash_token(raw), user_id=user.id,
                            csrf_token=secrets.token_urlsafe(24)))
    session.commit()
    return raw


def load_session(*, session: Session, raw: str, idle_minutes: int, absolute_hours: int):
    """(UserSession, User) for a cookie value, or None when unknown, expired or disabled."""
    if not raw:
        return None
    us = session.get(UserSession, hash_token(raw))
    if us is None:
        return None
    now = utcnow()
    user = session.get(User, us.user_id)
    if (user is None or not user.is_active
            or now - us.last_seen_at > dt.timedelta(minutes=idle_minutes)
            or now - us.created_at > dt.timedelta(hours=absolute_hours)):
        session.delete(us)
        session.commit()
        return None
    if now - us.last_seen_at > dt.timedelta(seconds=60):
        us.last_seen_at = now
        session.add(us)
        session.commit()
    return us, user


def end_session(*, session: Session, raw: str) -> None:
    us = session.get(UserSession, hash_token(raw)) if raw else None
    if us is not None:
        session.delete(us)
        session.commit()


def end_sessions(*, session: Session, user_id: int, keep: str | None = None) -> None:
    for us in session.exec(select(UserSession).where(UserSession.user_id == user_id)).all():
        if us.id != keep:
            session.delete(us)
    session.commit()


def set_active(*, session: Session, user: User, active: bool) -> None:
    user.is_active = active
    session.add(user)
    if not active:
        end_sessions(session=session, user_id=user.id)
        for tok in session.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all():
            tok.revoked_at = tok.revoked_at or utcnow()
            session.add(tok)
    session.commit()


def create_token(*, session: Session, user: User, name: str = "api") -> tuple[ApiToken, str]:
    """A new API token; the raw value is returned once and only its hash is stored."""
    raw = "sim_" + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=(name or "api")[:100], token_hash=hash_token(raw),
                     prefix=raw[:10])
    session.add(token)
    session.commit()
    session.refresh(token)
    return token, raw


def revoke_token(*, session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and user.role != "admin"):
        raise NotFound("token")
    token.revoked_at = token.revoked_at or utcnow()
    session.add(token)
    session.commit()


def authenticate_token(*, session: Session, raw: str) -> tuple[ApiToken, User, bool] | None:
    """(token, its active user, whether this is its first use in a minute), or None when the
    token is unknown, revoked or its user disabled."""
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(raw))).first()
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    fresh = token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1)
    if fresh:
        token.last_used_at = now
        session.add(token)
        session.commit()
    return token, user, fresh


def user_for_token(*, session: Session, raw: str) -> User | None:
    found = authenticate_token(session=session, raw=raw)
    return found[1] if found else None


def get_user(*, session: Session, username: str) -> User:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(f"user {username!r}")
    return user
