"""Fitted models kept on disk between runs. A model of the digits prepared like photos
(the camera model, the Train page's "Like photos") takes seconds to build: the digits
prepared, their augmented copies, the fit. It is kept with its calibrated probabilities,
which would need the digits prepared again. Read back, it takes a few milliseconds, so a
server started again, or the command line run again, need not wait.

They are kept in ``$DIGITS_CACHE_DIR``, else ``$XDG_CACHE_HOME/digits-dashboard``, else
``~/.cache/digits-dashboard``. ``DIGITS_CACHE_DIR`` set to nothing keeps none. Deleting
the folder is always safe.

Each file is named by a digest of all the model depends on: its settings, this package's
code, and the versions of Python and of the libraries that build it. A model built by
other code or other libraries is never read; a file that cannot be read is built and
written again; a folder that cannot be written only means building each time. The files
are written here, in the user's own folder, and found by name only; a file another user
could have written or changed is not read. Nothing a visitor sends is ever unpickled.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from digits_core.model import Evaluation, TrainSettings, train_and_evaluate, with_calibration

FOLDER_VARIABLE = "DIGITS_CACHE_DIR"
FOLDER_NAME = "digits-dashboard"
LIBRARIES = ("numpy", "scipy", "scikit-learn", "pillow")
PACKAGE = Path(__file__).resolve().parent
# The newest files kept: the models of another checkout, or of the libraries before an
# upgrade; older ones are deleted.
KEPT_FILES = 8


def folder() -> Path | None:
    """Where models are kept, or None to keep none."""
    chosen = os.environ.get(FOLDER_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen else None
    try:
        home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    except RuntimeError:  # no home folder to be found
        return None
    return Path(home) / FOLDER_NAME


def digest(settings: TrainSettings) -> str:
    """A name for the model of ``settings`` that changes whenever it could."""
    return hashlib.sha256(repr(settings).encode() + _builder(LIBRARIES)).hexdigest()[:32]


@functools.cache
def _builder(libraries: tuple[str, ...]) -> bytes:
    """A digest of what builds every model: Python, ``libraries``' versions and this
    package's code. The same for a whole run: read and hashed once."""
    parts = [sys.version, *(_version(name) for name in libraries)]
    code = hashlib.sha256("\n".join(parts).encode())
    for source in sorted(PACKAGE.glob("*.py")):
        code.update(source.read_bytes())
    return code.digest()


def _version(library: str) -> str:
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:  # installed some other way: its modules, then
        module = __import__({"scikit-learn": "sklearn", "pillow": "PIL"}.get(library, library))
        return str(getattr(module, "__version__", "?"))


def _path(settings: TrainSettings) -> Path | None:
    """Where the model for ``settings`` is kept; None where it is not worth keeping: only
    models of digits prepared like photos take seconds to train, the others a fraction."""
    where = folder()
    return where / f"{digest(settings)}.pickle" if where and settings.prepared else None


def kept(settings: TrainSettings) -> bool:
    """Whether the model for ``settings`` is kept (it is read back, not built)."""
    path = _path(settings)
    return path is not None and path.is_file()


def evaluation(
    settings: TrainSettings, train: Callable[[TrainSettings], Evaluation] = train_and_evaluate
) -> Evaluation:
    """The fitted model for ``settings``: read back if kept, else ``train``-ed and kept,
    with its calibrated probabilities (``Evaluation.calibrated``)."""
    path = _path(settings)
    if path is None:
        return train(settings)
    try:
        with open(path, "rb") as file:
            if _ours(os.fstat(file.fileno())):
                kept = pickle.load(file)
                if isinstance(kept, Evaluation) and kept.settings == settings:
                    return kept
    except Exception:  # not kept yet, or damaged (a full disk, a copy cut short): built again
        pass
    # Calibrated now, while the digits are prepared in this process: read back, it gives
    # probabilities at once.
    result = with_calibration(train(settings))
    _write(path, result)
    return result


def _ours(status: os.stat_result) -> bool:
    """Whether a file was written by this user and can be changed by no one else: only
    such a file is read (where the system has users and permissions)."""
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write(path: Path, result: Evaluation) -> None:
    """Keep ``result`` at ``path``: written beside it first, then renamed, so that a
    reader finds the whole file or none; then only the ``KEPT_FILES`` newest are kept.
    Where writing fails, nothing is kept."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, part = tempfile.mkstemp(dir=path.parent, suffix=".part")
    except OSError:  # a folder that cannot be made or written in
        return
    try:
        with os.fdopen(handle, "wb") as file:
            pickle.dump(result, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(part, path)
    except OSError:  # a full disk, say
        with contextlib.suppress(OSError):
            os.unlink(part)
        return
    for old in sorted(path.parent.glob("*.pickle"), key=_newest_first)[KEPT_FILES:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _newest_first(path: Path) -> float:
    try:
        return -path.stat().st_mtime
    except OSError:  # gone meanwhile
        return float("inf")
