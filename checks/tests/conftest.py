"""Fixtures of the harness's own tests: a private data cache and a real HTTP mirror server."""

from checks.tests.fixtures.data import data_env, http_mirror, server  # noqa: F401
from checks.tests.fixtures.boundaries import boundary, child_logs  # noqa: F401,E402
