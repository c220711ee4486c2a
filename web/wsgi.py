"""WSGI entry point for gunicorn: the app with the matching engine loaded before workers fork.

The loaded model and taxonomy (about 155,000 Python objects) are frozen out of the garbage
collector: a full collection would otherwise walk them all (several hundred ms, a latency
spike for every request waiting on that worker), and its reference-count writes would unshare
the pages the workers got from the master (`--preload`)."""

import gc

from matcher import get_matcher
from web import create_app

app = create_app()
get_matcher()
gc.collect()
gc.freeze()
