"""Benchmark: duplicate detection on 50,000 support conversations (issue 7, target < 60 s).

The file is generated (seeded) with what real exports contain: greetings and sign-offs in many
variants, customer tiers and categories in ``metadata``, and planted problems whose answers are
known — exact copies (some re-cased or re-punctuated), near copies (a word or two changed, a
name swapped, a typo, a sentence added) and canned answers (one reply to many questions).
Each phase runs in its own process (wall time, CPU time, peak RSS of the child):

- floor: read the file and ``json.loads`` every line (the least any scan does);
- exact: ``find_duplicates(exact_only=True)``;
- near: ``find_duplicates`` (exact + near duplicates at 0.85) — the number the target is about;
- cli: ``workbench dedupe FILE --json`` (exact + near + canned answers, report printed).

Recall is measured on the near run: the share of planted near copies whose true similarity is at
or above the threshold that end up in one group with their original (and the same for exact
copies); "unplanted groups" are groups that hold no planted pair (false alarms, or real twins the
generator made by chance).

    python bench/bench_quality.py [--examples 50000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

THRESHOLD = 0.85
TOPICS = {
    "billing": "invoice charge payment card refund billing plan subscription receipt amount renewal tax vat credit",
    "shipping": "parcel delivery courier tracking address warehouse shipment dispatch label package customs box",
    "account": "login password account email reset username profile verification code security access device",
    "product": "app version update settings sync export feature bug crash screen battery firmware install",
    "returns": "return replacement warranty exchange damaged broken item condition receipt store label refund",
}
_COMMON_TEXT = ("the a to is it we you your please can not when after before with and for this that on in of our "
                "have has will be was are there here now today again just also still already soon")
COMMON = _COMMON_TEXT.split()
NAMES = ["Anna", "Tom", "Priya", "Kenji", "Maria", "Lukas", "Chloe", "Omar", "Sofia", "Ben", "Aisha", "Jonas"]
AGENTS = ["Jane", "Sam", "Ana", "Tomasz", "Lee", "Rita"]
GREETINGS = ["Hi {c},", "Hello {c},", "Hey {c}!", "Dear {c},", "Hi there,", "Hello!", "Good morning {c},", "Helo {c},"]
SIGN_OFFS = ["Best regards,\n{a}", "Kind regards,\n{a}", "Regards", "Cheers!", "Thanks,\n{a}", "Best,\n{a}",
             "Best reagrds,\n{a}", "Have a great day!", "Many thanks,\nThe Acme Support Team"]
TIERS = [("gold", 0.15), ("silver", 0.35), ("bronze", 0.5)]


def sentence(rng: random.Random, topic: str, n: int) -> str:
    vocab = TOPICS[topic].split()
    words = [rng.choice(vocab) if rng.random() < 0.45 else rng.choice(COMMON) for _ in range(n)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), str(rng.randint(1000, 99999)))
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def conversation(rng: random.Random, i: int) -> dict:
    topic = rng.choice(list(TOPICS))
    tier = rng.choices([t for t, _ in TIERS], [w for _, w in TIERS])[0]
    customer, agent = rng.choice(NAMES), rng.choice(AGENTS)
    msgs = [{"role": "system", "content": "You are Acme's support assistant. Be accurate and kind."}]
    for turn in range(rng.choice((1, 1, 1, 2, 2, 3))):
        question = " ".join(sentence(rng, topic, rng.randint(6, 16)) for _ in range(rng.randint(1, 3)))
        msgs.append({"role": "user", "content": question})
        length = rng.randint(2, 6) + (3 if tier == "gold" else 0)  # gold customers get longer answers
        body = " ".join(sentence(rng, topic, rng.randint(8, 18)) for _ in range(length))
        greeting = rng.choice(GREETINGS).format(c=customer) + "\n\n" if turn == 0 else ""
        sign_off = "\n\n" + rng.choice(SIGN_OFFS).format(a=agent)
        msgs.append({"role": "assistant", "content": greeting + body + sign_off})
    return {"messages": msgs, "metadata": {"tier": tier, "category": topic, "ticket": str(100000 + i)}}


def near_copy(rng: random.Random, obj: dict) -> dict:
    """A copy with small edits: a word changed, a name swapped, a typo, or a short sentence added."""
    out = json.loads(json.dumps(obj))
    msgs = [m for m in out["messages"] if m["role"] in ("user", "assistant")]
    for _ in range(rng.choice((1, 1, 2))):
        msg = rng.choice(msgs)
        words = msg["content"].split(" ")
        edit = rng.random()
        k = rng.randrange(len(words))
        if edit < 0.4:
            words[k] = rng.choice(COMMON)
        elif edit < 0.6:
            words[k] = words[k][:-1] if len(words[k]) > 3 else words[k] + "s"  # a typo
        elif edit < 0.8:
            words.insert(k, rng.choice(["really", "kindly", "definitely"]))
        else:
            words.append("Thanks.")
        msg["content"] = " ".join(words)
    return out


def exact_copy(rng: random.Random, obj: dict) -> dict:
    out = json.loads(json.dumps(obj))
    style = rng.random()
    for m in out["messages"]:
        if style < 0.3:
            m["content"] = m["content"].upper() if m["role"] == "user" else m["content"]
        elif style < 0.6:
            m["content"] = m["content"].replace(". ", ".  ").replace(",", "")
    return out


def canned_reply(rng: random.Random, n: int) -> str:
    topic = list(TOPICS)[n % len(TOPICS)]
    return "Hi,\n\n" + " ".join(sentence(rng, topic, 14) for _ in range(5)) + "\n\nBest regards,\nAcme Support"


def generate(path: Path, n: int, truth_path: Path) -> None:
    rng = random.Random(2024)
    planted_exact, planted_near, canned_uses = n // 50, n // 25, 40
    canned_count = 25
    base = n - planted_exact - planted_near - canned_count * canned_uses
    rows: list[tuple[str, dict]] = [(f"b{i}", conversation(rng, i)) for i in range(base)]
    originals = {key: obj for key, obj in rows}
    pairs = []
    for j in range(planted_exact):
        src = f"b{rng.randrange(base)}"
        rows.append((f"e{j}", exact_copy(rng, originals[src])))
        pairs.append(("exact", src, f"e{j}"))
    for j in range(planted_near):
        src = f"b{rng.randrange(base)}"
        rows.append((f"n{j}", near_copy(rng, originals[src])))
        pairs.append(("near", src, f"n{j}"))
    canned = []
    for c in range(canned_count):
        reply = canned_reply(rng, c)
        keys = []
        for u in range(canned_uses):
            obj = conversation(rng, base + c * canned_uses + u)
            obj["messages"] = obj["messages"][:3]
            obj["messages"][2]["content"] = reply
            keys.append(f"c{c}.{u}")
            rows.append((keys[-1], obj))
        canned.append(keys)
    rng.shuffle(rows)
    line_of = {}
    with path.open("w", encoding="utf-8") as fh:
        for number, (key, obj) in enumerate(rows, 1):
            line_of[key] = number
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    objs = dict(rows)
    truth = {"pairs": [(kind, line_of[a], line_of[b], _similarity(objs[a], objs[b])) for kind, a, b in pairs],
             "canned": [[line_of[k] for k in keys] for keys in canned]}
    truth_path.write_text(json.dumps(truth))


def _similarity(a: dict, b: dict) -> float:
    from workbench.core.quality.minhash import jaccard
    from workbench.core.quality.text import iter_messages, normalise

    def shingles(obj):
        words = " ".join(normalise(t) for _r, t in iter_messages(obj, ignore_system=True)).split()
        return frozenset(zip(words, words[1:], strict=False))

    return jaccard(shingles(a), shingles(b))


NEAR_CHILD = """
import json, sys
from workbench.core.quality import JsonlRecords, find_duplicates
report = find_duplicates(JsonlRecords(sys.argv[1]), threshold=float(sys.argv[3]), exact_only=sys.argv[4] == "exact")
with open(sys.argv[2], "w") as fh:
    json.dump(report.to_json(), fh)
