"""Writing open data: datasets, uploads, versions, publication and the refresh of the
automatic datasets. Every change writes its audit entry in the same transaction."""

from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from rathaus.accounts.permissions import guarded_by, unguarded
from rathaus.audit.services import record
from rathaus.authorities.tenancy import current_authority
from rathaus.publication.producers import Producer, producers

from .. import permissions as rules
from ..ingest.decisions import ColumnDecision
from ..ingest.ingestion import inspect_file, typed_rows
from ..ingest.parsing import detect_format
from ..ingest.privacy import check_publishable, kind_by_name
from ..models import ColumnType, Dataset, DatasetVersion, Upload, VersionColumn
from ..store import files as store
from . import errors

METADATA_FIELDS = ("title", "description", "keywords", "theme", "contact_name",
                   "contact_email", "licence", "temporal_start", "temporal_end", "frequency")


@guarded_by(rules.may_prepare)
def create_dataset(*, actor, name: str, **metadata) -> Dataset:
    dataset = Dataset(name=name, spatial=current_authority().municipality_key,
                      **{k: metadata[k] for k in METADATA_FIELDS if k in metadata})
    try:
        with transaction.atomic():
            dataset.save()
            record("opendata.dataset_created", actor=actor, target=dataset,
                   data={"name": name})
    except IntegrityError:
        raise errors.NameTaken() from None
    return dataset


@guarded_by(rules.may_prepare)
@transaction.atomic
def update_metadata(*, dataset: Dataset, actor, **metadata) -> Dataset:
    changed = sorted(k for k in METADATA_FIELDS
                     if k in metadata and getattr(dataset, k) != metadata[k])
    for key in changed:
        setattr(dataset, key, metadata[key])
    # Only the changed fields: a stale copy of the dataset must not write back other
    # fields (such as `published`) that someone changed meanwhile.
    if changed:
        dataset.save(update_fields=[*changed, "updated_at"])
    record("opendata.metadata_changed", actor=actor, target=dataset, data={"fields": changed})
    return dataset


# --- Uploads ----------------------------------------------------------------------------
#
# An upload is kept, checked in full, then confirmed column by column and written into
# the store as a version. The office pages hand the checking and the writing to the
# background worker (`receive_upload_in_background`, `request_publication`); the demo,
# the benchmarks and the tests do both at once (`receive_upload`, `confirm_upload`).

@guarded_by(rules.may_prepare)
def receive_upload(*, dataset: Dataset, actor, file) -> Upload:
    """Keeps the file and checks it in full at once. Nothing is published yet: staff
    confirm the columns first (confirm_upload)."""
    return check_upload(upload=_keep_upload(dataset=dataset, actor=actor, file=file))


@guarded_by(rules.may_prepare)
@transaction.atomic
def receive_upload_in_background(*, dataset: Dataset, actor, file) -> Upload:
    """Keeps the file and queues its check (tasks.check_upload) in the same transaction,
    so the task exists exactly when the upload does."""
    from .tasks import check_upload as check_task

    upload = _keep_upload(dataset=dataset, actor=actor, file=file)
    check_task.enqueue(authority_id=upload.authority_id, upload_id=str(upload.pk))
    return upload


def _keep_upload(*, dataset: Dataset, actor, file) -> Upload:
    limit = settings.RATHAUS_OPENDATA_MAX_UPLOAD_BYTES
    if file.size > limit:
        raise errors.UploadTooLarge(limit)
    head = file.read(512)
    file.seek(0)
    fmt = detect_format(file.name, head)
    if fmt is None:
        raise errors.UnknownFormat()
    upload = Upload(dataset=dataset, uploaded_by=actor, filename=file.name[:255], format=fmt,
                    size=file.size, status=Upload.Status.RECEIVED)
    path = _raw_path(upload)
    with path.open("wb") as target:
        for chunk in file.chunks():
            target.write(chunk)
    upload.save()
    return upload


