"""Names of places and of the people of a country, from countryinfo's data (countries, their
other spellings, capitals and provinces, and demonyms): "New Hampshire", "South Carolina" or
"Americans" is no person a pronoun may stand for."""

import ast
from functools import cache

from countryinfo import all_countries

from index.speaker_names import name_key, strip_possessive


@cache
def _places() -> tuple[frozenset[str], frozenset[str]]:
    """(place name keys, demonym keys), read once."""
    places, demonyms = set(), set()
    for country in all_countries():
        data = country.info()
        provinces = data.get("provinces") or []
        if isinstance(provinces, str):  # some countries' lists are stored as their repr
            provinces = ast.literal_eval(provinces)
        others = [s for s in data.get("altSpellings") or [] if not s.isupper()]  # "US", "GNQ": codes
        for name in (data.get("name"), data.get("capital"), *others, *provinces):
            if isinstance(name, str) and name:
                places.add(name_key(name))
        if data.get("demonym"):
            demonyms.add(name_key(data["demonym"]))
    return frozenset(places), frozenset(demonyms)


def is_place(run: str) -> bool:
    """A country, capital or province as written ("New Hampshire", "the United States",
    "China's")."""
    key = name_key(strip_possessive(run))
    if key.startswith("the "):
        key = key[4:]
    return key in _places()[0]


def is_people(run: str) -> bool:
    """A country's people, one or many ("German", "Americans", "Mexican Americans",
    "African American")."""
    words = name_key(strip_possessive(run)).split()
    demonyms = _places()[1]
    if not words:
        return False
    if " ".join(words) in demonyms:  # "South Korean"
        return True
    last = words[-1]
    plural = last.endswith("s") and last[:-1] in demonyms
    if len(words) == 1:
        return last in demonyms or plural
    # "Muslim Americans", "African American"; not "John French"
    return plural or last in demonyms and words[0].endswith("an")
