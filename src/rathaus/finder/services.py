"""Keeping the finder's index in step with the catalogue.

A published Service has one SearchEntry; an unpublished or deleted one has none. The
vocabulary (IndexWord) is every word of the authority's entries' short fields, made
again from the entries after each change, so it never keeps a word no service uses.
Signals (finder.signals) call these for every saved or deleted Service; the command
`rathaus rebuild_search_index` makes every authority's index anew.
"""

import hashlib

from django.db import connection, transaction

from rathaus.accounts.permissions import unguarded
from rathaus.catalog.models import Service

from . import text_index
from .documents import PHRASE_SEPARATOR, ServiceText, service_text
from .models import IndexWord, SearchEntry
from .normalisation import stem
from .trigrams import trigrams

_REASON = ("keeps the search index in step with the catalogue: called when a service is "
           "saved or deleted and by the rebuild command, for no person")


@unguarded(_REASON)
@transaction.atomic
def index_service(*, service: Service) -> None:
    """The service in the active authority's index as it is now: its entry written
    again, or taken out when the service is not published."""
    if not service.is_published:
        _forget_entries(SearchEntry.objects.filter(service_id=service.pk))
    else:
        text = service_text(service)
        entry, _ = SearchEntry.objects.update_or_create(service=service,
                                                       defaults=_fields(service, text))
        with connection.cursor() as cursor:
            text_index.for_connection().store_entry(cursor, entry.pk, entry.words)
    refresh_vocabulary()


@unguarded(_REASON)
@transaction.atomic
def forget_service(*, service: Service) -> None:
    """Takes the service out of the active authority's index (before it is deleted)."""
    _forget_entries(SearchEntry.objects.filter(service_id=service.pk))
    refresh_vocabulary()


@unguarded(_REASON)
@transaction.atomic
def rebuild_index() -> int:
    """The active authority's index made anew from its published services; returns how
    many there are."""
    _forget_entries(SearchEntry.objects.all())
    services = list(Service.objects.filter(is_published=True))
    entries = SearchEntry.objects.bulk_create(
        [SearchEntry(service=service, **_fields(service, service_text(service)))
         for service in services],
        batch_size=500)
    if not all(entry.pk for entry in entries):  # a database that returns no ids
        entries = list(SearchEntry.objects.all())
    index = text_index.for_connection()
    with connection.cursor() as cursor:
        for entry in entries:
            index.store_entry(cursor, entry.pk, entry.words)
    refresh_vocabulary()
    return len(entries)


@unguarded(_REASON)
@transaction.atomic
def refresh_vocabulary() -> None:
    """The active authority's index words: those its entries use, no others."""
    wanted = set()
    for title, keywords, summary in SearchEntry.objects.values_list("title", "keywords",
                                                                     "summary"):
        wanted.update(title.split(), keywords.replace(PHRASE_SEPARATOR, " ").split(),
                      summary.split())
    existing = dict(IndexWord.objects.values_list("word", "id"))
    index = text_index.for_connection()
    gone = [word_id for word, word_id in existing.items() if word not in wanted]
    new = sorted(wanted - existing.keys())
    # Another process may add the same word at the same time: the second one is left out.
    IndexWord.objects.bulk_create(
        [IndexWord(word=word, stem=stem(word), trigram_count=len(trigrams(word)))
         for word in new], batch_size=1000, ignore_conflicts=True)
    with connection.cursor() as cursor:
        for chunk in _chunks(gone):
            IndexWord.objects.filter(id__in=chunk).delete()
            index.forget_words(cursor, chunk)
        if new:
            added = set(new)
            index.store_words(cursor, [(word_id, word) for word_id, word
                                       in IndexWord.objects.values_list("id", "word")
                                       if word in added])


def _fields(service: Service, text: ServiceText) -> dict:
    def stems(words: tuple[str, ...]) -> str:
        return " ".join(map(stem, words))

    fields = {
        "title": " ".join(text.title),
        "keywords": PHRASE_SEPARATOR.join(" ".join(phrase) for phrase in text.keywords),
        "summary": " ".join(text.summary),
        "description": " ".join(text.description),
        "title_stems": stems(text.title),
        "keyword_stems": PHRASE_SEPARATOR.join(stems(phrase) for phrase in text.keywords),
        "summary_stems": stems(text.summary),
        "description_stems": stems(text.description),
    }
    return fields | {
        "words": " ".join([*text.title, *(w for phrase in text.keywords for w in phrase),
                           *text.summary, *text.description]),
        # With the service: the same texts of another service are another entry.
        "checksum": hashlib.sha256(
            "\n".join([str(service.pk), *fields.values()]).encode()).hexdigest()[:16],
    }


def _forget_entries(entries) -> None:
    ids = list(entries.values_list("id", flat=True))
    with connection.cursor() as cursor:
        text_index.for_connection().forget_entries(cursor, ids)
    entries.delete()


def _chunks(items: list, size: int = 500):
    """Pieces small enough for any database's limit of query parameters."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
