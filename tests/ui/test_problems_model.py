from workbench.ui.problems_model import LocationRole, ProblemsModel


def test_problems_grouped_by_code_with_locations(qtmodeltester):
    model = ProblemsModel()
    model.set_problems(
        [{"code": "few_examples", "severity": "warning", "message": "The dataset has 12 examples"}],
        [(7, [{"code": "missing_content", "severity": "error", "message": "Example 7, message 3 has no text.",
               "message_index": 3}]),
         (9, [{"code": "missing_content", "severity": "error", "message": "Example 9, message 2 has no text.",
               "message_index": 2}])],
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    errors = model.index(0, 0)
    assert model.data(errors) == "Error: Empty message (2)"  # errors first
    assert model.rowCount(errors) == 2
    assert model.data(model.index(1, 0, errors), LocationRole) == (9, 2)
    assert model.totals() == (2, 1)


def test_long_groups_are_capped_with_a_count_of_the_rest(qtmodeltester):
    model = ProblemsModel()
    model.set_problems([], [(i, [{"code": "blank_line", "severity": "warning", "message": f"x{i}"}]) for i in range(600)])
    qtmodeltester.check(model)
    group = model.index(0, 0)
    assert model.rowCount(group) == 501
    assert "100 more" in model.data(model.index(500, 0, group))
