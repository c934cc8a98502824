"""pytest wiring of this checkout: checks/suite/wiring.py (--impl, --impl-spec, --isolate, the `impl`,
`impl_spec` and `lib` fixtures). It lives in the package so that grading finds it in an installed
dlfs too, which has no conftest.py (checks/grading/run.py passes `-p checks.suite.wiring`)."""

pytest_plugins = ["checks.suite.wiring"]
