"""A small in-process sliding-window rate limiter (per worker process)."""

from __future__ import annotations

import threading
import time
from collections import deque


def parse_rate(text: str) -> tuple[int, float]:
    count, _, per = text.partition("/")
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[per.strip() or "minute"]
    return int(count), float(seconds)


class RateLimiter:
    def __init__(self, rate: str):
        self.limit, self.window = parse_rate(rate)
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Record a request; returns 0 when allowed, else seconds until the next is allowed."""
        now = time.monotonic()
        with self._lock:
            q = self._hits.setdefault(key, deque())
            while q and now - q[0] > self.window:
                q.popleft()
            if len(q) >= self.limit:
                return max(0.0, self.window - (now - q[0]))
            q.append(now)
            if len(self._hits) > 50_000:  # bound memory under address spraying
                for k in [k for k, v in self._hits.items() if not v][:10_000]:
                    del self._hits[k]
            return 0.0

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)


def _limiter(name: str, setting: str) -> RateLimiter:
    from flask import current_app

    key = f"ratelimit_{name}"
    limiter = current_app.extensions.get(key)
    if limiter is None:
        limiter = current_app.extensions[key] = RateLimiter(current_app.config[setting])
    return limiter


def throttle_caller() -> None:
    """429 when the caller is over its limit: a request with a valid API token counts against
    its token (TOKEN_RATE_LIMIT); any other against its address (PUBLIC_RATE_LIMIT)."""
    from flask import g

    from web.auth import client_ip
    from web.errors import fail

    token_id = g.get("api_token_id")
    if token_id is not None:
        wait = _limiter("token", "TOKEN_RATE_LIMIT").hit(f"token:{token_id}")
    else:
        wait = _limiter("public", "PUBLIC_RATE_LIMIT").hit(client_ip())
    if wait:
        seconds = int(wait) + 1
        fail(429, f"Too many requests; retry in {seconds} s.", f"请求过于频繁，请 {seconds} 秒后重试。")
