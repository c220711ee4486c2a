"""Draw the app's icon (a white map pin on the brand-blue tile, with the Huangpu's curve) and
write web/static/favicon.ico (16, 32 and 48 px PNG images), with the standard library only.

    .venv/bin/python scripts/make_favicon.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "web" / "static" / "favicon.ico"
BRAND = (0x1D, 0x4F, 0x91)
RIVER = (0x7F, 0xB2, 0xE5)
WHITE = (0xFF, 0xFF, 0xFF)
SUPER = 4  # samples per pixel and axis (anti-aliasing)


def _colour_at(x: float, y: float):
    """The colour at (x, y) of the unit square, or None outside the rounded tile."""
    r = 0.18
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    if math.hypot(x - cx, y - cy) > r:
        return None
    # the pin: a disc with a hole, and a point below it
    px, py, pr = 0.5, 0.40, 0.25
    d = math.hypot(x - px, y - py)
    tip_y = 0.88
    in_point = py <= y <= tip_y and abs(x - px) <= pr * (tip_y - y) / (tip_y - py) * 0.92
    if (d <= pr or in_point) and d > pr * 0.42:
        return WHITE
    # the river: a band along a sine curve behind the pin
    if abs(y - (0.80 + 0.06 * math.sin(x * 2 * math.pi))) < 0.045:
        return RIVER
    return BRAND


def _pixels(size: int) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray([0])  # PNG filter: none
        for i in range(size):
            acc, hits = [0, 0, 0], 0
            for sj in range(SUPER):
                for si in range(SUPER):
                    c = _colour_at((i + (si + 0.5) / SUPER) / size, (j + (sj + 0.5) / SUPER) / size)
                    if c is not None:
                        hits += 1
                        acc = [a + b for a, b in zip(acc, c, strict=True)]
            if hits:
                row += bytes(round(a / hits) for a in acc) + bytes([round(255 * hits / SUPER**2)])
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return b"".join(rows)


def _png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(_pixels(size), 9)) + chunk(b"IEND", b""))


def ico(sizes=(16, 32, 48)) -> bytes:
    """An ICO file holding one PNG image per size."""
    images = [_png(s) for s in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, data in zip(sizes, images, strict=True):
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    return out + b"".join(images)


if __name__ == "__main__":
    OUT.write_bytes(ico())
    print(f"{OUT}: {OUT.stat().st_size} bytes")
