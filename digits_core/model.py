"""Train and evaluate the support-vector classifier; results are frozen dataclasses."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import accuracy_score, classification_report, confusion_matrix
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVC

from digits_core import data, preprocess
from digits_core.preprocess import Reading

GAMMA_RANGE = (1e-5, 1e-1)
C_RANGE = (1e-2, 1e3)
TEST_SIZE_RANGE = (0.1, 0.9)
MAX_SEED = 2**32 - 1  # the largest seed NumPy's random generator takes


def log_steps(low: float, high: float) -> list[float]:
    """Round values 1, 2, 5, 10, 20, ... from ``low`` to ``high``: a log scale people can read."""
    steps = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = float(f"{mantissa}e{exponent}")
            if low <= value <= high:
                steps.append(value)
    return steps


def nearest_step(value: float, steps: list[float]) -> float:
    """The step closest to ``value`` on a log scale."""
    return min(steps, key=lambda step: abs(math.log(step) - math.log(value)))


GAMMA_STEPS = log_steps(*GAMMA_RANGE)
C_STEPS = log_steps(*C_RANGE)


@dataclass(frozen=True)
class TrainSettings:
    """What the Train page's widgets choose. The defaults are the notebook's.

    Raises ValueError with a sentence a user can act on when a value is out of range.
    """

    gamma: float = 0.001
    C: float = 1.0
    test_size: float = 0.5
    shuffle: bool = False
    seed: int = 0
    prepared: bool = False  # training digits normalized like photos, plus augmented copies

    def __post_init__(self) -> None:
        _check_range("gamma", self.gamma, GAMMA_RANGE)
        _check_range("C", self.C, C_RANGE)
        _check_range("test size", self.test_size, TEST_SIZE_RANGE)
        if not isinstance(self.seed, (int, np.integer)) or not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be a whole number from 0 to {MAX_SEED}, got {self.seed!r}")


def _check_range(name: str, value: float, bounds: tuple[float, float]) -> None:
    low, high = bounds
    try:
        ok = math.isfinite(value) and low <= value <= high
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}")


@dataclass(frozen=True)
class Evaluation:
    """A fitted SVC and everything the Train page shows about it.

    Attributes
    ----------
    classifier : fitted sklearn.svm.SVC, or for ``prepared`` settings a pipeline of
        :func:`ink_presence` and the SVC (see :func:`make_classifier`)
    y_test, y_pred : ndarray of shape (n_test,)
    test_index : ndarray of shape (n_test,), positions of the test images in the data
    report : dict, scikit-learn's ``classification_report(output_dict=True)``
    confusion : ndarray of shape (10, 10); row = true digit, column = predicted digit
    train_accuracy, test_accuracy : float in [0, 1]
    n_support : int, number of support vectors
    fit_seconds : float, time to fit the classifier
    calibrated : the classifier with calibrated probabilities (:func:`calibrate`), where
        it was fitted with it (:func:`with_calibration`), else None
    """

    settings: TrainSettings
    classifier: SVC | Pipeline = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    y_pred: np.ndarray = field(repr=False)
    test_index: np.ndarray = field(repr=False)
    report: dict = field(repr=False)
    confusion: np.ndarray = field(repr=False)
    train_accuracy: float
    test_accuracy: float
    n_support: int
    fit_seconds: float
    calibrated: CalibratedClassifierCV | None = field(default=None, repr=False, compare=False)

    @property
    def wrong(self) -> np.ndarray:
        """Boolean mask over the test images: True where the prediction is wrong."""
        return self.y_pred != self.y_test

    def text_report(self, title: str) -> str:
        """The report and matrix as the notebook printed them, under ``title``."""
        report = classification_report(self.y_test, self.y_pred, digits=2)
        return f"{title}\n{report}\nConfusion matrix:\n{self.confusion}"


AUGMENTED_COPIES = 12

# The model the Camera page uses until a visitor trains their own: trained on the digits
# normalized the way photos are, with augmented copies; a quarter held out to grade it.
CAMERA_DEFAULTS = TrainSettings(
    gamma=0.001, C=5.0, test_size=0.25, shuffle=True, seed=0, prepared=True
)


def training_set(settings: TrainSettings) -> tuple[data.Split, np.ndarray, np.ndarray]:
    """The split for ``settings`` and the (X, y) the classifier is fitted on.

    With ``prepared``, the training images are the photo-normalized digits plus
    ``AUGMENTED_COPIES`` augmented copies of each; the test images are never augmented.
    """
    split = data.split(settings.test_size, settings.shuffle, settings.seed, settings.prepared)
    if not settings.prepared:
        return split, split.X_train, split.y_train
    X_more, y_more = data.augmented(
        tuple(split.train_index.tolist()), AUGMENTED_COPIES, settings.seed
    )
    return split, np.vstack([split.X_train, X_more]), np.concatenate([split.y_train, y_more])


def ink_presence(X: np.ndarray) -> np.ndarray:
    """Counts 0..16 to their square roots, scaled back to 0..16.

    A block a quarter inked then weighs half as much as a full one, not a quarter: where
    the strokes run matters more than how thick one writer's pen was.
    """
    return np.sqrt(np.clip(X, 0.0, None) / data.MAX_VALUE) * data.MAX_VALUE


def make_classifier(settings: TrainSettings) -> SVC | Pipeline:
    """``SVC(gamma, C)``; for digits prepared like photos, after :func:`ink_presence`."""
    classifier = SVC(gamma=settings.gamma, C=settings.C)
    if not settings.prepared:
        return classifier
    return make_pipeline(FunctionTransformer(ink_presence), classifier)


def svc(classifier: SVC | Pipeline) -> SVC:
    """The SVC itself, inside a pipeline or not."""
    return classifier[-1] if isinstance(classifier, Pipeline) else classifier


def train_and_evaluate(settings: TrainSettings = TrainSettings()) -> Evaluation:
    """Fit ``SVC(gamma, C)`` on the training part of the split and evaluate it on both parts."""
    split, X_fit, y_fit = training_set(settings)
    classifier = make_classifier(settings)
    start = time.perf_counter()
    classifier.fit(X_fit, y_fit)
    fit_seconds = time.perf_counter() - start
    # Prediction is most of the work and libsvm releases the GIL: grade both parts at once.
    with ThreadPoolExecutor(max_workers=2) as pool:
        test_job = pool.submit(classifier.predict, split.X_test)
        train_accuracy = accuracy_score(split.y_train, classifier.predict(split.X_train))
        y_pred = test_job.result()
    labels = list(range(data.N_CLASSES))
    return Evaluation(
        settings=settings,
        classifier=classifier,
        y_test=split.y_test,
        y_pred=y_pred,
        test_index=split.test_index,
        report=classification_report(
            split.y_test, y_pred, labels=labels, output_dict=True, zero_division=0
        ),
        confusion=confusion_matrix(split.y_test, y_pred, labels=labels),
        train_accuracy=float(train_accuracy),
        test_accuracy=float(accuracy_score(split.y_test, y_pred)),
        n_support=int(svc(classifier).n_support_.sum()),
        fit_seconds=fit_seconds,
    )


OVERFIT_GAP = 0.10
UNDERFIT_ACCURACY = 0.80


def diagnose(result: Evaluation) -> str:
    """ "overfit" when training is graded far above testing, "underfit" when even training
    is read badly, else "ok"."""
    if result.train_accuracy < UNDERFIT_ACCURACY:
        return "underfit"
    if result.train_accuracy - result.test_accuracy > OVERFIT_GAP:
        return "overfit"
    return "ok"


def calibrate(result: Evaluation) -> CalibratedClassifierCV:
    """The fitted SVC with probabilities: Platt's sigmoid fitted on its scores for the
    held-out test digits, which it never learned from.

    An SVC's scores are not probabilities; this maps them to ones that mean what they
    say. Fitted on scores of digits the model had seen (or copies of them), it would
    be sure of everything. Other people's handwriting is still read a little less
    surely than its probabilities say: how many views agree (``Prediction.agreeing``)
    tells that better.

    Fitted once: ``result.calibrated`` where :func:`with_calibration` made it.
    """
    if result.calibrated is not None:
        return result.calibrated
    settings = result.settings
    split = data.split(settings.test_size, settings.shuffle, settings.seed, settings.prepared)
    frozen = FrozenEstimator(result.classifier)
    return CalibratedClassifierCV(frozen, method="sigmoid").fit(split.X_test, split.y_test)


def with_calibration(result: Evaluation) -> Evaluation:
    """``result`` holding its calibrated twin (:func:`calibrate`), around the same
    classifier. For digits prepared like photos, calibrating in a new process means
    preparing all 1,797 digits again, seconds of work: a model kept on disk (``cache``)
    is kept with it."""
    return replace(result, calibrated=calibrate(result))


@dataclass(frozen=True)
class Prediction:
    """What a model says about one digit.

    Attributes
    ----------
    digit : the SVC's answer (its highest score) from the surest view
    probabilities : ndarray of shape (10,), calibrated, summing to 1
    sure : False when the two most likely digits are close, when too few views agree,
        or when the probabilities disagree with ``digit``
    view : which of the views it was read from (``preprocess.CENTRE_VIEW``: as it is)
    readings : ndarray of shape (n_views,), the digit each view alone reads as
    """

    digit: int
    probabilities: np.ndarray = field(repr=False)
    sure: bool
    view: int
    readings: np.ndarray = field(repr=False)

    @property
    def runner_up(self) -> int:
        return int(np.argsort(self.probabilities)[-2])

    @property
    def agreeing(self) -> int:
        """How many views read the answer."""
        return int(np.sum(self.readings == self.digit))

    @property
    def views_agree(self) -> bool:
        """Whether enough of the views read the answer (``SURE_VIEWS``)."""
        return enough_views_agree(self.readings, self.digit)

    @property
    def other_readings(self) -> list[int]:
        """The other digits views read, the most often read first."""
        others = self.readings[self.readings != self.digit]
        digits, counts = np.unique(others, return_counts=True)
        return [int(d) for d in digits[np.argsort(-counts, kind="stable")]]


SURE_MARGIN = 0.25
# Of nine views, fewer than seven reading the same digit means other people's
# handwriting has the model guessing: on the benchmark photos such readings are right
# about 6 times in 10, against 19 in 20 when all nine agree.
SURE_VIEWS = 7 / 9


def enough_views_agree(readings: np.ndarray, digit: int) -> bool:
    """Whether at least ``SURE_VIEWS`` of the views read ``digit``."""
    return bool(np.mean(np.asarray(readings) == digit) >= SURE_VIEWS - 1e-9)


def view_readings(views: np.ndarray, classifier: SVC | Pipeline) -> tuple[int, np.ndarray]:
    """(the view the SVC is surest of, the digit each view alone reads as).

    ``views`` : ndarray of shape (n_views, 64) or (64,), values in [0, 16]. Surest means
    the highest score of any digit: votes of the one-against-one classifiers, then their
    margins.
    """
    scores = classifier.decision_function(np.atleast_2d(np.asarray(views, dtype=np.float64)))
    return int(np.argmax(scores.max(axis=1))), scores.argmax(axis=1)


def most_readable(readings: Sequence[Reading], classifier: SVC | Pipeline) -> Reading:
    """Of several readings of one picture, the one the model makes most sense of.

    When one reading's digit lies in a hole of the other's, where they lie decides
    (:func:`preprocess.nested_reading`). Otherwise the most views reading the same
    digit wins; between equals, the highest score. Read the wrong way round, a picture
    offers what lies between the strokes, the edges of things, odd shapes whose views
    read anything. Read the right way round, the digit's views agree.
    """

    def readability(reading: Reading) -> tuple[int, float]:
        scores = classifier.decision_function(reading.views)
        per_view = scores.argmax(axis=1)
        return int(np.max(np.bincount(per_view))), float(scores.max())

    if len(readings) == 1:
        return readings[0]
    if len(readings) == 2:
        nested = preprocess.nested_reading(*readings)
        if nested is not None:
            return nested
    return max(readings, key=readability)


def predict(
    views: np.ndarray, classifier: SVC | Pipeline, calibrated: CalibratedClassifierCV
) -> Prediction:
    """Read one digit from its views (see :func:`view_readings`), with probabilities."""
    rows = np.atleast_2d(np.asarray(views, dtype=np.float64))
    view, readings = view_readings(rows, classifier)
    digit = int(readings[view])
    probabilities = calibrated.predict_proba(rows[view : view + 1])[0]
    first, second = np.sort(probabilities)[::-1][:2]
    sure = (
        enough_views_agree(readings, digit)
        and int(np.argmax(probabilities)) == digit
        and first - second >= SURE_MARGIN
    )
    return Prediction(
        digit=digit, probabilities=probabilities, sure=bool(sure), view=view, readings=readings
    )


NOTEBOOK = TrainSettings()  # the original notebook's model: gamma 0.001, C 1, first half


def read_like_the_notebook(photo: bytes, classifier: SVC | Pipeline) -> tuple[np.ndarray, int]:
    """The original notebook's reading of a photo: the whole photo shrunk to 8x8 and
    scaled to 0..15 (``preprocess.naive_features``), then ``classifier``'s answer.

    Returns (the 8x8 grid it read, the digit). Raises :class:`preprocess.PhotoError` for
    bytes that are not a picture; any picture gets an answer, a blank page too.
    """
    features = preprocess.naive_features(photo)
    return features.reshape(data.IMAGE_SHAPE), int(classifier.predict(features[None])[0])


def mistakes(
    result: Evaluation, true: int | None = None, predicted: int | None = None
) -> np.ndarray:
    """Positions in the test set of the images read wrong, or of one (true, predicted) pair."""
    wrong = result.wrong.copy()
    if true is not None:
        wrong &= result.y_test == true
    if predicted is not None:
        wrong &= result.y_pred == predicted
    return np.flatnonzero(wrong)


def mistake_pairs(result: Evaluation) -> dict[tuple[int, int], int]:
    """How many test images of each (true, predicted) pair were read wrong, most first:
    the confusion matrix's non-zero cells off the diagonal."""
    confusion = result.confusion
    pairs = {
        (int(true), int(predicted)): int(confusion[true, predicted])
        for true, predicted in zip(*np.nonzero(confusion), strict=True)
        if true != predicted
    }
    return dict(sorted(pairs.items(), key=lambda item: -item[1]))


