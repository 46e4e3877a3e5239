"""Cache invalidation for the public organisation pages (``organisations/cache.py``).

A save or delete of an organisation, municipality or area of activity, or a change of an
organisation's areas, through a service, the admin, an import or a merge, moves the pages'
version on commit, once per transaction.
"""

from core.pagecache import register_invalidation

from .cache import pages
from .models import AreaOfActivity, Municipality, Organisation

PUBLIC_MODELS = (Organisation, Municipality, AreaOfActivity)


def connect() -> None:
    register_invalidation(models=PUBLIC_MODELS, cache=pages)
