"""The bylaw's rules as plain functions of a grave type: extensions within and beyond
the limits, a burial that needs its rest period covered by the right of use, row
graves that cannot be extended, and the fees. No database."""

from datetime import date
from decimal import Decimal

import pytest

from rathaus.cemeteries import rules
from rathaus.cemeteries.models import BurialKind, GraveKind, GraveType
from rathaus.cemeteries.rules import BurialRefused, ExtensionRefused, plan_burial

from .conftest import BYLAW


def grave_type(kind, **changes) -> GraveType:
    return GraveType(kind=kind, **(BYLAW[kind] | changes))


CHOICE = grave_type(GraveKind.CHOICE)  # right 30 years, extend 1–30 at a time, 60 in total
ROW = grave_type(GraveKind.ROW)  # right 25 years = rest period, not extendable


def test_years_are_added_to_the_day_and_29_february_becomes_28():
    assert rules.add_years(date(2026, 12, 7), 25) == date(2051, 12, 7)
    assert rules.add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert rules.years_between(date(2030, 1, 1), date(2031, 6, 1)) == 2
    assert rules.years_between(date(2030, 1, 1), date(2031, 1, 1)) == 1


def test_an_extension_within_the_bylaws_limits_moves_the_end():
    new_end = rules.extended_end(CHOICE, starts_on=date(2000, 3, 1), ends_on=date(2030, 3, 1),
                                 years=10)
    assert new_end == date(2040, 3, 1)
    assert rules.extension_fee(CHOICE, 10) == Decimal("600.00")


@pytest.mark.parametrize("years", [0, 31])
def test_an_extension_beyond_the_length_at_a_time_is_refused(years):
    with pytest.raises(ExtensionRefused) as refused:
        rules.extended_end(CHOICE, starts_on=date(2000, 3, 1), ends_on=date(2030, 3, 1),
                           years=years)
    assert "um 1 bis 30 Jahre" in refused.value.message


def test_an_extension_beyond_the_total_length_is_refused_with_the_last_possible_end():
    # Started 2000, 60 years in total: until 1 March 2060; 2050 + 15 would be 2065.
    with pytest.raises(ExtensionRefused) as refused:
        rules.extended_end(CHOICE, starts_on=date(2000, 3, 1), ends_on=date(2050, 3, 1),
                           years=15)
    assert "60 Jahre" in refused.value.message
    assert "01.03.2060" in refused.value.message
    assert rules.extended_end(CHOICE, starts_on=date(2000, 3, 1), ends_on=date(2050, 3, 1),
                              years=10) == date(2060, 3, 1)


def test_the_right_of_a_row_grave_cannot_be_extended():
    with pytest.raises(ExtensionRefused) as refused:
        rules.extended_end(ROW, starts_on=date(2020, 1, 1), ends_on=date(2045, 1, 1), years=1)
    assert "Reihengrab" in refused.value.message
    assert "nicht verlängert" in refused.value.message


def test_a_first_burial_in_a_free_grave_gets_a_right_for_the_bylaws_length():
    plan = plan_burial(CHOICE, burial_kind=BurialKind.COFFIN, buried_on=date(2026, 12, 10))
    assert plan.new_right
    assert plan.rest_ends_on == date(2051, 12, 10)
    assert plan.right_ends_on == date(2056, 12, 10)


def test_a_second_burial_is_refused_when_the_right_cannot_cover_the_new_rest_period():
    # The right was granted in 2006 for 30 years: it ends in 2036, a coffin burial in
    # 2026 rests until 2051.
    with pytest.raises(BurialRefused) as refused:
        plan_burial(CHOICE, burial_kind=BurialKind.COFFIN, buried_on=date(2026, 12, 10),
                    right_starts_on=date(2006, 5, 2), right_ends_on=date(2036, 5, 2),
                    places=2, places_taken=1)
    assert "mindestens 16 Jahre" in refused.value.message


def test_the_second_burial_is_allowed_with_an_extension_that_covers_the_rest_period():
    plan = plan_burial(CHOICE, burial_kind=BurialKind.COFFIN, buried_on=date(2026, 12, 10),
                       right_starts_on=date(2006, 5, 2), right_ends_on=date(2036, 5, 2),
                       places=2, places_taken=1, extension_years=16)
    assert not plan.new_right
    assert plan.right_ends_on == date(2052, 5, 2)
    assert plan.extension_years == 16


def test_an_extension_too_short_for_the_rest_period_is_still_refused():
    with pytest.raises(BurialRefused):
        plan_burial(CHOICE, burial_kind=BurialKind.COFFIN, buried_on=date(2026, 12, 10),
                    right_starts_on=date(2006, 5, 2), right_ends_on=date(2036, 5, 2),
                    places=2, places_taken=1, extension_years=15)


def test_a_burial_into_a_full_grave_is_refused():
    with pytest.raises(BurialRefused) as refused:
        plan_burial(CHOICE, burial_kind=BurialKind.URN, buried_on=date(2026, 12, 10),
                    right_starts_on=date(2006, 5, 2), right_ends_on=date(2066, 5, 2),
                    places=2, places_taken=2)
    assert "2 von 2" in refused.value.message


def test_a_row_grave_whose_right_is_short_refuses_a_burial_and_says_choose_another():
    with pytest.raises(BurialRefused) as refused:
        plan_burial(ROW, burial_kind=BurialKind.URN, buried_on=date(2040, 1, 10),
                    right_starts_on=date(2020, 1, 1), right_ends_on=date(2045, 1, 1),
                    places=2, places_taken=0)
    assert "anderes Grab" in refused.value.message


def test_an_urn_grave_takes_no_coffin():
    with pytest.raises(BurialRefused):
        plan_burial(grave_type(GraveKind.URN_ROW), burial_kind=BurialKind.COFFIN,
                    buried_on=date(2026, 12, 10))


def test_an_anonymous_grave_has_no_right_and_charges_the_grave_and_the_burial():
    anonymous = grave_type(GraveKind.ANONYMOUS)
    plan = plan_burial(anonymous, burial_kind=BurialKind.URN, buried_on=date(2026, 12, 10))
    assert not plan.has_right
    fees = rules.burial_fees(anonymous, burial_kind=BurialKind.URN, plan=plan)
    assert [fee.amount for fee in fees] == [Decimal("320.00")]


def test_the_fees_of_a_first_burial_are_the_burial_and_the_right_of_use():
    urn_choice = grave_type(GraveKind.URN_CHOICE)
    plan = plan_burial(urn_choice, burial_kind=BurialKind.URN, buried_on=date(2026, 12, 10))
    fees = rules.burial_fees(urn_choice, burial_kind=BurialKind.URN, plan=plan)
    assert [fee.amount for fee in fees] == [Decimal("320.00"), Decimal("1100.00")]
    assert rules.total(fees) == Decimal("1420.00")


def test_the_fees_of_a_burial_with_an_extension_add_the_years():
    plan = plan_burial(CHOICE, burial_kind=BurialKind.COFFIN, buried_on=date(2026, 12, 10),
                       right_starts_on=date(2006, 5, 2), right_ends_on=date(2036, 5, 2),
                       places=2, places_taken=1, extension_years=16)
    fees = rules.burial_fees(CHOICE, burial_kind=BurialKind.COFFIN, plan=plan)
    assert rules.total(fees) == Decimal("850.00") + Decimal("960.00")
