"""The core engine stays Qt-free and network-free: no GUI, SDK, keyring or HTTP client under workbench.core."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORE = REPO / "workbench" / "core"
FORBIDDEN = ("PySide6", "shiboken6", "openai", "keyring", "httpx", "requests")

PROBE = """
import importlib, json, pkgutil, sys
import workbench.core as core
failed = {}
names = sorted(m.name for m in pkgutil.walk_packages(core.__path__, "workbench.core."))
for name in names:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
# Loading an encoding must not pull in an HTTP client either.
from workbench.core.tokens import get_encoding
get_encoding("o200k_base").encode_ordinary("hello")
forbidden = sorted(m for m in sys.modules if m.split(".")[0] in FORBIDDEN)
print(json.dumps({"modules": names, "failed": failed, "forbidden": forbidden}))
"""


def _core_files():
    return sorted(CORE.rglob("*.py"))


def test_importing_every_core_module_loads_no_gui_sdk_keyring_or_http_client():
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", f"FORBIDDEN = {FORBIDDEN!r}\n" + PROBE],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    expected = {
        ".".join(("workbench", *p.relative_to(REPO / "workbench").with_suffix("").parts)).removesuffix(".__init__")
        for p in _core_files()
    } - {"workbench.core"}
    assert set(result["modules"]) == expected  # every module was tried
    assert result["failed"] == {}
    assert result["forbidden"] == []


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(CORE)))
def test_no_core_file_imports_them(path):
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    offending = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and getattr(node.func, "attr", getattr(node.func, "id", "")) in ("import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names = [node.args[0].value]
        else:
            continue
        offending += [f"line {node.lineno}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offending == []
