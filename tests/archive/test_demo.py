"""The demo town's files whose retention has ended: added once by `rathaus setup`, the
held one never in the list, and the offer and package of the due one valid xdomea."""

import io
import zipfile

import pytest

from rathaus.accounts.models import StaffMembership
from rathaus.archive import packages, selectors, services
from rathaus.archive.models import DeletionRecord
from rathaus.authorities.models import Department
from rathaus.demo.archive import DUE_FILES, create_demo_disposal_files
from rathaus.demo.file_plan import create_demo_file_plan
from rathaus.records.models import CaseFile
from tests.factories import make_staff

from .conftest import evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(in_town):
    for slug, name in [("hauptamt", "Hauptamt"), ("steueramt", "Steueramt"),
                       ("ordnungsamt", "Ordnungsamt")]:
        Department.objects.create(slug=slug, name=name)
    keeper = make_staff(in_town, departments=[Department.objects.get(slug="hauptamt")],
                        email="registratur@x.example",
                        role=StaffMembership.Role.RECORDS_MANAGER)[0]
    create_demo_file_plan(keeper=keeper)
    return keeper


def test_the_demo_files_are_added_once_and_survive_their_disposal(keeper,
                                                                   xdomea_schema):
    assert create_demo_disposal_files(keeper=keeper) == 3
    assert create_demo_disposal_files(keeper=keeper) == 0
    trade, dog_tax, held = (CaseFile.objects.get(uuid=spec[0]) for spec in DUE_FILES)
    assert set(selectors.retention_due()) == {trade, dog_tax}
    assert held.legal_hold

    process = services.start_process(actor=keeper, case_files=[trade],
                                     archive_name="Stadtarchiv Leichlingen")
    xdomea_schema.validate(selectors.latest_message(process, "0501").xml)
    services.import_archive_message(actor=keeper, process=process,
                                    content=evaluation(process.process_id,
                                                       {str(trade.uuid): "A"}))
    xdomea_schema.validate(services.write_handover(actor=keeper, process=process).xml)
    package = packages.open_handover_package(actor=keeper, process=process)
    with zipfile.ZipFile(io.BytesIO(b"".join(package.chunks))) as archive:
        [xml] = [name for name in archive.namelist() if name.endswith("0503.xml")]
        xdomea_schema.validate(archive.read(xml).decode())
    # The rest is destroyed, and its deletion record names it.
    services.destroy_without_offer(actor=keeper, case_files=[dog_tax])
    record = DeletionRecord.objects.get(aktenzeichen=dog_tax.aktenzeichen)
    assert record.reason == DeletionRecord.Reason.RETENTION_ENDED
    # A disposed demo file is not made again by the next `rathaus setup`.
    assert create_demo_disposal_files(keeper=keeper) == 0
