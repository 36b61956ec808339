"""Scanned letters for the tests: German text rendered with DejaVu into an image, saved
as an image-only PDF (no text layer), as a scanner writes it."""

import io
from email.message import EmailMessage

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 200


def letter_image(lines: list[str]) -> Image.Image:
    """An A4 page at 200 dpi with `lines` in 18 pt."""
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 50)
    y = 180
    for line in lines:
        draw.text((160, y), line, font=font, fill=0)
        y += 75
    return page


def scanned_pdf(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    letter_image(lines).save(buffer, format="PDF", resolution=DPI)
    return buffer.getvalue()


def scanned_png(lines: list[str], *, dpi: bool = True) -> bytes:
    buffer = io.BytesIO()
    letter_image(lines).save(buffer, format="PNG", **({"dpi": (DPI, DPI)} if dpi else {}))
    return buffer.getvalue()


def letter(*, aktenzeichen: str = "", sender: str = "Bettina Beispiel",
           subject: str = "Widerspruch gegen den Bescheid", body: str = "") -> list[str]:
    lines = [sender, "Hauptstraße 5", "42799 Leichlingen", "", "Stadt Leichlingen",
             "Rathausplatz 1", "42799 Leichlingen", "", f"Betreff: {subject}"]
    if aktenzeichen:
        lines.append(f"Aktenzeichen: {aktenzeichen}")
    lines += ["", "Sehr geehrte Damen und Herren,",
              body or "hiermit lege ich Widerspruch gegen die Festsetzung ein.",
              "", "Mit freundlichen Grüßen", sender]
    return lines


def eml_with_attachment(*, subject: str, body: str, attachment: bytes,
                        attachment_name: str = "scan.pdf",
                        attachment_type: tuple[str, str] = ("application", "pdf")) -> bytes:
    message = EmailMessage()
    message["From"] = "Bettina Beispiel <bettina@example.org>"
    message["To"] = "post@leichlingen.example"
    message["Subject"] = subject
    message["Date"] = "Mon, 07 Dec 2026 09:30:00 +0100"
    message.set_content(body)
    message.add_attachment(attachment, maintype=attachment_type[0],
                           subtype=attachment_type[1], filename=attachment_name)
    return bytes(message)
