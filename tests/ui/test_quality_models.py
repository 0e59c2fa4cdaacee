"""Every custom Qt model of the Data quality tab passes Qt's model tester, filled and empty."""

from PySide6.QtCore import Qt

from workbench.core.pii import Finding
from workbench.core.quality import DuplicateGroup
from workbench.core.quality.balance import BalanceReport, SegmentStats
from workbench.core.versions import ExampleChange, ExampleState, VersionDiff
from workbench.ui.quality.balance_model import BalanceModel
from workbench.ui.quality.duplicates_model import DuplicatesModel
from workbench.ui.quality.pii_findings_model import FindingsModel
from workbench.ui.quality.version_changes_model import VersionChangesModel


def _finding(example_id: int, kind: str, value: str) -> Finding:
    return Finding(example_id, 1, None, "user", 10, 10 + len(value), kind, value, "write to ", " soon")


def test_findings_model(qtmodeltester):
    model = FindingsModel()
    qtmodeltester.check(model)
    model.set_findings([_finding(1, "email", "a@b.example"), _finding(2, "phone", "+44 20 7946 0958"),
                        _finding(2, "email", "c@d.example")])
    qtmodeltester.check(model)
    assert model.data(model.index(0, 1)) == "a***@b***.example", "the Found column is masked"
    model.setData(model.index(1, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    model.set_kind_filter("email")
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and [f.kind for f in model.rejected()] == ["phone"]


def test_duplicates_model(qtmodeltester):
    model = DuplicatesModel()
    qtmodeltester.check(model)
    groups = [DuplicateGroup("exact", 1, (2, 3), {1: 1.0, 2: 1.0, 3: 1.0}, "Where is my order?"),
              DuplicateGroup("near", 4, (5,), {4: 1.0, 5: 0.91}, "Refund please")]
    model.set_groups(groups, {i: (f"question {i}", f"reply {i}") for i in range(1, 6)})
    qtmodeltester.check(model)
    near = model.index(1, 0)
    assert model.rowCount(near) == 2 and model.index(1, 2, near).data() == "91%"
    assert model.removal_ids() == [2, 3, 5]


def _segment(name: str, examples: int, avg: float, flags=()) -> SegmentStats:
    return SegmentStats(name, f"tier:{name}", examples, examples / 30, examples, avg, avg, None, None, 2.0,
                        avg / 300, tuple(flags))


def test_balance_model(qtmodeltester):
    model = BalanceModel()
    qtmodeltester.check(model)
    report = BalanceReport("tier", _segment("(all examples)", 30, 300),
                           [_segment("silver", 20, 200), _segment("gold", 10, 600, ["answers 2.0x longer"])])
    model.set_report(report)
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.index(1, 6).data() == "answers 2.0x longer"


def test_version_changes_model(qtmodeltester):
    model = VersionChangesModel()
    qtmodeltester.check(model)
    state = ExampleState(1.0, "train", "h1", ())
    moved = ExampleState(1.0, "validation", "h1", ("refund",))
    diff = VersionDiff("Release 1", "current", [ExampleChange(7, None, state)], [ExampleChange(3, state, None)],
                       [ExampleChange(1, state, moved)], 4)
    model.set_diff(diff)
    qtmodeltester.check(model)
    assert [model.index(r, 0).data() for r in range(3)] == ["added", "removed", "changed"]
    assert model.index(2, 2).data() == "split train → validation; tags +refund"
