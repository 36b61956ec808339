"""The login levels an identity provider reports, as Rathaus's LoginLevel.

BundID reports STORK-QAA levels as the assertion's AuthnContextClassRef; eIDAS nodes
report eIDAS levels of assurance. Both map onto the three Vertrauensniveaus:
QAA 1-2 and eIDAS "low" are a basic registration, QAA 3 and "substantial" are
substanziell (e.g. ELSTER certificate), QAA 4 and "high" are hoch (online ID card)."""

from rathaus.accounts.login_levels import LoginLevel

QAA = {level: f"STORK-QAA-Level-{level}" for level in (1, 2, 3, 4)}
EIDAS_LOW = "http://eidas.europa.eu/LoA/low"
EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"

REPORTED = {
    QAA[1]: LoginLevel.BASISREGISTRIERUNG,
    QAA[2]: LoginLevel.BASISREGISTRIERUNG,
    QAA[3]: LoginLevel.SUBSTANZIELL,
    QAA[4]: LoginLevel.HOCH,
    EIDAS_LOW: LoginLevel.BASISREGISTRIERUNG,
    EIDAS_SUBSTANTIAL: LoginLevel.SUBSTANZIELL,
    EIDAS_HIGH: LoginLevel.HOCH,
}

# What Rathaus asks for (RequestedAuthnContext, comparison "minimum").
REQUESTED = {
    LoginLevel.BASISREGISTRIERUNG: QAA[1],
    LoginLevel.SUBSTANZIELL: QAA[3],
    LoginLevel.HOCH: QAA[4],
}


def reported_level(class_ref: str) -> LoginLevel | None:
    """The level of an AuthnContextClassRef; None for one Rathaus does not know."""
    return REPORTED.get((class_ref or "").strip())
