"""He or she for a given name, from the 1990 US Census lists of male and female first names
(shipped with the `names` package, MIT; the Census data is public domain): "Marta Ilves" is
"she" before the article says so. A name both lists hold often enough ("Jordan", "Jean")
and a name neither holds ("Volodymyr") give nothing."""

from functools import cache
from importlib.resources import files

# how many times more common among one sex a name must be to give its gender
_MIN_RATIO = 10.0


@cache
def _frequencies() -> tuple[dict[str, float], dict[str, float]]:
    """(male, female): a name in capitals -> percent of that sex's population bearing it."""
    def read(filename: str) -> dict[str, float]:
        lines = files("names").joinpath(filename).read_text().splitlines()
        return {name: float(percent) for name, percent, *_ in (line.split() for line in lines if line)}
    return read("dist.male.first"), read("dist.female.first")


def is_given_name(word: str) -> bool:
    """A first name in either list ("Howard", "Jordan")."""
    male, female = _frequencies()
    return word.upper() in male or word.upper() in female


def gender_of(given: str) -> str | None:
    """"he" or "she" for a given name ("Marta" -> "she"), or None when it is not clear."""
    male, female = _frequencies()
    key = given.upper()
    he, she = male.get(key, 0.0), female.get(key, 0.0)
    if he >= _MIN_RATIO * she and he > 0:
        return "he"
    if she >= _MIN_RATIO * he and she > 0:
        return "she"
    return None
