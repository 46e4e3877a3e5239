"""Settings of the Celery worker and producer processes that tests/outbox/test_worker.py starts.

The portal's settings on a queue of the test's own: another worker on the same Redis (another
test run, a developer's `make run`) then never takes this test's tasks, nor this worker theirs.
"""

import os

from samverkan.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_CELERY_QUEUE"]

# The producer (the test's process) and the worker share the cache on Redis, as web and worker do in
# production: a commit asks the worker for a drain with a key in it (outbox.services._signal_drain).
if os.environ.get("TEST_CACHE_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = os.environ["TEST_CACHE_PREFIX"]  # noqa: F405
