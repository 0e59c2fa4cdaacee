"""Evaluation runs in the workspace file: the plan (models, items, settings, seed), every answer as
it arrives, and the blind verdicts. A run cancelled or cut short by a crash keeps what it had;
``answered_units`` tells the runner what is left. Like its Workspace, a store belongs to the
thread that opened the workspace (a background runner opens its own).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from workbench.core.playground.answer import DONE, Answer, ChatSettings, ChatTarget
from workbench.core.playground.evaluation import EvalItem, EvalPlan, EvalRating, Selection, names_of
from workbench.core.playground.store import ANSWER_COLUMNS, answer_from, answer_values
from workbench.core.store.workspace import Workspace

RUN_STATUSES = ("new", "running", "cancelled", "finished")


@dataclass(frozen=True)
class EvalRunSummary:
    id: int
    name: str
    models: tuple[str, ...]
    items: int
    answers: int  # complete answers so far
    needed: int  # answers the run needs (items x models)
    rated: int
    status: str
    created_at: str


class EvalStore:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._db = workspace.connection

    # -- runs --------------------------------------------------------------------------------------
    def create_run(self, plan: EvalPlan) -> int:
        """Stores a new run; sets ``plan.id`` and ``plan.created_at`` and returns the id."""
        with self.workspace.transaction():
            run_id = self._db.execute(
                "INSERT INTO eval_runs (name, selection, settings, concurrency, seed, status) VALUES (?, ?, ?, ?, ?, ?)",
                (plan.name, json.dumps(plan.selection.to_dict()), json.dumps(plan.settings.to_dict()),
                 plan.concurrency, plan.seed, "new")).lastrowid
            self._db.executemany(
                "INSERT INTO eval_models (run_id, model_index, model, profile, base_url, label) VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, i, t.model, t.profile, t.base_url, t.label) for i, t in enumerate(plan.targets)])
            self._db.executemany(
                "INSERT INTO eval_items (run_id, item, example_id, prompt, reference) VALUES (?, ?, ?, ?, ?)",
                [(run_id, it.index, it.example_id, json.dumps(list(it.prompt), ensure_ascii=False), it.reference)
                 for it in plan.items])
        plan.id = run_id
        plan.status = "new"
        plan.created_at = self._db.execute("SELECT created_at FROM eval_runs WHERE id = ?", (run_id,)).fetchone()[0]
        return run_id

    def load_run(self, run_id: int) -> EvalPlan:
        row = self._db.execute(
            "SELECT name, selection, settings, concurrency, seed, status, created_at FROM eval_runs WHERE id = ?",
            (run_id,)).fetchone()
        if row is None:
            raise KeyError(run_id)
        name, selection, settings, concurrency, seed, status, created_at = row
        targets = [ChatTarget(model, profile, base_url, label) for model, profile, base_url, label in self._db.execute(
            "SELECT model, profile, base_url, label FROM eval_models WHERE run_id = ? ORDER BY model_index", (run_id,))]
        items = [EvalItem(item, tuple(json.loads(prompt)), reference, example_id)
                 for item, example_id, prompt, reference in self._db.execute(
                     "SELECT item, example_id, prompt, reference FROM eval_items WHERE run_id = ? ORDER BY item",
                     (run_id,))]
        return EvalPlan(targets=targets, items=items, settings=ChatSettings.from_dict(json.loads(settings)), seed=seed,
                        name=name, selection=Selection.from_dict(json.loads(selection)), concurrency=concurrency,
                        id=run_id, status=status, created_at=created_at)

    def runs(self) -> list[EvalRunSummary]:
        """Every run, newest first."""
        out = []
        for run_id, name, status, created_at in self._db.execute(
                "SELECT id, name, status, created_at FROM eval_runs ORDER BY id DESC").fetchall():
            targets = [ChatTarget(m, label=label) for m, label in self._db.execute(
                "SELECT model, label FROM eval_models WHERE run_id = ? ORDER BY model_index", (run_id,))]
            items = self._count("SELECT count(*) FROM eval_items WHERE run_id = ?", run_id)
            answers = self._count("SELECT count(*) FROM eval_answers WHERE run_id = ? AND status = 'done'", run_id)
            rated = self._count("SELECT count(*) FROM eval_ratings WHERE run_id = ?", run_id)
            out.append(EvalRunSummary(run_id, name, tuple(names_of(targets)), items, answers, items * len(targets),
                                      rated, status, created_at))
        return out

    def _count(self, sql: str, run_id: int) -> int:
        return self._db.execute(sql, (run_id,)).fetchone()[0]

    def set_status(self, run_id: int, status: str) -> None:
        if status not in RUN_STATUSES:
            raise ValueError(f"status must be one of {RUN_STATUSES}")
        with self.workspace.transaction():
            self._db.execute("UPDATE eval_runs SET status = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                             "WHERE id = ?", (status, run_id))

    def rename_run(self, run_id: int, name: str) -> None:
        with self.workspace.transaction():
            self._db.execute("UPDATE eval_runs SET name = ? WHERE id = ?", (name, run_id))

    def delete_run(self, run_id: int) -> None:
        with self.workspace.transaction():
            self._db.execute("DELETE FROM eval_runs WHERE id = ?", (run_id,))

    # -- answers -------------------------------------------------------------------------------------
    def save_answer(self, run_id: int, item: int, model: int, answer: Answer, attempts: int = 1) -> None:
        """Stores (or replaces) the answer of ``model`` to ``item``, committed at once."""
        with self.workspace.transaction():
            self._db.execute(
                f"INSERT OR REPLACE INTO eval_answers (run_id, item, model_index, {', '.join(ANSWER_COLUMNS)}, "
                f"attempts) VALUES (?, ?, ?, {', '.join('?' * len(ANSWER_COLUMNS))}, ?)",
                (run_id, item, model, *answer_values(answer), attempts))

    def answers(self, run_id: int) -> dict[tuple[int, int], Answer]:
        return {(item, model): answer_from(rest) for item, model, *rest in self._db.execute(
            f"SELECT item, model_index, {', '.join(ANSWER_COLUMNS)} FROM eval_answers WHERE run_id = ?", (run_id,))}

    def answered_units(self, run_id: int) -> set[tuple[int, int]]:
        """(item, model) of the complete answers: what a resumed run does not ask again."""
        return {(item, model) for item, model in self._db.execute(
            "SELECT item, model_index FROM eval_answers WHERE run_id = ? AND status = ?", (run_id, DONE))}

    # -- blind verdicts --------------------------------------------------------------------------------
    def save_rating(self, run_id: int, rating: EvalRating) -> None:
        """Stores a verdict, replacing an earlier one on the same pair of models for the same item."""
        item, low, high = rating.key
        with self.workspace.transaction():
            self._db.execute(
                "DELETE FROM eval_ratings WHERE run_id = ? AND item = ? AND min(first_model, second_model) = ? "
                "AND max(first_model, second_model) = ?", (run_id, item, low, high))
            self._db.execute(
                "INSERT INTO eval_ratings (run_id, item, first_model, second_model, verdict) VALUES (?, ?, ?, ?, ?)",
                (run_id, rating.item, rating.first, rating.second, rating.verdict))

    def clear_rating(self, run_id: int, item: int, first: int, second: int) -> None:
        with self.workspace.transaction():
            self._db.execute(
                "DELETE FROM eval_ratings WHERE run_id = ? AND item = ? AND min(first_model, second_model) = ? "
                "AND max(first_model, second_model) = ?", (run_id, item, min(first, second), max(first, second)))

    def ratings(self, run_id: int) -> list[EvalRating]:
        return [EvalRating(item, first, second, verdict) for item, first, second, verdict in self._db.execute(
            "SELECT item, first_model, second_model, verdict FROM eval_ratings WHERE run_id = ? ORDER BY item, rowid",
            (run_id,))]
