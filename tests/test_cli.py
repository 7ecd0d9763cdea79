"""``python -m digits_core``, run as a user runs it."""

import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "digits_core", *args], capture_output=True, text=True, timeout=120
    )


def test_report_prints_the_notebooks_report_and_matrix():
    result = run("report")
    assert result.returncode == 0, result.stderr
    assert "Classification report for classifier SVC(gamma=0.001)" in result.stdout
    assert "[[87  0  0  0  1  0  0  0  0  0]" in result.stdout
    assert "accuracy                           0.97       899" in result.stdout


def test_report_takes_the_train_page_settings():
    result = run("report", "--gamma", "0.1")
    assert result.returncode == 0, result.stderr
    assert "SVC(gamma=0.1)" in result.stdout
    assert "0.97       899" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--gamma", "-1"], "gamma must be between"),
        (["report", "--test-size", "1.5"], "test size must be between"),
        (["report", "--gamma", "abc"], "invalid float value"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_get_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr
