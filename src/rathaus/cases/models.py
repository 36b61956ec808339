import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.authorities.tenancy import TenantScopedModel


class Case(TenantScopedModel):
    """A Vorgang: one submitted application and everything the authority does with it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Received")
        IN_REVIEW = "in_review", _("In review")
        WAITING = "waiting", _("Waiting for your information")
        AWAITING_CONFIRMATION = "awaiting_confirmation", _("Decision being confirmed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("file reference"), max_length=60)
    case_file = models.OneToOneField("records.CaseFile", on_delete=models.PROTECT)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="cases")
    # The draft this case came from: sending the same draft twice finds this case. None
    # for an application another authority handed over (`handover_submission_id`).
    draft = models.OneToOneField("application_forms.Draft", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="case")
    # The hand-over it arrived in, when a town's portal took the application for this
    # authority (cases/forwarding.py): its status goes back to the town.
    handover_submission_id = models.UUIDField(null=True, blank=True, unique=True)
    service_id = models.CharField(max_length=100)
    service_version = models.PositiveIntegerField()
    answers = models.JSONField()
    answers_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField()
    # The decision as proposed, and (with four eyes) confirmed by a second person.
    decision = models.CharField(max_length=10, blank=True,
                                choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    decision_reason = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "reference"], name="case_reference_unique")
        ]
        # The service page's actual processing times: one service's recent decisions.
        indexes = [models.Index(fields=["authority", "service_id", "decided_at"],
                                name="case_service_decided")]

    def __str__(self) -> str:
        return self.reference


class CaseEvent(TenantScopedModel):
    """The history of a case: every status change, request, answer and note. Never edited."""

    # What each kind is called in a history line: cases/wording.py, for staff and for
    # the citizen. STATUS is a decision taken (approved or rejected, in `status`); older
    # histories also hold a proposal as STATUS and a sent-back one as NOTE with a status.
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Application received")
        STATUS = "status", _("Decision taken")
        NOTE = "note", _("Internal note")
        INFORMATION_REQUESTED = "information_requested", _("Information requested")
        INFORMATION_GIVEN = "information_given", _("Information given")
        TASK_DONE = "task_done", _("Task completed")
        APPROVAL_PROPOSED = "approval_proposed", _("Approval proposed")
        REJECTION_PROPOSED = "rejection_proposed", _("Rejection proposed")
        PROPOSAL_SENT_BACK = "proposal_sent_back", _("Proposal sent back")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                              related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=30, blank=True)
    text = models.TextField(blank=True)
    # Internal events are for staff only; the citizen sees the others in the status page.
    internal = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Task(TenantScopedModel):
    """A piece of work for one department: what lands in its work basket."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for the citizen")
        DONE = "done", _("Done")

    department = models.ForeignKey(
        "authorities.Department", on_delete=models.PROTECT, related_name="tasks"
    )
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="tasks")
    workflow_task = models.CharField(max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("file reference"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Set when the task is made: the day of submission plus the `due_days` of the
    # service definition's task (the processing time the department has for it).
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The clerk who took the task on ("mine" in the work basket); nobody at first.
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("assigned to"))
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["department", "status", "due_date"]),
            # The work basket and its counts ask for a department's unfinished tasks,
            # while its finished ones pile up for years (bench/data_growth.py: 33,000
            # beside 100). Holding only the unfinished, this index keeps that cost flat.
            models.Index(fields=["department", "due_date"], condition=~models.Q(status="done"),
                         name="task_unfinished_by_department"),
        ]

    def __str__(self) -> str:
        return self.title


class ForwardedApplication(TenantScopedModel):
    """An application the town's portal took and handed over to the authority that
    performs the service (a district): the town's whole record of it. No answer is in
    it; the status comes back as the hand-over's status events."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="forwarded_applications")
    # The emptied draft it came from: sending it twice finds this record.
    draft = models.OneToOneField("application_forms.Draft", on_delete=models.PROTECT,
                                 related_name="forwarded")
    service_id = models.CharField(max_length=100)
    submission = models.OneToOneField("handover.Submission", on_delete=models.PROTECT,
                                      related_name="+")
    destination_name = models.CharField(max_length=200)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("forwarded application")
        verbose_name_plural = _("forwarded applications")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.service_id} → {self.destination_name}"
