"""Look at and tidy the ELF files of the frozen Linux bundle; work out the .deb's ``Depends``.

    python installer/bundle_elf.py tidy BUNDLE      strip debug symbols; drop build-machine RUNPATHs
    python installer/bundle_elf.py depends BUNDLE   print the Depends line for the .deb

``tidy``: a Python built by pyenv (or any Python outside the system) leaves a RUNPATH such as
``/root/.pyenv/versions/3.11.7/lib`` in ``libpython`` and its extension modules. In an installed
package that is a search path into a folder of the build machine, so every RUNPATH element that is
not relative to ``$ORIGIN`` is removed (as ``patchelf --remove-rpath`` does: the entry is taken out
of the dynamic table). Files still carrying a symbol table are stripped with ``strip
--strip-unneeded`` (binutils) if it is installed; libraries vendored by auditwheel (``*.libs``
folders) are left alone, since stripping a patchelf-edited file can corrupt it.

``depends``: the bundle carries Python, Qt and the Python packages' own libraries; the operating
system's (X11/xcb, GL, fontconfig, glib, OpenSSL, libstdc++ ...) are deliberately left out of it
(see ``mash-desk.spec``) and must come from the distribution. So: read every ELF file's
``DT_NEEDED``, take away what the bundle provides, and find the Debian package that ships each
remaining library (``ldconfig -p``, then ``dpkg-query -S``). A library this build machine lacks
(the xcb plugin's ``libxcb-icccm.so.4`` on a headless builder, say) is named by Debian's
library-package convention and reported. ``libc6`` gets the minimum version from the newest
``GLIBC_x.y`` symbol version any file asks for.

Pure Python apart from ``strip``: ELF headers and dynamic sections are read with ``struct``.
"""

from __future__ import annotations

import platform
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
SHT_SYMTAB = 2
SHT_DYNAMIC = 6
SHT_GNU_VERNEED = 0x6FFFFFFE
DT_NULL = 0
DT_NEEDED = 1
DT_SONAME = 14
DT_RPATH = 15
DT_RUNPATH = 29
GLIBC_LIBRARIES = ("libc.so.", "libm.so.", "libpthread.so.", "libdl.so.", "librt.so.", "ld-linux")
GLIBC_VERSION = re.compile(r"^GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$")
RELATIVE_RUNPATH = ("$ORIGIN", "${ORIGIN}")


@dataclass
class DynamicEntry:
    position: int  # file offset of the entry
    tag: int
    value: int


@dataclass
class ElfFile:
    """What one shared object or executable says about its dynamic linking."""

    order: str  # struct byte order
    dyn_format: str
    soname: str | None = None
    needed: list[str] = field(default_factory=list)
    versions: list[tuple[str, str]] = field(default_factory=list)  # (library, symbol version)
    runpaths: list[tuple[DynamicEntry, int, str]] = field(default_factory=list)  # entry, string offset, text
    dynamic: list[DynamicEntry] = field(default_factory=list)
    has_symtab: bool = False


