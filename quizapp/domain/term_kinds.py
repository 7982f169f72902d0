"""What kind of thing a term of an article names, so that a drafted question swaps like for like
(a country for a country, a person for a person, a year for a year) and accepts the other fair
spellings of a blank (a country's adjective, a transliteration)."""

from __future__ import annotations

import re

# country: its adjective (and the name of its people where that differs)
COUNTRIES: dict[str, str] = {
    "Afghanistan": "Afghan", "Albania": "Albanian", "Algeria": "Algerian", "Argentina": "Argentine",
    "Australia": "Australian", "Austria": "Austrian", "Belarus": "Belarusian", "Belgium": "Belgian",
    "Brazil": "Brazilian", "Britain": "British", "Bulgaria": "Bulgarian", "Canada": "Canadian",
    "Chile": "Chilean", "China": "Chinese", "Croatia": "Croatian", "Cuba": "Cuban", "Cyprus": "Cypriot",
    "Czechia": "Czech", "Denmark": "Danish", "Egypt": "Egyptian", "England": "English", "Estonia": "Estonian",
    "Finland": "Finnish", "France": "French", "Georgia": "Georgian", "Germany": "German", "Greece": "Greek",
    "Hungary": "Hungarian", "Iceland": "Icelandic", "India": "Indian", "Indonesia": "Indonesian",
    "Iran": "Iranian", "Iraq": "Iraqi", "Ireland": "Irish", "Israel": "Israeli", "Italy": "Italian",
    "Japan": "Japanese", "Kenya": "Kenyan", "Latvia": "Latvian", "Lithuania": "Lithuanian",
    "Mexico": "Mexican", "Moldova": "Moldovan", "Morocco": "Moroccan", "Netherlands": "Dutch",
    "Nigeria": "Nigerian", "Norway": "Norwegian", "Pakistan": "Pakistani", "Poland": "Polish",
    "Portugal": "Portuguese", "Romania": "Romanian", "Russia": "Russian", "Scotland": "Scottish",
    "Serbia": "Serbian", "Slovakia": "Slovak", "Slovenia": "Slovenian", "Spain": "Spanish",
    "Sweden": "Swedish", "Switzerland": "Swiss", "Syria": "Syrian", "Turkey": "Turkish",
    "Ukraine": "Ukrainian", "United Kingdom": "British", "United States": "American", "Wales": "Welsh",
    "Europe": "European", "Africa": "African", "Asia": "Asian", "America": "American",
}
_ADJECTIVES = {adjective: country for country, adjective in reversed(COUNTRIES.items())}
_CONTINENTS = {"Europe", "Africa", "Asia", "America"}

# Spellings a fair marker accepts for the same name; add a line to accept another.
TRANSLITERATIONS: list[tuple[str, ...]] = [
    ("Zelenskyy", "Zelensky", "Zelenskiy", "Zelenski"),
    ("Volodymyr", "Vladimir"),
    ("Kyiv", "Kiev"),
    ("Kharkiv", "Kharkov"),
    ("Odesa", "Odessa"),
    ("Elysée", "Elysee"),
    ("Erdoğan", "Erdogan"),
    ("Gaddafi", "Qaddafi", "Kadhafi"),
    ("Tchaikovsky", "Chaikovsky"),
]
_SPELLINGS = {spelling: group for group in TRANSLITERATIONS for spelling in group}


def kind_of(text: str, is_person: bool) -> str:
    """The kind of a term: year, number, country, continent, nationality, person, adjective, acronym or name."""
    if re.fullmatch(r"\d[\d,.]*", text):
        return "year" if re.fullmatch(r"1[5-9]\d\d|20\d\d", text) else "number"
    if text in _CONTINENTS:
        return "continent"
    if text in COUNTRIES or text in ("U.S.", "US", "USA", "UK", "U.K."):
        return "country"
    if text in _ADJECTIVES:
        return "nationality"
    if is_person:
        return "person"
    if " " not in text and re.search(r"(?:ern|an|ish|ese|ic)$", text):
        return "adjective"  # "Western", "Scandinavian": no swap for a name
    if text.isupper() or re.fullmatch(r"(?:[A-Z]\.)+", text):
        return "acronym"
    return "name"


def of_a_continent(text: str) -> bool:
    """Whether ``text`` is a continent or its adjective ("European"): swapped only for another such,
    since "French nations" for "European nations" makes nonsense."""
    return text in _CONTINENTS or _ADJECTIVES.get(text) in _CONTINENTS


def spellings(text: str) -> list[str]:
    """Other fair spellings of ``text``: a country's adjective or the country of an adjective, a
    transliteration of each word, each with the others."""
    found: list[str] = []
    if text in COUNTRIES:
        found.append(COUNTRIES[text])
    if text in _ADJECTIVES:
        found.append(_ADJECTIVES[text])
    words = text.split()
    for i, word in enumerate(words):
        for other in _SPELLINGS.get(word, ()):
            if other != word:
                found.append(" ".join([*words[:i], other, *words[i + 1:]]))
    return [f for f in dict.fromkeys(found) if f != text]
