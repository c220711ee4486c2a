"""Per-request work of Flask's machinery done once per process, with the same behaviour: the
signed-cookie serializer of the (flash-message) session, and the check that a handler is a
coroutine function. Each was measured on every API call (`scripts/bench_api.py --in-process
--replay --profile`)."""

from __future__ import annotations

import types

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class App(Flask):
    """Flask, remembering per plain function whether it needs wrapping for WSGI (the before-,
    after- and teardown functions and views run on every request; each asked `inspect`)."""

    _SYNC_MAX = 4096

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sync: dict = {}
        self.session_interface = CookieSessionInterface()

    def ensure_sync(self, func):
        if type(func) is not types.FunctionType:  # bound methods, partials: ask each time
            return super().ensure_sync(func)
        done = self._sync.get(func)
        if done is None:
            done = super().ensure_sync(func)
            if len(self._sync) < self._SYNC_MAX:
                self._sync[func] = done
        return done


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, its serializer made once per secret key (and fallbacks)
    instead of on every request."""

    def __init__(self):
        self._serializers: dict = {}

    def get_signing_serializer(self, app: Flask):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        found = self._serializers.get(key)
        if found is None:
            found = super().get_signing_serializer(app)
            if found is None:
                return None
            if len(self._serializers) >= 8:
                self._serializers.clear()
            self._serializers[key] = found
        return found
