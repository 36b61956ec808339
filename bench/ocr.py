"""Reading one scanned page: OCRmyPDF with Tesseract's German model and pdftotext, as
the worker reads incoming mail (`rathaus.intake.recognition.recognise`). Pages per
minute on this machine.

How it is measured:

1. A one-page letter (A4, 200 dpi, grey, DejaVu Sans, about 120 words of German text
   with an Aktenzeichen) rendered with Pillow and saved as an image-only PDF, as an
   office scanner writes it.
2. A child process with Django set up (no database needed) reads it BENCH_OCR_PAGES
   times (default 8) one after the other, as one worker does, with RATHAUS_OCR_JOBS=1;
   then the same number in two parallel workers, one per core of a 2-core machine.
   Every result must contain the letter's Aktenzeichen, else the run fails.
3. Printed: seconds per page (median of the serial run) and pages per minute, serial
   and with two workers. There is no target; the issue asks for the figure.
"""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PAGES = 8
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
AKTENZEICHEN = "32.41.01-2026-000417"
TEXT = [
    "Bettina Beispiel", "Hauptstraße 5", "42799 Leichlingen", "",
    "Stadt Leichlingen", "Steueramt", "Rathausplatz 1", "42799 Leichlingen", "",
    f"Aktenzeichen: {AKTENZEICHEN}", "Betreff: Antrag auf Ermäßigung der Hundesteuer", "",
    "Sehr geehrte Damen und Herren,", "",
    "hiermit beantrage ich die Ermäßigung der Hundesteuer für meinen Hund Bello.",
    "Bello ist als Therapiehund ausgebildet und begleitet mich regelmäßig zu",
    "Einsätzen in der Seniorenresidenz am Wallgraben. Eine Bescheinigung des",
    "Ausbildungsträgers füge ich diesem Schreiben bei. Bitte teilen Sie mir mit,",
    "ob weitere Nachweise erforderlich sind und ab wann die Ermäßigung gilt.",
    "Für Rückfragen erreichen Sie mich montags bis freitags ab 16 Uhr unter der",
    "Telefonnummer 02175 123456 oder per E-Mail.", "",
    "Mit freundlichen Grüßen", "", "Bettina Beispiel",
]


def scanned_page() -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 34)
    for number, line in enumerate(TEXT):
        draw.text((170, 200 + number * 52), line, font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()


def _measure(pages: int) -> dict:
    import django

    django.setup()
    from rathaus.intake.recognition import missing_packages, recognise

    missing = missing_packages()
    if missing:
        raise SystemExit(f"missing Debian packages: {', '.join(missing)}")
    scan = scanned_page()

    def one() -> float:
        started = time.perf_counter()
        result = recognise(scan, media_type="application/pdf")
        if AKTENZEICHEN not in result.text:
            raise SystemExit(f"the Aktenzeichen was not recognised: {result.text[:300]!r}")
        return time.perf_counter() - started

    one()  # warm-up: the first run loads Tesseract's model from disk
    serial = [one() for _ in range(pages)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:  # subprocesses: threads suffice
        list(pool.map(lambda _n: one(), range(pages)))
    parallel_seconds = time.perf_counter() - started
    return {"median_s": statistics.median(serial), "serial_s": sum(serial),
            "parallel_s": parallel_seconds, "pages": pages, "scan_bytes": len(scan)}


def run(options) -> list[dict]:
    from _instance import instance_env, run_child

    pages = int(os.environ.get("BENCH_OCR_PAGES", PAGES))
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="rathaus-bench-ocr-") as tmp:
        env = instance_env(Path(tmp) / "var", RATHAUS_OCR_JOBS="1")
        print(f"   reading a one-page scan {pages} times, then {pages} in 2 workers …",
              flush=True)
        result = run_child(__file__, ["measure", str(pages)], env, Path(tmp),
                           timeout=60 * pages + 120)
    serial_rate = 60 * pages / result["serial_s"]
    parallel_rate = 60 * pages / result["parallel_s"]
    print(f"   {result['median_s']:.2f} s per page; {serial_rate:.1f} pages/min in one "
          f"worker, {parallel_rate:.1f} pages/min in two", flush=True)
    return [
        {"metric": "setup", "value": f"A4 image-only PDF at 200 dpi ({result['scan_bytes']} "
                                     f"bytes), ocrmypdf --language deu --output-type pdfa, "
                                     f"{os.cpu_count()} cores, {pages} pages"},
        {"metric": "machine load (1-min avg) before", "value": round(load_before, 2)},
        {"metric": "OCR of a one-page scan (median)", "value": result["median_s"],
         "unit": "s"},
        {"metric": "pages per minute, one worker", "value": round(serial_rate, 1),
         "unit": "pages/min"},
        {"metric": "pages per minute, two workers", "value": round(parallel_rate, 1),
         "unit": "pages/min"},
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(_measure(int(sys.argv[3]))))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from run import main

        sys.exit(main(["--only", "ocr", *sys.argv[1:]]))
