"""The council's PDF/A documents, typeset by Typst (`typst/ratsdokument.typ`): papers
written in Rathaus, invitations with their agenda, and minutes."""

from rathaus.authorities.tenancy import current_authority
from rathaus.notices.typesetting import render_pdf

TEMPLATE = "council/typst/ratsdokument.typ"


def council_pdf(*, kind: str, title: str, reference: str, public: bool,
                facts: list[tuple[str, str]] = (), sections: list[tuple[str, list[str]]] = (),
                items: list[tuple[str, str, str]] = (), created=None) -> bytes:
    """A PDF/A-2b: `facts` are (label, value) lines under the title, `sections`
    (heading, paragraphs), `items` an agenda's (number, title, note). `created` fixes
    the creation date in the metadata (see render_pdf)."""
    return render_pdf(TEMPLATE, {
        "authority": current_authority().name,
        "kind": kind,
        "title": title,
        "reference": reference,
        "public": "öffentlich" if public else "nicht öffentlich",
        "facts": [list(fact) for fact in facts],
        "sections": [{"heading": heading, "paragraphs": list(paragraphs)}
                     for heading, paragraphs in sections],
        "items": [{"number": number, "title": item_title, "note": note}
                  for number, item_title, note in items],
    }, created=created)
