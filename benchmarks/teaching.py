"""The teaching pictures' cost: the gamma x C map and the validation curve, from cold.

Run: python benchmarks/teaching.py

Printed side by side, all from this one run:
- GridSearchCV alone on the same grid (every gamma and C step) and the same 3 folds,
  with n_jobs=2: the baseline;
- the app's map (the same cells; one RBF kernel per gamma, shared by every C; the
  cells of a row on both cores; it also keeps the training-fold accuracy, so every
  validation curve is one of its columns);
- the validation curves over gamma, one for every C, read off the map;
- the Tune page (where both are drawn), opened right after the first page: the map is
  started in the background once that page has its model, and the Tune page waits for
  the rest of it; then a rerun once cached; a Train-page rerun beside them (AppTest).
  (In a browser, a person looking at the first page for 5 s finds the map ready:
  ``browser_timing.py``.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.model_selection import GridSearchCV, StratifiedKFold  # noqa: E402
from sklearn.svm import SVC  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from digits_core import data, model  # noqa: E402


def seconds(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def median_rerun(at: AppTest, runs: int = 5) -> float:
    times = sorted(seconds(at.run)[0] for _ in range(runs))
    return times[len(times) // 2]


def main() -> None:
    split = data.split()
    grid = {"gamma": model.GAMMA_STEPS, "C": model.C_STEPS}
    search = GridSearchCV(SVC(), grid, cv=StratifiedKFold(3), n_jobs=2)
    grid_s, search = seconds(lambda: search.fit(split.X_train, split.y_train))
    map_s, pmap = seconds(lambda: model.parameter_map())
    curve_s, _ = seconds(lambda: [pmap.curve(C) for C in model.C_STEPS])

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    at.run()
    at.switch_page("app_pages/tune.py")
    first_s, _ = seconds(at.run)  # waits for the map started after the first page
    rerun_s = median_rerun(at)
    at.switch_page("app_pages/train.py")
    at.run()
    train_s = median_rerun(at)

    cells = len(model.GAMMA_STEPS) * len(model.C_STEPS)
    print(f"gamma x C grid: {cells} cells x 3 folds on {len(split.y_train)} training images")
    print(f"{'what':<46}{'time':>10}{'vs GridSearchCV':>17}")
    rows = [
        ("GridSearchCV alone (n_jobs=2)", grid_s),
        ("the app's map, cold", map_s),
        ("all 16 validation curves, from the map", curve_s),
        ("Tune page right after the first page", first_s),
        ("Tune page rerun, cached (median of 5)", rerun_s),
        ("Train page rerun (median of 5)", train_s),
    ]
    for name, value in rows:
        print(f"{name:<46}{value:>9.2f}s{value / grid_s:>16.2f}x")
    best_gamma, best_C, best_accuracy = pmap.best
    agrees = search.best_params_ == {"gamma": best_gamma, "C": best_C}
    print(
        f"best cell: gamma {best_gamma:g}, C {best_C:g}, {best_accuracy:.1%}; "
        f"GridSearchCV agrees: {agrees}"
    )


if __name__ == "__main__":
    main()
