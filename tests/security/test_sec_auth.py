"""Authentication (ASVS V2/V3): the password KDF and policy, per-account and per-address login
throttling, idle and absolute session timeouts. (Same answer for unknown user and wrong
password, a new session at login, logout and disabling, `next` and the login limit for one
account are proven in tests/web/test_web_auth.py.)"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from web.models import User, UserSession
from web.services import ServiceError


def test_passwords_are_stored_as_argon2id_with_owasp_parameters(app, officer, db):
    from argon2 import extract_parameters

    from web.services import users

    with db() as s:
        stored = s.get(User, officer.id).password_hash
    assert stored.startswith("$argon2id$") and officer.password not in stored
    # the production hasher (the tests use a cheap one): OWASP's minimum for argon2id is
    # m=19 MiB, t=2, p=1
    production = users.PasswordHasher()
    params = extract_parameters(production.hash("x" * 12))
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2
    assert isinstance(users._DUMMY_HASH, str) and users._DUMMY_HASH.startswith("$argon2id$")


@pytest.mark.parametrize("password", [
    "short", "123456789",                        # under the minimum length
    "password123", "Password2024!", "shanghai2025", "qwerty123456!", "P@ssw0rd!!!!",
    "aaaaaaaaaaaa", "abababababab", "1234567890", "abcdefghijkl",  # repeated or sequential
    "alice-the-great-2024",                      # contains the username
])
def test_weak_passwords_are_refused(password):
    from web.services.users import check_password_strength

    with pytest.raises(ServiceError) as err:
        check_password_strength(password, "alice")
    assert err.value.field == "password"


@pytest.mark.parametrize("password", ["Tr0ub4dor&3-horse-staple", "correct horse battery",
                                      "晴天霹雳-2024-浦东开发", "k8#Vq!29zLm"])
def test_reasonable_passwords_are_accepted(password):
    from web.services.users import check_password_strength

    check_password_strength(password, "alice")


def test_a_weak_password_is_refused_by_the_cli_and_reset_too(app, officer):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reset-password", officer.username, "--password",
                                 "Password2024!"])
    assert result.exit_code != 0 and "password" in result.output


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "3/minute"}])
def test_login_is_limited_per_address_across_usernames(app, make_user, login):
    users = [make_user(f"user{i}") for i in range(4)]
    attacker = from_address(app, "203.0.113.7")
    for user in users[:3]:
        assert login(attacker, user.username, "wrong-password-xyz").status_code == 401
    # a fourth account from the same address, even with the right password
    assert login(attacker, users[3].username, users[3].password).status_code == 429
    # another address is not affected
    other = from_address(app, "198.51.100.9")
    assert login(other, users[3].username, users[3].password).status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_RATE_LIMIT": "3/minute"}])
def test_login_is_limited_per_account_across_addresses(app, officer, login, db):
    from web.models import AuditEvent

    for i in range(3):
        spray = from_address(app, f"203.0.113.{i + 1}")
        assert login(spray, officer.username, "wrong-password-xyz").status_code == 401
    fresh = from_address(app, "198.51.100.20")
    r = login(fresh, officer.username, officer.password)
    assert r.status_code == 429 and fresh.get_cookie("sid") is None
    # the account name is compared case-insensitively for throttling
    r = login(fresh, officer.username.upper(), "wrong-password-xyz")
    assert r.status_code == 429
    with db() as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "login.throttled")).all()


def _age_session(app, **delta) -> None:
    from web.db import session_scope

    with session_scope(app.extensions["db_engine"]) as s:
        for us in s.exec(select(UserSession)).all():
            if "idle" in delta:
                us.last_seen_at = us.last_seen_at - delta["idle"]
            if "age" in delta:
                us.created_at = us.created_at - delta["age"]
                us.last_seen_at = us.last_seen_at - dt.timedelta(minutes=1)
            s.add(us)


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 30,
                                         "SESSION_ABSOLUTE_HOURS": 8}])
def test_idle_timeout_ends_the_session_server_side(app, officer, signed_in, db):
    client = signed_in(officer)
    _age_session(app, idle=dt.timedelta(minutes=29))
    assert client.get("/leads/").status_code == 200  # still inside the idle window
    _age_session(app, idle=dt.timedelta(minutes=31))
    r = client.get("/leads/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/auth/login")
    with db() as s:
        assert s.exec(select(UserSession)).all() == []


@pytest.mark.parametrize("app_config", [{"SESSION_IDLE_MINUTES": 30,
                                         "SESSION_ABSOLUTE_HOURS": 8}])
def test_absolute_timeout_ends_even_an_active_session(app, officer, signed_in, db):
    client = signed_in(officer)
    _age_session(app, age=dt.timedelta(hours=7, minutes=58))
    assert client.get("/leads/").status_code == 200
    _age_session(app, age=dt.timedelta(minutes=3))  # now 8 h 1 min old, seen a minute ago
    r = client.get("/leads/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/auth/login")
    with db() as s:
        assert s.exec(select(UserSession)).all() == []


def test_activity_moves_the_idle_clock_but_not_the_absolute_one(app, officer, signed_in, db):
    client = signed_in(officer)
    _age_session(app, idle=dt.timedelta(minutes=10))
    with db() as s:
        before = s.exec(select(UserSession)).one()
    assert client.get("/leads/").status_code == 200
    with db() as s:
        after = s.exec(select(UserSession)).one()
    assert after.last_seen_at > before.last_seen_at
    assert after.created_at == before.created_at


def test_a_password_reset_ends_every_session(app, officer, signed_in):
    a, b = signed_in(officer), signed_in(officer)
    result = app.test_cli_runner().invoke(args=["reset-password", officer.username])
    assert result.exit_code == 0, result.output
    for client in (a, b):
        r = client.get("/leads/")
        assert r.status_code == 302 and r.headers["Location"].startswith("/auth/login")


def test_default_timeouts_meet_asvs_level_2(monkeypatch):
    from web.config import load_config

    for name in ("SESSION_IDLE_MINUTES", "SESSION_ABSOLUTE_HOURS"):
        monkeypatch.delenv(name, raising=False)
    cfg = load_config({"DATABASE_URL": "sqlite:///:memory:"})
    assert cfg["SESSION_IDLE_MINUTES"] <= 30 and cfg["SESSION_ABSOLUTE_HOURS"] <= 12
