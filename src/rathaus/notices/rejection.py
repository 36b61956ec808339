"""The Ablehnungsbescheid, the same for every service: plain data in, PDF/A bytes out."""

from datetime import date

from .formats import datum
from .letter import Recipient, letter_data
from .typesetting import render_pdf


def render_rejection_notice(
    *, holder: Recipient, aktenzeichen: str, service_title: str, submitted_on: date,
    reason: str, notice_date: date,
) -> bytes:
    """The Ablehnungsbescheid: the decision, the clerk's reason, and how to appeal."""
    data = letter_data(
        title=f"Bescheid über die Ablehnung Ihres Antrags „{service_title}“",
        recipient=holder, aktenzeichen=aktenzeichen, notice_date=notice_date, payee=None,
    )
    data |= {
        "service_title": service_title,
        "submitted_on": datum(submitted_on),
        # Paragraphs as the clerk typed them; blank lines separate them.
        "reason": [" ".join(p.split()) for p in reason.split("\n\n") if p.strip()],
        "charges": False,
    }
    return render_pdf("notices/typst/ablehnungsbescheid.typ", data)
