"""The one rule of what the public sees (rathaus.council.visibility)."""

import pytest

from rathaus.authorities.tenancy import authority_context
from rathaus.council import visibility
from rathaus.council.models import CouncilFile

pytestmark = pytest.mark.django_db


def test_the_public_sees_released_public_papers_and_published_parts_only(council_world):
    w = council_world
    with authority_context(w.authority):
        assert list(visibility.papers()) == [w.public_paper]
        assert set(visibility.agenda_items().filter(meeting=w.upcoming)) == {w.public_item}
        assert not visibility.agenda_items().filter(meeting=w.planned).exists()
        roles = set(visibility.files().values_list("role", flat=True))
        assert roles == {CouncilFile.Role.MAIN, CouncilFile.Role.MINUTES,
                         CouncilFile.Role.INVITATION}
        assert visibility.files().filter(paper=w.secret_paper).count() == 0
        assert [i.public for i in visibility.shown_agenda(w.upcoming)] == [True, False]
        assert visibility.shown_agenda(w.planned) == []
        w.public_paper.deleted = True
        w.public_paper.save()
        assert list(visibility.papers()) == []
        assert list(visibility.papers(with_deleted=True)) == [w.public_paper]
