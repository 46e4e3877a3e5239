"""factory_boy factories, one module per app; import them from here."""

from .accounts import *  # noqa: F403
from .agreements import *  # noqa: F403
from .challenges import *  # noqa: F403
from .meetings import *  # noqa: F403
from .organisations import *  # noqa: F403
from .regions import *  # noqa: F403
