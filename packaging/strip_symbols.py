"""Strip symbol tables from the Linux bundle's binaries, except those that must not be stripped.

PyInstaller's own ``strip=True`` strips everything, and that breaks wheels repaired by auditwheel:
patchelf rewrote their program headers, and after ``strip`` numpy's OpenBLAS no longer loads ("ELF load
command address/offset not page-aligned"). Those files carry an ``$ORIGIN`` RPATH/RUNPATH (or sit in a
``<package>.libs`` folder), so they are left alone; the rest (libpython of a self-built Python alone is
22 MB with symbols, 6 MB without) is stripped into a copy in the build folder, never in place.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path, PurePath

ELF_MAGIC = b"\x7fELF"


def strip_binaries(toc: list, work: Path) -> tuple[list, int]:
    """``toc`` with strippable binaries replaced by stripped copies under ``work``; also the bytes saved."""
    strip, readelf = shutil.which("strip"), shutil.which("readelf")
    if not strip or not readelf:
        return toc, 0  # binutils missing: a larger but working bundle
    out, saved = [], 0
    for dest, src, kind in toc:
        if kind in ("BINARY", "EXTENSION") and _strippable(Path(src), dest, readelf):
            copy = work / dest
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, copy)
            if subprocess.run([strip, "--strip-unneeded", str(copy)], capture_output=True).returncode == 0:
                saved += Path(src).stat().st_size - copy.stat().st_size
                src = str(copy)
        out.append((dest, src, kind))
    return out, saved


def _strippable(path: Path, dest: str, readelf: str) -> bool:
    if any(part.endswith(".libs") for part in PurePath(dest).parts[:-1]):
        return False  # libraries auditwheel grafted into a wheel
    try:
        with path.open("rb") as fh:
            if fh.read(4) != ELF_MAGIC:
                return False
    except OSError:
        return False
    info = subprocess.run([readelf, "-W", "-S", "-d", str(path)], capture_output=True, text=True)
    if info.returncode != 0:
        return False
    return patched_by_auditwheel(info.stdout) is False and " .symtab " in info.stdout


def patched_by_auditwheel(readelf_output: str) -> bool:
    """True when the dynamic section's RPATH/RUNPATH points relative to the file itself ($ORIGIN)."""
    return any(("(RPATH)" in line or "(RUNPATH)" in line) and "$ORIGIN" in line
               for line in readelf_output.splitlines())
