"""The command line: ``python -m digits_core report|predict ...`` (see README.md)."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

from digits_core import cache, model
from digits_core.model import (
    CAMERA_DEFAULTS,
    Evaluation,
    TrainSettings,
    calibrate,
    most_readable,
    predict,
)
from digits_core.preprocess import PhotoError, possible_readings, read_file
from digits_core.text import edges, t


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit status 2, no usage dump
        print(t("cli.error", message=message), file=sys.stderr)
        raise SystemExit(2)


# TrainSettings' fields as ``report`` takes them, in the Train page's order: option,
# field, type, catalogue key, range of a number (None: a switch).
_SETTINGS = (
    ("--gamma", "gamma", float, "cli.gamma_help", model.GAMMA_RANGE),
    ("--C", "C", float, "cli.C_help", model.C_RANGE),
    ("--test-size", "test_size", float, "cli.test_size_help", model.TEST_SIZE_RANGE),
    ("--shuffle", "shuffle", bool, "cli.shuffle_help", None),
    ("--seed", "seed", int, "cli.seed_help", (0, model.MAX_SEED)),
    ("--like-photos", "prepared", bool, "cli.like_photos_help", None),
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m digits_core", description=t("cli.description"))
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    report = commands.add_parser(
        "report", help=t("cli.report_help"), description=t("cli.report_help")
    )
    # Every setting's default is None, "not given": --camera-model takes none of them.
    for option, name, kind, help_key, bounds in _SETTINGS:
        if bounds is None:
            report.add_argument(
                option, dest=name, action="store_true", default=None, help=t(help_key)
            )
        else:
            default, (low, high) = getattr(TrainSettings, name), bounds
            help_text = t(help_key, default=default, low=low, high=high)
            report.add_argument(option, dest=name, type=kind, help=help_text)
    report.add_argument("--camera-model", action="store_true", help=t("cli.camera_model_help"))
    predict = commands.add_parser(
        "predict", help=t("cli.predict_help"), description=t("cli.predict_help")
    )
    predict.add_argument("--json", action="store_true", help=t("cli.json_help"))
    predict.add_argument("files", nargs="+", metavar="FILE", help=t("cli.files_help"))
    return parser


def _evaluation(settings: TrainSettings, waiting: str) -> Evaluation:
    """The model for ``settings``, kept (``digits_core.cache``): a person at a terminal
    is told ``waiting`` when it takes seconds to build; a script reading stderr gets
    errors only."""
    if sys.stderr.isatty() and settings.prepared and not cache.kept(settings):
        print(t(waiting), file=sys.stderr, flush=True)
    return cache.evaluation(settings)


def _report(args: argparse.Namespace) -> int:
    given = {name: value for _, name, *_ in _SETTINGS if (value := getattr(args, name)) is not None}
    if args.camera_model and given:
        options = ", ".join(option for option, name, *_ in _SETTINGS if name in given)
        print(t("cli.error", message=t("cli.camera_model_alone", options=options)), file=sys.stderr)
        return 2
    try:
        settings = CAMERA_DEFAULTS if args.camera_model else TrainSettings(**given)
    except ValueError as error:
        print(t("cli.error", message=error), file=sys.stderr)
        return 2
    # The camera model's is the very model predict reads with.
    result = _evaluation(settings, "cli.training")
    title = "cli.report_title_prepared" if settings.prepared else "cli.report_title"
    print(result.text_report(t(title, classifier=model.svc(result.classifier))))
    return 0


def _unread(path: str, error: str) -> dict:
    return {"file": path, "digit": None, "confidence": None, "error": error}


def _read(path: str, classifier, calibrated) -> tuple[dict, list[str]]:
    """One file's answer (the digit and how sure, or the reason there is none), and
    notes on what makes the digit less certain than its confidence says."""
    try:
        data = read_file(path)
    except OSError as error:
        return _unread(path, error.strerror), []
    try:
        readings = possible_readings(data)
    except PhotoError as error:
        return _unread(path, t(f"photo.error.{error.code}", **error.details)), []
    reading = most_readable(readings, classifier)
    answer = predict(reading.views, classifier, calibrated)
    confidence = round(float(answer.probabilities[answer.digit]), 4)
    notes = []
    if reading.cut_off:
        notes.append(t("cli.cut_off", edges=edges(reading.cut_off)))
    if reading.joined_digits:
        notes.append(t("cli.joined_digits"))
    if reading.another_digit:
        notes.append(t("cli.another_digit"))
    if reading.small:
        notes.append(t("cli.small_digit"))
    return {"file": path, "digit": answer.digit, "confidence": confidence, "error": None}, notes


def _files(paths: Sequence[str]) -> list[tuple[str, str | None]]:
    """The paths given, a folder standing for the files in it (by name, hidden ones left
    out, not looking into folders inside it), each with None; or, for a folder with no
    file to read or that cannot be read, the folder with the reason."""
    files = []
    for path in paths:
        if not Path(path).is_dir():
            files.append((path, None))
            continue
        try:
            inside = sorted(Path(path).iterdir(), key=lambda p: p.name)
        except OSError as error:  # not allowed to look in it, say
            files.append((path, error.strerror))
            continue
        readable = [str(p) for p in inside if p.is_file() and not p.name.startswith(".")]
        files += [(file, None) for file in readable] or [(path, t("cli.empty_folder"))]
    return files


def _predict(args: argparse.Namespace) -> int:
    result = _evaluation(CAMERA_DEFAULTS, "cli.preparing")
    models = result.classifier, calibrate(result)
    failed = False
    for path, problem in _files(args.files):
        answer, notes = (_unread(path, problem), []) if problem else _read(path, *models)
        failed |= answer["error"] is not None
        if args.json:
            print(json.dumps(answer, ensure_ascii=False))
        elif answer["error"] is None:
            print(f"{path}\t{answer['digit']}")
        else:
            print(f"{path}\t{t('cli.error', message=answer['error'])}", file=sys.stderr)
        for note in notes:  # on stderr: the answers keep their one line each
            print(f"{path}\t{t('cli.note', message=note)}", file=sys.stderr)
    return 2 if failed else 0


@contextlib.contextmanager
def _pillow_quiet() -> Iterator[None]:
    """Keep Pillow's remarks on damaged files off the output: warnings ("Corrupt EXIF
    data"; ``python -W`` still shows them) and log messages ("More samples per pixel
    than can be decoded"). Each file's own line says what is wrong with it."""
    log = logging.getLogger("PIL")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            if not sys.warnoptions:
                warnings.simplefilter("ignore")
            yield
    finally:
        log.setLevel(level)


def _utf8_output() -> None:
    """Write UTF-8 whatever the locale's encoding. A file name may hold any letter (a
    Vietnamese one), which a legacy code page cannot write: Windows' cp1252, used when
    the output goes to a file or a pipe. A name that is not valid text (raw bytes on
    Linux) is written back as its own bytes."""
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors=errors)


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_output()
    args = build_parser().parse_args(argv)
    try:
        with _pillow_quiet():
            return {"report": _report, "predict": _predict}[args.command](args)
    except BrokenPipeError:
        # The reader has gone (``predict photos/ | head -1``): stop quietly, as other
        # commands do. What is still buffered goes nowhere, not into another error as
        # Python flushes the streams on its way out.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            os.dup2(devnull, stream.fileno())
        return 1
    except KeyboardInterrupt:  # Ctrl-C at a terminal: stop, without a traceback
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
