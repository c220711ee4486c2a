"""Chinese by default, English on request: `_()` in templates, `?lang=en|zh` on any page."""

from __future__ import annotations

from flask import Flask, g, request

from web.translations import ZH

LANGS = ("zh", "en")


def current_lang() -> str:
    return g.get("lang", "zh")


def gettext(text: str, **kwargs) -> str:
    out = ZH.get(text, text) if current_lang() == "zh" else text
    return out.format(**kwargs) if kwargs else out


def pick(record: dict, zh_key: str, en_key: str) -> str:
    """The record's text in the current language, falling back to the other."""
    if current_lang() == "en":
        return record.get(en_key) or record.get(zh_key) or ""
    return record.get(zh_key) or record.get(en_key) or ""


def error_text(record: dict) -> str:
    """The error of a record that could not be scored, in the interface language."""
    if current_lang() == "zh":
        return record.get("error_zh") or record.get("error", "")
    return record.get("error_en") or record.get("error", "")


def pick_list(record: dict, zh_key: str, en_key: str) -> list:
    """A parallel list of the record (reasons, warnings ...) in the current language; a record
    from before the engine gave both languages falls back to the other list."""
    zh, en = record.get(zh_key) or [], record.get(en_key) or []
    if current_lang() == "en":
        return en if len(en) == len(zh) or not zh else zh
    return zh if len(zh) == len(en) or not en else en


def init_app(app: Flask) -> None:
    @app.before_request
    def _lang():
        asked = request.args.get("lang")
        if asked in LANGS:
            g.lang = asked
            g.set_lang_cookie = True
        else:
            g.lang = request.cookies.get("lang") if request.cookies.get("lang") in LANGS else "zh"

    @app.after_request
    def _remember(response):
        if g.get("set_lang_cookie"):
            response.set_cookie("lang", g.lang, max_age=365 * 86400, samesite="Lax",
                                httponly=True, secure=app.config["SESSION_COOKIE_SECURE"])
        return response

    app.jinja_env.globals.update(_=gettext, lang=current_lang, pick=pick,
                                  pick_list=pick_list, error_text=error_text)
