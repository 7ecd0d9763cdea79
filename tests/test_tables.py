from sklearn.metrics import classification_report

from digits_core import tables


def test_report_table_has_every_digit_then_accuracy_and_averages():
    y_true = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 3, 3]
    y_pred = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 3]
    report = classification_report(y_true, y_pred, output_dict=True, zero_division=0)
    table = tables.report_table(report)
    assert list(table.index) == [str(d) for d in range(10)] + [
        "accuracy",
        "macro average",
        "weighted average",
    ]
    assert list(table.columns) == ["Precision", "Recall", "F1", "Support"]
    assert table.loc["3", "Recall"] == 2 / 3
    assert table.loc["8", "Precision"] == 0.5
    assert table.loc["accuracy", "F1"] == 11 / 12
    assert table.loc["accuracy", "Support"] == 12


def test_formatted_table_shows_two_decimals_and_blanks():
    report = classification_report(
        [0, 1, 1], [0, 1, 0], labels=range(10), output_dict=True, zero_division=0
    )
    table = tables.formatted(tables.report_table(report))
    assert table.loc["0", "Precision"] == "0.50"
    assert table.loc["accuracy", "Precision"] == ""
    assert table.loc["accuracy", "F1"] == "0.67"
    assert table.loc["accuracy", "Support"] == "3"
