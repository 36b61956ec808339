"""Dog tax arithmetic with concrete numbers (demo bylaw: 96/120/150 €, dangerous 600/750 €)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rathaus.authorities.tenancy import authority_context
from rathaus.dogs.demo import create_demo_dog_tax_bylaw
from rathaus.dogs.dog_tax import (
    NoBylawInForce,
    Payment,
    assess,
    bylaw_in_force,
    catch_up_due_date,
    change_assessment,
    full_year_instalments,
    liability_end,
    liability_start,
    pro_rata,
    yearly_rate,
)
from rathaus.dogs.models import DogTaxBylaw, InstalmentPlan


def bylaw(**overrides) -> DogTaxBylaw:
    values = {
        "valid_from": date(2026, 1, 1), "title": "Hundesteuersatzung (Test)",
        "rate_first_dog": Decimal("96.00"), "rate_second_dog": Decimal("120.00"),
        "rate_each_further_dog": Decimal("150.00"), "rate_first_dangerous_dog": Decimal("600.00"),
        "rate_each_further_dangerous_dog": Decimal("750.00"),
        "exempt_categories": ["assistance"], "instalment_plan": InstalmentPlan.QUARTERLY,
    }
    return DogTaxBylaw(**values | overrides)


def first_dog(**kwargs):
    return assess(bylaw(), dog_category="standard", position_in_household=1, **kwargs)


def euros(*amounts):
    return tuple(Decimal(a) for a in amounts)


# --- liability ---------------------------------------------------------------------


@pytest.mark.parametrize(("taken_in", "start"), [
    (date(2026, 3, 14), date(2026, 4, 1)),
    (date(2026, 3, 1), date(2026, 4, 1)),  # even on the first, liability starts next month
    (date(2026, 12, 24), date(2027, 1, 1)),
])
def test_liability_starts_on_the_first_of_the_next_month(taken_in, start):
    assert liability_start(taken_in) == start


@pytest.mark.parametrize(("given_up", "end"), [
    (date(2026, 10, 3), date(2026, 10, 31)),
    (date(2028, 2, 10), date(2028, 2, 29)),
    (date(2026, 12, 31), date(2026, 12, 31)),
])
def test_liability_ends_at_the_end_of_the_month_of_giving_up(given_up, end):
    assert liability_end(given_up) == end


# --- rates -----------------------------------------------------------------------


@pytest.mark.parametrize(("category", "position", "rate"), [
    ("standard", 1, "96.00"),
    ("standard", 2, "120.00"),
    ("standard", 3, "150.00"),
    ("standard", 7, "150.00"),
    ("dangerous", 1, "600.00"),
    ("dangerous", 2, "750.00"),
    ("assistance", 1, "0.00"),  # exempt under this bylaw
    ("rescue", 2, "120.00"),  # not exempt under this bylaw: the normal rate
])
def test_yearly_rate_by_category_and_position(category, position, rate):
    assert yearly_rate(bylaw(), dog_category=category, position_in_household=position) == (
        Decimal(rate)
    )


def test_yearly_rate_refuses_nonsense():
    with pytest.raises(ValueError):
        yearly_rate(bylaw(), dog_category="standard", position_in_household=0)
    with pytest.raises(ValueError):
        yearly_rate(bylaw(), dog_category="cat", position_in_household=1)


# --- assessment ------------------------------------------------------------------


def test_dog_taken_in_mid_march_pays_nine_months():
    assessment = first_dog(taken_in=date(2026, 3, 14), year=2026)
    assert assessment.liable_from == date(2026, 4, 1)
    assert assessment.liable_until == date(2026, 12, 31)
    assert assessment.months == 9
    assert assessment.amount == Decimal("72.00")
    assert assessment.payments == (
        Payment(date(2026, 5, 15), Decimal("24.00")),
        Payment(date(2026, 8, 15), Decimal("24.00")),
        Payment(date(2026, 11, 15), Decimal("24.00")),
    )


def test_dog_deregistered_on_3_october_pays_through_october():
    assessment = first_dog(taken_in=date(2026, 3, 14), given_up=date(2026, 10, 3), year=2026)
    assert assessment.liable_until == date(2026, 10, 31)
    assert assessment.months == 7
    assert assessment.amount == Decimal("56.00")
    assert tuple(i.amount for i in assessment.instalments) == euros("24.00", "24.00", "8.00")
    assert not assessment.continues_next_year


def test_dog_kept_all_year_pays_the_yearly_rate_in_four_quarters():
    assessment = first_dog(taken_in=date(2025, 6, 10), year=2026)
    assert (assessment.months, assessment.amount) == (12, Decimal("96.00"))
    assert [i.scheduled_on for i in assessment.instalments] == [
        date(2026, 2, 15), date(2026, 5, 15), date(2026, 8, 15), date(2026, 11, 15)
    ]


def test_dangerous_second_dog():
    assessment = assess(bylaw(), dog_category="dangerous", position_in_household=2,
                        taken_in=date(2026, 6, 30), year=2026)
    assert (assessment.months, assessment.amount) == (6, Decimal("375.00"))


def test_exempt_dog_owes_nothing_and_has_no_instalments():
    assessment = assess(bylaw(), dog_category="assistance", position_in_household=1,
                        taken_in=date(2026, 3, 14), year=2026)
    assert assessment.exempt
    assert assessment.amount == Decimal("0.00")
    assert assessment.instalments == ()


def test_no_liability_in_the_year_the_dog_arrives_in_december():
    assessment = first_dog(taken_in=date(2026, 12, 5), year=2026)
    assert (assessment.liable_from, assessment.months, assessment.amount) == (
        None, 0, Decimal("0.00")
    )
    assert assessment.instalments == ()


def test_dog_given_up_in_the_month_it_arrived_owes_nothing():
    assessment = first_dog(taken_in=date(2026, 3, 2), given_up=date(2026, 3, 20), year=2026)
    assert assessment.months == 0


def test_giving_up_before_taking_in_is_refused():
    with pytest.raises(ValueError):
        first_dog(taken_in=date(2026, 3, 14), given_up=date(2026, 3, 1), year=2026)


def test_pro_rata_rounds_once_half_up_to_the_cent():
    assert pro_rata(Decimal("100.00"), 7) == Decimal("58.33")
    assert pro_rata(Decimal("78.78"), 1) == Decimal("6.57")  # 6.565: half up, not half even
    assert pro_rata(Decimal("96.00"), 12) == Decimal("96.00")


def test_instalments_add_up_to_the_amount_to_the_cent():
    assessment = assess(bylaw(rate_first_dog=Decimal("100.00")), dog_category="standard",
                        position_in_household=1, taken_in=date(2026, 1, 20), year=2026)
    assert assessment.amount == Decimal("91.67")
    assert tuple(i.amount for i in assessment.instalments) == euros(
        "16.67", "25.00", "25.00", "25.00"
    )
    assert sum(i.amount for i in assessment.instalments) == assessment.amount


def test_yearly_plan_pays_everything_on_1_july():
    assessment = assess(bylaw(instalment_plan=InstalmentPlan.YEARLY), dog_category="standard",
                        position_in_household=1, taken_in=date(2026, 3, 14), year=2026)
    assert assessment.payments == (Payment(date(2026, 7, 1), Decimal("72.00")),)


def test_following_years_pay_the_full_rate_quarterly():
    assessment = first_dog(taken_in=date(2026, 3, 14), year=2026)
    following = full_year_instalments(assessment)
    assert [i.scheduled_on.year for i in following] == [2027] * 4
    assert tuple(i.amount for i in following) == euros("24.00", "24.00", "24.00", "24.00")


# --- catch-up rule ---------------------------------------------------------------


def test_catch_up_date_is_one_month_after_the_notice_is_known():
    assert catch_up_due_date(date(2026, 6, 1)) == date(2026, 7, 5)
    assert catch_up_due_date(date(2026, 1, 27)) == date(2026, 2, 28)  # 31 Jan + 1 month


def test_passed_instalment_falls_due_one_month_after_the_notice():
    assessment = first_dog(taken_in=date(2026, 3, 14), year=2026, notice_date=date(2026, 6, 1))
    assert assessment.payments == (
        Payment(date(2026, 7, 5), Decimal("24.00")),  # 15 May had passed
        Payment(date(2026, 8, 15), Decimal("24.00")),
        Payment(date(2026, 11, 15), Decimal("24.00")),
    )


def test_instalment_due_within_days_of_the_notice_is_also_moved():
    assessment = first_dog(taken_in=date(2026, 3, 14), year=2026, notice_date=date(2026, 5, 5))
    assert assessment.payments[0] == Payment(date(2026, 6, 9), Decimal("24.00"))


def test_several_passed_instalments_are_paid_together():
    assessment = first_dog(taken_in=date(2025, 12, 20), year=2026, notice_date=date(2026, 9, 1))
    assert assessment.payments == (
        Payment(date(2026, 10, 5), Decimal("72.00")),
        Payment(date(2026, 11, 15), Decimal("24.00")),
    )


def test_instalments_far_enough_ahead_keep_their_dates():
    assessment = first_dog(taken_in=date(2026, 3, 14), year=2026, notice_date=date(2026, 3, 20))
    assert [p.due_on for p in assessment.payments] == [
        date(2026, 5, 15), date(2026, 8, 15), date(2026, 11, 15)
    ]


# --- change after deregistration ---------------------------------------------------


def _registered_in_march():
    return first_dog(taken_in=date(2026, 3, 14), year=2026, notice_date=date(2026, 3, 20))


def test_deregistration_before_the_last_instalment_reduces_it():
    change = change_assessment(_registered_in_march(), bylaw(), given_up=date(2026, 10, 3),
                               notice_date=date(2026, 10, 10))
    assert change.corrected.amount == Decimal("56.00")
    assert change.difference == Decimal("-16.00")
    assert change.refund == Decimal("0.00")
    assert change.payments == (Payment(date(2026, 11, 15), Decimal("8.00")),)


def test_deregistration_after_the_last_instalment_refunds_the_overpayment():
    change = change_assessment(_registered_in_march(), bylaw(), given_up=date(2026, 10, 3),
                               notice_date=date(2026, 12, 1))
    assert change.refund == Decimal("16.00")
    assert change.additional == Decimal("0.00")
    assert change.payments == ()


def test_deregistration_in_june_refunds_nothing_yet_and_drops_later_instalments():
    change = change_assessment(_registered_in_march(), bylaw(), given_up=date(2026, 6, 10),
                               notice_date=date(2026, 6, 20))
    assert change.corrected.amount == Decimal("24.00")  # April to June
    assert [(c.scheduled_on.month, c.new_amount, c.already_due) for c in change.changes] == [
        (5, Decimal("24.00"), True), (8, Decimal("0.00"), False), (11, Decimal("0.00"), False)
    ]
    assert change.refund == Decimal("0.00")
    assert change.payments == ()


# --- bylaw versions ----------------------------------------------------------------


def test_bylaw_in_force_is_the_latest_version_started(town, district):
    with authority_context(town):
        create_demo_dog_tax_bylaw()
        newer = bylaw(valid_from=date(2027, 1, 1), rate_first_dog=Decimal("108.00"))
        newer.save()
        assert bylaw_in_force(date(2026, 12, 31)).rate_first_dog == Decimal("96.00")
        assert bylaw_in_force(date(2027, 1, 1)) == newer
        with pytest.raises(NoBylawInForce):
            bylaw_in_force(date(2025, 12, 31))
    with authority_context(district), pytest.raises(NoBylawInForce):
        bylaw_in_force(date(2026, 6, 1))


def test_exempt_categories_must_be_known(in_town):
    with pytest.raises(ValidationError) as caught:
        bylaw(exempt_categories=["assistance", "cat"]).full_clean()
    assert "exempt_categories" in caught.value.message_dict
