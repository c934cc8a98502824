"""check_accuracy_matches_predict accepts the book's batched accuracy of the conv nets and
still fails a wrong one (book §7.5: accuracy(x, t, batch_size=100) counts whole batches only)."""

import pytest

from checks.isolation.adapters import open_implementation
from checks.library.errors import CheckFailure
from checks.library.catalog import all_checks
from checks.tests.fixtures.grading import REFERENCE, copy_package, stub_method

# The book's loop: int(N / batch_size) whole batches, the sum divided by N.
BOOK_ACCURACY = """\
if t.ndim != 1:
    t = np.argmax(t, axis=1)
acc = 0.0
for i in range(int(x.shape[0] / batch_size)):
    tx = x[i * batch_size:(i + 1) * batch_size]
    tt = t[i * batch_size:(i + 1) * batch_size]
    y = np.argmax(self.predict(tx), axis=1)
    acc += np.sum(y == tt)
return acc / x.shape[0]
"""
# A realistic slip: the count of right answers, never divided by N.
COUNT_ACCURACY = """\
if t.ndim != 1:
    t = np.argmax(t, axis=1)
return float(np.sum(np.argmax(self.predict(x), axis=1) == t))
"""


def _check_on(tmp_path, name, body):
    # a package name of its own: an in-process implementation is imported under it
    package = copy_package(REFERENCE, tmp_path / name)
    stub_method(package, "simple_convnet.py", "SimpleConvNet.accuracy", body)
    check, case = next((c, k) for c, k in all_checks()
                       if c.__name__ == "check_accuracy_matches_predict" and k.component == "SimpleConvNet")
    implementation = open_implementation(str(package))
    try:
        check(implementation, case)
    finally:
        implementation.close()


def test_the_books_whole_batch_accuracy_passes(tmp_path):
    _check_on(tmp_path, "book_style_accuracy", BOOK_ACCURACY)


def test_an_accuracy_that_counts_instead_of_averaging_fails(tmp_path):
    with pytest.raises(CheckFailure, match=r"accuracy\(x, t as labels\)"):
        _check_on(tmp_path, "counting_accuracy", COUNT_ACCURACY)
