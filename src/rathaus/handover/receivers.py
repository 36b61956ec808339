"""What a received hand-over becomes, per service: the registry domains fill.

    @submission_receiver("fahrzeugzulassung")
    def open_registration_case(submission: ReceivedSubmission) -> Filed:
        ...  # a case in the Kreis's basket: its Aktenzeichen and the citizen's page

A receiver runs in the destination authority's context, inside the transaction that
marks the hand-over received: if it raises, nothing of it stays and the hand-over is
marked failed (`SubmissionRefused`: with the receiver's reason) or its task fails and
can be retried (anything else, e.g. a database that went away).

A service may also name what to set aside before that transaction, from nothing but
the hand-over's id (it is not yet decrypted, so not yet believed). It runs only for a
hand-over an authority on this instance sent, so that strangers cannot use up numbers;
the receiver must get what it needs itself when it was not prepared:

    @before_receiving("fahrzeugzulassung")
    def reserve_case_number(submission_id: uuid.UUID) -> None:
        ...  # the Aktenzeichen, drawn in a short transaction of its own

Drawn inside the long one, such a number would keep every other hand-over to the
authority waiting until the first commits.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from rathaus.registry import Registry


@dataclass(frozen=True)
class ReceivedAttachment:
    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True)
class ReceivedSubmission:
    submission_id: uuid.UUID
    service_id: str
    reference: str
    sender: dict  # slug, name, municipality_key, as the metadata names them
    data: dict
    attachments: list[ReceivedAttachment]
    created_at: datetime.datetime


@dataclass(frozen=True)
class Filed:
    """What a receiver made of a hand-over: its reference (e.g. an Aktenzeichen) and
    the page where the citizen follows it; both go back to the sender."""

    reference: str
    url: str = ""


class SubmissionRefused(Exception):
    """A receiver's refusal of the content (e.g. a vehicle registered already); the
    message is stored as the failure's detail for staff."""


Receiver = Callable[[ReceivedSubmission], Filed | str | None]

Preparation = Callable[[uuid.UUID], None]

receivers: Registry[Receiver] = Registry("submission receiver")
preparations: Registry[Preparation] = Registry("preparation before receiving")


def submission_receiver(service_id: str):
    def decorator(function: Receiver) -> Receiver:
        return receivers.register(service_id, function)
    return decorator


def before_receiving(service_id: str):
    def decorator(function: Preparation) -> Preparation:
        return preparations.register(service_id, function)
    return decorator
