"""The text catalogue: every sentence a user sees, one TOML file per language.

Keys are dotted paths such as ``"train.title"``; values may hold ``{name}`` fields that
:func:`t` fills in.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
DEFAULT_LANGUAGE = "en"
LANGUAGES = {"en": "English", "vi": "Tiếng Việt"}


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, key + "."))
        else:
            flat[key] = str(value)
    return flat


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """All texts of one language, by dotted key."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {sorted(LANGUAGES)}")
    with open(LOCALES / f"{language}.toml", "rb") as file:
        return _flatten(tomllib.load(file))


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``language``, with ``{fields}`` filled from ``values``."""
    try:
        template = catalogue(language)[key]
    except KeyError:
        raise KeyError(f"text {key!r} is missing from the {language!r} catalogue") from None
    return template.format(**values) if values else template


def edges(names: tuple[str, ...], language: str = DEFAULT_LANGUAGE) -> str:
    """The picture's edges ``names`` (of ``preprocess.EDGES``) named in ``language``, as
    in "top, left"."""
    return t("photo.edge.joined", language).join(
        t(f"photo.edge.{name}", language) for name in names
    )
