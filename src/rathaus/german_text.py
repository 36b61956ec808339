"""German text for search indexes: one way from text to index words and their stems.

Used by every search in Rathaus (the service finder, the eAkte), for the index and for
the query alike, so that SQLite's and PostgreSQL's indexes see the same words:
casefolded, ß as ss, ä/ö/ü as ae/oe/ue (what people type without a German keyboard),
other accents dropped, anything but letters and digits a separator, stop words out. A
word's stem is Snowball's German stem, the algorithm of PostgreSQL's `german`
configuration (tests/finder check both agree on every word of the finder's index).

Base layer: imports nothing from rathaus.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

# PostgreSQL 15, share/tsearch_data/german.stop (from the Snowball project, BSD licence),
# in its order: its `german` configuration drops these before stemming.
_POSTGRESQL_GERMAN = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
anderes anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den
des dem die das daß derselbe derselben denselben desselben demselben dieselbe dieselben
dasselbe dazu dein deine deinem deinen deiner deines denn derer dessen dich dir du dies
diese diesem diesen dieser dieses doch dort durch ein eine einem einen einer eines einig
einige einigem einigen einiger einiges einmal er ihn ihm es etwas euer eure eurem euren
eurer eures für gegen gewesen hab habe haben hat hatte hatten hier hin hinter ich mich
mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede jedem jeden jeder
jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines
können könnte machen man manche manchem manchen mancher manches mein meine meinem meinen
meiner meines mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine
seinem seinen seiner seines selbst sich sie ihnen sind so solche solchem solchen solcher
solches soll sollte sondern sonst über um und uns unse unsem unsen unser unses unter viel
vom von vor während war waren warst was weg weil weiter welche welchem welchen welcher
welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte würde würden zu
zum zur zwar zwischen
"""
POSTGRESQL_GERMAN = _POSTGRESQL_GERMAN.split()

# Letters NFKD does not take apart into a base letter and an accent.
_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "ø": "oe",
                          "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
WORD = re.compile(r"[a-z0-9]+")
# A single letter names nothing; longer than this is no word a person types.
MIN_LENGTH, MAX_LENGTH = 2, 60


def fold(text: str) -> str:
    """The text in lower-case ASCII letters and digits; the rest as it comes."""
    # NFC first: a decomposed ü (u + accent, as some keyboards send it) must become ue
    # like a composed one, not u.
    text = unicodedata.normalize("NFC", text).casefold().translate(_LETTERS)
    return "".join(char for char in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(char))


# Every stop word also in the spelling `fold` gives ("für" as "fuer"): the index and the
# query never hold one of PostgreSQL's stop words, so its `to_tsvector('german', …)`
# keeps exactly the words we keep.
STOPWORDS = frozenset(fold(word) for word in POSTGRESQL_GERMAN)


def words(text: str, *, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """The index words of `text`, in their order."""
    return [word for word in WORD.findall(fold(text))
            if MIN_LENGTH <= len(word) <= MAX_LENGTH and word not in stopwords]


_german = snowballstemmer.stemmer("german")
_stemming = threading.Lock()  # a stemmer keeps the word it works on in itself


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The German stem of an index word. Words with digits (a LeiKa key, "BF17") stay as
    they are: PostgreSQL's parser sends them to its `simple` dictionary, not the stemmer."""
    if any(char.isdigit() for char in word):
        return word
    with _stemming:
        return _german.stemWord(word)
