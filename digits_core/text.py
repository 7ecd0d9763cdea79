"""The text catalogue: every sentence a user sees, one TOML file per language.

Keys are dotted paths such as ``"train.title"``; values may hold ``{name}`` fields that
:func:`t` fills in. A whole number's field written ``{name:a}`` gets its English article
with it: "a 3", "an 8". An equation in a sentence ("gamma = 0.001, C = 5") is never broken
across two lines: the spaces around its "=" are no-break spaces.
"""

from __future__ import annotations

import numbers
import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}
NO_BREAK_SPACE = "\u00a0"
EQUALS = f"{NO_BREAK_SPACE}={NO_BREAK_SPACE}"  # "C = 5" on one line: never "C" then "= 5"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = str(value).replace(" = ", EQUALS)
    return flat


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """All texts of one language, by dotted key."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {sorted(LANGUAGES)}")
    with open(LOCALES / f"{language}.toml", "rb") as file:
        return _flatten(tomllib.load(file))


class _Number(int):
    """A whole number that can be written with its English article: ``{n:a}``."""

    def __format__(self, spec: str) -> str:
        if spec != "a":
            return super().__format__(spec)
        # Said aloud, 8, 11, 18 and 80 to 89 begin with a vowel: "an 8", "an 11".
        spoken_vowel = str(self).startswith("8") or self in (11, 18)
        return f"{'an' if spoken_vowel else 'a'} {self}"


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``language``, with ``{fields}`` filled from ``values``."""
    try:
        template = catalogue(language)[key]
    except KeyError:
        raise KeyError(f"text {key!r} is missing from the {language!r} catalogue") from None
    numbers_too = {
        name: _Number(value)
        if isinstance(value, numbers.Integral) and not isinstance(value, bool)
        else value
        for name, value in values.items()
    }
    return template.format(**numbers_too) if values else template


def whole_number(value: int, language: str = DEFAULT_LANGUAGE) -> str:
    """``value`` with its thousands grouped as ``language`` writes them: "1,797" in
    English, "1.797" in Vietnamese (where "1,797" reads as one point seven nine seven)."""
    return f"{value:,}".replace(",", t("number.thousands", language))


def edges(names: tuple[str, ...], language: str = DEFAULT_LANGUAGE) -> str:
    """The picture's edges ``names`` (of ``preprocess.EDGES``) named in ``language``, as
    in "top, left"."""
    return t("photo.edge.joined", language).join(
        t(f"photo.edge.{name}", language) for name in names
    )
