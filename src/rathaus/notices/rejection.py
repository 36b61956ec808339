"""The Ablehnungsbescheid, the same for every service: plain data in, PDF/A bytes out."""

from datetime import date

from django.utils import timezone

from rathaus.catalog.registry import definition
from rathaus.mailbox.services import NewAttachment, deliver_message
from rathaus.records.services import add_document

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


def issue_rejection(*, case, recipient: Recipient, link_for) -> None:
    """The Ablehnungsbescheid of a rejected case of any service, filed in its eAkte and
    delivered to the applicant's mailbox with the clerk's reason; `link_for(message)`
    is the mailbox link the e-mail carries."""
    today = timezone.localdate()
    title = definition(case.service_id).title["de"]
    pdf = render_rejection_notice(
        holder=recipient, aktenzeichen=case.reference, service_title=title,
        submitted_on=timezone.localdate(case.submitted_at), reason=case.decision_reason,
        notice_date=today,
    )
    filename = f"ablehnungsbescheid-{case.reference}.pdf"
    add_document(case_file=case.case_file, title="Ablehnungsbescheid", kind="notice",
                 content=pdf, media_type="application/pdf", filename=filename)
    deliver_message(
        recipient=case.applicant, reference=case.reference,
        subject=f"Ihr Antrag {case.reference} wurde abgelehnt",
        body="\n".join([
            f"Guten Tag {recipient.name},", "",
            f"Ihren Antrag „{title}“ haben wir abgelehnt.", "",
            f"Begründung: {case.decision_reason}", "",
            "Im Anhang finden Sie den Bescheid mit der Rechtsbehelfsbelehrung: Sie können "
            "innerhalb eines Monats Klage erheben.",
        ]),
        attachments=[NewAttachment(filename=filename, media_type="application/pdf",
                                   content=pdf)],
        link_for=link_for,
    )
