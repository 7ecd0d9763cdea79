"""Every text a user sees comes from the catalogue, and every key the code asks for exists."""

import ast
import re
from pathlib import Path

import pytest

from digits_core import text

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "streamlit_app.py", *ROOT.glob("app_pages/*.py"), *ROOT.glob("digits_core/*.py")]


def _keys_used() -> set[str]:
    keys = set()
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    return keys


def test_the_code_asks_for_keys_at_all():
    assert len(_keys_used()) > 40


@pytest.mark.parametrize("language", sorted(text.LANGUAGES))
def test_every_key_the_code_uses_is_in_the_catalogue(language):
    missing = _keys_used() - set(text.catalogue(language))
    assert not missing, f"missing from {language}: {sorted(missing)}"


def test_missing_key_names_itself():
    with pytest.raises(KeyError, match=r"no\.such\.key"):
        text.t("no.such.key")


def test_fields_are_filled():
    assert text.t("figures.confusion_hover", true=3, predicted=8, count=5) == (
        "true 3, predicted 8: 5 images"
    )


def test_a_number_gets_its_article_in_english():
    # "Sample photo of a 8" would be read out wrong by a whole class.
    assert text.t("camera.source_sample", digit=8) == "Sample photo of an 8"
    assert text.t("camera.source_sample", digit=3) == "Sample photo of a 3"
    assert text.t("camera.source_sample", "vi", digit=8) == "Ảnh mẫu chữ số 8"
    numbers = {"runner_up": 8, "probability": 0.2}
    assert text.t("camera.not_sure", **numbers).startswith("Not sure: it could also be an 8 (20%)")
    # Every English sentence that puts "a" before a number leaves the article to the field.
    bare = [key for key, value in text.catalogue("en").items() if re.search(r"\ba \{", value)]
    assert not bare


def test_whole_numbers_group_their_thousands_as_each_language_does():
    # The Train page's count of support vectors runs into thousands for the camera model.
    assert [text.whole_number(n) for n in (519, 6055, 1234567)] == ["519", "6,055", "1,234,567"]
    assert [text.whole_number(n, "vi") for n in (519, 6055, 1234567)] == [
        "519", "6.055", "1.234.567"
    ]  # fmt: skip


@pytest.mark.parametrize("language", sorted(text.LANGUAGES))
def test_an_equation_in_a_sentence_never_breaks_across_lines(language):
    # "SVC with gamma = 0.001, C = 5" wraps in a narrow sidebar: it may break after the
    # comma, never inside "C = 5".
    summary = text.t("sidebar.model_summary", language, gamma=0.001, C=5)
    assert summary.endswith(f"gamma{text.EQUALS}0.001, C{text.EQUALS}5")
    breakable = [
        key for key, value in text.catalogue(language).items() if re.search(r" =|= ", value)
    ]
    assert not breakable


def test_pages_pass_no_sentences_straight_to_streamlit():
    # A literal string handed to st.title/st.write/... would bypass the catalogue.
    pattern = re.compile(
        r"\.(title|header|subheader|write|markdown|caption|error|warning|info|success)\(\s*[\"']"
    )
    offenders = [
        f"{page.name}: {line.strip()}"
        for page in [ROOT / "streamlit_app.py", *ROOT.glob("app_pages/*.py")]
        for line in page.read_text().splitlines()
        if pattern.search(line)
    ]
    assert not offenders
