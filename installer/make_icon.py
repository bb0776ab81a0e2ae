"""Draw the application icon: ``resources/icons/mash-desk.png`` (256 px) and ``mash-desk.ico``.

A teal rounded square with a white front door and a coral door knob (the hub is the front door
for every worry about a child). Drawn with supersampled point tests and written with nothing but
``zlib`` and ``struct``, so it rebuilds byte for byte on any machine:
``python installer/make_icon.py``. The ``.ico`` (for the Windows build) holds PNG-compressed
images at the sizes Windows asks for.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SAMPLES = 4  # per axis: 16 samples per pixel for smooth edges
PNG_SIZE = 256
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

TEAL = (21, 94, 117)
WHITE = (255, 255, 255)
CORAL = (226, 92, 66)

Colour = tuple[int, int, int, int]

# the door, in unit coordinates (0..1, y downwards): a rectangle under a semicircular arch
DOOR_LEFT, DOOR_RIGHT, DOOR_BOTTOM = 0.33, 0.67, 0.80
ARCH_CENTRE_Y = 0.37
ARCH_RADIUS = (DOOR_RIGHT - DOOR_LEFT) / 2
KNOB = (0.595, 0.55, 0.04)  # centre x, centre y, radius
STEP = (0.25, 0.75, 0.83, 0.87)  # left, right, top, bottom


def _in_rounded_square(x: float, y: float, radius: float = 0.2) -> bool:
    dx = max(radius - x, 0.0, x - (1 - radius))
    dy = max(radius - y, 0.0, y - (1 - radius))
    return dx * dx + dy * dy <= radius * radius


def _in_door(x: float, y: float) -> bool:
    if not DOOR_LEFT <= x <= DOOR_RIGHT or y > DOOR_BOTTOM:
        return False
    if y >= ARCH_CENTRE_Y:
        return True
    dx, dy = x - 0.5, y - ARCH_CENTRE_Y
    return dx * dx + dy * dy <= ARCH_RADIUS * ARCH_RADIUS


def _in_knob(x: float, y: float) -> bool:
    cx, cy, r = KNOB
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _in_step(x: float, y: float) -> bool:
    left, right, top, bottom = STEP
    return left <= x <= right and top <= y <= bottom


def _sample(x: float, y: float) -> Colour:
    if not _in_rounded_square(x, y):
        return (0, 0, 0, 0)
    if _in_knob(x, y):
        return (*CORAL, 255)
    if _in_door(x, y) or _in_step(x, y):
        return (*WHITE, 255)
    return (*TEAL, 255)


def _pixel(px: int, py: int, size: int) -> bytes:
    red = green = blue = alpha = 0
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            r, g, b, a = _sample((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)
            red, green, blue, alpha = red + r * a, green + g * a, blue + b * a, alpha + a
    if alpha == 0:
        return bytes(4)
    # colours are averaged weighted by coverage (premultiplied), then un-premultiplied
    return bytes((round(red / alpha), round(green / alpha), round(blue / alpha), round(alpha / SAMPLES**2)))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(size: int) -> bytes:
    rows = b"".join(b"\x00" + b"".join(_pixel(px, py, size) for px in range(size)) for py in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    idat = _chunk(b"IDAT", zlib.compress(rows, 9))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + idat + _chunk(b"IEND", b"")


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose images are PNG streams (understood by Windows since Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, data in sorted(pngs.items()):
        side = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "resources" / "icons"
    folder.mkdir(parents=True, exist_ok=True)
    pngs = {size: png_bytes(size) for size in ICO_SIZES}
    (folder / "mash-desk.png").write_bytes(pngs[PNG_SIZE])
    (folder / "mash-desk.ico").write_bytes(ico_bytes(pngs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
