"""Every page, run through Streamlit's AppTest: it runs, and it shows what a user expects."""

import threading

import pytest
from streamlit.testing.v1 import AppTest

from app_pages import common
from digits_core import data, model
from digits_core.model import CAMERA_DEFAULTS, TrainSettings, train_and_evaluate
from digits_core.text import EQUALS
from tests.conftest import ENTRY, open_page, opened_at_link
from tests.notebook import notebook_run

PAGES = ["overview", "train", "tune", "camera"]


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def sidebar_text(at) -> str:
    return " ".join(str(m.value) for m in at.sidebar.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app, page):
    open_page(app, page)
    assert app.title, f"{page} shows no title"


def test_overview_shows_the_data_and_a_digit_as_numbers(app):
    assert metric(app, "Images") == "1,797"
    assert metric(app, "Classes") == "10"
    picker = app.number_input(key="image")
    picker.set_value(10).run()
    assert any("image 10, labelled 0" in m.value for m in app.markdown)


def test_a_link_opens_the_data_page_at_an_image():
    # A teacher's link to one image to look at together: /?image=1234
    at = opened_at_link({"image": "1234"})
    label = int(data.load().target[1234])
    assert any(f"image 1234, labelled {label}" in m.value for m in at.markdown)
    for unreadable in ("99999", "-1", "inf", "1e400", "abc"):  # the first image, no error
        at = opened_at_link({"image": unreadable})
        assert not at.exception, unreadable
        assert at.number_input(key="image").value == 0


@pytest.mark.parametrize("seed", ["inf", "-inf", "1e400", "99999999999", "-5", "x"])
def test_a_link_with_an_unreadable_seed_opens_the_train_page_at_seed_0(seed):
    at = opened_at_link({"seed": seed, "shuffle": "true", "gamma": "0.002"}, "train")
    assert not at.exception
    assert at.number_input(key="seed").value == 0
    assert at.select_slider(key="gamma").value == 0.002  # the rest of the link still holds


def test_train_page_defaults_are_the_notebooks(app):
    open_page(app, "train")
    assert metric(app, "Test accuracy") == notebook_run().accuracy_text
    assert app.select_slider(key="gamma").value == 0.001
    assert app.select_slider(key="C").value == 1.0
    assert not app.warning


def test_large_gamma_shows_memorising_on_the_page(app):
    open_page(app, "train")
    app.select_slider(key="gamma").set_value(0.1).run()
    assert not app.exception
    test_accuracy = float(metric(app, "Test accuracy").rstrip("%")) / 100
    assert test_accuracy < 0.2  # about chance for ten digits
    assert metric(app, "Training accuracy") == "100.0%"
    assert "memorised" in app.warning[0].value
    # The rest of the app now uses this model.
    assert f"gamma{EQUALS}0.1" in sidebar_text(app)


def test_model_choice_survives_leaving_the_page(app):
    open_page(app, "train")
    app.select_slider(key="C").set_value(10.0).run()
    open_page(app, "overview")
    assert f"C{EQUALS}10" in sidebar_text(app)
    open_page(app, "train")
    assert app.select_slider(key="C").value == 10.0


def test_reset_brings_back_the_notebook(app):
    open_page(app, "train")
    app.select_slider(key="gamma").set_value(0.1).run()
    app.button(key="reset").click().run()
    assert app.select_slider(key="gamma").value == 0.001
    assert metric(app, "Test accuracy") == notebook_run().accuracy_text


def test_shuffle_enables_the_seed_and_changes_the_split(app):
    open_page(app, "train")
    assert app.number_input(key="seed").disabled
    app.toggle(key="shuffle").set_value(True).run()
    assert not app.number_input(key="seed").disabled
    app.number_input(key="seed").set_value(7).run()
    assert not app.exception
    expected = train_and_evaluate(TrainSettings(shuffle=True, seed=7)).test_accuracy
    assert metric(app, "Test accuracy") == f"{expected:.1%}"
    # A student typing a seed too large for the shuffle: the field refuses it (in a
    # browser it turns red), and the page goes on with the seed before, no traceback.
    assert app.number_input(key="seed").max == 2**32 - 1
    app.number_input(key="seed").set_value(2**40).run()
    assert not app.exception
    assert app.number_input(key="seed").value <= 2**32 - 1
    assert metric(app, "Test accuracy").endswith("%")


