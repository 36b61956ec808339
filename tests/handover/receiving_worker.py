"""A worker with the tests' receiver registered; with RECEIVER_HANGS set, the receiver
does its work, leaves a marker file and hangs, so a test can kill the worker in the
middle of a hand-over. Run as: python -m tests.handover.receiving_worker"""

import os
import sys
import time
from pathlib import Path


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")
    django.setup()
    from django.core.management import call_command

    from rathaus.handover.receivers import receivers
    from tests.handover.conftest import SERVICE

    if os.environ.get("RECEIVER_HANGS"):
        original = receivers[SERVICE]

        def receive_then_hang(submission):
            result = original(submission)
            Path(os.environ["MARKER_FILE"]).write_text("receiving")
            time.sleep(120)
            return result

        receivers._entries[SERVICE] = receive_then_hang
        call_command("worker", "--interval", "0.1")
    else:
        call_command("worker", "--batch", "--interval", "0.1")


if __name__ == "__main__":
    sys.exit(main())
