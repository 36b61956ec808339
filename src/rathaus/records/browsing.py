"""Reading the file plan and the files as staff browse them in the office. Every
selector that returns files returns only those the actor may read
(`permissions.readable_department_ids`): a file one may not read is as if it did not
exist."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet

from .models import (
    CaseFile,
    Document,
    DocumentNote,
    DocumentVersion,
    FilePlanEntry,
    FilePlanRevision,
    IntegrityRun,
)
from .permissions import readable_department_ids

FILES_PER_PAGE = 25


def readable_files(actor) -> QuerySet[CaseFile]:
    departments = readable_department_ids(actor)
    if departments is None:
        return CaseFile.objects.all()
    return CaseFile.objects.filter(department_id__in=departments)


@dataclass
class PlanNode:
    entry: FilePlanEntry
    files: int = 0  # readable files filed directly under the entry
    children: list["PlanNode"] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Readable files under the entry and all its sub-entries."""
        return self.files + sum(child.total for child in self.children)


def plan_tree(*, actor) -> list[PlanNode]:
    """The file plan as a tree of its main groups, each level ordered by code, with the
    number of files the actor may read. Two queries, whatever the plan's size."""
    counts = dict(readable_files(actor).order_by().values_list("plan_entry")
                  .annotate(n=Count("pk")).values_list("plan_entry", "n"))
    nodes = {entry.pk: PlanNode(entry, counts.get(entry.pk, 0))
             for entry in FilePlanEntry.objects.select_related("department").order_by("code")}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.entry.parent_id)
        (parent.children if parent else roots).append(node)
    return roots


def plan_entry(*, entry_id) -> FilePlanEntry | None:
    return (FilePlanEntry.objects.select_related("parent", "department")
            .filter(pk=entry_id).first())


def plan_path(entry: FilePlanEntry) -> list[FilePlanEntry]:
    """The entry's ancestors from the top, for the breadcrumb."""
    path, seen, node = [], {entry.pk}, entry.parent
    while node is not None and node.pk not in seen:
        path.insert(0, node)
        seen.add(node.pk)
        node = node.parent
    return path


def revisions_of(entry: FilePlanEntry) -> QuerySet[FilePlanRevision]:
    """The entry's history, newest first, with who changed it."""
    return (FilePlanRevision.objects.filter(entry=entry).select_related("changed_by")
            .order_by("-number"))


def files_of_entry(*, actor, entry: FilePlanEntry, page=1) -> Page:
    """The readable files filed under `entry`, newest first, a page of them; a page
    number out of range gives the nearest page."""
    files = (readable_files(actor).filter(plan_entry=entry).select_related("department")
             .order_by("-opened_at", "-pk"))
    return Paginator(files, FILES_PER_PAGE).get_page(page)


def readable_file(*, actor, file_id) -> CaseFile | None:
    """The file with this UUID if the actor may read it, else None."""
    return (readable_files(actor).select_related("plan_entry", "department")
            .filter(uuid=file_id).first())


def readable_file_by_reference(*, actor, aktenzeichen: str) -> CaseFile | None:
    return readable_files(actor).filter(aktenzeichen=aktenzeichen.strip()).first()


@dataclass
class DocumentEntry:
    document: Document
    versions: list[DocumentVersion]  # oldest first
    notes: list[DocumentNote]


@dataclass
class FileContents:
    documents: list[DocumentEntry]
    notes: list[DocumentNote]  # notes on the file itself


def file_contents(case_file: CaseFile) -> FileContents:
    """The documents in the order they were added, each with every version (number,
    who added it, when, size, type, hash) and its notes; then the file's own notes."""
    documents = (Document.objects.filter(case_file=case_file).order_by("created_at", "pk")
                 .prefetch_related(
                     Prefetch("versions", DocumentVersion.objects.select_related("created_by")
                              .order_by("number")),
                     Prefetch("notes", DocumentNote.objects.select_related("created_by")
                              .order_by("created_at", "pk"))))
    file_notes = (DocumentNote.objects.filter(case_file=case_file, document__isnull=True)
                  .select_related("created_by").order_by("created_at", "pk"))
    return FileContents(
        documents=[DocumentEntry(d, list(d.versions.all()), list(d.notes.all()))
                   for d in documents],
        notes=list(file_notes),
    )


def document_in_file(*, case_file: CaseFile, document_id) -> Document | None:
    return Document.objects.filter(case_file=case_file, uuid=document_id).first()


def version_in_file(*, case_file: CaseFile, version_id) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(document__case_file=case_file, uuid=version_id).first()


def integrity_runs(*, limit: int = 50) -> QuerySet[IntegrityRun]:
    """The latest runs of the integrity check, newest first."""
    return IntegrityRun.objects.order_by("-started_at")[:limit]