@dataclass(frozen=True)
class ValidationCurve:
    """Accuracy on the training folds and on the held-out folds, for each gamma.

    Attributes
    ----------
    gammas : ndarray of shape (n,)
    train_mean, train_std, cv_mean, cv_std : ndarray of shape (n,), accuracies in [0, 1]
    """

    gammas: np.ndarray = field(repr=False)
    train_mean: np.ndarray = field(repr=False)
    train_std: np.ndarray = field(repr=False)
    cv_mean: np.ndarray = field(repr=False)
    cv_std: np.ndarray = field(repr=False)

    @property
    def best_gamma(self) -> float:
        return float(self.gammas[int(np.argmax(self.cv_mean))])


@dataclass(frozen=True)
class ParameterMap:
    """Cross-validated accuracy for every (gamma, C) on a grid.

    Attributes
    ----------
    gammas : ndarray of shape (n_gamma,)
    Cs : ndarray of shape (n_C,)
    accuracy : ndarray of shape (n_gamma, n_C), mean accuracy on the held-out folds
    accuracy_std : its standard deviation over the folds
    train_accuracy, train_std : the same on the folds each model was trained on
    """

    gammas: np.ndarray = field(repr=False)
    Cs: np.ndarray = field(repr=False)
    accuracy: np.ndarray = field(repr=False)
    accuracy_std: np.ndarray = field(repr=False)
    train_accuracy: np.ndarray = field(repr=False)
    train_std: np.ndarray = field(repr=False)

    def curve(self, C: float) -> ValidationCurve:
        """The validation curve over gamma at ``C``: one column of the map."""
        column = int(np.argmin(np.abs(np.log(self.Cs) - math.log(C))))
        return ValidationCurve(
            gammas=self.gammas,
            train_mean=self.train_accuracy[:, column],
            train_std=self.train_std[:, column],
            cv_mean=self.accuracy[:, column],
            cv_std=self.accuracy_std[:, column],
        )

    @property
    def best(self) -> tuple[float, float, float]:
        """(gamma, C, accuracy) of the best cell; ties go to the first in the grid."""
        row, column = np.unravel_index(int(np.argmax(self.accuracy)), self.accuracy.shape)
        return float(self.gammas[row]), float(self.Cs[column]), float(self.accuracy[row, column])


