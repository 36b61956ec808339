"""The fields of CKAN's search index that `package_search` can filter, sort and count
on, read from a catalogue entry the way CKAN indexes a package."""

from dataclasses import dataclass
from functools import cached_property

from ..store.selectors import Entry, fold
from . import shapes
from .query import Field


@dataclass(frozen=True)
class Record:
    """One package as the search sees it; the organisation is the asked authority."""

    entry: Entry
    authority: object

    @cached_property
    def haystack(self) -> str:
        dataset = self.entry.dataset
        return fold(" ".join([dataset.name, dataset.title, dataset.description,
                              *dataset.keywords, *self.entry.formats]))


def _dataset(attribute):
    return lambda record: [getattr(record.entry.dataset, attribute)]


FIELDS = {
    "id": Field("string", lambda r: [str(r.entry.dataset.pk)]),
    "name": Field("string", _dataset("name")),
    "title": Field("text", _dataset("title")),
    "notes": Field("text", _dataset("description")),
    "text": Field("text", lambda r: [r.haystack]),
    "tags": Field("string", lambda r: list(r.entry.dataset.keywords)),
    "organization": Field("string", lambda r: [r.authority.slug]),
    "owner_org": Field("string", lambda r: [shapes.organization_id(r.authority)]),
    "groups": Field("string", lambda r: [r.entry.dataset.theme.lower()]),
    "res_format": Field("folded", lambda r: r.entry.formats),
    "license_id": Field("string", _dataset("licence")),
    "dataset_type": Field("string", lambda r: ["dataset"]),
    "type": Field("string", lambda r: ["dataset"]),
    "state": Field("string", lambda r: ["active"]),
    "capacity": Field("string", lambda r: ["public"]),
    "metadata_created": Field(
        "date", lambda r: [shapes.metadata_created(r.entry.dataset)]),
    "metadata_modified": Field(
        "date", lambda r: [shapes.metadata_modified(r.entry.dataset)]),
    "num_resources": Field("int", lambda r: [len(r.entry.formats)]),
    "num_tags": Field("int", lambda r: [len(r.entry.dataset.keywords)]),
}

SORT_KEYS = {
    "id": lambda r: str(r.entry.dataset.pk),
    "name": lambda r: r.entry.dataset.name,
    "title_string": lambda r: fold(r.entry.dataset.title),
    "metadata_modified": lambda r: shapes.metadata_modified(r.entry.dataset),
    "metadata_created": lambda r: shapes.metadata_created(r.entry.dataset),
    "license_id": lambda r: r.entry.dataset.licence,
    "num_resources": lambda r: len(r.entry.formats),
    "num_tags": lambda r: len(r.entry.dataset.keywords),
}

# facet.field name -> the (key, label) pairs one record counts for.
FACETS = {
    "tags": lambda r: [(k, k) for k in r.entry.dataset.keywords],
    "res_format": lambda r: [(f, f) for f in r.entry.formats],
    "groups": lambda r: [(r.entry.dataset.theme.lower(),
                          str(shapes.group_dict(r.entry.dataset.theme)["title"]))],
    "license_id": lambda r: [(r.entry.dataset.licence, shapes.LICENCES[
        r.entry.dataset.licence].title if r.entry.dataset.licence in shapes.LICENCES
        else r.entry.dataset.licence)],
    "organization": lambda r: [(r.authority.slug, r.authority.name)],
}
