"""Benchmark: `workbench validate` and `workbench estimate` on 50,000 chat examples (~400 tokens).

Each phase runs in its own process; the floor is the least any tool must do: parse every line and
tiktoken-encode every message text. Targets (issue 2): within 1.3x of the floor, peak RSS < 1 GB.

    python bench/bench_engine.py [--examples 50000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import run_measured, table  # noqa: E402

WORDS = ["order", "refund", "account", "password", "invoice", "shipping", "delivery", "update", "billing", "subscription", "plan", "upgrade", "cancel", "renew", "error", "login", "reset", "email", "address", "payment", "card", "charge", "tracking", "number", "warehouse", "return", "label", "replacement", "warranty", "device", "app", "version", "settings", "sync", "export"]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(path: Path, n: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            turns = rng.choice((1, 2, 3))
            msgs = [{"role": "system", "content": "You are Acme Cloud's friendly support agent. Answer clearly."}]
            for _ in range(turns):
                msgs.append({"role": "user", "content": f"Ticket {i}: " + " ".join(sentence(rng, 12) for _ in range(6 // turns + 2))})
                msgs.append({"role": "assistant", "content": "Hi! " + " ".join(sentence(rng, 14) for _ in range(12 // turns + 3))})
            fh.write(json.dumps({"messages": msgs}) + "\n")


FLOOR = """
import json, sys
from workbench.core.tokens import get_encoding
enc = get_encoding("o200k_base")
n = 0
with open(sys.argv[1], "rb") as fh:
    for raw in fh:
        obj = json.loads(raw)
        for m in obj["messages"]:
            n += len(enc.encode_ordinary(m["content"]))
print(n)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=50_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "train.jsonl"
        generate(data, args.examples)
        size_mb = data.stat().st_size / 1e6
        floor_script = Path(tmp) / "floor.py"
        floor_script.write_text(FLOOR)
        rows = [("floor (parse + encode)", *run_measured([str(floor_script), str(data)]))]
        rows.append(("validate --model gpt-4o-mini", *run_measured(["-m", "workbench", "validate", str(data), "--model", "gpt-4o-mini", "--json"])))
        rows.append(("estimate --model gpt-4o-mini", *run_measured(["-m", "workbench", "estimate", str(data), "--model", "gpt-4o-mini"])))
        print(f"{args.examples:,} examples, {size_mb:.0f} MB")
        print(table(rows, "floor (parse + encode)"))


if __name__ == "__main__":
    main()