@unguarded("the worker, for an upload whose rule was asked when staff handed it in")
def check_upload(*, upload: Upload) -> Upload:
    """Reads the kept file in full and records its columns and rows, or its errors.
    Does nothing unless the upload waits for its check, so running it twice (a worker
    restarted) or after a discard changes nothing."""
    path = _raw_path(upload)
    if upload.status != Upload.Status.RECEIVED or not path.exists():
        return upload
    inspection = inspect_file(path, upload.format)
    found = {"columns": inspection.columns, "row_count": inspection.row_count,
             "status": Upload.Status.INVALID if inspection.errors else Upload.Status.CHECKED,
             "errors": inspection.errors}
    # Only if still waiting: staff may have discarded it meanwhile.
    if Upload.objects.filter(pk=upload.pk, status=Upload.Status.RECEIVED).update(**found) \
            and inspection.errors:
        path.unlink(missing_ok=True)
    upload.refresh_from_db()
    return upload


@unguarded("the worker, for an upload whose rule was asked when staff handed it in")
def check_failed(*, upload: Upload) -> None:
    """The check broke off (not a fault found in the file: those are the upload's
    errors). Staff are told to upload the file again; the failed task is listed for the
    administrators."""
    problem = {"line": None, "column": "", "message": gettext(
        "The file could not be checked because of a technical fault. Upload it again; "
        "if that fails too, tell the IT operations team.")}
    if Upload.objects.filter(pk=upload.pk, status=Upload.Status.RECEIVED).update(
            status=Upload.Status.INVALID, errors=[problem]):
        _raw_path(upload).unlink(missing_ok=True)


def _raw_path(upload: Upload) -> Path:
    return store.uploads_dir() / f"{upload.pk}.{upload.format}"


def _allowed_type(inferred: str, chosen: str) -> bool:
    return chosen in (inferred, ColumnType.TEXT)


def _confirmed_columns(upload: Upload, decisions: dict[str, dict]) -> list[ColumnDecision]:
    """`decisions`: column name → {"public": bool, "reason": str, "type": str}. The
    upload's columns with the decisions applied, refused as the privacy guard says."""
    if upload.status != Upload.Status.CHECKED or not _raw_path(upload).exists():
        raise errors.UploadNotReady()
    columns = []
    for inferred in upload.columns:
        decision = decisions.get(inferred["name"], {})
        chosen = decision.get("type") or inferred["type"]
        if not _allowed_type(inferred["type"], chosen):
            raise errors.TypeNotAllowed(inferred["name"])
        columns.append(ColumnDecision(
            name=inferred["name"], type=chosen, public=bool(decision.get("public")),
            reason=(decision.get("reason") or "").strip(), role=inferred.get("role", ""),
            personal_kind=inferred.get("personal_kind", "")))
    check_publishable(columns)
    if not any(c.public for c in columns):
        raise errors.NoPublicColumn()
    return columns


@guarded_by(rules.may_release)
def confirm_upload(*, upload: Upload, actor, decisions: dict[str, dict],
                   note: str = "") -> DatasetVersion:
    """Writes the public columns into the store at once and adds the version; the raw
    file is deleted."""
    columns = _confirmed_columns(upload, decisions)
    return _write_version(upload=upload, columns=columns, actor=actor, note=note,
                          expected=Upload.Status.CHECKED)


@guarded_by(rules.may_release)
@transaction.atomic
def request_publication(*, upload: Upload, actor, decisions: dict[str, dict],
                        note: str = "") -> Upload:
    """Checks the decisions as confirm_upload does, keeps them and queues the writing
    (tasks.publish_upload). Raises what confirm_upload raises; then nothing is queued."""
    from .tasks import publish_upload as publish_task

    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    columns = _confirmed_columns(upload, decisions)
    upload.status = Upload.Status.PUBLISHING
    upload.confirmed_columns = [column.to_json() for column in columns]
    upload.confirmed_by, upload.note = actor, note[:300]
    upload.save(update_fields=["status", "confirmed_columns", "confirmed_by", "note"])
    publish_task.enqueue(authority_id=upload.authority_id, upload_id=str(upload.pk))
    return upload


