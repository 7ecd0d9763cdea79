"""How long the Train page takes to answer a slider move, beside the bare scikit-learn work.

Run: python benchmarks/train_page.py [--repeats N]

Three figures per gamma setting, medians over the repeats, all from this one run:
- bare: scikit-learn alone, SVC fit + predict + classification_report;
- new setting: a full Train-page rerun (AppTest) for a setting not trained before;
- cached setting: a full rerun for a setting trained before.
Timed once the Tune page's map, which the app starts computing in the background when
its first page opens, is ready.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import classification_report  # noqa: E402
from sklearn.svm import SVC  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from app_pages.common import parameter_map  # noqa: E402
from digits_core import data  # noqa: E402
from digits_core.model import C_STEPS, GAMMA_STEPS  # noqa: E402


def bare(gamma: float, C: float) -> float:
    split = data.split()
    start = time.perf_counter()
    classifier = SVC(gamma=gamma, C=C).fit(split.X_train, split.y_train)
    classification_report(split.y_test, classifier.predict(split.X_test), output_dict=True)
    return time.perf_counter() - start


def page_rerun(at: AppTest, gamma: float, C: float) -> float:
    start = time.perf_counter()
    at.select_slider(key="gamma").set_value(gamma)
    at.select_slider(key="C").set_value(C)
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/train.py").run()
    # The first page starts the Tune page's map in the background (seconds of work on
    # every core): timed beside it, both the page and the bare work would be slower.
    parameter_map(progress=lambda done, total: None)
    settings = [(gamma, C) for gamma in (1e-4, 1e-3, 1e-2) for C in C_STEPS[: args.repeats]]
    assert all(gamma in GAMMA_STEPS for gamma, _ in settings)

    rows = []
    for gamma in (1e-4, 1e-3, 1e-2):
        Cs = C_STEPS[: args.repeats]
        bare_times = [bare(gamma, C) for C in Cs]
        new_times = [page_rerun(at, gamma, C) for C in Cs]
        cached_times = [page_rerun(at, gamma, C) for C in Cs]
        rows.append(
            (gamma, *(statistics.median(times) for times in (bare_times, new_times, cached_times)))
        )

    print(f"Train page rerun vs bare scikit-learn (median of {args.repeats} settings each)")
    print(
        f"{'gamma':>8} {'bare fit+predict+report':>24} {'page, new setting':>19} "
        f"{'page, cached':>13} {'new/bare':>9} {'cached/bare':>12}"
    )
    for gamma, bare_s, new_s, cached_s in rows:
        print(
            f"{gamma:>8g} {bare_s * 1000:>21.1f} ms {new_s * 1000:>16.1f} ms "
            f"{cached_s * 1000:>10.1f} ms {new_s / bare_s:>8.2f}x {cached_s / bare_s:>11.2f}x"
        )
    print("Goal: new setting at most 1.5x bare; cached under 0.1x bare.")


if __name__ == "__main__":
    main()
