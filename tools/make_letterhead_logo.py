"""Draw ``resources/letterhead-logo.png``: a synthetic, neutral emblem for demo letterheads.

A teal rounded square with a white house and a coral heart in it (a safe home), drawn with
supersampled point tests and written as an RGBA PNG with nothing but ``zlib`` and ``struct``, so
the picture can be rebuilt byte for byte on any machine: ``python tools/make_letterhead_logo.py``.
A hub replaces it with its own logo through the letterhead setting.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZE = 360
SAMPLES = 4  # per axis: 16 samples per pixel for smooth edges

TEAL = (21, 94, 117)
WHITE = (255, 255, 255)
CORAL = (226, 92, 66)

Colour = tuple[int, int, int, int]

# the house, in unit coordinates (0..1, y downwards): roof apex, eaves, walls
HOUSE = ((0.50, 0.17), (0.83, 0.46), (0.74, 0.46), (0.74, 0.82), (0.26, 0.82), (0.26, 0.46), (0.17, 0.46))


def _in_rounded_square(x: float, y: float, radius: float = 0.2) -> bool:
    dx = max(radius - x, 0.0, x - (1 - radius))
    dy = max(radius - y, 0.0, y - (1 - radius))
    return dx * dx + dy * dy <= radius * radius


def _in_polygon(x: float, y: float, points: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    count = len(points)
    for index in range(count):
        x1, y1 = points[index]
        x2, y2 = points[(index + 1) % count]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_heart(x: float, y: float) -> bool:
    # the classic implicit heart (x² + y² − 1)³ − x²y³ ≤ 0, centred in the house
    u = (x - 0.50) / 0.12
    v = -(y - 0.64) / 0.12
    return (u * u + v * v - 1) ** 3 - u * u * v**3 <= 0


def _sample(x: float, y: float) -> Colour:
    if not _in_rounded_square(x, y):
        return (0, 0, 0, 0)
    if _in_heart(x, y):
        return (*CORAL, 255)
    if _in_polygon(x, y, HOUSE):
        return (*WHITE, 255)
    return (*TEAL, 255)


def _pixel(px: int, py: int) -> bytes:
    red = green = blue = alpha = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            r, g, b, a = _sample((px + (sx + 0.5) / SAMPLES) / SIZE, (py + (sy + 0.5) / SAMPLES) / SIZE)
            red, green, blue, alpha = red + r * a, green + g * a, blue + b * a, alpha + a
    if alpha == 0:
        return bytes(4)
    # colours are averaged weighted by coverage (premultiplied), then un-premultiplied
    return bytes((round(red / alpha), round(green / alpha), round(blue / alpha), round(alpha / SAMPLES**2)))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes() -> bytes:
    rows = b"".join(b"\x00" + b"".join(_pixel(px, py) for px in range(SIZE)) for py in range(SIZE))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b"")
    )


def main(argv: list[str]) -> int:
    target = (
        Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "resources" / "letterhead-logo.png"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png_bytes())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