def _fold_scores(kernels, y, folds, C: float) -> np.ndarray:
    """[held-out mean, held-out std, training mean, training std] over the folds, for
    ``SVC(C=C)`` on each fold's precomputed kernels: (training x training, held-out x
    training)."""
    held_out, seen = [], []
    for (train, test), (fit_kernel, test_kernel) in zip(folds, kernels, strict=True):
        classifier = SVC(kernel="precomputed", C=C).fit(fit_kernel, y[train])
        held_out.append(accuracy_score(y[test], classifier.predict(test_kernel)))
        seen.append(accuracy_score(y[train], classifier.predict(fit_kernel)))
    return np.array([np.mean(held_out), np.std(held_out), np.mean(seen), np.std(seen)])


def parameter_map(
    settings: TrainSettings = TrainSettings(),
    gammas: list[float] = GAMMA_STEPS,
    Cs: list[float] = C_STEPS,
    folds: int = 3,
    progress=None,
) -> ParameterMap:
    """Accuracy by ``folds``-fold cross-validation on the training part, for every cell,
    on the held-out folds and on the folds each model was trained on.

    The folds are scikit-learn's ``StratifiedKFold(folds)``, the same ``GridSearchCV``
    uses by default, so every cell is GridSearchCV's and so is the best. The RBF kernel
    of one gamma is the same for every C: it is computed once per row and every C of the
    row is fitted on it (``SVC(kernel="precomputed")``, the same scores as
    ``SVC(gamma, C)``, about three times sooner). The cells of a row run on both cores;
    ``progress(done, total)`` is called after each row.
    """
    split = data.split(settings.test_size, settings.shuffle, settings.seed, settings.prepared)
    X, y = split.X_train, split.y_train
    cells = list(StratifiedKFold(folds).split(X, y))
    distances = euclidean_distances(X, squared=True)  # as libsvm's RBF kernel has them
    scores = np.zeros((4, len(gammas), len(Cs)))
    # libsvm lets other threads run while it fits and predicts.
    with ThreadPoolExecutor(max_workers=2) as pool:
        for row, gamma in enumerate(gammas):
            kernel = np.exp(-gamma * distances)
            kernels = [
                (kernel[np.ix_(train, train)], kernel[np.ix_(test, train)]) for train, test in cells
            ]
            row_scores = pool.map(partial(_fold_scores, kernels, y, cells), Cs)
            scores[:, row] = np.array(list(row_scores)).T
            if progress is not None:
                progress(row + 1, len(gammas))
    return ParameterMap(np.array(gammas), np.array(Cs), *scores)
