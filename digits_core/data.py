"""scikit-learn's digits data and the train/test split the notebook used."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from digits_core.preprocess import augment_boxes, count_blocks, training_box

N_CLASSES = 10
IMAGE_SHAPE = (8, 8)
MAX_VALUE = 16


@dataclass(frozen=True)
class Digits:
    """All 1,797 digits.

    Attributes
    ----------
    images : ndarray of shape (1797, 8, 8), values in [0, 16]
    target : ndarray of shape (1797,), values in [0, 9]
    """

    images: np.ndarray
    target: np.ndarray

    @property
    def data(self) -> np.ndarray:
        """The images flattened: ndarray of shape (1797, 64)."""
        return self.images.reshape(len(self.images), -1)

    @property
    def class_counts(self) -> np.ndarray:
        """How many images of each digit: ndarray of shape (10,)."""
        return np.bincount(self.target, minlength=N_CLASSES)

    def __repr__(self) -> str:
        return f"Digits(n_samples={len(self.target)}, image_shape={self.images.shape[1:]})"


@lru_cache(maxsize=1)
def load() -> Digits:
    """Load scikit-learn's digits once per process (they ship with scikit-learn)."""
    bunch = load_digits()
    images = bunch.images.astype(np.float64)
    images.setflags(write=False)
    target = bunch.target.astype(np.int64)
    target.setflags(write=False)
    return Digits(images=images, target=target)


@lru_cache(maxsize=1)
def prepared_boxes() -> np.ndarray:
    """All 1,797 digits normalized the way photos are: their 32x32 boxes, (1797, 32, 32)."""
    boxes = np.array([training_box(image) for image in load().images])
    boxes.setflags(write=False)
    return boxes


@lru_cache(maxsize=1)
def prepared() -> np.ndarray:
    """All 1,797 digits normalized the way photos are: ndarray of shape (1797, 64)."""
    features = np.array([count_blocks(box).ravel() for box in prepared_boxes()])
    features.setflags(write=False)
    return features


@lru_cache(maxsize=8)
def augmented(
    train_index: tuple[int, ...], copies: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """``copies`` augmented, photo-normalized versions of each training image.

    Returns (X of shape (copies * n, 64), y of shape (copies * n,)).
    """
    rng = np.random.default_rng(seed)
    boxes = prepared_boxes()
    index = np.tile(np.asarray(train_index), copies)
    return augment_boxes(boxes, index, rng), load().target[index]


@dataclass(frozen=True)
class Split:
    """A train/test split of the digits, remembering which images went where.

    Attributes
    ----------
    X_train, X_test : ndarray of shape (n, 64), values in [0, 16]
    y_train, y_test : ndarray of shape (n,)
    test_index : ndarray of shape (n_test,), positions of the test images in the data
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    train_index: np.ndarray
    test_index: np.ndarray

    def __repr__(self) -> str:
        return f"Split(n_train={len(self.y_train)}, n_test={len(self.y_test)})"


def split(
    test_size: float = 0.5, shuffle: bool = False, seed: int = 0, prepared_like_photos: bool = False
) -> Split:
    """Split the digits like the notebook: by default the first half trains, the rest tests.

    Parameters
    ----------
    test_size : float in (0, 1)
        Fraction of the images kept for testing.
    shuffle : bool
        Shuffle (stratified by digit) before splitting; without it the split is the
        notebook's, first images for training.
    seed : int
        Random state used when shuffling.
    prepared_like_photos : bool
        Use the digits normalized the way photos are (:func:`prepared`) instead of the
        original 8x8 values.
    """
    digits = load()
    index = np.arange(len(digits.target))
    train_index, test_index = train_test_split(
        index,
        test_size=test_size,
        shuffle=shuffle,
        random_state=seed if shuffle else None,
        stratify=digits.target if shuffle else None,
    )
    X = prepared() if prepared_like_photos else digits.data
    return Split(
        X_train=X[train_index],
        X_test=X[test_index],
        y_train=digits.target[train_index],
        y_test=digits.target[test_index],
        train_index=train_index,
        test_index=test_index,
    )