def read_elf(data: bytes) -> ElfFile | None:
    """The dynamic-linking facts of an ELF image; None if it is not one."""
    if data[:4] != ELF_MAGIC or len(data) < 64:
        return None
    order = "<" if data[5] == 1 else ">"
    if data[4] == 2:  # 64-bit
        (shoff,) = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
        section_format, dyn_format = order + "IIQQQQIIQQ", order + "qQ"
    else:
        (shoff,) = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
        section_format, dyn_format = order + "IIIIIIIIII", order + "iI"
    elf = ElfFile(order=order, dyn_format=dyn_format)
    sections = []
    for index in range(shnum):
        start = shoff + index * shentsize
        if start + struct.calcsize(section_format) > len(data):
            return elf
        _name, kind, _flags, _addr, offset, size, link, info, _align, _entsize = struct.unpack_from(
            section_format, data, start
        )
        sections.append((kind, offset, size, link, info))

    def string_at(table: int, position: int) -> str:
        base = sections[table][1] + position
        return data[base : data.index(b"\0", base)].decode("utf-8", "replace")

    dyn_size = struct.calcsize(dyn_format)
    for kind, offset, size, link, info in sections:
        if kind == SHT_SYMTAB:
            elf.has_symtab = True
        elif kind == SHT_DYNAMIC:
            for start in range(offset, offset + size - dyn_size + 1, dyn_size):
                tag, value = struct.unpack_from(dyn_format, data, start)
                entry = DynamicEntry(start, tag, value)
                elf.dynamic.append(entry)
                if tag == DT_NULL:
                    break
                if tag == DT_NEEDED:
                    elf.needed.append(string_at(link, value))
                elif tag == DT_SONAME:
                    elf.soname = string_at(link, value)
                elif tag in (DT_RPATH, DT_RUNPATH):
                    elf.runpaths.append((entry, sections[link][1] + value, string_at(link, value)))
        elif kind == SHT_GNU_VERNEED:
            elf.versions.extend(_version_needs(data, order, offset, info, partial(string_at, link)))
    return elf


def _version_needs(
    data: bytes, order: str, offset: int, count: int, name: Callable[[int], str]
) -> Iterator[tuple[str, str]]:
    need = offset
    for _ in range(count):
        _version, aux_count, file_name, aux, next_need = struct.unpack_from(order + "HHIII", data, need)
        library = name(file_name)
        entry = need + aux
        for _ in range(aux_count):
            _hash, _flags, _other, version_name, next_aux = struct.unpack_from(order + "IHHII", data, entry)
            yield library, name(version_name)
            entry += next_aux
        if not next_need:
            break
        need += next_need


def elf_files(bundle: Path) -> Iterator[Path]:
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == ELF_MAGIC:
                    yield path


# --- tidy ------------------------------------------------------------------------------------------


def drop_foreign_runpaths(data: bytearray) -> list[str]:
    """Remove RUNPATH/RPATH elements not relative to $ORIGIN, in place; returns what was removed."""
    removed: list[str] = []
    while True:  # one change at a time, reading the file afresh: entries move when one is removed
        elf = read_elf(bytes(data))
        if elf is None:
            return removed
        change = next(((entry, offset, text) for entry, offset, text in elf.runpaths if not _relative_only(text)), None)
        if change is None:
            return removed
        entry, string_offset, text = change
        kept = [part for part in text.split(":") if part.startswith(RELATIVE_RUNPATH)]
        removed.extend(part for part in text.split(":") if part not in kept)
        if kept:  # shorter than before: rewrite the string where it is, padded with NULs
            data[string_offset : string_offset + len(text)] = ":".join(kept).encode().ljust(len(text), b"\0")
            continue
        # no element left: take the entry out, moving the rest of the table (up to DT_NULL) up one
        table = elf.dynamic
        index = next(i for i, candidate in enumerate(table) if candidate.position == entry.position)
        for current, following in zip(table[index:], table[index + 1 :], strict=False):
            struct.pack_into(elf.dyn_format, data, current.position, following.tag, following.value)
        struct.pack_into(elf.dyn_format, data, table[-1].position, DT_NULL, 0)


def _relative_only(runpath: str) -> bool:
    return all(part.startswith(RELATIVE_RUNPATH) for part in runpath.split(":"))


def tidy(bundle: Path) -> list[str]:
    notes: list[str] = []
    strip = shutil.which("strip")
    if strip is None:
        notes.append("strip (binutils) is not installed: debug symbols left in (a larger package)")
    stripped = 0
    for path in elf_files(bundle):
        vendored = any(part.endswith(".libs") for part in path.relative_to(bundle).parts)
        elf = read_elf(path.read_bytes())
        if strip and elf is not None and elf.has_symtab and not vendored:
            subprocess.run([strip, "--strip-unneeded", str(path)], check=True)  # noqa: S603 - our own file
            stripped += 1
        data = bytearray(path.read_bytes())
        removed = drop_foreign_runpaths(data)
        if removed:
            path.write_bytes(bytes(data))
            notes.append(f"{path.relative_to(bundle)}: removed RUNPATH {':'.join(removed)}")
    notes.append(f"stripped {stripped} files")
    return notes


