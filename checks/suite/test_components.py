"""Every named check over every component case, against the implementation under test."""

from checks.library.registry import parametrize_with_checks


@parametrize_with_checks()
def test_component(impl, check, case):
    check(impl, case)
