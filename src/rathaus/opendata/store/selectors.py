"""Reading open data metadata: the catalogue, a dataset's served version, search with
facets. The catalogue of one authority is small (hundreds of datasets), so search
filters in Python, the same on SQLite and PostgreSQL."""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max

from rathaus.authorities.tenancy import current_authority

from ..models import Dataset, DatasetVersion, Upload
from ..vocabularies import LICENCES, THEMES


@dataclass(frozen=True)
class Entry:
    """A published dataset with the version everyone gets."""

    dataset: Dataset
    version: DatasetVersion

    @property
    def formats(self) -> list[str]:
        return formats(self.version)


def formats(version: DatasetVersion) -> list[str]:
    return ["CSV", "JSON", "GeoJSON"] if version.has_geometry else ["CSV", "JSON"]


def latest_versions(datasets) -> dict:
    latest = {}
    for version in DatasetVersion.objects.filter(dataset__in=list(datasets)).order_by(
            "dataset_id", "-number"):
        latest.setdefault(version.dataset_id, version)
    return latest


def staff_datasets() -> list[tuple[Dataset, DatasetVersion | None]]:
    datasets = list(Dataset.objects.all())
    latest = latest_versions(datasets)
    return [(dataset, latest.get(dataset.pk)) for dataset in datasets]


def dataset_for_staff(name: str) -> Dataset | None:
    return Dataset.objects.filter(name=name).first()


def latest_version(dataset: Dataset) -> DatasetVersion | None:
    return dataset.versions.order_by("-number").first()


def history(dataset: Dataset) -> list[DatasetVersion]:
    return list(dataset.versions.order_by("-number").select_related("created_by"))


def columns_of(version: DatasetVersion, *, public_only: bool = True):
    columns = version.columns.all()
    return columns.filter(public=True) if public_only else columns


def open_uploads(dataset: Dataset):
    """Uploads not yet turned into a version nor discarded, including those the worker
    is still checking or writing."""
    return dataset.uploads.filter(status__in=[
        Upload.Status.RECEIVED, Upload.Status.CHECKED, Upload.Status.PUBLISHING,
        Upload.Status.INVALID])


def catalogue() -> list[Entry]:
    """Every published dataset of the active authority that has data."""
    datasets = list(Dataset.objects.filter(published=True))
    latest = latest_versions(datasets)
    return [Entry(d, latest[d.pk]) for d in datasets if d.pk in latest]


def catalogue_page(*, offset: int, limit: int) -> tuple[int, list[Entry]]:
    """A page of the catalogue in a stable order (by name, which never changes) and
    the number of entries in all, for paged DCAT-AP.de documents."""
    published = (Dataset.objects.filter(published=True, versions__isnull=False)
                 .distinct().order_by("name"))
    datasets = list(published[offset:offset + limit])
    latest = latest_versions(datasets)
    return published.count(), [Entry(d, latest[d.pk]) for d in datasets]


def catalogue_changed_at():
    """When anything in the catalogue last changed, withdrawn datasets included (they
    leave it, which changes it too); None for an authority without datasets."""
    datasets = Dataset.objects.aggregate(at=Max("updated_at"))["at"]
    versions = DatasetVersion.objects.filter(dataset__in=Dataset.objects.all()).aggregate(
        at=Max("created_at"))["at"]
    return max((at for at in (datasets, versions) if at), default=None)


def published_entry(name: str) -> Entry | None:
    dataset = Dataset.objects.filter(name=name, published=True).first()
    version = latest_version(dataset) if dataset else None
    return Entry(dataset, version) if version else None


def fold(text: str) -> str:
    """Lower case without accents, with ß as ss, so "Strasse" finds "Straße"."""
    text = text.casefold().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _haystack(entry: Entry) -> str:
    dataset = entry.dataset
    return fold(" ".join([dataset.name, dataset.title, dataset.description,
                          *dataset.keywords]))


@dataclass
class SearchResult:
    entries: list[Entry]
    facets: dict = field(default_factory=dict)


def matches(entry: Entry, *, words=(), theme="", keyword="", fmt="", licence="") -> bool:
    if words:
        haystack = _haystack(entry)
        if not all(word in haystack for word in words):
            return False
    dataset = entry.dataset
    return ((not theme or dataset.theme == theme)
            and (not keyword or keyword in dataset.keywords)
            and (not fmt or fmt.lower() in (f.lower() for f in entry.formats))
            and (not licence or dataset.licence == licence))


def search(*, q: str = "", theme: str = "", keyword: str = "", fmt: str = "",
           licence: str = "") -> SearchResult:
    words = fold(q).split()
    found = [e for e in catalogue()
             if matches(e, words=words, theme=theme, keyword=keyword, fmt=fmt,
                        licence=licence)]
    return SearchResult(entries=found, facets=facets(found))


def facets(entries: list[Entry]) -> dict:
    themes = Counter(e.dataset.theme for e in entries)
    keywords = Counter(k for e in entries for k in e.dataset.keywords)
    formats_ = Counter(f for e in entries for f in e.formats)
    licences = Counter(e.dataset.licence for e in entries)
    return {
        "theme": [(code, THEMES.get(code, code), n) for code, n in sorted(themes.items())],
        "keyword": sorted(keywords.items(), key=lambda item: (-item[1], item[0]))[:20],
        "format": sorted(formats_.items()),
        "licence": [(key, LICENCES[key].title if key in LICENCES else key, n)
                    for key, n in sorted(licences.items())],
    }


# Served entries remembered per process: (authority id, name) -> (stamp, Entry).
_served: dict[tuple[int, str], tuple[tuple, Entry]] = {}
SERVED_MAX = 500


def served_entry(name: str) -> Entry | None:
    """published_entry for the downloads and the OGC API, remembered per process.

    published_entry costs two ORM queries, about 2.5 ms of CPU here (building SQL for the
    wide Dataset and DatasetVersion models), more than a whole OGC item otherwise
    needs. Here one small raw query per request checks that what is remembered is
    still current: the dataset still published, its updated_at (every save sets it)
    and its newest version number (versions are only added). A withdrawal or a new version
    therefore shows on the next request in every process, with no expiry to wait for.
    """
    authority_id = current_authority().pk
    dataset, version = Dataset._meta, DatasetVersion._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id, d.updated_at, (SELECT max(v.number) FROM {version.db_table} v "  # noqa: S608
            f"WHERE v.dataset_id = d.id) FROM {dataset.db_table} d "
            "WHERE d.authority_id = %s AND d.name = %s AND d.published", [authority_id, name])
        stamp = cursor.fetchone()
    if stamp is None or stamp[2] is None:
        return None
    key = (authority_id, name)
    remembered = _served.get(key)
    if remembered is not None and remembered[0] == stamp:
        return remembered[1]
    entry = published_entry(name)
    if entry is not None:
        if len(_served) >= SERVED_MAX:
            _served.clear()
        _served[key] = (stamp, entry)
    return entry
