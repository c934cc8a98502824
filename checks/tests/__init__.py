"""The harness's own tests, one folder per package (`make check` runs them with the suite)."""
