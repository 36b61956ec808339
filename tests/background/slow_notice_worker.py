"""A worker whose notice rendering hangs after it started, so a test can kill it in
the middle of notice generation. Run as: python -m tests.background.slow_notice_worker"""

import os
import sys
import time
from pathlib import Path


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")
    django.setup()
    from rathaus.dogs import dog_registration

    original = dog_registration.render_dog_tax_notice

    def render_then_hang(**kwargs):
        pdf = original(**kwargs)
        Path(os.environ["MARKER_FILE"]).write_text("rendering")
        time.sleep(120)
        return pdf

    dog_registration.render_dog_tax_notice = render_then_hang
    from django.core.management import call_command

    call_command("worker", "--interval", "0.1")


if __name__ == "__main__":
    sys.exit(main())