# --- depends ---------------------------------------------------------------------------------------


def scan_bundle(bundle: Path) -> tuple[set[str], tuple[int, ...]]:
    """(sonames the bundle needs from outside, newest glibc version asked for)."""
    needed: set[str] = set()
    provided = {path.name for path in bundle.rglob("*")}
    glibc: tuple[int, ...] = (2, 17)
    for path in elf_files(bundle):
        elf = read_elf(path.read_bytes())
        if elf is None:
            continue
        if elf.soname:
            provided.add(elf.soname)
        needed.update(elf.needed)
        for library, version in elf.versions:
            match = GLIBC_VERSION.match(version)
            if match and library.startswith(GLIBC_LIBRARIES):
                glibc = max(glibc, tuple(int(part) for part in match.groups() if part is not None))
    return needed - provided, glibc


def _system_libraries() -> dict[str, list[str]]:
    """soname -> paths of this architecture's copies, from the dynamic linker's cache."""
    flavour = {"x86_64": "x86-64", "aarch64": "AArch64"}.get(platform.machine())
    listing = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    found: dict[str, list[str]] = {}
    for line in listing.splitlines()[1:]:
        described, _, path = line.strip().partition(" => ")
        soname, _, flags = described.partition(" (")
        if path and (flavour is None or flavour in flags):
            found.setdefault(soname, []).append(path)
    return found


def _owning_package(path: str) -> str | None:
    resolved = str(Path(path).resolve())
    candidates = [path, resolved]
    for candidate in list(candidates):  # merged /usr: dpkg may know either spelling
        if candidate.startswith("/usr/lib/"):
            candidates.append(candidate.removeprefix("/usr"))
        elif candidate.startswith("/lib/"):
            candidates.append("/usr" + candidate)
    for candidate in candidates:
        done = subprocess.run(  # noqa: S603 - a fixed program asked about a library path
            ["/usr/bin/dpkg-query", "-S", candidate], capture_output=True, text=True, check=False
        )
        if done.returncode == 0 and done.stdout:
            return done.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def package_by_convention(soname: str) -> str:
    """Debian names a library package after its soname: libxcb-icccm.so.4 -> libxcb-icccm4."""
    base, _, version = soname.partition(".so.")
    version = version.split(".")[0]
    return (f"{base}-{version}" if base[-1:].isdigit() else f"{base}{version}").lower().replace("_", "-")


def depends(bundle: Path, report: list[str]) -> list[str]:
    """The Depends list, libc6 first; ``report`` collects the libraries whose package was guessed."""
    external, glibc = scan_bundle(bundle)
    system = _system_libraries()
    packages: set[str] = set()
    for soname in sorted(external):
        owner = next((pkg for pkg in map(_owning_package, system.get(soname, [])) if pkg), None)
        if owner is None:
            owner = package_by_convention(soname)
            report.append(f"{soname}: not on this machine, assumed to be in package {owner}")
        packages.add(owner)
    libc = "libc6 (>= {})".format(".".join(map(str, glibc)))
    return [libc, *sorted(packages - {"libc6"})]


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("tidy", "depends"):
        print("usage: bundle_elf.py tidy|depends BUNDLE_FOLDER", file=sys.stderr)
        return 2
    bundle = Path(argv[2])
    notes: list[str] = []
    if argv[1] == "tidy":
        notes = tidy(bundle)
    else:
        print(", ".join(depends(bundle, notes)))
    for line in notes:
        print(f"bundle_elf: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
