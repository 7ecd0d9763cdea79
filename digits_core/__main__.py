"""Command line: ``python -m digits_core report|predict ...``. See README.md."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from digits_core.model import TrainSettings, train_and_evaluate
from digits_core.text import t


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit status 2, no usage dump
        print(t("cli.error", message=message), file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m digits_core", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    report = commands.add_parser("report", help=t("cli.report_help"))
    report.add_argument("--gamma", type=float, default=TrainSettings.gamma)
    report.add_argument("--C", type=float, default=TrainSettings.C)
    report.add_argument("--test-size", type=float, default=TrainSettings.test_size)
    report.add_argument("--shuffle", action="store_true")
    report.add_argument("--seed", type=int, default=TrainSettings.seed)
    return parser


def _report(args: argparse.Namespace) -> int:
    try:
        settings = TrainSettings(args.gamma, args.C, args.test_size, args.shuffle, args.seed)
    except ValueError as error:
        print(t("cli.error", message=error), file=sys.stderr)
        return 2
    print(train_and_evaluate(settings).text_report())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return {"report": _report}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
