"""What one request costs inside the web process, as response headers (bench-only: ``BENCH=true`` and
``BENCH_REQUEST_COST=true``, never in the portal; off in ``make bench`` so that the floor pays nothing).

``X-Bench-Queries``: the SQL statements the request ran (their first words, e.g. ``WITH,SELECT,WITH``);
``X-Bench-CPU-us``: the CPU time of the request's thread from here to the response (the middleware stack
below, the view, the templates, the task queued). Compared with the worker process's CPU over the same
requests (``/proc``), it says how much of a sign-up's CPU is spent outside the request (see
``bench/README.md``, "The sign-up's CPU under gunicorn")."""

import time

from django.db import connection


class RequestCostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        statements = []

        def note(execute, sql, params, many, context):
            statements.append(sql.split(None, 1)[0].upper() if sql else "")
            return execute(sql, params, many, context)

        started = time.thread_time_ns()
        with connection.execute_wrapper(note):
            response = self.get_response(request)
        response["X-Bench-CPU-us"] = str((time.thread_time_ns() - started) // 1000)
        response["X-Bench-Queries"] = ",".join(statements)
        return response
