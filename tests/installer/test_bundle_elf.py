"""installer/bundle_elf.py: reading ELF dynamic sections, removing build-machine RUNPATHs, package names."""

from __future__ import annotations

import ctypes
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "installer" / "bundle_elf.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bundle_elf", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bundle_elf"] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


bundle_elf = _load()


def _library(tmp_path: Path, name: str, runpath: str) -> Path:
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("needs a C compiler to make a library with a RUNPATH")
    source = tmp_path / f"{name}.c"
    source.write_text("int seven(void) { return 7; }\n", encoding="utf-8")
    target = tmp_path / f"lib{name}.so"
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-o", str(target), str(source), f"-Wl,--enable-new-dtags,-rpath,{runpath}"],
        check=True,
    )
    return target


def _runpaths(path: Path) -> list[str]:
    elf = bundle_elf.read_elf(path.read_bytes())
    assert elf is not None
    return [text for _entry, _offset, text in elf.runpaths]


def test_reads_what_a_program_links() -> None:
    elf = bundle_elf.read_elf(Path(sys.executable).resolve().read_bytes())
    assert elf is not None
    assert any(name.startswith("libc.so") for name in elf.needed) or any("libpython" in n for n in elf.needed)
    assert bundle_elf.read_elf(b"#!/bin/sh\n") is None


def test_a_foreign_runpath_is_removed_and_the_library_still_loads(tmp_path: Path) -> None:
    library = _library(tmp_path, "foreign", "/home/builder/.pyenv/versions/3.11.7/lib")
    assert _runpaths(library) == ["/home/builder/.pyenv/versions/3.11.7/lib"]
    data = bytearray(library.read_bytes())
    assert bundle_elf.drop_foreign_runpaths(data) == ["/home/builder/.pyenv/versions/3.11.7/lib"]
    library.write_bytes(bytes(data))
    assert _runpaths(library) == []
    assert ctypes.CDLL(str(library)).seven() == 7


def test_origin_relative_parts_are_kept(tmp_path: Path) -> None:
    library = _library(tmp_path, "mixed", "/opt/build/lib:$ORIGIN/../lib")
    data = bytearray(library.read_bytes())
    assert bundle_elf.drop_foreign_runpaths(data) == ["/opt/build/lib"]
    library.write_bytes(bytes(data))
    assert _runpaths(library) == ["$ORIGIN/../lib"]
    assert ctypes.CDLL(str(library)).seven() == 7
    assert bundle_elf.drop_foreign_runpaths(bytearray(library.read_bytes())) == []


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libX11.so.6", "libx11-6"),
        ("libGL.so.1", "libgl1"),
    ],
)
def test_debian_library_package_names(soname: str, package: str) -> None:
    assert bundle_elf.package_by_convention(soname) == package
