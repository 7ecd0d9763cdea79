"""The whole app as a person uses it: real server, headless Chromium, a fake webcam."""

from __future__ import annotations

import contextlib
import itertools
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digits_core import cache, text
from digits_core.samples import sample_photo
from tests.browser.camera import digit_frame, write_y4m
from tests.browser.chromium import (
    VIEWPORT,
    fake_camera_flags,
    launch,
    read_sample,
    wait_until_drawn,
)
from tests.browser.conftest import Problems
from tests.browser.screenshots import PAGES, take_screenshots
from tests.notebook import notebook_run
from tests.photos import blank_page, digit_photo
from tests.server import running_app, server_output

pytestmark = pytest.mark.browser

NAV = {"overview": "The data", "train": "Train", "tune": "Tune", "camera": "Camera"}
TITLES = {
    "overview": "The data: 1,797 handwritten digits",
    "train": "Train a support\u2011vector classifier",  # a hyphen no line breaks at
    "tune": "Tune gamma and C",
    "camera": "Read a digit from a photo",
}


SMALL_PROJECTOR = {"width": 1024, "height": 768}
PHONE = {"width": 390, "height": 844}
FULL_HD = {"width": 1920, "height": 1080}  # a newer projector, or a large screen
# What a class would not see whole: text ended with "…" or cut off by its box, a table
# wider than its column, titles of a chart drawn over one another, an axis of digits with
# some of them left out or drawn over one another, numbers in a chart's cells run
# together ("1415") or drawn over one another, a picture's title off to its side.
HIDDEN_OR_OVERLAPPING = """() => {
    const found = [];
    // Whether two boxes overlap, or come closer than ``gap`` pixels (less than 0: overlap
    // by more than -gap).
    const near = (a, b, gap) => a.left < b.right + gap && b.left < a.right + gap
        && a.top < b.bottom + gap && b.top < a.bottom + gap;
    document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *').forEach(e => {
        const box = e.getBoundingClientRect();
        if (box.right <= 0 || box.left >= innerWidth) return;  // a sidebar folded away
        const style = getComputedStyle(e);
        const clips = style.textOverflow === 'ellipsis'
            || ['hidden', 'auto', 'scroll'].includes(style.overflowX);
        if (clips && e.clientWidth > 2 && e.scrollWidth > e.clientWidth + 1)
            found.push('cut short: ' + e.innerText.trim().slice(0, 40));
    });
    document.querySelectorAll('[data-testid=stPlotlyChart]').forEach(chart => {
        const key = chart.closest('[class*=st-key-]')?.className.match(/st-key-[a-z_-]+/);
        const boxes = [...chart.querySelectorAll('g.annotation')]
            .map(a => a.getBoundingClientRect()).filter(r => r.width > 0);
        ['xtick', 'ytick'].forEach(axis => {
            const ticks = [...chart.querySelectorAll(`g.${axis} text`)];
            const labels = ticks.map(t => t.textContent);
            if (labels.length > 1 && labels.every(l => /^[0-9]$/.test(l)) && labels.length < 10)
                found.push(`digits left out: ${labels} (${key})`);
            const boxes = ticks.map(t => t.getBoundingClientRect()).filter(r => r.width > 0);
            if (boxes.some((a, i) => boxes.slice(i + 1).some(b => near(a, b, -1))))
                found.push(`axis labels over one another: ${labels} (${key})`);
        });
        // Each number's box, as tall as its figures (a text's box has room above and
        // below them); numbers less than 2 pixels apart run together: "14" "15", "1415".
        const numbers = [...chart.querySelectorAll('g.heatmap-label text')].map(t => {
            const box = t.getBoundingClientRect();
            const middle = (box.top + box.bottom) / 2;
            const half = 0.35 * parseFloat(getComputedStyle(t).fontSize);
            return {left: box.left, right: box.right, top: middle - half, bottom: middle + half};
        }).filter(box => box.right > box.left);
        let crowded = 0;
        numbers.forEach((a, i) => numbers.slice(i + 1).forEach(b => {
            if (near(a, b, 2)) crowded++;
        }));
        if (crowded) found.push(`cell numbers run together: ${crowded} pairs (${key})`);
        // A title over a picture (a digit's 8x8 grid, the map) is read as its caption only
        // above it: not off to its side, in the room around a square grid.
        const title = chart.querySelector('.g-gtitle text')?.getBoundingClientRect();
        const cells = chart.querySelector('.heatmaplayer')?.getBoundingClientRect();
        if (title && cells && title.width > 0) {
            const middle = (title.left + title.right) / 2;
            if (middle < cells.left || middle > cells.right)
                found.push(`title beside its picture (${key})`);
        }
        boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
            if (near(a, b, -1))
                found.push('titles overlap: ' + chart.innerText.trim().slice(0, 40));
        }));
    });
    return found;
}"""


# The blank above and below each gallery's images and each digit's 8x8 grid, in pixels: a
# chart drawn taller than its picture leaves a band a class scrolls past for nothing, and
# a grid beside a gallery starts lower than the gallery does.
GALLERY_BANDS = """() => Object.fromEntries(
    ['gallery', 'predictions', 'mistakes', 'examples', 'closer', 'grid', 'notebook_grid']
    .map(key => [key, document.querySelector(`.st-key-${key} [data-testid=stPlotlyChart]`)])
    .filter(([, chart]) => chart)
    .map(([key, chart]) => {
        const box = chart.getBoundingClientRect();
        const images = chart.querySelector('.heatmaplayer image').getBoundingClientRect();
        return [key, Math.round(Math.max(images.top - box.top, box.bottom - images.bottom))];
    }))"""


# Whether an element is on the screen, whole, and not under Streamlit's header.
IN_VIEW = """element => { const box = element.getBoundingClientRect();
    const header = document.querySelector('[data-testid=stHeader]').getBoundingClientRect();
    return box.height > 0 && box.top >= header.bottom && box.bottom <= window.innerHeight; }"""


