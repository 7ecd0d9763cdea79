"""Models kept on disk between runs: read back when nothing they depend on changed,
built again otherwise, and never a reason for the app to fail."""

import os
from dataclasses import replace

import numpy as np
import pytest

from digits_core import cache, data, model

# Prepared like photos, as every model worth keeping is; without augmented copies and at
# a large test share, it trains in a moment.
SETTINGS = model.TrainSettings(gamma=0.001, C=5.0, test_size=0.5, prepared=True)


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    """No augmented copies: every model here trains in a moment."""
    monkeypatch.setattr(model, "AUGMENTED_COPIES", 0)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.FOLDER_VARIABLE, str(tmp_path / "kept"))
    return tmp_path / "kept"


class Trainer:
    """``train_and_evaluate``, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, settings: model.TrainSettings) -> model.Evaluation:
        self.calls += 1
        return model.train_and_evaluate(settings)


def same_answers(first: model.Evaluation, second: model.Evaluation) -> bool:
    digits = data.load()
    X = digits.images.reshape(len(digits.images), -1)
    return bool(np.array_equal(first.classifier.predict(X), second.classifier.predict(X)))


def test_a_model_is_built_once_then_read_back(folder):
    train = Trainer()
    built = cache.evaluation(SETTINGS, train)
    assert not cache.kept(model.TrainSettings(prepared=True))  # only the one built
    assert cache.kept(SETTINGS) and train.calls == 1
    again = cache.evaluation(SETTINGS, train)
    assert train.calls == 1  # read back, not trained
    assert again.settings == SETTINGS and same_answers(built, again)
    assert again.test_accuracy == built.test_accuracy


def test_a_model_read_back_gives_its_probabilities_without_preparing_the_digits(
    folder, monkeypatch
):
    # The command line, or a server started again: the Camera page's probabilities at
    # once, not after seconds of preparing all 1,797 digits like photos to calibrate.
    train = Trainer()
    built = cache.evaluation(SETTINGS, train)
    split = data.split(SETTINGS.test_size, SETTINGS.shuffle, SETTINGS.seed, True)
    # What calibrating the model afresh gives, not the copy kept with it.
    fresh = model.calibrate(replace(built, calibrated=None))
    expected = fresh.predict_proba(split.X_test)

    def not_again():
        raise AssertionError("the digits were prepared again")

    monkeypatch.setattr(data, "prepared", not_again)  # as in a new process, and slow
    again = cache.evaluation(SETTINGS, train)
    assert train.calls == 1
    probabilities = model.calibrate(again).predict_proba(split.X_test)
    assert np.allclose(probabilities, expected)
    assert np.array_equal(probabilities.argmax(axis=1), again.classifier.predict(split.X_test))


def test_a_model_built_by_other_code_or_libraries_is_not_read(folder, monkeypatch):
    train = Trainer()
    cache.evaluation(SETTINGS, train)
    monkeypatch.setattr(cache, "LIBRARIES", (*cache.LIBRARIES, "pytest"))  # another version
    assert not cache.kept(SETTINGS)
    cache.evaluation(SETTINGS, train)
    assert train.calls == 2


def test_a_damaged_file_is_built_again(folder):
    train = Trainer()
    built = cache.evaluation(SETTINGS, train)
    (path,) = folder.glob("*.pickle")
    path.write_bytes(path.read_bytes()[:1000])  # cut short: a full disk, say
    again = cache.evaluation(SETTINGS, train)
    assert train.calls == 2 and same_answers(built, again)
    assert cache.evaluation(SETTINGS, train) and train.calls == 2  # whole again


def test_models_that_train_in_a_moment_are_not_kept(folder):
    train = Trainer()
    scanned = model.TrainSettings()  # the notebook's: the digits as scanned
    cache.evaluation(scanned, train)
    cache.evaluation(scanned, train)
    assert train.calls == 2 and not folder.exists()


def test_nothing_is_kept_where_the_folder_is_empty_or_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    for where in ("", str(blocked / "kept")):
        monkeypatch.setenv(cache.FOLDER_VARIABLE, where)
        train = Trainer()
        first, second = cache.evaluation(SETTINGS, train), cache.evaluation(SETTINGS, train)
        assert train.calls == 2 and same_answers(first, second)
    assert list(tmp_path.iterdir()) == [blocked]


def test_only_the_newest_models_are_kept(folder, monkeypatch):
    monkeypatch.setattr(cache, "KEPT_FILES", 2)
    for C in (1.0, 2.0, 5.0):
        cache.evaluation(model.TrainSettings(C=C, test_size=0.5, prepared=True))
    assert len(list(folder.glob("*.pickle"))) == 2
    assert cache.kept(model.TrainSettings(C=5.0, test_size=0.5, prepared=True))
    assert not cache.kept(model.TrainSettings(C=1.0, test_size=0.5, prepared=True))
    assert not list(folder.glob("*.part"))


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="files have no owner and modes here")
def test_a_file_others_could_have_changed_is_not_read(folder):
    train = Trainer()
    cache.evaluation(SETTINGS, train)
    (path,) = folder.glob("*.pickle")
    assert path.stat().st_mode & 0o077 == 0  # written for this user alone
    path.chmod(0o666)  # as if another user could have put anything there
    cache.evaluation(SETTINGS, train)
    assert train.calls == 2
    (path,) = folder.glob("*.pickle")
    assert path.stat().st_mode & 0o077 == 0  # written again, for this user alone