"""

FLOOR_CHILD = """
import json, sys
n = 0
with open(sys.argv[1], "rb") as fh:
    for raw in fh:
        json.loads(raw)
        n += 1
print(n)
"""


def measure(args: list[str], stdout: Path | None = None) -> tuple[float, float, float]:
    """(wall s, CPU s, peak RSS MB) of one child process running ``args`` with this Python."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=out, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if stdout:
        out.close()
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"child {args[:2]} failed with exit code {code}:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def recall(result: dict, truth: dict) -> dict[str, object]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for group in result["exact"] + result["near"]:
        members = [group["keep"], *group["remove"]]
        for m in members[1:]:
            parent[find(m)] = find(members[0])
    out: dict[str, object] = {}
    planted = {m for _k, a, b, _s in truth["pairs"] for m in (a, b)}
    for kind in ("exact", "near"):
        eligible = [(a, b) for k, a, b, s in truth["pairs"] if k == kind and s >= THRESHOLD]
        found = sum(1 for a, b in eligible if find(a) == find(b))
        below = sum(1 for k, _a, _b, s in truth["pairs"] if k == kind and s < THRESHOLD)
        out[kind] = (found, len(eligible), below)
    groups = result["exact"] + result["near"]
    unplanted = [{g["keep"], *g["remove"]} for g in groups if not ({g["keep"], *g["remove"]} & planted)]
    canned = {m for keys in truth["canned"] for m in keys}
    out["unplanted"] = (len(unplanted), sum(1 for members in unplanted if members <= canned))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=50_000)
    ap.add_argument("--keep", type=Path, help="keep the generated file and results in this folder")
    ap.add_argument("--generate-only", nargs=2, type=Path, metavar=("FILE", "TRUTH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.generate_only:
        generate(args.generate_only[0], args.examples, args.generate_only[1])
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        data, truth_path = folder / "support.jsonl", folder / "truth.json"
        # Generated in a child: a measured child forked from a parent holding 50,000 examples would
        # report the parent's memory as its own peak RSS.
        measure([__file__, "--examples", str(args.examples), "--generate-only", str(data), str(truth_path)])
        truth = json.loads(truth_path.read_text())
        scripts = {name: folder / f"{name}.py" for name in ("floor", "near")}
        scripts["floor"].write_text(FLOOR_CHILD)
        scripts["near"].write_text(NEAR_CHILD)
        rows = [("floor (parse every line)", *measure([str(scripts["floor"]), str(data)]))]
        exact_out, near_out, cli_out = folder / "exact.json", folder / "near.json", folder / "cli.json"
        rows.append(("exact duplicates", *measure([str(scripts["near"]), str(data), str(exact_out), "0.85", "exact"])))
        rows.append(("exact + near (0.85)", *measure([str(scripts["near"]), str(data), str(near_out), str(THRESHOLD), "near"])))
        rows.append(("workbench dedupe --json", *measure(["-m", "workbench", "dedupe", str(data), "--json"], cli_out)))
        result = json.loads(near_out.read_text())
        cli = json.loads(cli_out.read_text())
        print(f"{args.examples:,} examples, {data.stat().st_size / 1e6:.0f} MB, 2 cores")
        print(f"{'phase':<28}{'wall s':>9}{'CPU s':>9}{'peak MB':>10}")
        for name, wall, cpu, mb in rows:
            print(f"{name:<28}{wall:>9.2f}{cpu:>9.2f}{mb:>10.0f}")
        r = recall(result, truth)
        for kind in ("exact", "near"):
            found, eligible, below = r[kind]
            print(f"recall of planted {kind} copies: {found:,}/{eligible:,} = {found / max(eligible, 1):.2%}"
                  f" ({below:,} planted below {THRESHOLD} similarity not counted)")
        unplanted, of_canned = r["unplanted"]
        print(f"groups: {len(result['exact']):,} exact, {len(result['near']):,} near; unplanted groups: {unplanted:,}"
              f" ({of_canned:,} of them two uses of one canned answer with short questions)")
        planted_canned = truth["canned"]
        found_canned = sum(1 for keys in planted_canned
                           if any(set(keys) <= set(c["example_ids"]) for c in cli["canned"]))
        print(f"canned answers: {found_canned}/{len(planted_canned)} planted found whole; {len(cli['canned']):,} reported")
        near_wall = rows[2][1]
        print(f"target: near duplicates under 60 s -> {'met' if near_wall < 60 else 'MISSED'} ({near_wall:.1f} s)")


if __name__ == "__main__":
    main()
