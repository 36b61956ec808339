import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")
_full = get_wsgi_application()  # sets Django up

from rathaus.api_handler import ApiHandler, Dispatcher  # noqa: E402  (needs set-up Django)

application = Dispatcher(_full, ApiHandler())

# What was made at start-up (modules, URL patterns, templates) lives as long as the
# process: the garbage collector's full passes need not go through it again and again.
gc.freeze()
