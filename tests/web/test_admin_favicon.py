"""`/favicon.ico` is served (no 404 in every browser's log): a real icon with 16, 32 and 48 px
images, the same bytes as scripts/make_favicon.py draws."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_favicon_is_served(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert "max-age" in response.headers.get("Cache-Control", "")
        body = response.get_data()
    reserved, kind, count = struct.unpack("<HHH", body[:6])
    assert (reserved, kind, count) == (0, 1, 3)
    sizes = [body[6 + 16 * i] for i in range(count)]
    assert sizes == [16, 32, 48]
    first_offset = struct.unpack("<I", body[6 + 12:6 + 16])[0]
    assert body[first_offset:first_offset + 8] == b"\x89PNG\r\n\x1a\n"


def test_pages_link_the_icon(client):
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").get_data(as_text=True)


def test_vendored_icon_is_what_the_script_draws():
    spec = importlib.util.spec_from_file_location("make_favicon", ROOT / "scripts" / "make_favicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "web" / "static" / "favicon.ico").read_bytes() == module.ico()