@unguarded("the worker, for what a team lead or administrator asked (request_publication)")
def publish_requested(*, upload: Upload) -> DatasetVersion | None:
    """The version staff asked for (request_publication); None if there is nothing to
    do, because it was written already (a worker restarted after a crash)."""
    if upload.status != Upload.Status.PUBLISHING:
        return None
    try:
        columns = [ColumnDecision.from_json(c) for c in upload.confirmed_columns]
        return _write_version(upload=upload, columns=columns,
                              actor=upload.confirmed_by, note=upload.note,
                              expected=Upload.Status.PUBLISHING)
    except errors.UploadNotReady:
        return None


@unguarded("the worker, for an upload whose rule was asked when staff handed it in")
def publication_failed(*, upload: Upload) -> None:
    """The worker could not write the version: the upload goes back to staff, who can
    confirm it again. (The failed task is listed for the administrators as well.)"""
    Upload.objects.filter(pk=upload.pk, status=Upload.Status.PUBLISHING).update(
        status=Upload.Status.CHECKED)


def _write_version(*, upload: Upload, columns: list[ColumnDecision], actor, note: str,
                   expected: str) -> DatasetVersion:
    public = [c for c in columns if c.public]
    # Content-keyed and written under a temporary name: writing it again after a crash
    # gives the same files, so this happens outside the transaction.
    written = store.write_version(
        [store.StoreColumn(c.name, c.type, _role(c, public)) for c in public],
        typed_rows(_raw_path(upload), upload.format, public),
    )
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.status != expected:
            raise errors.UploadNotReady()
        version = _add_version(dataset=upload.dataset, written=written, columns=columns,
                               actor=actor, note=note, source_filename=upload.filename)
        upload.status, upload.version = Upload.Status.CONFIRMED, version
        upload.save(update_fields=["status", "version"])
        # The raw file may hold columns that were not published: it goes, once the
        # version is sure to exist.
        path = _raw_path(upload)
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return version


def _role(column: ColumnDecision, public: list[ColumnDecision]) -> str:
    # Coordinates count only when both are published.
    roles = {c.role for c in public if c.role}
    return column.role if roles == {"lon", "lat"} else ""


@guarded_by(rules.may_prepare)
def discard_upload(*, upload: Upload, actor) -> int:
    """Discards the upload and its raw file. An upload being written into a version
    cannot be discarded any more. Returns 1 if it was discarded, else 0."""
    return _discard(upload=upload, actor=actor)


@unguarded("the housekeeping: unconfirmed uploads expire after RATHAUS_DRAFT_DAYS")
def expire_upload(*, upload: Upload) -> int:
    """discard_upload by the housekeeping (no actor in the audit entry)."""
    return _discard(upload=upload, actor=None)


@transaction.atomic
def _discard(*, upload: Upload, actor) -> int:
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status not in (Upload.Status.RECEIVED, Upload.Status.CHECKED,
                             Upload.Status.INVALID):
        return 0
    _raw_path(upload).unlink(missing_ok=True)
    upload.status = Upload.Status.DISCARDED
    upload.save(update_fields=["status"])
    record("opendata.upload_discarded", actor=actor, target=upload.dataset,
           data={"upload": str(upload.pk), "filename": upload.filename})
    return 1