def metric(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def open_app(page, url: str, path: str = "") -> None:
    page.goto(f"{url}/{path}")
    wait_until_drawn(page)


def wait_for_page(page, condition: str, timeout_ms: int = 30_000) -> None:
    """Wait until a JavaScript condition holds on the page, then until it is drawn."""
    page.wait_for_function(condition, timeout=timeout_ms)
    wait_until_drawn(page)


def assert_no_problems(page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert not page.problems.errors, page.problems.errors


def test_first_visit_to_a_deep_link_shows_the_apps_own_navigation(browser_ready, browser):
    # A fresh server whose very first visitor opens /train directly.
    with running_app() as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        open_app(page, url, "train")
        page.get_by_role("heading", name=TITLES["train"]).wait_for(timeout=60_000)
        links = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
        assert [link.split("\n")[-1].strip() for link in links] == list(NAV.values())
        assert page.get_by_role("heading", name=TITLES["train"]).is_visible()
        context.close()


def test_the_first_visitor_to_the_camera_page_sees_the_model_being_prepared(
    browser_ready, browser, tmp_path
):
    # A first start on this computer: the camera's model takes seconds to build, and a
    # teacher who opened the Camera page first must see that it is coming, on the
    # screen, not below it.
    with running_app(env={cache.FOLDER_VARIABLE: str(tmp_path)}) as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(f"{url}/camera")
        spinner = page.get_by_test_id("stSpinner").filter(has_text="Preparing the model")
        spinner.wait_for(timeout=60_000)
        assert spinner.evaluate(IN_VIEW)
        wait_until_drawn(page)
        assert page.get_by_text("Choose a sample photo, upload one").is_visible()
        context.close()


def test_every_page_opens_from_the_sidebar_without_errors(page, app_url):
    open_app(page, app_url)
    for name, label in NAV.items():
        page.get_by_test_id("stSidebarNav").get_by_role("link", name=label).click()
        # The click starts a rerun: wait for the new page's title, then for it to finish.
        page.get_by_role("heading", name=TITLES[name]).wait_for(timeout=60_000)
        wait_until_drawn(page)
        assert_no_problems(page)


def test_the_language_and_presentation_mode_survive_a_reload(page, app_url):
    # A laptop that slept through a discussion, or a teacher pressing F5: the page comes
    # back as the class was reading it, not in English and small type.
    open_app(page, app_url, "camera")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("combobox").click()
    page.get_by_role("option", name="Tiếng Việt").click()
    page.get_by_role("heading", name="Đọc chữ số từ ảnh chụp").wait_for(timeout=30_000)
    sidebar.get_by_test_id("stCheckbox").filter(has_text="Chế độ trình chiếu").click()
    wait_for_page(page, "() => getComputedStyle(document.documentElement).fontSize === '21px'")
    page.reload()
    wait_until_drawn(page)
    assert page.get_by_role("heading", name="Đọc chữ số từ ảnh chụp").is_visible()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"
    # ...and so does every page the class goes on to.
    page.get_by_test_id("stSidebarNav").get_by_role("link").nth(1).click()
    page.get_by_role("heading", name="Huấn luyện bộ phân loại SVC").wait_for(timeout=60_000)
    wait_until_drawn(page)
    page.reload()
    wait_until_drawn(page)
    assert page.get_by_role("heading", name="Huấn luyện bộ phân loại SVC").is_visible()
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"
    assert_no_problems(page)


def test_a_link_in_vietnamese_opens_every_word_in_vietnamese(page, app_url):
    open_app(page, app_url, "camera?language=Ti%E1%BA%BFng+Vi%E1%BB%87t&presentation=true")
    assert page.get_by_role("heading", name="Đọc chữ số từ ảnh chụp").is_visible()
    links = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    assert [link.split("\n")[-1].strip() for link in links] == [
        "Dữ liệu", "Huấn luyện", "Tinh chỉnh", "Máy ảnh"
    ]  # fmt: skip
    assert page.title() == text.t("app.title", "vi")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "21px"


# Each element a selector finds: its text, and where each piece of text matching a
# pattern is drawn, as [the match's number, its text, its line's top, its width] for each
# line it is drawn on (a piece split across lines has two).
TEXT_PIECES = """([selector, pattern]) => [...document.querySelectorAll(selector)]
    .map(element => {
        const pieces = [];
        const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        let number = 0;
        for (let node; (node = walker.nextNode());) {
            for (const match of node.data.matchAll(new RegExp(pattern, 'g'))) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                for (const rect of range.getClientRects()) {
                    pieces.push([number, match[0], Math.round(rect.top / 4), rect.width]);
                }
                number += 1;
            }
        }
        return [element.innerText, pieces];
    })"""


def _text_pieces(page, selector: str, pattern: str) -> list:
    return page.evaluate(TEXT_PIECES, [selector, pattern])


def test_the_model_in_use_is_never_split_across_lines_on_a_projector(page, app_url):
    # In presentation mode the sidebar is narrow for its type: "SVC with gamma = 0.001,
    # C = 5" wraps, and the back row must not read "C" on one line and "= 5" on the next.
    open_app(page, app_url, "?presentation=true")
    [(_, pieces)] = _text_pieces(page, "[data-testid=stSidebar]", r"\S+\s*=\s*[^\s,]+")
    drawn: dict[int, tuple[str, set[int]]] = {}  # each equation, and the lines it is on
    for number, equation, top, _ in pieces:
        drawn.setdefault(number, (re.sub(r"\s", " ", equation), set()))[1].add(top)
    equations = [(equation, len(tops)) for equation, tops in drawn.values()]
    assert [equation for equation, _ in equations] == ["gamma = 0.001", "C = 5"]
    assert all(lines == 1 for _, lines in equations), equations


def _heading_lines(page) -> dict[str, list[tuple[list[str], float]]]:
    """Every heading on the page: its lines as drawn, each (its words, its width)."""
    lines = {}
    headings = "[data-testid=stMain] :is(h1, h2, h3)"
    for heading, pieces in _text_pieces(page, headings, r"\S+"):
        by_top: dict[int, tuple[list[str], float]] = {}
        for _, word, top, width in pieces:
            texts, total = by_top.get(top, ([], 0.0))
            by_top[top] = ([*texts, word], total + width)
        lines[heading] = [by_top[top] for top in sorted(by_top)]
    return lines


@pytest.mark.parametrize("path", ["camera", "train"])
def test_headings_wrap_into_even_lines_and_whole_words(page, app_url, path):
    # In presentation mode a long heading wraps, and the back row must not read "What the
    # model saw, beside training images of a" with the digit itself, "2", on a line below,
    # nor "Train a support-" above "vector classifier".
    open_app(page, app_url, f"{path}?presentation=true")
    if path == "camera":
        read_sample(page, 2)
        wait_until_drawn(page)
    headings = _heading_lines(page)
    assert TITLES[path] in headings
    wrapped = {heading: lines for heading, lines in headings.items() if len(lines) > 1}
    assert wrapped, headings  # in presentation mode the page's title is two lines long
    widest = {heading: max(width for _, width in lines) for heading, lines in wrapped.items()}
    short = [heading for heading, lines in wrapped.items() if lines[-1][1] < 0.4 * widest[heading]]
    assert not short, wrapped
    # A word split at its hyphen is drawn in two pieces, on two lines.
    split = [
        heading
        for heading, lines in headings.items()
        if [word for words, _ in lines for word in words] != heading.split()
    ]
    assert not split, wrapped


# Every piece of text drawn on the page that a class is meant to read, as [its text, its
# contrast against what lies behind it]. Contrast as WCAG reckons it, of the colour drawn:
# the text's own, faded by its opacity and its boxes', over the nearest opaque background
# behind it. Left out: what is not drawn (or fully transparent, or a pixel wide: words for
# screen readers only), a disabled widget's words (grayed on purpose), icons, a chosen
# file's name and size (the uploader's own), and the numbers on a heatmap's cells (Plotly
# draws each in black or white, whichever its cell needs).
CONTRASTS = """() => {
    const rgba = colour => {
        const parts = (colour.match(/[\\d.]+/g) || []).map(Number);
        return parts.length < 3 ? null : [...parts.slice(0, 3), parts.length > 3 ? parts[3] : 1];
    };
    const luminance = rgb => {
        const linear = rgb.map(value => {
            value /= 255;
            return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
    };
    // The nearest box around the text with an opaque background that is drawn behind it
    // too: a slider's value is written in its thumb's box, but above the thumb.
    const behind = (element, x, y) => {
        for (let e = element; e; e = e.parentElement) {
            const colour = rgba(getComputedStyle(e).backgroundColor);
            const box = e.getBoundingClientRect();
            const under = box.left <= x && x <= box.right && box.top <= y && y <= box.bottom;
            if (colour && colour[3] > 0.5 && under) return colour;
        }
        return [255, 255, 255, 1];
    };
    const skipped = '.heatmaplayer, [data-testid=stFileChip]';
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
        const element = node.parentElement;
        const words = node.data.trim();
        if (!words || !element.checkVisibility({visibilityProperty: true})) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        const own = element.getBoundingClientRect();
        if (Math.min(box.width, box.height, own.width, own.height) < 2) continue;
        if (element.closest(skipped)) continue;
        if (element.closest('[data-testid=stElementContainer]')?.querySelector(':disabled'))
            continue;
        const style = getComputedStyle(element);
        if (style.fontFamily.includes('Material')) continue;
        const svg = element instanceof SVGElement;
        const colour = rgba(svg ? style.fill : style.color);
        if (!colour) continue;
        let opacity = colour[3] * (svg ? Number(style.fillOpacity) : 1);
        for (let e = element; e; e = e.parentElement)
            opacity *= Number(getComputedStyle(e).opacity);
        if (opacity < 0.05) continue;
        const back = behind(element, (box.left + box.right) / 2, (box.top + box.bottom) / 2);
        const drawn = [0, 1, 2].map(i => colour[i] * opacity + back[i] * (1 - opacity));
        const [light, dark] = [luminance(drawn), luminance(back)].sort((a, b) => b - a);
        found.push([words.slice(0, 50), (light + 0.05) / (dark + 0.05)]);
    }
    return found;
}"""


# Where each page is looked at, and words it must then show (the charts' axes, captions,
# messages), so that the words measured are the ones a class reads.
READ_ON_A_PROJECTOR = {
    "the data": ("", ["Images", "Digit", "scikit-learn's digits were written"]),
    "train, memorising": (
        "train?gamma=0.1&C=1000",
        ["True digit", "Predicted digit", "Training accuracy 100% but", "Rows are the true"],
    ),
    "tune": ("tune", ["gamma", "100%", "Where the Train page's sliders stand"]),
    "camera": ("camera", ["Probability", "1. The photo as taken", "No digit found in this photo."]),
}


@pytest.mark.parametrize("place", READ_ON_A_PROJECTOR)
def test_every_word_is_dark_enough_to_read_on_a_projector(page, app_url, place):
    # A projector washes out gray: Streamlit's captions (4.6:1 against white) and its
    # charts' axes (3.7:1) fade from the back of a room. Every word is at least 7:1,
    # WCAG's strictest level: axis numbers and titles, the captions that say why each step
    # is there, the warning that the model memorised, the error for a photo of no digit.
    path, expected = READ_ON_A_PROJECTOR[place]
    open_app(page, app_url, f"{path}{'&' if '?' in path else '?'}presentation=true")
    seen = page.evaluate(CONTRASTS)
    if place == "camera":
        read_sample(page, 3)
        wait_until_drawn(page)
        seen += page.evaluate(CONTRASTS)
        upload = page.get_by_test_id("stFileUploaderDropzoneInput")
        upload.set_input_files(
            files=[{"name": "blank.jpg", "mimeType": "image/jpeg", "buffer": blank_page()}]
        )
        page.get_by_test_id("stAlert").filter(has_text="No digit found").wait_for(timeout=60_000)
        wait_until_drawn(page)
        seen += page.evaluate(CONTRASTS)
    missing = [words for words in expected if not any(text.startswith(words) for text, _ in seen)]
    assert not missing
    faint = sorted({(text, round(ratio, 1)) for text, ratio in seen if ratio < 7})
    assert not faint
    assert_no_problems(page)


def test_the_train_pages_settings_survive_a_reload_and_come_in_a_link(page, app_url):
    # A teacher's prepared link: the Train page opens at that setting, and it is the model
    # in use; a reload keeps it; a setting the widgets do not offer is left out.
    open_app(page, app_url, "train?gamma=0.05&C=10&shuffle=true&seed=7")
    assert _slider_values(page) == ["0.05", "10", "0.50"]
    assert (
        page.get_by_test_id("stSidebar").get_by_text("SVC with gamma = 0.05, C = 10").is_visible()
    )
    page.get_by_role("button", name="Camera model").click()
    wait_for_page(page, "() => location.search.includes('prepared=true')", timeout_ms=60_000)
    page.reload()
    wait_until_drawn(page)
    assert _slider_values(page) == ["0.001", "5", "0.25"]
    assert (
        page.get_by_test_id("stSidebar").get_by_text("Trained on the digits prepared").is_visible()
    )
    open_app(page, app_url, "train?gamma=0.0013&C=-1&test_size=5&seed=x&shuffle=maybe")
    assert _slider_values(page) == ["0.001", "1", "0.50"]
    assert_no_problems(page)


def test_a_link_to_one_image_of_the_data_opens_at_it(page, app_url):
    open_app(page, app_url, "?image=1234")
    closer = page.locator(".st-key-closer_look")
    closer.get_by_text("This is image 1234").wait_for(timeout=10_000)
    wait_for_page(page, f"() => ({IN_VIEW})(document.querySelector('.st-key-closer_look'))")
    # Another image chosen goes in the address, for a reload or a link to it.
    closer.get_by_role("spinbutton").fill("42")
    closer.get_by_role("spinbutton").press("Enter")
    closer.get_by_text("This is image 42").wait_for(timeout=30_000)
    page.wait_for_function("() => location.search === '?image=42'", timeout=30_000)


@pytest.mark.parametrize(
    "path, title, kept",
    [
        ("train?seed=inf&shuffle=true&gamma=0.002", TITLES["train"], "?shuffle=true&gamma=0.002"),
        ("?image=1e400&presentation=true", TITLES["overview"], "?presentation=true"),
    ],
)
def test_a_link_with_an_infinite_number_opens_its_page_without_it(page, app_url, path, title, kept):
    # Streamlit fails on these where it drops other unreadable values: the app drops them.
    open_app(page, app_url, path)
    wait_for_page(page, f"() => location.search === '{kept}'")
    # The page is opened again: its script may not have started when the address changes.
    page.get_by_role("heading", name=title).wait_for(timeout=30_000)
    wait_until_drawn(page)
    assert_no_problems(page)


def _slider_values(page) -> list[str]:
    return page.get_by_role("slider").evaluate_all(
        "sliders => sliders.map(slider => slider.getAttribute('aria-valuetext'))"
    )


def test_the_servers_terminal_stays_quiet_while_a_class_uses_the_app(browser_ready, browser):
    # The terminal a teacher started the app from shows its address, then nothing: a
    # warning or a traceback there looks like something broke.
    with running_app() as url:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        open_app(page, url, "train?gamma=0.002")
        page.get_by_role("button", name="Reset", exact=True).click()
        wait_for_page(page, "() => !location.search.includes('gamma')", timeout_ms=60_000)
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Camera").click()
        page.get_by_role("heading", name=TITLES["camera"]).wait_for(timeout=60_000)
        wait_until_drawn(page)
        read_sample(page, 3)
        context.close()
        output = server_output(url)
    assert not re.search(r"warn|error|traceback|exception", output, re.IGNORECASE), output


def _confusion_numbers(page) -> list[str]:
    chart = page.get_by_test_id("stPlotlyChart").first
    return chart.locator("g.heatmaplayer text, .textpoint text, text").all_inner_texts()


def test_moving_gamma_changes_accuracy_and_the_confusion_matrix(page, app_url):
    open_app(page, app_url, "train")
    notebook = notebook_run().accuracy_text
    assert metric(page, "Test accuracy") == notebook
    before = _confusion_numbers(page)
    thumb = page.get_by_test_id("stSlider").first.get_by_role("slider")
    thumb.focus()
    for _ in range(6):  # 0.001 -> 0.002, 0.005, 0.01, 0.02, 0.05, 0.1
        thumb.press("ArrowRight")
    # The test accuracy itself changed (the training accuracy differs from the notebook's
    # test accuracy before any rerun), then the rerun finished.
    wait_for_page(
        page,
        "() => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(e => e.innerText.includes('Test accuracy')"
        f" && !e.innerText.includes('{notebook}'))",
        timeout_ms=60_000,
    )
    wait_until_drawn(page)
    test_accuracy = float(metric(page, "Test accuracy").rstrip("%"))
    assert test_accuracy < 20
    assert metric(page, "Training accuracy") == "100.0%"
    assert _confusion_numbers(page) != before
    assert_no_problems(page)


def _point_at(page, chart, row: float, column: float) -> tuple[float, float]:
    """Move the mouse to a place in a chart's plot area given as fractions (0..1 from the
    top left); return the point."""
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    plot = chart.locator(".nsewdrag").first.bounding_box()
    x = plot["x"] + plot["width"] * column
    y = plot["y"] + plot["height"] * row
    page.mouse.move(x, y)
    return x, y


def _point_at_cell(page, true: int, predicted: int):
    """Move the mouse over one cell of the confusion matrix; return the chart and point."""
    chart = page.get_by_test_id("stPlotlyChart").first
    return chart, _point_at(page, chart, (true + 0.5) / 10, (predicted + 0.5) / 10)


def test_hovering_a_confusion_cell_tells_its_story(page, app_url):
    open_app(page, app_url, "train")
    # Row "true 3", column "predicted 8": the 3s the notebook's model read as 8.
    chart, _ = _point_at_cell(page, 3, 8)
    hover = chart.locator(".hoverlayer .hovertext")
    hover.first.wait_for(timeout=10_000)
    count = notebook_run().confusion[3, 8]
    assert f"true 3, predicted 8: {count} images" in hover.first.text_content()


def test_clicking_a_confusion_cell_shows_only_those_mistakes(page, app_url):
    open_app(page, app_url, "train")
    run = notebook_run()
    count = int(run.confusion[3, 8])
    _, (x, y) = _point_at_cell(page, 3, 8)
    gallery = page.get_by_test_id("stPlotlyChart").nth(2)
    assert len(gallery.locator(".annotation-text").all_text_contents()) == run.mistakes  # all
    page.mouse.click(x, y)
    wait_for_page(
        page,
        "() => document.querySelectorAll('[data-testid=stPlotlyChart]')[2]"
        f"?.querySelectorAll('.annotation-text').length === {count}",
    )
    assert gallery.locator(".annotation-text").all_text_contents() == ["3 → 8"] * count
    choice = page.get_by_test_id("stSelectbox").filter(has_text="Which mistakes")
    shown = choice.inner_text() + " ".join(
        field.input_value() for field in choice.locator("input").all()
    )
    assert f"True 3, read as 8 ({count})" in shown
    # A click on the first of them looks at it closer: its numbers beside training 3s
    # and 8s. The data page numbers it as the test images start after the training half.
    first = (
        1797 - len(run.y_test) + int(np.flatnonzero((run.y_test == 3) & (run.predicted == 8))[0])
    )
    # Its middle: the image is 8 of the gallery's 78 columns, under a title 3 rows tall.
    page.mouse.click(*_point_at(page, gallery, (3 + 4) / 11, 4 / 78))
    heading = page.get_by_role("heading", name=f"Image {first}: a 3 read as an 8")
    page.wait_for_function(IN_VIEW, arg=heading.element_handle(timeout=60_000), timeout=10_000)
    closer = page.locator(".st-key-mistake_closer")
    assert closer.locator(".annotation-text").all_text_contents() == ["3"] * 4 + ["8"] * 4
    assert_no_problems(page)


def test_a_sample_photo_is_read(page, app_url):
    open_app(page, app_url, "camera")
    page.get_by_role("button", name="6", exact=True).click()
    page.get_by_test_id("stMetric").filter(has_text="The model reads").wait_for(timeout=60_000)
    wait_until_drawn(page)
    assert metric(page, "The model reads") == "6"
    assert page.get_by_test_id("stImageCaption").filter(has_text=re.compile(r"^9\. ")).count() == 1
    # The class says which digit it was: the count starts.
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name="6", exact=True).click()
    page.get_by_test_id("stMetric").filter(has_text="This app, so far").wait_for(timeout=60_000)
    wait_until_drawn(page)
    assert metric(page, "This app, so far") == "1 of 1 right"
    # The class says it was a 5: a link takes it to the grid beside training 6s and 5s.
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name="5", exact=True).click()
    page.get_by_role("link", name="Why? Its grid beside training images of both").click()
    heading = page.get_by_role(
        "heading", name="What the model saw, beside training images of a 6 and of a 5"
    )
    page.wait_for_function(IN_VIEW, arg=heading.element_handle(timeout=60_000), timeout=10_000)
    assert metric(page, "This app, so far") == "0 of 1 right"
    # Another page and back: the photo and its answer are there, and the page opens at
    # its top, as any page does; it is not scrolled to the answer again.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Train").click()
    page.get_by_role("heading", name=TITLES["train"]).wait_for(timeout=60_000)
    wait_until_drawn(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Camera").click()
    page.get_by_test_id("stMetric").filter(has_text="The model reads").wait_for(timeout=60_000)
    wait_until_drawn(page)
    page.wait_for_timeout(2000)  # as long as a scroll into view takes
    assert metric(page, "The model reads") == "6"
    assert page.get_by_test_id("stMain").evaluate("main => main.scrollTop") == 0
    assert_no_problems(page)


def count_sample(page, digit: int, written: int) -> None:
    """On the Camera page: read the sample photo of ``digit``, say that ``written`` was
    written in it, and wait until the count shows."""
    read_sample(page, digit)
    wait_until_drawn(page)
    page.get_by_test_id("stButtonGroup").get_by_role("radio", name=str(written), exact=True).click()
    page.get_by_test_id("stMetric").filter(has_text="This app, so far").wait_for(timeout=60_000)
    wait_until_drawn(page)


def test_the_browser_asks_before_a_reload_would_lose_the_class_count(page, app_url):
    # Reloading is a teacher's reflex when something seems stuck. It starts a new session,
    # and the class's count of its photos would be gone: the browser asks first.
    open_app(page, app_url, "camera")
    count_sample(page, 3, written=3)
    with page.expect_event("dialog") as asked:
        page.evaluate("setTimeout(() => location.reload())")
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # "Stay on page": the count is still there
    page.wait_for_timeout(1000)
    assert metric(page, "This app, so far") == "1 of 1 right"
    # Moving to another page loses nothing, and is not asked about.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Train").click()
    page.get_by_role("heading", name=TITLES["train"]).wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Camera").click()
    wait_until_drawn(page)
    # With the count started again there is nothing to lose: the reload goes ahead (a
    # dialog now would be dismissed, and the reload would never finish).
    page.get_by_role("button", name="Start the count again").click()
    page.get_by_test_id("stMetric").filter(has_text="This app, so far").wait_for(state="detached")
    wait_until_drawn(page)
    page.reload(timeout=30_000)
    wait_until_drawn(page)
    assert page.get_by_test_id("stMetric").count() == 0
    assert_no_problems(page)


def test_the_class_count_downloads_as_its_photos_and_a_table(page, app_url):
    # At the end of a lesson the count goes home with the teacher: each photo as it was
    # sent, named by what was written and what was read, and the table of them all.
    open_app(page, app_url, "camera")
    count_sample(page, 3, written=5)  # the class says it was a 5: read wrong
    before = len(server_output(app_url))
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download the count").click()
    assert download.value.suggested_filename == "digits-count.zip"
    with zipfile.ZipFile(download.value.path()) as file:
        header, *rows = file.read("digits-count/count.csv").decode().splitlines()
        photo = file.read("digits-count/photos/01-written-5-read-3.jpg")
    assert header == "photo,written,this_app,notebook_way,file"
    assert len(rows) == 1 and re.fullmatch(r"1,5,3,\d,photos/01-written-5-read-3\.jpg", rows[0])
    assert photo == sample_photo(3)
    # The page goes on as it was: the count and the answer still there.
    assert metric(page, "This app, so far") == "0 of 1 right"
    assert_no_problems(page)
    # The file is made when asked for, in a thread of the server's: it says nothing.
    assert server_output(app_url)[before:] == ""


CHARTS_CODE_LOADED = """() => performance.getEntriesByType('resource')
    .some(entry => /\\/PlotlyChart\\.[^/]*\\.js/.test(entry.name))"""

# The room between the blocks either side of the hidden chart, and the page's own gap
# between blocks.
AROUND_THE_HIDDEN_CHART = """() => {
    const wrapper = document.querySelector(':has(> .st-key-charts_ahead)');
    const before = wrapper.previousElementSibling.getBoundingClientRect();
    const after = wrapper.nextElementSibling.getBoundingClientRect();
    return [after.top - before.bottom, parseFloat(getComputedStyle(wrapper.parentElement).rowGap)];
}"""


def test_a_tab_opened_at_the_camera_page_loads_the_charts_code_before_the_first_photo(
    page, app_url
):
    # A link to the Camera page, or a reload there: no chart on the page yet. The charts'
    # code (megabytes) is loaded while the class looks at the page, not after the first
    # photo is read, when that answer's charts came a second after its digit.
    open_app(page, app_url, "camera")
    page.wait_for_function(CHARTS_CODE_LOADED, timeout=10_000)
    # ...by a chart no one sees, which leaves no band on the page.
    assert page.locator("[data-testid=stPlotlyChart] >> visible=true").count() == 0
    room, gap = page.evaluate(AROUND_THE_HIDDEN_CHART)
    assert room == pytest.approx(gap, abs=0.5)
    read_sample(page, 3)
    wait_until_drawn(page)
    assert page.locator("[data-testid=stPlotlyChart] >> visible=true").count() >= 3
    assert_no_problems(page)


# A phone names its photos in capitals; Windows often names a JPEG saved from the web .jfif.
@pytest.mark.parametrize("name", ["four.jpg", "IMG_0004.JFIF"])
def test_upload_reads_a_photo_and_survives_a_file_that_is_not_one(page, app_url, tmp_path, name):
    open_app(page, app_url, "camera")
    upload = page.get_by_test_id("stFileUploaderDropzoneInput")
    not_a_photo = tmp_path / "shopping-list.png"
    not_a_photo.write_text("eggs, milk, bread")
    upload.set_input_files(str(not_a_photo))
    page.get_by_test_id("stAlert").filter(has_text="not a picture").wait_for(timeout=60_000)
    assert page.get_by_test_id("stException").count() == 0

    photo = tmp_path / name
    photo.write_bytes(digit_photo(4))
    upload.set_input_files(str(photo))
    page.get_by_test_id("stMetric").filter(has_text="The model reads").wait_for(timeout=60_000)
    wait_until_drawn(page)
    assert metric(page, "The model reads") == "4"
    assert page.get_by_test_id("stAlert").filter(has_text="not a picture").count() == 0
    assert_no_problems(page)


@contextlib.contextmanager
def camera_turned_on(playwright, app_url: str, video: Path, **context_options):
    """The Camera page in a Chromium whose camera shows ``video``, the camera turned on:
    yields the page."""
    chromium = launch(playwright, fake_camera_flags(video))
    try:
        context = chromium.new_context(**({"viewport": VIEWPORT} | context_options))
        context.grant_permissions(["camera"], origin=app_url)
        page = context.new_page()
        open_app(page, app_url, "camera")
        page.get_by_test_id("stCheckbox").get_by_text("Turn the camera on").click()
        yield page
    finally:
        chromium.close()


@pytest.mark.parametrize(
    ("digit", "size"),
    [(3, (640, 480)), (5, (1280, 720)), (7, (640, 480))],
    ids=["3, 640x480", "5, 1280x720 (what the page asks for)", "7, 640x480"],
)
def test_the_fake_webcam_photo_is_read(playwright, app_url, tmp_path, digit, size):
    video = write_y4m(tmp_path / f"digit-{digit}.y4m", digit_frame(digit, size))
    with camera_turned_on(playwright, app_url, video) as page:
        take = page.get_by_test_id("stCameraInputButton")
        take.wait_for(timeout=30_000)
        page.wait_for_function(
            "() => { const v = document.querySelector('[data-testid=stCameraInput] video');"
            " return v && v.readyState >= 2 && v.videoWidth > 0; }",
            timeout=30_000,
        )
        # Below the first screen of a projector, the button comes into view by itself...
        page.wait_for_function(IN_VIEW, arg=take.element_handle(), timeout=10_000)
        take.click()
        answer = page.get_by_test_id("stMetric").filter(has_text="The model reads")
        answer.wait_for(timeout=60_000)
        # ...and so does the answer, below the camera.
        page.wait_for_function(IN_VIEW, arg=answer.element_handle(), timeout=10_000)
        wait_until_drawn(page)
        assert metric(page, "The model reads") == str(digit)
        captions = page.get_by_test_id("stImageCaption").all_inner_texts()
        assert sum(bool(re.match(r"^\d\. ", c)) for c in captions) == 9
        # For the next photo: cleared, the camera comes back into view, whole.
        page.get_by_role("button", name="Clear photo").dispatch_event("click")
        camera = page.locator(".st-key-camera")
        page.wait_for_function(
            "camera => !!camera.querySelector('video')", arg=camera.element_handle()
        )
        page.wait_for_function(IN_VIEW, arg=camera.element_handle(), timeout=10_000)
        assert page.get_by_test_id("stException").count() == 0


def test_on_a_phone_the_camera_says_how_to_turn_to_the_back_camera(playwright, app_url, tmp_path):
    # A phone opens its front camera, facing whoever holds it; the paper is easier to
    # photograph with the back one.
    video = write_y4m(tmp_path / "digit-4.y4m", digit_frame(4))
    phone = {"viewport": PHONE, "user_agent": PHONE_AGENT, "is_mobile": True, "has_touch": True}
    with camera_turned_on(playwright, app_url, video, **phone) as page:
        video_box = page.locator("[data-testid=stCameraInput] video")
        video_box.wait_for(timeout=30_000)
        label = page.get_by_test_id("stCameraInput").get_by_test_id("stWidgetLabel")
        assert "back camera" in label.inner_text() and "top right" in label.inner_text()
        # The button it speaks of is there: at the top right of the picture.
        switch = page.get_by_test_id("stCameraInputSwitchButton")
        switch.wait_for(timeout=10_000)
        button, picture = switch.bounding_box(), video_box.bounding_box()
        assert button["x"] > picture["x"] + picture["width"] / 2
        assert button["y"] < picture["y"] + picture["height"] / 2


def test_on_a_plain_http_network_address_the_page_says_the_camera_cannot_work(
    playwright, app_url, tmp_path
):
    """A class served over http on the school's network, as students' browsers see it:
    the name ``classroom.test`` leads to the app, at an address that is not this
    computer. A fake webcam that works at the app's own address is there too."""
    video = write_y4m(tmp_path / "digit.y4m", digit_frame(3, (640, 480)))
    rules = "--host-resolver-rules=MAP classroom.test 127.0.0.1"
    chromium = launch(playwright, [*fake_camera_flags(video), rules])
    address = app_url.replace("127.0.0.1", "classroom.test")
    try:
        page = chromium.new_page(viewport=VIEWPORT)
        open_app(page, address, "camera")
        # The browser itself refuses the camera there...
        assert page.evaluate("() => !isSecureContext && !navigator.mediaDevices")
        # ...so the switch is off, and the page says why and what to do instead.
        switch = page.get_by_test_id("stCheckbox").filter(has_text="Turn the camera on")
        assert switch.locator("input").is_disabled()
        why = page.get_by_test_id("stCaptionContainer").filter(has_text="No camera at")
        assert address in why.inner_text()
        assert why.is_visible()
        read_sample(page, 3)
        assert metric(page, "The model reads") == "3"
        assert page.get_by_test_id("stException").count() == 0
    finally:
        chromium.close()


def test_screenshots_of_every_page_at_projector_size(browser, app_url, screenshots):
    written = take_screenshots(browser, app_url, screenshots)
    assert [path.stem for path in written] == list(PAGES)
    for path in written:
        from PIL import Image

        with Image.open(path) as image:
            assert image.size == (VIEWPORT["width"], VIEWPORT["height"])
            # Not a blank page: a drawn page has many distinct colours.
            assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50


def test_clicking_a_cell_of_the_map_makes_it_the_model_in_use(page, app_url):
    from digits_core.model import C_STEPS, GAMMA_STEPS

    open_app(page, app_url, "tune")
    chart = page.get_by_test_id("stPlotlyChart").first
    # No toolbar covers the map's title: a click is all a cell needs.
    assert chart.locator(".modebar").count() == 0
    row, column = GAMMA_STEPS.index(0.0005), C_STEPS.index(5.0)  # rows run upwards
    x, y = _point_at(page, chart, 1 - (row + 0.5) / len(GAMMA_STEPS), (column + 0.5) / len(C_STEPS))
    page.mouse.click(x, y)
    wait_for_page(
        page,
        "() => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
        ".some(e => e.innerText.trim() === '0.0005')",
    )
    assert metric(page, "gamma") == "0.0005" and metric(page, "C") == "5"
    assert (
        f"gamma{text.EQUALS}0.0005, C{text.EQUALS}5"
        in page.get_by_test_id("stSidebar").inner_text()
    )
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Train").click()
    page.get_by_role("heading", name=TITLES["train"]).wait_for(timeout=60_000)
    wait_until_drawn(page)
    # The Train page's sliders stand at the clicked cell.
    thumbs = page.get_by_test_id("stSliderThumbValue").all_inner_texts()
    assert thumbs[:2] == ["0.0005", "5"]
    assert_no_problems(page)


@pytest.mark.parametrize(
    "language, viewport, presenting",
    [
        ("English", VIEWPORT, True),
        ("Tiếng Việt", VIEWPORT, True),
        ("Tiếng Việt", SMALL_PROJECTOR, True),
        ("English", SMALL_PROJECTOR, False),
        ("English", PHONE, False),
        ("English", FULL_HD, False),
    ],
    ids=["presenting", "presenting-vi", "presenting-vi-1024", "1024", "phone", "1920"],
)
def test_every_label_number_table_and_title_is_shown_whole(
    browser, app_url, language, viewport, presenting
):
    # Larger type on a projector, in the language with the longest labels too, and a
    # 1024-pixel projector with the sidebar open (where the classification report goes
    # below the confusion matrix): every button, switch, metric, table and chart title is
    # still shown whole; on a phone too. (Opening the Train page before the Camera page
    # makes the Camera page offer the camera model.)
    phone = {"user_agent": PHONE_AGENT} if viewport == PHONE else {}
    context = browser.new_context(viewport=viewport, **phone)
    page = context.new_page()
    page.problems = Problems(page)
    open_app(page, app_url)
    if language != "English":
        page.get_by_test_id("stSidebar").get_by_role("combobox").click()
        page.get_by_role("option", name=language).click()
        nav = "document.querySelector('[data-testid=stSidebarNav]').innerText"
        wait_for_page(page, f"() => !{nav}.includes('{NAV['overview']}')")
    if presenting:
        page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").first.click()
        wait_for_page(page, "() => getComputedStyle(document.documentElement).fontSize === '21px'")
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    for index, name in enumerate(NAV):
        # In any language: the click starts a rerun; wait for another page's title.
        shown = page.get_by_role("heading", level=1).first.inner_text()
        if phone:  # the sidebar, and its links, are folded away
            page.goto(f"{app_url}/{'' if name == 'overview' else name}")
        else:
            links.nth(index).click()
        if index:
            page.wait_for_function(
                "(shown) => { const title = document.querySelector('[data-testid=stMain] h1');"
                " return title && title.innerText !== shown; }",
                arg=shown,
                timeout=60_000,
            )
        wait_until_drawn(page)
        if name == "tune":  # the map, once computed
            page.locator(".st-key-parameter_map .heatmaplayer").wait_for(timeout=60_000)
        if name == "camera":
            page.get_by_role("button", name="3", exact=True).click()
            page.get_by_test_id("stMetric").first.wait_for(timeout=60_000)
            wait_until_drawn(page)
            # Counted: the count, and the photo's tile to look at it again, shown too.
            page.get_by_test_id("stButtonGroup").get_by_role("radio", name="3").click()
            page.locator(".st-key-counted img").first.wait_for(timeout=30_000)
            wait_until_drawn(page)
        assert page.get_by_test_id("stMetric").count() > 0 or name == "camera"
        assert page.evaluate(HIDDEN_OR_OVERLAPPING) == [], name
        bands = page.evaluate(GALLERY_BANDS)
        assert all(band <= 8 for band in bands.values()), bands
        # Nor does a toolbar cover a gallery's first titles.
        toolbars = ", ".join(f".st-key-{key} .modebar" for key in bands)
        assert not bands or page.locator(toolbars).count() == 0
        assert_no_problems(page)
    context.close()


@pytest.mark.parametrize("viewport, rows", [(VIEWPORT, 1), (PHONE, 2)])
def test_the_ten_sample_photos_take_one_row_on_a_laptop_and_two_on_a_phone(
    browser, app_url, viewport, rows
):
    # On a phone, columns would stack the ten photos one under another, a long way above
    # the upload and the camera switch.
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    open_app(page, app_url, "camera")
    # Until its photo has loaded, a tile is shorter and its button sits higher.
    wait_for_page(
        page,
        "() => { const photos = [...document.querySelectorAll('[data-testid=stMain] img')];"
        " return photos.length >= 10"
        " && photos.every(img => img.complete && img.naturalHeight > 0); }",
    )
    buttons = [page.get_by_role("button", name=str(digit), exact=True) for digit in range(10)]
    boxes = [button.bounding_box() for button in buttons]
    assert len({round(box["y"]) for box in boxes}) == rows
    assert all(box["x"] + box["width"] <= viewport["width"] for box in boxes)
    switch = page.get_by_test_id("stCheckbox").filter(has_text="Turn the camera on")
    assert switch.bounding_box()["y"] < 2 * viewport["height"]
    context.close()


@pytest.mark.parametrize(
    "viewport", [VIEWPORT, SMALL_PROJECTOR, PHONE], ids=["projector", "small projector", "phone"]
)
def test_a_chosen_photos_answer_or_error_comes_into_view(browser, app_url, tmp_path, viewport):
    # The ways in fill the first screen: the answer would come in below it, out of sight,
    # and a class would see nothing happen.
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.problems = Problems(page)
    open_app(page, app_url, "camera")
    main = page.get_by_test_id("stMain")
    page.get_by_role("button", name="3", exact=True).click()
    answer = page.get_by_test_id("stMetric").filter(has_text="The model reads")
    answer.wait_for(timeout=60_000)
    page.wait_for_function(IN_VIEW, arg=answer.element_handle(), timeout=10_000)
    assert metric(page, "The model reads") == "3"

    # Redrawn for anything but a new photo, the page stays where the class left it.
    main.evaluate("main => main.scrollTo(0, 0)")
    written = page.get_by_test_id("stButtonGroup").get_by_role("radio", name="3", exact=True)
    written.dispatch_event("click")  # as a click, without scrolling to it first
    page.get_by_test_id("stMetric").filter(has_text="This app, so far").wait_for(timeout=60_000)
    wait_until_drawn(page)
    page.wait_for_timeout(1000)
    assert main.evaluate("main => main.scrollTop") == 0

    # A file that is not a photo: its message comes into view the same way.
    not_a_photo = tmp_path / "shopping-list.png"
    not_a_photo.write_text("eggs, milk, bread")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(not_a_photo))
    error = page.get_by_test_id("stAlert").filter(has_text="not a picture")
    error.wait_for(timeout=60_000)
    page.wait_for_function(IN_VIEW, arg=error.element_handle(), timeout=10_000)
    assert_no_problems(page)
    context.close()


