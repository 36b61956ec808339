"""What a received hand-over becomes, per service: the registry domains fill.

    @submission_receiver("fahrzeug-zulassen")
    def open_registration_case(submission: ReceivedSubmission) -> str:
        ...  # a case in the Kreis's basket; returns its Aktenzeichen

A receiver runs in the destination authority's context, inside the transaction that
marks the hand-over received: if it raises, nothing of it stays and the hand-over is
marked failed (`SubmissionRefused`: with the receiver's reason) or its task fails and
can be retried (anything else, e.g. a database that went away).
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


class SubmissionRefused(Exception):
    """A receiver's refusal of the content (e.g. a vehicle registered already); the
    message is stored as the failure's detail for staff."""


Receiver = Callable[[ReceivedSubmission], str | None]

receivers: Registry[Receiver] = Registry("submission receiver")


def submission_receiver(service_id: str):
    def decorator(function: Receiver) -> Receiver:
        return receivers.register(service_id, function)
    return decorator
