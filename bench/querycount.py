"""Count the SQL queries of public pages for an anonymous visitor on a cold cache.

    DATABASE_URL=... python bench/querycount.py /path/one /path/two ...

Prints one JSON object {path: {"status": int, "queries": int}}. Runs Django in-process with
its test client, no Redis (local-memory cache, empty at start), so every page is counted as
rendered, not as served from the page cache.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings")
os.environ["REDIS_URL"] = ""
os.environ["CACHE_URL"] = ""


def main(paths):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    result = {}
    for path in paths:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        result[path] = {"status": response.status_code, "queries": len(ctx.captured_queries)}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
