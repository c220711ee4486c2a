"""Chinese by default, English on request: `_()` in templates, `?lang=en|zh` on any page."""

from __future__ import annotations

from urllib.parse import urlencode

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


FIT_WORDS = ((0.75, "strong fit"), (0.5, "good fit"), (0.25, "possible fit"), (0.0, "weak fit"))
CERTAINTY_WORDS = ((0.75, "clear"), (0.5, "fairly clear"), (0.0, "unclear"))


def fit(score: float) -> str:
    """A 0-1 score in words, for companies."""
    return gettext(next(word for low, word in FIT_WORDS if (score or 0) >= low))


def certainty(confidence: float) -> str:
    return gettext(next(word for low, word in CERTAINTY_WORDS if (confidence or 0) >= low))


def entered_value(key: str, value) -> str:
    """A profile field as the company entered it, codes shown by their label."""
    from matcher import labels

    if value in (None, "", [], ()):
        return ""
    tables = {"project_type": labels.PROJECT_TYPES, "origin": labels.ORIGINS,
              "traits": labels.TRAITS}
    if key not in tables:
        return str(value)
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    side = 0 if current_lang() == "zh" else 1
    shown = [tables[key].get(str(v).strip(), (str(v).strip(),) * 2)[side] for v in items]
    return ("、" if side == 0 else ", ").join(v for v in shown if v)


def district_names() -> dict[str, str]:
    """Every district's Chinese name (as on the map) -> its English name."""
    from taxonomy import get_taxonomy

    return {d.name_zh: d.name_en for d in get_taxonomy().districts}


def browser_lang(header_langs) -> str | None:
    """The first of the browser's languages (Accept-Language, by preference) that we have:
    any zh-* is Chinese, any en-* English; None when it asks for neither."""
    for value, _quality in header_langs:
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in LANGS:
            return primary
    return None


def lang_url(code: str) -> str:
    """The current page in another language: same path, same query (filters, page), new lang."""
    args = request.args.copy()
    args["lang"] = code
    return f"{request.path}?{urlencode(list(args.items(multi=True)))}"


def init_app(app: Flask) -> None:
    @app.before_request
    def _lang():
        asked = request.args.get("lang")
        if asked in LANGS:
            g.lang = asked
            g.set_lang_cookie = True
        elif request.cookies.get("lang") in LANGS:
            g.lang = request.cookies["lang"]
        else:  # first visit: the browser's preference, Chinese when it has none of ours
            g.lang = browser_lang(request.accept_languages) or "zh"

    @app.after_request
    def _remember(response):
        if g.get("set_lang_cookie"):
            response.set_cookie("lang", g.lang, max_age=365 * 86400, samesite="Lax",
                                httponly=True, secure=app.config["SESSION_COOKIE_SECURE"])
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response

    app.jinja_env.globals.update(_=gettext, lang=current_lang, pick=pick, lang_url=lang_url,
                                  pick_list=pick_list, error_text=error_text, fit=fit,
                                  certainty=certainty, entered_value=entered_value,
                                  district_names=district_names)
    app.jinja_env.filters["fit_word"] = fit
