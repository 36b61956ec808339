"""Drafts: starting, saving a step, keeping uploads. Submission lives in cases.

These services ask no rule of their own: a draft belongs to the citizen who started it,
and every caller reaches a draft only through `get_draft(user=…)`, which answers "not
found" for anyone else's. Sending a draft is guarded in `cases.submission`
(`cases.may_send_draft`)."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from rathaus.accounts.permissions import unguarded
from rathaus.audit.services import record
from rathaus.catalog.definitions import ServiceDefinition

from .engine import (
    id_card_answers,
    initial_for_form,
    json_answers,
    prefill_answers,
    step_form_class,
)
from .field_types import kind_of
from .housekeeping import delete_files
from .models import Draft, DraftUpload

OWN_DRAFT = "the citizen's own draft, reached only through get_draft(user=…)"


class DraftNotFound(Exception):
    pass


class DraftAlreadySent(Exception):
    def __init__(self, draft: Draft):
        super().__init__(str(draft.pk))
        self.draft = draft


@unguarded("any citizen may start a draft; it is theirs alone")
@transaction.atomic
def start_draft(*, user, definition: ServiceDefinition, id_card=None) -> Draft:
    """`id_card`: what the online ID card said at the session's login at level hoch
    (identity.services.from_id_card); its answers are kept and locked."""
    from_card = id_card_answers(definition, id_card)
    draft = Draft.objects.create(
        user=user, service_id=definition.id, service_version=definition.version,
        answers={**prefill_answers(definition, user), **from_card},
        locked_fields=sorted(from_card),
    )
    record("application.draft_started", actor=user, target=draft,
           data={"service": definition.id})
    return draft


@unguarded("the ownership check itself: anyone else's draft is not found")
def get_draft(*, user, draft_id) -> Draft:
    """The user's own draft; anything else is "not found", never "forbidden"."""
    draft = Draft.objects.filter(pk=draft_id, user=user).first()
    if draft is None:
        raise DraftNotFound(draft_id)
    return draft


@unguarded("reads the user's own drafts only")
def open_drafts(*, user):
    return Draft.objects.filter(user=user, submitted_at__isnull=True)


@unguarded(OWN_DRAFT)
@transaction.atomic
def save_step(*, draft: Draft, definition: ServiceDefinition, step_index: int,
              cleaned: dict) -> Draft:
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    if draft.submitted_at:
        raise DraftAlreadySent(draft)
    step = definition.steps[step_index]
    draft.answers = {**draft.answers, **json_answers(step, cleaned)}
    draft.reached_step = max(draft.reached_step, step_index + 1)
    draft.save(update_fields=["answers", "reached_step", "updated_at"])
    for spec in step.fields:
        upload = cleaned.get(spec.id)
        if kind_of(spec).holds_files and upload:
            _keep_upload(draft=draft, field_id=spec.id, upload=upload)
    return draft


@unguarded(OWN_DRAFT + " (and the demo's own holders)")
def fill_in(*, draft: Draft, definition: ServiceDefinition, pages: list[dict]) -> Draft:
    """Each page's data (as a browser posts it) checked by its step's form and saved,
    as if typed in; for the demo and the benchmarks. Uploads are not supported.
    Raises ValueError naming the step and the form's messages if a page is invalid."""
    for index, (step, data) in enumerate(zip(definition.steps, pages, strict=True)):
        form = step_form_class(definition, step)(
            data, None, initial=initial_for_form(step, draft.answers), answers=draft.answers,
            uploads={}, locked=draft.locked_fields, applicant_id=draft.user_id)
        if not form.is_valid():
            raise ValueError(f"step {step.id}: {form.errors.as_text()}")
        draft = save_step(draft=draft, definition=definition, step_index=index,
                          cleaned=form.cleaned_data)
    return draft


def _keep_upload(*, draft: Draft, field_id: str, upload) -> DraftUpload:
    digest = hashlib.sha256(upload.content).hexdigest()
    name = default_storage.save(
        f"drafts/{draft.authority.slug}/{draft.pk}/{field_id}-{digest[:16]}",
        ContentFile(upload.content),
    )
    previous = DraftUpload.objects.filter(draft=draft, field_id=field_id).first()
    if previous:
        # Removed only after the transaction commits, so a rollback keeps the old file.
        old_name = previous.storage_name
        previous.delete()
        transaction.on_commit(lambda: default_storage.delete(old_name))
    return DraftUpload.objects.create(
        draft=draft, field_id=field_id, filename=upload.filename, media_type=upload.media_type,
        size=len(upload.content), sha256=digest, storage_name=name,
    )


@unguarded("reads only, " + OWN_DRAFT)
def uploads_by_field(draft: Draft) -> dict[str, DraftUpload]:
    return {u.field_id: u for u in DraftUpload.objects.filter(draft=draft)}


@unguarded("reads only, " + OWN_DRAFT)
def upload_content(upload: DraftUpload) -> bytes:
    with default_storage.open(upload.storage_name, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != upload.sha256:
        raise OSError(f"Uploaded file {upload.pk} was changed in storage.")
    return content


@unguarded(OWN_DRAFT + "; the housekeeping discards expired drafts")
@transaction.atomic
def discard_draft(*, draft: Draft) -> None:
    names = [u.storage_name for u in DraftUpload.objects.filter(draft=draft)]
    record("application.draft_discarded", actor=draft.user, target=draft,
           data={"service": draft.service_id})
    draft.delete()
    transaction.on_commit(lambda: delete_files(names))
