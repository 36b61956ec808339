"""What people read about a confirmation: the party's page, the clerk's panel and the
applicant's sentence."""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext

from rathaus.accounts.permissions import unguarded
from rathaus.catalog.definitions import ServiceDefinition, ThirdPartyConfirmation, localize
from rathaus.catalog.registry import definition as definition_of

from .answers import answer_rows, differences, shown_rows
from .models import Confirmation
from .tokens import token_hash

S = Confirmation.Status


@dataclass(frozen=True)
class PartyPage:
    """What the party's page shows: nothing of the applicant beyond `rows`."""

    confirmation: Confirmation
    definition: ServiceDefinition
    rows: list[tuple[str, str]]

    @property
    def spec(self) -> ThirdPartyConfirmation:
        return self.definition.third_party_confirmation


@unguarded("the party has no account: the one-time token from the e-mail is the permission")
def open_request(*, token: str, now: datetime.datetime | None = None) -> PartyPage | None:
    """The request the token opens, if it still may be answered; None for any token
    that opens nothing, whatever the reason."""
    now = now or timezone.now()
    # With the case's file: confirming files the answer there (services.confirm).
    confirmation = (Confirmation.objects.select_related("case", "case__case_file")
                    .filter(secret_hash=token_hash(token or ""), mode=Confirmation.Mode.LINK,
                            status=S.REQUESTED, used_at__isnull=True, expires_at__gt=now,
                            case__isnull=False).first())
    found = definition_of(confirmation.service_id) if confirmation else None
    if found is None or found.third_party_confirmation is None:
        return None
    return PartyPage(confirmation=confirmation, definition=found,
                     rows=shown_rows(found, confirmation.case.answers))


@dataclass(frozen=True)
class Panel:
    """The clerk's view of a case's confirmation."""

    title: str
    party: str
    confirmation: Confirmation
    answers: list[tuple[str, str]]
    differences: list[tuple[str, str, str]]


@unguarded("for a case the caller has already let the person open")
def confirmation_for_case(*, case) -> Panel | None:
    confirmation = Confirmation.objects.filter(case=case).order_by("-requested_at").first()
    found = definition_of(case.service_id)
    if confirmation is None or found is None or found.third_party_confirmation is None:
        return None
    spec = found.third_party_confirmation
    fields = spec.issue_fields if confirmation.mode == Confirmation.Mode.CODE \
        else spec.party_fields
    issued = confirmation.mode == Confirmation.Mode.CODE
    return Panel(
        title=localize(spec.title), party=localize(spec.party), confirmation=confirmation,
        answers=answer_rows(fields, confirmation.party_answers),
        differences=differences(found, case.answers, confirmation.party_answers)
        if issued else [],
    )


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


@unguarded("for a case the caller has already let the applicant open")
def confirmation_state(*, case) -> str:
    """One sentence for the applicant: where the confirmation stands ("" if the case
    needs none)."""
    panel = confirmation_for_case(case=case)
    if panel is None:
        return ""
    c = panel.confirmation
    values = {"title": panel.title, "name": c.party_name, "date": _date(c.requested_at),
              "until": _date(c.expires_at)}
    if c.mode == Confirmation.Mode.CODE:
        return gettext("%(title)s: the confirmation code of %(name)s is part of your "
                       "application.") % values
    if c.status == S.CONFIRMED:
        return gettext("%(title)s: %(name)s confirmed on %(date)s.") % {
            **values, "date": _date(c.answered_at)}
    if c.status == S.DECLINED:
        return gettext("%(title)s: %(name)s declined on %(date)s. Please contact them; "
                       "we have written to your mailbox.") % {**values,
                                                              "date": _date(c.answered_at)}
    if c.status == S.EXPIRED:
        return gettext("%(title)s: %(name)s did not answer by %(until)s. Please contact "
                       "them or us.") % values
    return gettext("%(title)s: requested from %(name)s by e-mail on %(date)s; the link "
                   "is valid until %(until)s.") % values
