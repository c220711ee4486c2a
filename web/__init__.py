"""The Flask app: `create_app(test_config=None)` wires each part once via its `init_app`."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from web.config import load_config


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(load_config(test_config))
    app.json.ensure_ascii = False  # Chinese as text: smaller, readable responses
    app.json.sort_keys = False     # keep the record's field order (DESIGN §5)

    from web import account, api, assess, auth, batch, browse, cli, db, home, i18n, leads, security

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
    api.init_app(app)
    _errors(app)
    return app


def _errors(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.path.startswith("/api/"):
            data = getattr(exc, "data", None) or {}
            body = {"error": exc.name, "code": exc.code,
                    "message": data.get("message") or exc.description}
            errors = data.get("errors") or data.get("messages")
            if errors:
                body["errors"] = errors
            return body, exc.code
        return render_template("error.html", code=exc.code, name=exc.name,
                               message=exc.description), exc.code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        if request.path.startswith("/api/"):
            return {"error": "Internal Server Error", "code": 500,
                    "message": "an unexpected error occurred; it has been logged"}, 500
        return render_template("error.html", code=500, name="Internal Server Error",
                               message=""), 500
