"""The fees of a registration as the Gebührenordnung für Maßnahmen im Straßenverkehr
(GebOSt) sets them for the registration authority: a small table of data that the fee
notice, the clerk's preview and docs/vehicles.md read. An online registration (§ 15
FZV) costs the registration fee; a chosen plate (Wunschkennzeichen) adds its
assignment and its reservation, 12.80 euros together, as the service definition tells
the citizen."""

from dataclasses import dataclass
from decimal import Decimal

LEGAL_BASIS = ("§§ 1, 2 und 4 der Gebührenordnung für Maßnahmen im Straßenverkehr "
               "(GebOSt) in Verbindung mit dem Gebührentarif (Anlage zu § 1 GebOSt)")


@dataclass(frozen=True)
class Fee:
    text: str  # as the notice prints it
    tariff: str  # where the tariff sets it
    amount: Decimal


REGISTRATION = Fee("Zulassung eines Fahrzeugs (internetbasiert, § 15 FZV)",
                   "Gebühren-Nr. 221 GebOSt", Decimal("27.90"))
CHOSEN_PLATE = (
    Fee("Zuteilung eines Wunschkennzeichens", "Gebührentarif GebOSt", Decimal("10.20")),
    Fee("Reservierung des Wunschkennzeichens", "Gebührentarif GebOSt", Decimal("2.60")),
)


def fees_for(answers: dict) -> list[Fee]:
    """The fees of a registration applied for with `answers`."""
    chosen = answers.get("plate_choice") == "chosen"
    return [REGISTRATION, *(CHOSEN_PLATE if chosen else ())]


def total(fees: list[Fee]) -> Decimal:
    return sum((fee.amount for fee in fees), Decimal("0.00"))
