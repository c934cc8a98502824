"""Every named check over every component case, against the implementation under test."""

from checks.library.catalog import parametrize_with_checks
from checks.library.registry import chapter_of


@parametrize_with_checks()
def test_component(impl, check, case):
    # a learner's folder may define a component once per chapter: the case's chapter chooses
    with impl.checking(chapter_of(case)):
        check(impl, case)
