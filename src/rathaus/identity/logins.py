"""What a verified SAML response says, and the refusal of one that says nothing.

Apart from `provider`, which needs pysaml2: importing pysaml2 takes most of a second,
and the services (and every process that imports them, such as the worker) need only
these two types.
"""

import datetime
from dataclasses import dataclass, field

from rathaus.accounts.login_levels import LoginLevel


class Refused(Exception):
    """A response that does not log anybody in; `reason` names the check it failed."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass
class Login:
    issuer: str
    subject: str
    level: LoginLevel
    assertion_id: str
    expires_at: datetime.datetime
    request_id: str
    attributes: dict = field(default_factory=dict)
