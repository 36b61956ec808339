"""Background work of working time: the monthly sheet of a closed month (written
again after an approved correction). Idempotent: a sheet of the same totals is not
written twice."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context

from . import sheets
from .models import MonthClosing


@task()
def write_sheet(*, authority_id: int, closing_id: int) -> None:
    authority = Authority.objects.get(pk=authority_id)
    with authority_context(authority), translation.override(settings.LANGUAGE_CODE):
        closing = MonthClosing.objects.filter(pk=closing_id).first()
        if closing is not None:  # deleted by the retention meanwhile: nothing to write
            sheets.store_sheet(closing)
