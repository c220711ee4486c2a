"""JSON responses serialised with orjson: the same JSON as Flask's own provider (UTF-8 text,
the record's field order, dates as HTTP dates), several times faster on large match records."""

from __future__ import annotations

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS \
    | orjson.OPT_NON_STR_KEYS


class OrjsonProvider(DefaultJSONProvider):
    """Flask's provider with orjson for compact output; pretty output (debug) and anything
    orjson cannot write (e.g. integers beyond 64 bits) go through the standard library."""

    ensure_ascii = False
    sort_keys = False

    def _fast(self, obj) -> bytes | None:
        if self.sort_keys or self.ensure_ascii:
            return None
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except TypeError:
            return None

    def dumps(self, obj, **kwargs) -> str:
        fast = None if kwargs else self._fast(obj)
        return fast.decode() if fast is not None else super().dumps(obj, **kwargs)

    def response(self, *args, **kwargs):
        if (self.compact is None and self._app.debug) or self.compact is False:
            return super().response(*args, **kwargs)
        fast = self._fast(self._prepare_response_obj(args, kwargs))
        if fast is None:
            return super().response(*args, **kwargs)
        return self._app.response_class(fast + b"\n", mimetype=self.mimetype)