def test_train_page_shows_the_camera_models_own_evaluation(app):
    open_page(app, "train")
    app.button(key="camera_defaults").click().run()
    assert not app.exception
    assert app.toggle(key="prepared").value is True
    assert app.select_slider(key="C").value == 5.0
    expected = train_and_evaluate(CAMERA_DEFAULTS)
    assert metric(app, "Test accuracy") == f"{expected.test_accuracy:.1%}"
    # Thousands of support vectors: grouped, as in "6,055", to be read at a glance.
    assert metric(app, "Support vectors") == f"{expected.n_support:,}"
    assert "Trained on the digits prepared like photos" in " ".join(
        c.value for c in app.sidebar.caption
    )


def test_a_mistake_looked_at_closer_stays_while_it_is_among_those_shown(app):
    from digits_core import model

    open_page(app, "train")
    result = model.train_and_evaluate(model.TrainSettings())
    three_as_eight = int(model.mistakes(result, 3, 8)[0])
    # What a click on its image in the gallery leaves (the browser tests click it).
    app.session_state["mistake_closer"] = (model.TrainSettings(), three_as_eight)
    app.run()
    index = int(result.test_index[three_as_eight])
    headings = [h.value for h in app.subheader]
    assert f"Image {index}: a 3 read as an 8" in headings
    app.selectbox(key="mistake_pair").select((3, 8)).run()  # still among those shown
    assert f"Image {index}: a 3 read as an 8" in [h.value for h in app.subheader]
    app.selectbox(key="mistake_pair").select((4, 9)).run()
    assert not any(h.value.startswith("Image ") for h in app.subheader)
    app.selectbox(key="mistake_pair").select(None).run()
    assert f"Image {index}: a 3 read as an 8" in [h.value for h in app.subheader]
    app.select_slider(key="C").set_value(10.0).run()  # another model: other mistakes
    assert not any(h.value.startswith("Image ") for h in app.subheader)


def test_mistake_gallery_offers_every_confused_pair(app):
    open_page(app, "train")
    choice = app.selectbox(key="mistake_pair")
    run = notebook_run()
    assert f"All mistakes ({run.mistakes})" in choice.options
    assert f"True 3, read as 8 ({run.confusion[3, 8]})" in choice.options
    choice.select((3, 8)).run()
    assert not app.exception
    assert app.selectbox(key="mistake_pair").value == (3, 8)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_something_to_notice(app, page):
    open_page(app, page)
    assert any(e.label == "What to notice" for e in app.expander)


def test_tune_page_shows_the_model_in_use(app):
    open_page(app, "tune")
    assert metric(app, "gamma") == "0.001" and metric(app, "C") == "1"
    assert metric(app, "Test accuracy") == notebook_run().accuracy_text
    open_page(app, "train")
    app.select_slider(key="gamma").set_value(0.0005).run()
    app.select_slider(key="C").set_value(5.0).run()
    open_page(app, "tune")
    assert metric(app, "gamma") == "0.0005" and metric(app, "C") == "5"
    expected = train_and_evaluate(TrainSettings(gamma=0.0005, C=5.0)).test_accuracy
    assert metric(app, "Test accuracy") == f"{expected:.1%}"


def test_the_tune_map_is_computed_once_while_the_first_page_is_read(monkeypatch):
    """A class finds the Tune page ready: the map starts once the first page has its
    model, without holding that page up, and the Tune page then uses that same map."""
    computing, finish = threading.Event(), threading.Event()
    calls = []
    real_map = model.parameter_map

    def watched_map(**options):
        calls.append(threading.current_thread().name)
        computing.set()
        finish.wait(timeout=60)
        return real_map(**options)

    monkeypatch.setattr(model, "parameter_map", watched_map)
    common._map_job.clear()
    try:
        at = AppTest.from_file(ENTRY, default_timeout=60)
        at.run()  # the data page: drawn while the map cannot have finished
        assert not at.exception and at.title
        assert computing.wait(timeout=30), "the map was not started after the first page"
        assert calls == ["parameter-map"]
    finally:
        finish.set()
    open_page(at, "tune")
    assert any(c.proto.spec for c in at.get("plotly_chart")), "no map drawn"
    assert calls == ["parameter-map"]  # computed once, not again for the Tune page
