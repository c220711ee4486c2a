"""Chinese by default, English on request: `_()` in templates, `?lang=en|zh` on any page."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, g, request
from markupsafe import Markup

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


def label(kind: str, code: str | None) -> str:
    """A code of the engine or the taxonomy (category, scope, zone_kind, role ...) in words."""
    from matcher import labels

    if not code:
        return ""
    pair = labels.KINDS[kind].get(code)
    if pair is None:
        return code.replace("_", " ")
    return pair[0] if current_lang() == "zh" else pair[1]


def nm(obj, attr: str = "name") -> str:
    """A taxonomy object's name (or title) in the interface language."""
    zh, en = getattr(obj, f"{attr}_zh", ""), getattr(obj, f"{attr}_en", "")
    return (zh or en) if current_lang() == "zh" else (en or zh)


SOURCES = {"officer": "screened by an officer", "api": "API", "public": "self-submitted",
           "batch": "batch import", "import": "batch import", "seed": "sample data"}
EVENTS = {"created": "Created ({source})", "status": "Status: {old} → {new}",
          "owner": "Owner: {old} → {new}", "follow_up": "Next follow-up: {old} → {new}"}


def source_text(source: str | None) -> str:
    return gettext(SOURCES.get(source or "", source or ""))


def event_text(kind: str, detail: str | None, usernames: dict | None = None) -> str:
    """A lead's history entry in words ("status new -> contacted" -> "Status: new → contacted")."""
    detail = detail or ""
    if kind == "created":
        return gettext(EVENTS[kind], source=source_text(detail))
    if kind in EVENTS and " -> " in detail:
        old, new = detail.split(" -> ", 1)
        if kind == "status":
            old, new = gettext(old), gettext(new)
        elif kind == "owner":
            names = usernames or {}
            old = names.get(int(old), old) if old.isdigit() else "—"
            new = names.get(int(new), new) if new.isdigit() else "—"
        else:
            old, new = (old if old != "None" else "—"), (new if new != "None" else "—")
        return gettext(EVENTS[kind], old=old, new=new)
    return f"{gettext(kind)} {detail}".strip()


def district_names() -> dict[str, str]:
    """Every district's Chinese name (as on the map) -> its English name."""
    from taxonomy import get_taxonomy

    return {d.name_zh: d.name_en for d in get_taxonomy().districts}


def place_named(name_zh: str) -> Markup:
    """A place the plans name only in Chinese (a belt, a new town): its English name when a zone
    of the taxonomy has that name, else the Chinese name marked as such."""
    from taxonomy import get_taxonomy

    if current_lang() == "zh":
        return Markup.escape(name_zh)
    zone = next((z for z in get_taxonomy().zones if name_zh in (z.name_zh, *z.aliases_zh)), None)
    if zone is not None:
        return Markup.escape(zone.name_en)
    return Markup('<span lang="zh-CN">{}</span>').format(name_zh)


def industry_name(node_id: str | None, fallback: str = "") -> str:
    """A stored industry id in the interface language (the stored Chinese name otherwise)."""
    from taxonomy import get_taxonomy

    node = get_taxonomy().industry_by_id.get(node_id or "")
    return nm(node) if node is not None else fallback


def district_name(code: str | None, fallback: str = "") -> str:
    from taxonomy import get_taxonomy

    d = get_taxonomy().district_by_code.get(code or "")
    return nm(d) if d is not None else fallback


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
                                  district_names=district_names, label=label, nm=nm, place_named=place_named,
                                  event_text=event_text, source_text=source_text,
                                  industry_name=industry_name, district_name=district_name)
    app.jinja_env.filters["fit_word"] = fit
