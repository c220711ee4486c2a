"""The Flask app: `create_app(test_config=None)` wires each part once via its `init_app`."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from web.config import load_config


def create_app(test_config: dict | None = None) -> Flask:
    from web.jsonio import OrjsonProvider
    from web.serving import App

    app = App(__name__, instance_relative_config=False)
    app.config.from_mapping(load_config(test_config))
    app.json = OrjsonProvider(app)  # orjson for API responses (same JSON, faster)
    app.json.ensure_ascii = False  # Chinese as text: smaller, readable responses
    app.json.sort_keys = False     # keep the record's field order (DESIGN §5)

    from web import (
        account,
        api,
        assess,
        auth,
        batch,
        browse,
        cli,
        curate,
        db,
        drafts,
        home,
        i18n,
        leads,
        outcomes,
        plans,
        rematch,
        security,
    )

    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(home.bp)
    app.register_blueprint(assess.bp)
    app.register_blueprint(leads.bp)
    app.register_blueprint(browse.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(batch.bp)
    app.register_blueprint(plans.bp)
    app.register_blueprint(curate.bp)
    app.register_blueprint(drafts.bp)
    app.register_blueprint(rematch.bp)
    app.register_blueprint(outcomes.bp)
    api.init_app(app)
    _errors(app)
    return app


def _errors(app: Flask) -> None:
    from web.errors import api_body, page_context

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code == 413:
            mb, kb = _limit_mb(request), app.config["MAX_FORM_MEMORY_SIZE"] // 1024
            exc.description = (f"The request is too large (limit {mb} MB, {kb} KB per form "
                               "field); nothing was saved.")
            exc.description_zh = f"请求过大（上限 {mb} MB，每个表单字段 {kb} KB），未保存任何内容。"
        if request.path.startswith("/api/"):
            return api_body(exc), exc.code
        return render_template("error.html", **page_context(exc, exc.code, exc.description)), exc.code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        if _disk_full(exc):
            message = ("The server's disk is full: nothing was saved or exported. "
                       "Please tell the administrator and try again later.")
            message_zh = "服务器磁盘已满：未保存或导出任何内容。请通知管理员，稍后再试。"
            if request.path.startswith("/api/"):
                return {"error": "Insufficient Storage", "code": 507, "message": message,
                        "message_zh": message_zh}, 507
            return render_template("error.html", **page_context(None, 507, message)), 507
        if _database_unavailable(exc):
            message = "The database is unavailable at the moment; please try again shortly."
            headers = {"Retry-After": "5"}
            if request.path.startswith("/api/"):
                return ({"error": "Service Unavailable", "code": 503, "message": message,
                         "message_zh": "数据库暂时不可用，请稍后再试。"}, 503, headers)
            return render_template("error.html", **page_context(None, 503, message)), 503, headers
        if request.path.startswith("/api/"):
            return {"error": "Internal Server Error", "code": 500,
                    "message": "an unexpected error occurred; it has been logged",
                    "message_zh": "发生意外错误，已记录在案。"}, 500
        return render_template("error.html", **page_context(None, 500)), 500


def _limit_mb(req) -> str:
    limit = req.max_content_length or 0
    return f"{limit / (1024 * 1024):g}"


def _disk_full(exc: BaseException | None) -> bool:
    """An ENOSPC/EDQUOT somewhere in the chain, SQLite's 'database or disk is full', or an
    SQLite I/O error on a database whose disk has (almost) no space left."""
    import errno

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(exc)
        if "database or disk is full" in text or "No space left on device" in text:
            return True
        if "disk I/O error" in text and _sqlite_disk_free() < 1024 * 1024:
            return True
        exc = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
        seen += 1
    return False


def _sqlite_disk_free() -> float:
    """Free bytes on the SQLite database's file system (infinite for other databases)."""
    import shutil
    from pathlib import Path

    from flask import current_app

    url = current_app.config["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        return float("inf")
    try:
        return shutil.disk_usage(Path(url[len("sqlite:///"):]).parent).free
    except OSError:
        return float("inf")


def _database_unavailable(exc: BaseException) -> bool:
    """The database server is down or restarting, or SQLite stayed busy past its timeout."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)
