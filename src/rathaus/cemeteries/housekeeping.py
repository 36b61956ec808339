"""The worker's part for the cemeteries, in every authority that keeps a cemetery
cadastre: rights of use whose end has passed are ended (their graves wait in the list
of graves to clear), and the letters to holders whose right ends soon are written.
Both are idempotent and cheap when nothing is due: an indexed look at the rights."""

from datetime import date

from django.utils import timezone

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from . import letters, services
from .selectors import cemetery_cadastre


def write_due_letters(*, today: date | None = None) -> int:
    """Ends what is over and writes the letters now due; returns how many letters."""
    today = today or timezone.localdate()
    written = 0
    for authority in Authority.objects.all():
        with authority_context(authority):
            cadastre = cemetery_cadastre()
            if cadastre is None:
                continue
            services.end_rights(today=today)
            written += letters.write_due(cadastre=cadastre, today=today)
    return written
