"""The evaluation report as CSV (one row per model) and as one self-contained HTML page.

The page has its CSS inline and loads nothing from anywhere (no scripts, fonts, images or links
out), so it can be mailed or opened offline; every text from the data is HTML-escaped.
``presentation=True`` leaves out internal details (profile names, base URLs, example ids).
"""

from __future__ import annotations

import csv
import io
from html import escape
from pathlib import Path

from workbench.core.atomic import atomic_writer
from workbench.core.playground.answer import DONE, Answer
from workbench.core.playground.blind import verdict_text
from workbench.core.playground.cost import format_cost
from workbench.core.playground.report import EvalReport, ModelReport

CSV_COLUMNS = (
    "model", "name", "service", "wins", "losses", "ties", "both_bad", "win_rate", "ci95_low", "ci95_high",
    "answers", "failed", "missing", "tokens_in", "tokens_out", "tokens_estimated", "cost_usd", "cost_complete",
    "latency_p50_s", "latency_p95_s", "ttft_p50_s",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _num(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def report_csv(report: EvalReport, *, presentation: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for m in report.models:
        low, high = m.interval or (None, None)
        writer.writerow([_cell(v) for v in (
            m.model, m.name, "" if presentation else m.where, m.record.wins, m.record.losses, m.record.ties,
            m.record.both_bad, _num(m.win_rate), _num(low), _num(high), m.answers, m.failed, m.missing,
            m.tokens_in, m.tokens_out, "yes" if m.tokens_estimated else "no", _num(m.cost, 6),
            "yes" if m.cost_complete else "no", _num(m.latency_p50, 3), _num(m.latency_p95, 3),
            _num(m.ttft_p50, 3))])
    return out.getvalue()


# --- HTML ------------------------------------------------------------------------------------------

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328;
       margin: 2rem auto; max-width: 72rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta, .note { color: #59636e; } .note { font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #d1d9e0; padding: .35rem .5rem; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; } th { background: #f6f8fa; }
.bar { display: inline-block; height: .6rem; background: #2f81f7; border-radius: 2px; vertical-align: middle; }
.item { border: 1px solid #d1d9e0; border-radius: 6px; padding: .8rem 1rem; margin: 1rem 0; }
.answers { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .8rem; }
.answer { background: #f6f8fa; border-radius: 6px; padding: .6rem .8rem; }
.answer h4 { margin: 0 0 .3rem; font-size: .95rem; } .text { white-space: pre-wrap; }
.failed { color: #b42318; } .ref { border-left: 3px solid #d1d9e0; padding-left: .8rem; color: #59636e; }
"""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _secs(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def _model_row(m: ModelReport, presentation: bool) -> str:
    low, high = m.interval or (None, None)
    interval = "–" if low is None else f"{low * 100:.0f}–{high * 100:.0f}%"
    bar = f'<span class="bar" style="width:{(m.win_rate or 0) * 6:.2f}rem"></span> ' if m.win_rate is not None else ""
    cost = format_cost(m.cost) + ("" if m.cost_complete or m.cost is None else " (partly unknown)")
    tokens = f"{m.tokens_in:,} / {m.tokens_out:,}" + (" (estimated)" if m.tokens_estimated else "")
    cells = [escape(m.name)]
    if not presentation:
        cells.append(escape(m.where) or "–")
    cells += [str(m.record.wins), str(m.record.losses), str(m.record.ties), str(m.record.both_bad),
              bar + _pct(m.win_rate), interval, f"{m.answers}" + (f" ({m.failed} failed)" if m.failed else ""),
              escape(tokens), escape(cost), _secs(m.latency_p50), _secs(m.latency_p95), _secs(m.ttft_p50)]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def _answer_block(name: str, answer: Answer | None) -> str:
    if answer is None:
        return f'<div class="answer"><h4>{escape(name)}</h4><p class="note">Not asked.</p></div>'
    body = f'<div class="text">{escape(answer.text)}</div>' if answer.text else ""
    if answer.status != DONE:
        body += f'<p class="failed">{escape(answer.error or "Stopped before the end.")}</p>'
    facts = f"{_secs(answer.total_time)}, {answer.tokens_out if answer.tokens_out is not None else '?'} tokens"
    return f'<div class="answer"><h4>{escape(name)} <span class="note">{escape(facts)}</span></h4>{body}</div>'


def report_html(report: EvalReport, *, presentation: bool = False, include_items: bool = True) -> str:
    names = [m.name for m in report.models]
    settings = []
    if report.temperature is not None:
        settings.append(f"temperature {report.temperature:g}")
    if report.max_tokens is not None:
        settings.append(f"max tokens {report.max_tokens:,}")
    meta = [f"{report.items:,} examples from {report.selection}",
            f"{report.rated:,} of {report.pairings:,} comparisons rated blind"]
    if settings:
        meta.append(", ".join(settings))
    if report.created_at and not presentation:
        meta.append(f"started {report.created_at}")
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="meta">{escape(" · ".join(meta))}</p>',
        "<h2>Results</h2><table><thead><tr><th>Model</th>"
        + ("" if presentation else "<th>Service</th>")
        + "<th>Wins</th><th>Losses</th><th>Ties</th><th>Both bad</th><th>Win rate</th><th>95% interval</th>"
          "<th>Answers</th><th>Tokens in / out</th><th>Cost</th><th>Latency p50</th><th>p95</th>"
          "<th>First token p50</th></tr></thead><tbody>",
        *(_model_row(m, presentation) for m in report.models),
        "</tbody></table>",
        f'<p class="note">{escape(report.rule)}</p>',
    ]
    if len(report.models) > 2 and report.pairs:
        parts.append("<h2>Head to head</h2><table><thead><tr><th>Pair</th><th>First wins</th><th>Second wins</th>"
                     "<th>Ties</th><th>Both bad</th><th>First's win rate</th></tr></thead><tbody>")
        for p in report.pairs:
            parts.append(f"<tr><td>{escape(names[p.a])} vs {escape(names[p.b])}</td><td>{p.a_wins}</td>"
                         f"<td>{p.b_wins}</td><td>{p.ties}</td><td>{p.both_bad}</td><td>{_pct(p.a_rate)}</td></tr>")
        parts.append("</tbody></table>")
    if include_items:
        parts.append("<h2>Examples</h2>")
        for row in report.rows:
            heading = f"Example {row.item.index + 1}"
            if row.item.example_id is not None and not presentation:
                heading += f" (workspace id {row.item.example_id})"
            verdicts = "; ".join(
                f"{names[p.first]} vs {names[p.second]}: "
                + (_revealed(v, names[p.first], names[p.second]) if v is not None else "not rated")
                for p, v in row.verdicts)
            parts.append(f'<div class="item"><h3>{escape(heading)}</h3>')
            if row.item.system:
                parts.append(f'<p class="note">System: {escape(row.item.system)}</p>')
            parts.append(f'<p class="text"><strong>Question:</strong> {escape(row.item.question)}</p>')
            if row.item.reference:
                parts.append(f'<p class="ref text">Reference answer: {escape(row.item.reference)}</p>')
            parts.append('<div class="answers">')
            parts += [_answer_block(names[i], a) for i, a in enumerate(row.answers)]
            parts.append(f'</div><p class="note">{escape(verdicts)}</p></div>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _revealed(verdict: str, first: str, second: str) -> str:
    if verdict == "A":
        return f"{first} better"
    if verdict == "B":
        return f"{second} better"
    return verdict_text(verdict).lower()


def write_report(report: EvalReport, path: str | Path, *, presentation: bool = False) -> Path:
    """Writes the CSV or the HTML page, by the file's suffix (``.csv``, else HTML), atomically."""
    path = Path(path)
    text = report_csv(report, presentation=presentation) if path.suffix.lower() == ".csv" else (
        report_html(report, presentation=presentation))
    with atomic_writer(path) as fh:
        fh.write(text)
    return path
