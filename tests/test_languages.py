"""Two languages: every page runs in each, and the Vietnamese pages speak Vietnamese."""

import re
import string

import pytest

from digits_core import cache, model, text
from tests.conftest import open_page, opened_at_link

PAGES = ["overview", "train", "tune", "camera"]
# Names that stay as they are in every language; the language switch itself is labelled
# in both, so that someone who cannot read the current one still finds it.
NAMES = {
    "svc", "gamma", "jpeg", "webp", "exif", "otsu", "scikit", "learn", "notebook",
    "https", "localhost", "webcam", "megapixel", "json", "language",
}  # fmt: skip


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_catalogues_have_the_same_keys_and_fields():
    english, vietnamese = text.catalogue("en"), text.catalogue("vi")
    assert set(english) == set(vietnamese)
    for key, sentence in english.items():
        assert _fields(sentence) == _fields(vietnamese[key]), key


def _english_words() -> set[str]:
    words = set()
    for sentence in text.catalogue("en").values():
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", sentence)}
    return words - NAMES


def _shown_text(at) -> list[str]:
    shown = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning",
                 "error", "success"):  # fmt: skip
        shown += [element.value for element in getattr(at, kind)]
    shown += [m.label for m in at.metric]
    shown += [e.label for e in at.expander]
    for kind in ("button", "toggle", "selectbox", "select_slider", "slider", "number_input"):
        for widget in getattr(at, kind):
            shown += [widget.label, widget.help or ""]
    shown += [option for box in at.selectbox for option in box.options]
    shown += [caption for image in at.image for caption in image.captions]
    return shown


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_in_vietnamese_with_no_english_left(app, page):
    app.selectbox(key="language").set_value("vi").run()
    open_page(app, page)
    if page == "camera":
        app.button(key="sample_2").click().run()  # the answer, the steps, the questions
    assert not app.exception
    english = _english_words()
    leftovers = {
        word
        for shown in _shown_text(app)
        for word in re.findall(r"[A-Za-z]{4,}", shown)
        if word.lower() in english
    }
    assert not leftovers, leftovers
    assert app.title[0].value == text.t(f"{page}.title", "vi")


def test_the_language_is_kept_across_pages(app):
    app.selectbox(key="language").set_value("vi").run()
    open_page(app, "train")
    open_page(app, "camera")
    assert app.title[0].value == "Đọc chữ số từ ảnh chụp"
    assert app.selectbox(key="language").value == "vi"


def test_counts_are_written_as_each_language_writes_them(app):
    # Vietnamese groups thousands with a dot: there "1,797" reads as one point seven
    # nine seven. The count under "Images" is written as the title beside it writes it.
    for language, count in (("en", "1,797"), ("vi", "1.797")):
        app.selectbox(key="language").set_value(language).run()
        open_page(app, "overview")
        label = text.t("overview.metric_images", language)
        assert next(m.value for m in app.metric if m.label == label) == count
        assert count in app.title[0].value
    # So are the camera model's thousands of support vectors on the Train page.
    open_page(app, "train")
    app.button(key="camera_defaults").click().run()
    n_support = cache.evaluation(model.CAMERA_DEFAULTS).n_support
    label = text.t("train.support_vectors", "vi")
    assert next(m.value for m in app.metric if m.label == label) == f"{n_support:,}".replace(
        ",", "."
    )


def test_presentation_mode_enlarges_the_text(app):
    open_page(app, "train")
    assert not any("font-size:21px" in h.proto.body for h in app.get("html"))
    app.toggle(key="presentation").set_value(True).run()
    assert not app.exception
    assert any("font-size:21px" in h.proto.body for h in app.get("html"))


def test_a_link_opens_in_its_language_and_presentation_mode():
    # The address a visitor reloads, or a teacher hands a class, keeps both choices.
    at = opened_at_link({"language": text.LANGUAGES["vi"], "presentation": "true"})
    assert not at.exception
    assert at.title[0].value == text.t("overview.title", "vi")
    # Everything drawn before the switch itself is in that language too.
    assert at.selectbox(key="language").label == text.t("app.language", "vi")
    assert any("font-size:21px" in h.proto.body for h in at.get("html"))


def test_a_link_with_an_unknown_language_opens_in_english():
    at = opened_at_link({"language": "Klingon", "presentation": "maybe"})
    assert not at.exception
    assert at.title[0].value == text.t("overview.title", "en")
    assert not at.toggle(key="presentation").value
