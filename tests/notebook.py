"""The classroom notebook, run on its own: scikit-learn's "Recognizing hand-written
digits" example, which the app's Train page starts from. Its numbers are what the app's
defaults must show, worked out here without any of the app's code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from sklearn import datasets, svm
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split


@dataclass(frozen=True)
class NotebookRun:
    y_test: np.ndarray
    predicted: np.ndarray

    @property
    def accuracy(self) -> float:
        return float(np.mean(self.predicted == self.y_test))

    @property
    def accuracy_text(self) -> str:
        """The accuracy as the pages show it: "96.9%"."""
        return f"{self.accuracy:.1%}"

    @property
    def mistakes(self) -> int:
        return int(np.sum(self.predicted != self.y_test))

    @cached_property
    def confusion(self) -> np.ndarray:
        return confusion_matrix(self.y_test, self.predicted, labels=range(10))

    @property
    def most_confused(self) -> tuple[int, int]:
        """The (true, predicted) pair read wrong most often."""
        wrong = self.confusion - np.diag(np.diag(self.confusion))
        true, predicted = np.unravel_index(np.argmax(wrong), wrong.shape)
        return int(true), int(predicted)


@lru_cache(maxsize=1)
def notebook_run() -> NotebookRun:
    """The notebook's code as it was: flatten, split in half unshuffled, SVC(gamma=0.001)."""
    digits = datasets.load_digits()
    data = digits.images.reshape((len(digits.images), -1))
    X_train, X_test, y_train, y_test = train_test_split(
        data, digits.target, test_size=0.5, shuffle=False
    )
    classifier = svm.SVC(gamma=0.001)
    classifier.fit(X_train, y_train)
    return NotebookRun(y_test, classifier.predict(X_test))
