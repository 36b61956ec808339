"""Search over everything in the eAkte: the documents' latest texts and their metadata
(Aktenzeichen, file title, the citizen's name, document title, dates), one interface on
both databases (docs/decisions/0032).

The database finds the newest MAX_CANDIDATES documents holding every term asked for,
among those the person may read (its full-text index and the entries' department).
Python orders them: documents whose metadata holds more of the terms first, then the
newest. Snippets are made only for the page shown. So a search costs the same whether
a word is in ten documents or in half a million.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db import connection, transaction
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.authorities.tenancy import current_authority

from .models import Document, DocumentText, SearchEntry
from .permissions import may_search_files, readable_department_ids
from .search_index import for_connection
from .search_terms import query_terms
from .snippets import snippet

PAGE_SIZE = 20
MAX_CANDIDATES = 500


@dataclass(frozen=True)
class Hit:
    document_uuid: UUID
    document_title: str
    kind: str
    aktenzeichen: str
    case_file_id: int
    case_file_uuid: UUID
    case_file_title: str
    filed_at: datetime
    snippet: SafeString


@dataclass(frozen=True)
class SearchPage:
    query: str
    terms: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # documents found, at most MAX_CANDIDATES
    more: bool = False  # more than MAX_CANDIDATES documents hold every term
    page: int = 1
    pages: int = 0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.hits else 0

    @property
    def last_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + len(self.hits)


@guarded_by(may_search_files)
def search_documents(*, actor, query: str, page: int = 1) -> SearchPage:
    """The documents `actor` may read that hold every term of `query`, PAGE_SIZE on a
    page (a page past the last is the last)."""
    terms = query_terms(query)
    departments = readable_department_ids(actor)
    if not terms or departments == set():
        return SearchPage(query=query, terms=terms)
    with transaction.atomic(), connection.cursor() as cursor:
        rows = for_connection().newest_matches(
            cursor, authority_id=current_authority().pk, terms=terms,
            departments=departments, limit=MAX_CANDIDATES + 1)
    more, rows = len(rows) > MAX_CANDIDATES, rows[:MAX_CANDIDATES]
    ranked = _ranked(rows, set(terms))
    pages = math.ceil(len(ranked) / PAGE_SIZE)
    page = min(max(page, 1), max(pages, 1))
    shown = ranked[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return SearchPage(query=query, terms=terms, hits=_hits(shown, set(terms), departments),
                      total=len(ranked), more=more, page=page, pages=pages)


def _ranked(rows: list[tuple], terms: set[str]) -> list[int]:
    """Document ids, those whose metadata holds more of the terms first; the database's
    order (newest first) otherwise."""
    scored = [(-len(terms.intersection(metadata.split())), place, document_id)
              for place, (_entry_id, document_id, metadata) in enumerate(rows)]
    return [document_id for *_order, document_id in sorted(scored)]


def _hits(document_ids: list[int], terms: set[str], departments) -> list[Hit]:
    documents = Document.objects.select_related("case_file").in_bulk(document_ids)
    texts = dict(DocumentText.objects.filter(document_id__in=document_ids, is_latest=True)
                 .values_list("document_id", "text"))
    hits = []
    for document_id in document_ids:
        document = documents.get(document_id)
        if document is None:  # removed since (destroyed after its retention)
            continue
        case_file = document.case_file
        # The index holds the department the file had when the document was indexed;
        # the file's own decides.
        if departments is not None and case_file.department_id not in departments:
            continue
        hits.append(Hit(
            document_uuid=document.uuid, document_title=document.title, kind=document.kind,
            aktenzeichen=case_file.aktenzeichen, case_file_id=case_file.pk,
            case_file_uuid=case_file.uuid, case_file_title=case_file.title,
            filed_at=document.created_at, snippet=snippet(texts.get(document_id, ""), terms),
        ))
    return hits


@unguarded("the caller chooses the documents searched, and shows what it may (the public "
           "council papers' files: council.public_selectors)")
def newest_among(*, document_ids: QuerySet, terms: list[str],
                 limit: int = MAX_CANDIDATES) -> list[int]:
    """The ids of the documents among `document_ids` (a query of document ids) that hold
    every one of `terms` (records.search_terms.query_terms), newest first, at most
    `limit`. Nothing is ranked by metadata here: the caller orders what it shows."""
    if not terms:
        return []
    # The condition is the index module's own SQL; the terms are checked letters and
    # digits, passed as a parameter (SQLite) or written in after checking (PostgreSQL).
    condition, params = for_connection().match_condition(terms)
    holds_every_term = RawSQL(condition, params, output_field=BooleanField())  # noqa: S611
    return list(
        SearchEntry.objects.filter(holds_every_term, document_id__in=document_ids)
        .order_by("-filed_at", "-id").values_list("document_id", flat=True)[:limit])


@unguarded("snippets of documents the caller has already chosen to show")
def document_snippets(*, document_ids: list[int], terms: list[str]) -> dict[int, SafeString]:
    """A snippet of each document's latest text around `terms` (for the page shown)."""
    texts = dict(DocumentText.objects.filter(document_id__in=document_ids, is_latest=True)
                 .values_list("document_id", "text"))
    return {document_id: snippet(texts.get(document_id, ""), set(terms))
            for document_id in document_ids}
