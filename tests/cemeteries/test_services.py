"""Graves, rights of use and burials through the services, on the database: the
Done-when rules once more as the office meets them (a second burial refused, then
allowed with an extension; a row grave that cannot be extended), and the grave's state
through booking, confirmation, the end of the right and clearing."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from rathaus.accounts.permissions import NotPermitted
from rathaus.authorities.tenancy import authority_context
from rathaus.cemeteries import rules, services
from rathaus.cemeteries.models import Burial, BurialKind, Grave, GraveKind, RightOfUse
from tests.factories import make_staff

from .conftest import HOLDER, deceased

pytestmark = pytest.mark.django_db


def at(day: date, hour=11) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def soon(days=7) -> date:
    return timezone.localdate() + timedelta(days=days)


def first_burial(world, kind, *, burial_kind=BurialKind.COFFIN, case="68-1/2026",
                 consent=False):
    """A burial booked and confirmed in the first grave of `kind`."""
    grave = world["graves"][kind][0]
    services.book_burial(actor=world["clerk"], grave=grave, case_reference=case,
                         kind=burial_kind, deceased=deceased(), buried_at=at(soon()))
    return services.confirm_burial(case_reference=case, holder=HOLDER,
                                   consent_grave_search=consent)


def test_a_burial_is_booked_then_confirmed_with_a_new_right_and_its_fees(cemetery_world, town):
    with authority_context(town):
        grave = cemetery_world["graves"][GraveKind.CHOICE][0]
        burial = services.book_burial(
            actor=cemetery_world["clerk"], grave=grave, case_reference="68-1/2026",
            kind=BurialKind.COFFIN, deceased=deceased(), buried_at=at(soon()))
        assert Grave.objects.get(pk=grave.pk).state == Grave.State.RESERVED
        assert burial.state == Burial.State.BOOKED
        assert burial.rest_ends_on == rules.add_years(soon(), 25)

        confirmed = services.confirm_burial(case_reference="68-1/2026", holder=HOLDER,
                                            consent_grave_search=True)
        assert Grave.objects.get(pk=grave.pk).state == Grave.State.OCCUPIED
        right = confirmed.right
        assert right.holder_name == "Margarete Beispiel"
        assert (right.starts_on, right.ends_on) == (soon(), rules.add_years(soon(), 30))
        assert right.number.startswith(f"NR-{timezone.localdate().year}-")
        assert [fee.amount for fee in confirmed.fees] == [Decimal("850.00"),
                                                          Decimal("1800.00")]
        # A second run (a repeated task) changes nothing and tells the same fees.
        again = services.confirm_burial(case_reference="68-1/2026", holder=HOLDER)
        assert again.right == right
        assert rules.total(again.fees) == Decimal("2650.00")
        assert RightOfUse.objects.count() == 1


def test_a_second_burial_is_refused_until_the_booking_extends_the_right(cemetery_world, town):
    with authority_context(town):
        confirmed = first_burial(cemetery_world, GraveKind.CHOICE)
        grave = confirmed.burial.grave
        # The right of 30 years ends before a coffin's rest period of 25 years from a
        # burial 10 years later: move the right's start back as if granted 2006.
        right = confirmed.right
        right.starts_on, right.ends_on = date(2006, 5, 2), date(2036, 5, 2)
        right.save()
        with pytest.raises(rules.BurialRefused) as refused:
            services.book_burial(actor=cemetery_world["clerk"], grave=grave,
                                 case_reference="68-2/2026", kind=BurialKind.COFFIN,
                                 deceased=deceased("Hilde"), buried_at=at(soon(8)))
        assert "mindestens" in refused.value.message
        assert not Burial.objects.filter(case_reference="68-2/2026").exists()

        needed = rules.years_between(date(2036, 5, 2), rules.add_years(soon(8), 25))
        services.book_burial(actor=cemetery_world["clerk"], grave=grave,
                             case_reference="68-2/2026", kind=BurialKind.COFFIN,
                             deceased=deceased("Hilde"), buried_at=at(soon(8)),
                             extension_years=needed)
        second = services.confirm_burial(case_reference="68-2/2026", holder=None)
        right.refresh_from_db()
        assert right.ends_on == rules.add_years(date(2036, 5, 2), needed)
        assert right.ends_on >= second.burial.rest_ends_on
        assert right.extensions.get().fee == Decimal("60.00") * needed
        assert [fee.amount for fee in second.fees] == [Decimal("850.00"),
                                                       Decimal("60.00") * needed]


def test_a_full_grave_refuses_a_third_burial(cemetery_world, town):
    with authority_context(town):
        confirmed = first_burial(cemetery_world, GraveKind.CHOICE)
        grave = confirmed.burial.grave
        services.book_burial(actor=cemetery_world["clerk"], grave=grave,
                             case_reference="68-2/2026", kind=BurialKind.URN,
                             deceased=deceased("Hilde"), buried_at=at(soon(8)))
        with pytest.raises(rules.BurialRefused):
            services.book_burial(actor=cemetery_world["clerk"], grave=grave,
                                 case_reference="68-3/2026", kind=BurialKind.URN,
                                 deceased=deceased("Karl"), buried_at=at(soon(9)))


def test_the_right_of_a_row_grave_cannot_be_extended(cemetery_world, town):
    with authority_context(town):
        confirmed = first_burial(cemetery_world, GraveKind.ROW)
        with pytest.raises(rules.ExtensionRefused) as refused:
            services.extend_right(actor=cemetery_world["clerk"],
                                  grave=confirmed.burial.grave, years=5)
        assert "nicht verlängert" in refused.value.message
        assert not confirmed.right.extensions.exists()


def test_an_extension_within_the_limits_is_kept_with_its_fee(cemetery_world, town):
    with authority_context(town):
        confirmed = first_burial(cemetery_world, GraveKind.URN_CHOICE,
                                 burial_kind=BurialKind.URN)
        before = confirmed.right.ends_on
        extension = services.extend_right(actor=cemetery_world["clerk"],
                                          grave=confirmed.burial.grave, years=10)
        assert extension.fee == Decimal("440.00")
        assert extension.previous_ends_on == before
        with pytest.raises(rules.ExtensionRefused):
            services.extend_right(actor=cemetery_world["clerk"],
                                  grave=confirmed.burial.grave, years=26)


def test_a_rejected_application_gives_the_grave_back(cemetery_world, town):
    with authority_context(town):
        grave = cemetery_world["graves"][GraveKind.URN_ROW][0]
        services.book_burial(actor=cemetery_world["clerk"], grave=grave,
                             case_reference="68-4/2026", kind=BurialKind.URN,
                             deceased=deceased(), buried_at=at(soon()))
        services.cancel_booking(case_reference="68-4/2026")
        assert Grave.objects.get(pk=grave.pk).state == Grave.State.FREE
        assert services.booking_for("68-4/2026") is None


def test_booking_again_for_the_same_case_moves_the_booking(cemetery_world, town):
    with authority_context(town):
        first, second = cemetery_world["graves"][GraveKind.URN_ROW]
        for grave in (first, second):
            services.book_burial(actor=cemetery_world["clerk"], grave=grave,
                                 case_reference="68-5/2026", kind=BurialKind.URN,
                                 deceased=deceased(), buried_at=at(soon()))
        assert Grave.objects.get(pk=first.pk).state == Grave.State.FREE
        assert Grave.objects.get(pk=second.pk).state == Grave.State.RESERVED
        assert services.booking_for("68-5/2026").grave_id == second.pk


def test_an_ended_right_leaves_the_grave_to_clear_until_the_rest_period_is_over(
        cemetery_world, town):
    with authority_context(town):
        confirmed = first_burial(cemetery_world, GraveKind.URN_ROW, burial_kind=BurialKind.URN)
        grave = confirmed.burial.grave
        right = confirmed.right
        right.ends_on = timezone.localdate() - timedelta(days=1)
        right.save()
        assert services.end_rights(today=timezone.localdate()) == 1
        right.refresh_from_db()
        assert right.state == RightOfUse.State.ENDED
        with pytest.raises(services.InvalidGrave):  # the rest period still runs
            services.mark_cleared(actor=cemetery_world["clerk"], grave=grave)
        Burial.objects.filter(pk=confirmed.burial.pk).update(
            rest_ends_on=timezone.localdate() - timedelta(days=1))
        services.mark_cleared(actor=cemetery_world["clerk"], grave=grave)
        assert Grave.objects.get(pk=grave.pk).state == Grave.State.FREE


def test_an_anonymous_burial_has_no_right_of_use(cemetery_world, town):
    with authority_context(town):
        confirmed = first_burial(cemetery_world, GraveKind.ANONYMOUS, burial_kind=BurialKind.URN)
        assert confirmed.right is None
        assert rules.total(confirmed.fees) == Decimal("320.00")


def test_a_burial_date_in_the_past_is_refused(cemetery_world, town):
    with authority_context(town), pytest.raises(services.InvalidGrave):
        services.book_burial(actor=cemetery_world["clerk"],
                             grave=cemetery_world["graves"][GraveKind.ROW][0],
                             case_reference="68-6/2026", kind=BurialKind.COFFIN,
                             deceased=deceased(), buried_at=at(soon(-3)))


def test_only_the_friedhofsverwaltung_books_and_extends(cemetery_world, town):
    from rathaus.authorities.models import Department

    with authority_context(town):
        other = Department.objects.create(slug="steueramt", name="Steueramt")
    stranger, _device = make_staff(town, departments=[other], email="steuer@example.org")
    with authority_context(town):
        grave = cemetery_world["graves"][GraveKind.CHOICE][0]
        with pytest.raises(NotPermitted):
            services.book_burial(actor=stranger, grave=grave, case_reference="68-7/2026",
                                 kind=BurialKind.COFFIN, deceased=deceased(),
                                 buried_at=at(soon()))
        with pytest.raises(NotPermitted):
            services.grant_right(actor=stranger, grave=grave, holder=HOLDER,
                                 starts_on=timezone.localdate())
