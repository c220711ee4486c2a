"""WSGI entry point for gunicorn: the app with the matching engine loaded before workers fork."""

from matcher import get_matcher
from web import create_app

app = create_app()
get_matcher()
