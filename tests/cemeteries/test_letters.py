"""Letters to holders before their right of use ends (cemeteries.letters): one per right
and end, a PDF/A in the grave's file in the eAkte, in the mailbox only where the holder
has an account, never twice; the worker's housekeeping writes them and ends rights."""

import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone

from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import housekeeping, letters, services
from rathaus.cemeteries.models import RightLetter, RightOfUse
from rathaus.cemeteries.rules import add_years
from rathaus.mailbox.models import Message
from rathaus.notices.demo import create_demo_notice_settings
from rathaus.records.models import CaseFile
from rathaus.records.selectors import latest_version, read_content
from tests.cemeteries.conftest import HOLDER
from tests.factories import make_citizen


@pytest.fixture
def world(cemetery_world, town):
    with authority_context(town):
        create_demo_notice_settings()
    return cemetery_world


def _right(world, town, *, kind="choice_grave", index=0, ends_in_days=90, holder=HOLDER):
    """A right granted in advance so that it ends `ends_in_days` from today."""
    grave = world["graves"][kind][index]
    grave_type = world["types"][kind]
    ends_on = timezone.localdate() + timedelta(days=ends_in_days)
    starts_on = add_years(ends_on, -grave_type.right_years)
    with authority_context(town):
        right = services.grant_right(actor=world["clerk"], grave=grave, holder=holder,
                                     starts_on=starts_on)
        # add_years may move a 29 February: the end the test asked for, exactly.
        RightOfUse.objects.filter(pk=right.pk).update(ends_on=ends_on)
        right.refresh_from_db()
    return right


def _write(world, town, today=None) -> int:
    with authority_context(town):
        return letters.write_due(cadastre=world["cadastre"],
                                 today=today or timezone.localdate())


def test_a_right_ending_soon_gets_one_letter_filed_in_the_graves_file(world, town):
    right = _right(world, town)
    assert _write(world, town) == 1
    with authority_context(town):
        letter = RightLetter.objects.get(right=right)
        assert letter.ends_on == right.ends_on
        assert not letter.in_mailbox  # the holder has no account
        case_file = letter.document.case_file
        assert case_file.title == f"Grabstelle {right.grave.asset.number}"
        assert case_file.plan_entry.code == "68"
        assert case_file.department == world["department"]
        pdf = read_content(latest_version(letter.document))
        assert Message.objects.count() == 0
    assert pdf.startswith(b"%PDF")
    assert b"pdfaid:part" in pdf  # PDF/A metadata


def test_letters_are_not_written_twice(world, town):
    _right(world, town)
    assert _write(world, town) == 1
    assert _write(world, town) == 0
    assert _write(world, town, today=timezone.localdate() + timedelta(days=1)) == 0
    with authority_context(town):
        assert RightLetter.objects.count() == 1


def test_two_rights_of_one_grave_share_its_file(world, town):
    right = _right(world, town, ends_in_days=30)
    assert _write(world, town) == 1
    with authority_context(town):
        # The right extended: a new end, a new letter when that end comes near.
        services.extend_right(actor=world["clerk"], grave=right.grave, years=1)
    later = timezone.localdate() + timedelta(days=365 + 30 - 60)
    assert _write(world, town, today=later) == 1
    with authority_context(town):
        assert RightLetter.objects.filter(right=right).count() == 2
        assert CaseFile.objects.filter(title__startswith="Grabstelle").count() == 1


def test_a_right_ending_later_gets_no_letter_yet(world, town):
    _right(world, town, ends_in_days=300)
    assert _write(world, town) == 0


def test_the_cadastre_sets_how_early_holders_are_written_to(world, town):
    _right(world, town, ends_in_days=300)
    with authority_context(town):
        world["cadastre"].settings = {"letter_months": 12}
        world["cadastre"].save(update_fields=["settings"])
    assert _write(world, town) == 1


def test_a_holder_with_an_account_gets_the_letter_in_the_mailbox(world, town):
    citizen = make_citizen("margarete@example.org")
    holder = services.Holder(name=HOLDER.name, street=HOLDER.street,
                             postcode=HOLDER.postcode, city=HOLDER.city, user=citizen)
    _right(world, town, holder=holder)
    _right(world, town, index=1)  # no account
    assert _write(world, town) == 2
    with authority_context(town):
        assert sorted(RightLetter.objects.values_list("in_mailbox", flat=True)) == [
            False, True]
        message = Message.objects.get()
    assert message.recipient == citizen
    assert message.reference.startswith("68")


def test_the_housekeeping_ends_rights_and_writes_letters_in_every_authority(world, town):
    soon = _right(world, town)
    over = _right(world, town, index=1, ends_in_days=-1)
    assert housekeeping.write_due_letters() == 1
    with authority_context(town):
        over.refresh_from_db()
        assert over.state == RightOfUse.State.ENDED
        assert RightLetter.objects.filter(right=soon).exists()
    assert housekeeping.write_due_letters() == 0


def test_the_housekeeping_is_quiet_without_a_cemetery_cadastre(town):
    assert housekeeping.write_due_letters(today=date(2026, 12, 1)) == 0


def test_the_office_writes_the_letters_through_the_same_function(world, town):
    _right(world, town)
    with authority_context(town):
        assert letters.write_letters(actor=world["clerk"], cadastre=world["cadastre"]) == 1


def _text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_the_letter_says_when_the_right_ends_and_how_it_can_be_extended(world, town):
    choice = _right(world, town)
    row = _right(world, town, kind="row_grave")
    with authority_context(town):
        extendable = _text(letters.render_letter(right=choice, reference="68-2026-1",
                                                 today=timezone.localdate(), office="FV"))
        not_extendable = _text(letters.render_letter(right=row, reference="68-2026-2",
                                                     today=timezone.localdate(), office="FV"))
    end = choice.ends_on.strftime("%d.%m.%Y")
    assert f"Ihr Nutzungsrecht endet am {end}" in extendable
    assert "um 1 bis 30 Jahre verlängern" in extendable
    assert "60,00 € je Jahr" in extendable
    assert f"vor dem {end}; Sie erhalten" in extendable
    assert "kann nach der Friedhofssatzung nicht verlängert werden" in not_extendable
    assert "abgeräumt" in not_extendable


def test_without_notice_settings_no_letter_is_written_and_nothing_breaks(cemetery_world, town):
    _right(cemetery_world, town)
    _right(cemetery_world, town, index=1)
    assert _write(cemetery_world, town) == 0
    with authority_context(town):
        assert not RightLetter.objects.exists()
        assert not CaseFile.objects.exists()