@pytest.mark.parametrize("viewport", [VIEWPORT, PHONE], ids=["laptop", "phone"])
def test_the_nine_views_are_three_by_three_on_a_laptop_and_a_phone(browser, app_url, viewport):
    # On a phone, columns stack: the views would come one under another, nine screens of
    # them, where they are meant to be compared side by side.
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    open_app(page, app_url, "camera")
    page.get_by_role("button", name="3", exact=True).click()
    page.get_by_test_id("stMetric").filter(has_text="The model reads").wait_for(timeout=60_000)
    wait_until_drawn(page)
    captions = page.get_by_test_id("stImageCaption").filter(has_text=" · ")
    # All at once: the answer may still be scrolling into view, and boxes measured one by
    # one would each be measured at another point of the scroll.
    boxes = captions.evaluate_all(
        "captions => captions.map(caption => { const box = caption.getBoundingClientRect();"
        " return {x: box.x, y: box.y, width: box.width}; })"
    )
    assert len(boxes) == 9
    rows = {round(box["y"]) for box in boxes}
    assert len(rows) == 3
    assert all(box["x"] + box["width"] <= viewport["width"] for box in boxes)
    context.close()


PHONE_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    "device, per_row",
    [({"viewport": VIEWPORT}, 8), ({"viewport": PHONE, "user_agent": PHONE_AGENT}, 4)],
    ids=["laptop", "phone"],
)
def test_the_train_pages_galleries_come_four_to_a_row_on_a_phone(browser, app_url, device, per_row):
    # Eight to a row across a phone, the digits are too small to read and the mistakes'
    # titles ("3 → 8") run into each other.
    context = browser.new_context(**device)
    page = context.new_page()
    open_app(page, app_url, "train")
    for key in ("predictions", "mistakes"):
        centres = sorted(
            page.locator(f".st-key-{key} g.annotation").evaluate_all(
                "titles => titles.map(t => { const box = t.getBoundingClientRect();"
                " return box.left + box.width / 2; })"
            )
        )
        # Titles of one column are centred alike, to a pixel or two.
        columns = 1 + sum(right - left > 10 for left, right in itertools.pairwise(centres))
        assert len(centres) >= per_row and columns == per_row, key
    context.close()
