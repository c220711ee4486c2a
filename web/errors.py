"""Error pages and API error bodies in plain Chinese and English (no raw library text)."""

from __future__ import annotations

from typing import NoReturn

from werkzeug.exceptions import HTTPException, default_exceptions

from web.i18n import current_lang
from web.translations import ZH
from web.validation import explain, readable_tree

# code -> (title, what it means for the user), English; Chinese in web/translations/public.py
STATUS = {
    400: ("Bad request", "The request could not be understood."),
    401: ("Sign-in required", "Sign in to see this page."),
    403: ("No access", "Your account does not have access to this page."),
    404: ("Page not found", "There is no page at this address. Check the address, or start "
          "again from the home page."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Request too large", "The request is too large."),
    422: ("Input not accepted", "Some of the input could not be accepted."),
    429: ("Too many requests", "Too many requests from your address; wait a moment and try "
          "again."),
    500: ("Server error", "Something went wrong on our side. It has been logged; please try "
          "again."),
    503: ("Service unavailable", "The service is unavailable at the moment; please try again "
          "shortly."),
    507: ("Storage full", "The server's storage is full."),
}


def fail(code: int, en: str, zh: str) -> NoReturn:
    """Abort with a message in both languages."""
    exc = default_exceptions[code](description=en)
    exc.description_zh = zh
    raise exc


def _message(code: int, description: str | None, description_zh: str | None,
             default: str | None) -> tuple[str, str]:
    """(English, Chinese) of an error's message; the library's stock texts are replaced."""
    stock = STATUS.get(code, ("", ""))[1]
    if not description or description == default:
        return stock, ZH.get(stock, stock)
    return description, description_zh or ZH.get(description, description)


def page_context(exc: HTTPException | None, code: int, message: str = "") -> dict:
    """What error.html shows: the status title and message in the interface language."""
    title = STATUS.get(code, (getattr(exc, "name", "") or "Error", ""))[0]
    default = type(exc).description if exc is not None else None
    en, zh = _message(code, message, getattr(exc, "description_zh", None), default)
    zh_ui = current_lang() == "zh"
    return {"code": code, "name": ZH.get(title, title) if zh_ui else title,
            "message": zh if zh_ui else en}


def api_body(exc: HTTPException) -> dict:
    """The JSON body of an API error: machine-readable keys, readable messages in both languages."""
    data = getattr(exc, "data", None) or {}
    default = type(exc).description
    description = data.get("message") or exc.description
    en, zh = _message(exc.code, description,
                      data.get("message_zh") or getattr(exc, "description_zh", None), default)
    title = STATUS.get(exc.code, (exc.name, ""))[0]
    body = {"error": exc.name, "code": exc.code, "message": en, "message_zh": zh,
            "title": title, "title_zh": ZH.get(title, title)}
    messages = data.get("messages")
    if messages:
        details = []
        errors = {}
        for location, fields in messages.items():
            found = explain(fields, data.get("schema")) if isinstance(fields, dict) else []
            if not isinstance(fields, dict):  # e.g. {"json": ["Invalid JSON body."]}
                body["message"] = "The request body is not valid JSON."
                body["message_zh"] = ZH[body["message"]]
                errors[location] = {"_body": [body["message"]]}
                details.append({"field": "_body", "code": "invalid_json",
                                "message": body["message"], "message_zh": body["message_zh"]})
                continue
            errors[location] = readable_tree(fields, data.get("schema"))
            details += [item.as_dict() for item in found]
        if found_any := [d for d in details if d["field"] != "_body"]:
            body["message"] = " ".join(d["message"] for d in found_any)
            body["message_zh"] = "".join(d["message_zh"] for d in found_any)
        body["errors"] = errors
        body["details"] = details
    elif data.get("errors"):
        body["errors"] = data["errors"]
    return body