def _add_version(*, dataset: Dataset, written: store.Written, columns: list[ColumnDecision],
                 actor,
                 note: str, source_filename: str = "") -> DatasetVersion:
    """Inside the caller's transaction: the next version number under a lock."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    latest = dataset.versions.order_by("-number").first()
    bbox = written.bbox or (None, None, None, None)
    version = DatasetVersion.objects.create(
        dataset=dataset, number=(latest.number + 1) if latest else 1, created_by=actor,
        note=note[:300], source_filename=source_filename, row_count=written.row_count,
        sha256=written.key, csv_size=written.csv_size, gzip_size=written.gzip_size,
        has_geometry=written.bbox is not None, bbox_west=bbox[0], bbox_south=bbox[1],
        bbox_east=bbox[2], bbox_north=bbox[3],
    )
    public_roles = {c.role for c in columns if c.public and c.role}
    for position, column in enumerate(columns):
        VersionColumn.objects.create(
            version=version, position=position, name=column.name, type=column.type,
            public=column.public, personal_kind=column.personal_kind, reason=column.reason,
            role=column.role if public_roles == {"lon", "lat"} else "",
        )
    dataset.modified = version.created_at
    dataset.save(update_fields=["modified", "updated_at"])
    record("opendata.version_created", actor=actor, target=dataset, data={
        "version": version.number, "rows": version.row_count, "sha256": version.sha256,
        "public_columns": [c.name for c in columns if c.public],
        "withheld_columns": [c.name for c in columns if not c.public],
    })
    return version


# --- Publication ------------------------------------------------------------------------

@guarded_by(rules.may_release)
def publish(*, dataset: Dataset, actor) -> Dataset:
    return _publish(dataset=dataset, actor=actor)


@transaction.atomic
def _publish(*, dataset: Dataset, actor) -> Dataset:
    """`actor` None: the system, publishing a new automatic dataset."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if not dataset.versions.exists():
        raise errors.NoVersion()
    if not dataset.published:
        dataset.published = True
        dataset.issued = dataset.issued or timezone.now()
        dataset.save(update_fields=["published", "issued", "updated_at"])
        record("opendata.published", actor=actor, target=dataset, data={"name": dataset.name})
    return dataset


@guarded_by(rules.may_release)
@transaction.atomic
def unpublish(*, dataset: Dataset, actor) -> Dataset:
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.published:
        dataset.published = False
        dataset.save(update_fields=["published", "updated_at"])
        record("opendata.unpublished", actor=actor, target=dataset,
               data={"name": dataset.name})
    return dataset


# --- Automatic datasets -----------------------------------------------------------------

@unguarded("the system: automatic datasets come from registered producers, not from a person")
def refresh_automatic_datasets() -> list[DatasetVersion]:
    """Runs every registered producer for the active authority; stores a new version
    where the rows changed. Running it twice changes nothing."""
    created = []
    for producer in producers():
        if producer.applies():
            version = refresh_one(producer)
            if version is not None:
                created.append(version)
    return created


@unguarded("the system: automatic datasets come from registered producers, not from a person")
def refresh_one(producer: Producer) -> DatasetVersion | None:
    produced = producer.produce()
    columns = [ColumnDecision(name=c.name, type=c.type, role=c.role, public=True,
                              reason=c.reason, personal_kind=kind_by_name(c.name) or "")
               for c in produced.columns]
    check_publishable(columns)
    names = [c.name for c in columns]
    written = store.write_version(
        [store.StoreColumn(c.name, c.type, c.role) for c in columns],
        ([row.get(name) for name in names] for row in produced.rows),
    )
    with transaction.atomic():
        dataset = _automatic_dataset(producer)
        latest = dataset.versions.order_by("-number").first()
        if latest is not None and latest.sha256 == written.key:
            return None
        version = _add_version(dataset=dataset, written=written, columns=columns, actor=None,
                               note="Automatisch aktualisiert")
        if latest is None:
            _publish(dataset=dataset, actor=None)
    return version


def _automatic_dataset(producer: Producer) -> Dataset:
    authority = current_authority()
    dataset = Dataset.objects.filter(name=producer.name).first()
    if dataset is None:
        dataset = Dataset.objects.create(
            name=producer.name, title=producer.title, description=producer.description,
            keywords=list(producer.keywords), theme=producer.theme, producer=producer.name,
            contact_name=authority.name, contact_email=authority.email or "",
            spatial=authority.municipality_key, frequency=producer.frequency,
        )
        record("opendata.dataset_created", target=dataset,
               data={"name": dataset.name, "producer": producer.name})
    return dataset
