"""Tables (pandas DataFrames) built from scikit-learn's own results."""

from __future__ import annotations

import pandas as pd

from digits_core.data import N_CLASSES
from digits_core.text import DEFAULT_LANGUAGE, t

_SUMMARY_ROWS = {"macro avg": "report.macro_avg", "weighted avg": "report.weighted_avg"}


def report_table(report: dict, language: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The classification report as a table: one row per digit, then accuracy and averages.

    Parameters
    ----------
    report : dict from ``sklearn.metrics.classification_report(..., output_dict=True)``

    Returns
    -------
    DataFrame indexed by row name, columns precision, recall, F1, support (translated).
    Accuracy has no precision or recall of its own: it sits in the F1 column, as in
    scikit-learn's printed report, with the total support.
    """
    rows: dict[str, dict[str, float]] = {}
    for digit in range(N_CLASSES):
        rows[str(digit)] = report[str(digit)]
    total = report["macro avg"]["support"]
    rows[t("report.accuracy", language)] = {
        "precision": float("nan"),
        "recall": float("nan"),
        "f1-score": report["accuracy"],
        "support": total,
    }
    for name, key in _SUMMARY_ROWS.items():
        rows[t(key, language)] = report[name]
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame = frame[["precision", "recall", "f1-score", "support"]]
    frame["support"] = frame["support"].astype(int)
    frame.columns = [
        t("report.precision", language),
        t("report.recall", language),
        t("report.f1", language),
        t("report.support", language),
    ]
    frame.index.name = t("report.digit", language)
    return frame


def formatted(table: pd.DataFrame, decimals: int = 2) -> pd.DataFrame:
    """The table as text, ready to show: scores to ``decimals`` places, blanks for no value."""
    return table.apply(
        lambda column: column.map(
            lambda value: (
                ""
                if pd.isna(value)
                else (f"{value:.{decimals}f}" if isinstance(value, float) else f"{value}")
            )
        )
    )
