"""A method the checks call as the book does (`book_method`) reaches the implementation's process in one
request ("call_method", checks/isolation/adapters.py), and behaves as the getattr and the call it replaces:
the same answer, the same error naming ``Component.method``, a hang remembered so it is not called again."""

import textwrap

import numpy as np
import pytest

from checks.isolation.adapters import open_implementation
from checks.library.calls import book_method
from checks.library.errors import ImplementationError, ImplementationTimeout

LAYERS = '''
import numpy as np

class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        while True:
            pass
'''


@pytest.fixture
def impl(tmp_path):
    package = tmp_path / "mine"
    package.mkdir()
    (package / "__init__.py").write_text(textwrap.dedent(LAYERS))
    impl = open_implementation(str(package), isolated=True, call_timeout=1.0)
    requests = []
    send = impl.transport.request

    def counted(message, *args, **kwargs):
        requests.append(message[0])
        return send(message, *args, **kwargs)

    impl.transport.request = counted
    impl.requests = requests
    try:
        yield impl
    finally:
        impl.close()


def test_a_method_call_is_one_request_with_the_getattr_and_calls_answer(impl):
    relu = impl.get("Relu")()
    x = np.array([[-1.0, 2.0], [3.0, -4.0]])
    del impl.requests[:]
    out = book_method(relu, "Relu", "forward", x)
    assert impl.requests == ["call_method"]
    np.testing.assert_array_equal(out, relu.forward(x))
    np.testing.assert_array_equal(relu.mask, x <= 0)  # the object's state changed where it lives


def test_a_missing_method_is_the_error_of_its_getattr(impl):
    relu = impl.get("Relu")()
    with pytest.raises(ImplementationError) as raised:
        book_method(relu, "Relu", "predict", np.zeros((1, 2)))
    assert raised.value.type_name == "AttributeError" and "Relu.predict" in str(raised.value)


def test_a_method_that_hung_is_not_called_again(impl):
    relu = impl.get("Relu")()
    with pytest.raises(ImplementationTimeout):
        book_method(relu, "Relu", "backward", np.ones((1, 2)))
    del impl.requests[:]
    with pytest.raises(ImplementationTimeout, match="not called again"):
        book_method(relu, "Relu", "backward", np.ones((1, 2)))
    assert impl.requests == []
