"""A holder with an account finds their rights of use in the copy of their data
(Art. 15 DSGVO); nobody else finds them in theirs."""

from dataclasses import replace
from datetime import date

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import services
from rathaus.cemeteries.models import GraveKind
from rathaus.cemeteries.personal_data import rights_part
from tests.factories import make_citizen

from .conftest import HOLDER

pytestmark = pytest.mark.django_db


def test_the_holders_copy_holds_the_right_and_others_do_not(cemetery_world, town):
    holder = make_citizen(email="margarete@example.org")
    other = make_citizen(email="other@example.org")
    with authority_context(town):
        grave = cemetery_world["graves"][GraveKind.CHOICE][0]
        right = services.grant_right(actor=cemetery_world["clerk"], grave=grave,
                                     holder=replace(HOLDER, user=holder),
                                     starts_on=date(2026, 1, 5), consent_grave_search=True)
        part = rights_part(citizen=holder, case_references=[])
        assert part.filename == "grabstellen.json"
        (entry,) = part.data
        assert entry["graburkunde"] == right.number
        assert entry["grab"] == grave.asset.number
        assert entry["grabsuche"] == {"auffindbar": True, "auch_waehrend_der_ruhezeit": False}
        assert rights_part(citizen=other, case_references=[]) is None
