"""Blobs of the eAkte that no document version points to (a rolled-back transaction
wrote them); see `rathaus.storage_sweep`.

Apps above records keep content in the same store before it becomes a document (the
incoming mail waiting to be filed); they name their blobs with `keep_blobs_named_by`,
so the sweep never takes what they still point to."""

from collections.abc import Callable, Iterable

from rathaus.storage_sweep import sweep

from .models import DocumentVersion

_KEEPERS: list[Callable[[], Iterable[str]]] = []


def keep_blobs_named_by(names: Callable[[], Iterable[str]]) -> None:
    """Register a function returning storage names (of every authority) still in use."""
    if names not in _KEEPERS:
        _KEEPERS.append(names)


def referenced_among(names: set[str]) -> set[str]:
    """Which of the storage `names` a document version (of any authority) or a keeper
    still points to: blobs are content-addressed and shared, so a blob whose version is
    deleted goes only when nothing else names it."""
    referenced = set(DocumentVersion.all_authorities.filter(storage_name__in=names)
                     .values_list("storage_name", flat=True))
    for keeper in _KEEPERS:
        referenced.update(name for name in keeper() if name in names)
    return referenced


def sweep_orphan_blobs() -> int:
    # The keepers' names (content waiting to be filed) are few; the versions' are
    # asked for batch by batch of stored names, never all at once.
    kept = {name for keeper in _KEEPERS for name in keeper()}

    def referenced(names: list[str]) -> set[str]:
        return kept.intersection(names) | set(
            DocumentVersion.all_authorities.filter(storage_name__in=names)
            .values_list("storage_name", flat=True))

    return sweep("records", referenced)
