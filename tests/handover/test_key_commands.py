"""Operators rotate hand-over keys and re-wrap them after a new master key, with the
same command shape as the mailbox's keys."""

import base64
import io
import secrets

import pytest
from django.core.management import CommandError, call_command

from rathaus.authorities.tenancy import authority_context
from rathaus.handover import keys
from rathaus.handover.models import HandoverKey


def _new_master() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.mark.django_db
def test_rotation_starts_a_new_key_and_keeps_the_old_one_for_decrypting(destination):
    with authority_context(destination):
        old = keys.active_key().kid

    call_command("rotate_handover_keys", "--authority", "rbk", stdout=io.StringIO())

    with authority_context(destination):
        active = HandoverKey.objects.get(is_active=True).kid
        assert active != old
        assert keys.private_key(old) is not None
        assert [k["kid"] for k in keys.published_key_set()["keys"]] == [active, old]


@pytest.mark.django_db
def test_after_a_new_master_key_the_keys_are_rewrapped_and_still_open(destination, settings):
    old_master = settings.RATHAUS_MASTER_KEY
    with authority_context(destination):
        kid = keys.active_key().kid
    settings.RATHAUS_MASTER_KEY = _new_master()

    call_command("rotate_handover_keys", "--rewrap-from-master-key", old_master,
                 stdout=io.StringIO())
    call_command("rotate_handover_keys", "--rewrap-from-master-key", old_master,
                 stdout=(again := io.StringIO()))

    with authority_context(destination):
        assert keys.private_key(kid) is not None
    assert "re-wrapped 0 hand-over key(s)" in again.getvalue()


@pytest.mark.django_db
def test_a_wrong_old_master_key_changes_nothing(destination, settings):
    with authority_context(destination):
        keys.active_key()
    settings.RATHAUS_MASTER_KEY = _new_master()

    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("rotate_handover_keys", "--rewrap-from-master-key", _new_master(),
                     stdout=io.StringIO())
