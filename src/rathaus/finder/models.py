from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel

# Besides these tables each database has its own text indexes, made in the migrations
# (docs/decisions/0030): on PostgreSQL a stored tsvector of `words` with a GIN index and a
# pg_trgm index over IndexWord.word (postgresql_index.py), on SQLite the FTS5 tables of
# sqlite_index.py.


class SearchEntry(TenantScopedModel):
    """A published service as the finder sees it: its texts as index words
    (finder.normalisation), field by field, for the ranking."""

    service = models.OneToOneField("catalog.Service", on_delete=models.CASCADE,
                                   related_name="+")
    title = models.TextField()
    # Keyword phrases, the most telling first, separated by " | ".
    keywords = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    description = models.TextField(blank=True)
    # The same, each word as its stem (finder.normalisation.stem), in the same places:
    # the ranking finds another form of a word without stemming the entry again.
    title_stems = models.TextField()
    keyword_stems = models.TextField(blank=True)
    summary_stems = models.TextField(blank=True)
    description_stems = models.TextField(blank=True)
    # All the words above: what the database's own text index reads.
    words = models.TextField()
    # A digest of the texts above: a process that keeps the entry taken apart
    # (finder.candidates) knows by it whether the entry changed.
    checksum = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.title


# The columns of an entry the ranking reads, in the order finder.ranking.Candidate takes
# them.
ENTRY_ROW = ("id", "checksum", "service_id", "title", "keywords", "summary", "description",
             "title_stems", "keyword_stems", "summary_stems", "description_stems")


class IndexWord(TenantScopedModel):
    """A word of the authority's published titles, keywords and summaries: what a typo,
    a part of a compound or the start of a word is matched against."""

    word = models.CharField(max_length=60)
    # Its stem (finder.normalisation.stem): a typed word whose stem is here is known, and
    # is not taken for a typo or an unknown compound.
    stem = models.CharField(max_length=60)
    # Of pg_trgm's pieces of the word (finder.trigrams): lets SQLite skip words that
    # cannot be similar enough to a typed one.
    trigram_count = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("index word")
        verbose_name_plural = _("index words")
        constraints = [
            models.UniqueConstraint(fields=["authority", "word"], name="index_word_unique")
        ]
        indexes = [models.Index(fields=["authority", "stem"], name="index_word_stem")]

    def __str__(self) -> str:
        return self.word
