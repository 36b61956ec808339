"""German words that say nothing about which service someone looks for.

PostgreSQL's `german.stop` (rathaus.german_text, shared with the eAkte's search), plus a
few words of requests ("bitte", "möchte"). The normalisation folds every word ("für" as
"fuer"): the index and the query never hold one of PostgreSQL's stop words, so its
`to_tsvector('german', …)` keeps exactly the words we keep.
"""

from rathaus.german_text import POSTGRESQL_GERMAN

# Words of a request that name no service.
_REQUEST_WORDS = """
bitte möchte möchten brauche brauchen benötige benötigen suche suchen wann warum kostet
kosten gibt
"""

REQUEST_WORDS = _REQUEST_WORDS.split()

__all__ = ["POSTGRESQL_GERMAN", "REQUEST_WORDS"]
