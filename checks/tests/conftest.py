"""Fixtures of the harness's own tests: a private data cache and a real HTTP mirror server."""

import os

# The harness's own tests read English texts: a developer's ja_JP locale (or DLFS_LANG) must not
# change what they see. Tests of other languages set DLFS_LANG themselves (monkeypatch, env=).
os.environ["DLFS_LANG"] = "en"

from checks.tests.fixtures.data import data_env, http_mirror, server  # noqa: F401,E402
from checks.tests.fixtures.boundaries import boundary, child_logs, each_boundary  # noqa: F401,E402
