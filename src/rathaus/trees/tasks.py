"""Background work of the tree cadastre: running a confirmed import."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_tasks import task

from rathaus.accounts.permissions import NotPermitted
from rathaus.assets.models import Cadastre
from rathaus.assets.services import InvalidAsset
from rathaus.authorities.models import Authority
from rathaus.authorities.tenancy import authority_context
from rathaus.records.errors import ContentIntegrityError

from .import_files import FileRefused
from .models import TreeImport


@task()
def run_tree_import(*, authority_id: int, import_id: int, actor_id: int) -> None:
    """Apply a confirmed import as the person who confirmed it (their permission is
    asked again). A file that no longer fits the cadastre (a number taken meanwhile
    in a way the check missed, the stored file changed) marks the import failed, with
    the German reason, and changes no tree."""
    from .importing import mark_failed, run_import

    authority = Authority.objects.get(pk=authority_id)
    with authority_context(authority):
        tree_import = TreeImport.objects.get(pk=import_id)
        actor = get_user_model().objects.get(pk=actor_id)
        cadastre = Cadastre.objects.get(name="trees")
        try:
            run_import(actor=actor, cadastre=cadastre, tree_import=tree_import)
        except (InvalidAsset, FileRefused) as refused:
            mark_failed(tree_import=tree_import, reason=str(refused))
        except ContentIntegrityError:
            mark_failed(tree_import=tree_import,
                        reason=_("The uploaded file is missing or has changed."))
        except NotPermitted:
            mark_failed(tree_import=tree_import,
                        reason=_("The person who confirmed it no longer keeps the cadastre."))
