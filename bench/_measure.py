"""Run a command in a child process; report wall time and the child's peak RSS."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_measured(args: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one child process running ``args`` with this Python."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    pid_start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, _, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - pid_start
    if proc.stderr:
        err = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if err.strip():
            print(err, file=sys.stderr)
    return seconds, usage.ru_maxrss / 1024  # Linux reports KiB


def table(rows: list[tuple[str, float, float]], floor_name: str) -> str:
    floor = next(r for r in rows if r[0] == floor_name)
    lines = [f"{'phase':<28}{'wall s':>9}{'peak MB':>10}{'x floor':>9}"]
    for name, secs, mb in rows:
        lines.append(f"{name:<28}{secs:>9.2f}{mb:>10.0f}{secs / floor[1]:>9.2f}")
    return "\n".join(lines)


__all__ = ["run_measured", "table", "resource"]
