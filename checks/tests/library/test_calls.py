"""Components are called as the book calls them: keywords the learner renamed are passed positionally
in the book's order (checks/library/calls.py), read from the component table."""

import pytest

from checks.isolation.adapters import open_implementation
from checks.library.components import Signature, component
from checks.library.catalog import all_checks
from checks.tests.fixtures.grading import REFERENCE, copy_package


@pytest.mark.parametrize(("text", "args", "kwargs", "expected"), [
    ("lr=0.01", (), {"lr": 0.3}, (0.3,)),
    ("x, train_flg=True", ("x",), {"train_flg": False}, ("x", False)),
    # a keyword after a skipped one: the skipped one at the book's default
    ("input_size, hidden_size_list, output_size, activation='relu', weight_init_std='relu', weight_decay_lambda=0",
     (), {"input_size": 6, "hidden_size_list": [5], "output_size": 3, "weight_decay_lambda": 0.1},
     (6, [5], 3, "relu", "relu", 0.1)),
    ("W, b, stride=1, pad=0", ("W", "b"), {"pad": 2}, ("W", "b", 1, 2)),
    # impossible: a keyword the book does not have, a gap without a default
    ("lr=0.01", (), {"learning_rate": 0.3}, None),
    ("x, y", (), {"y": 1}, None),
])
def test_signature_puts_keywords_in_the_books_order(text, args, kwargs, expected):
    assert Signature.parse(text).positional(args, kwargs) == expected


def test_a_dict_default_is_a_fresh_copy_in_each_call():
    # each text is parsed once (Signature.parse is cached): a callee that changes its conv_param
    # in place must not change the book's default for the calls after it
    signature = component("SimpleConvNet").signature()
    first = signature.positional((), {"hidden_size": 100})
    first[1]["filter_num"] = 99
    assert signature.positional((), {"hidden_size": 100})[1]["filter_num"] == 30


def test_the_table_holds_the_books_signatures():
    assert component("Dropout").signature("forward").names == ("x", "train_flg")
    assert component("SoftmaxWithLoss").signature("backward").defaults == {"dout": 1}
    assert component("Trainer").signature().names[:5] == ("network", "x_train", "t_train", "x_test", "t_test")
    assert component("ch04.TwoLayerNet").book_name == "TwoLayerNet" and component("ch04.TwoLayerNet").chapter == 4


def test_renamed_keywords_are_called_positionally(tmp_path):
    """SGD(learning_rate), Dropout.forward(x, train_flag) and BatchNormalization.forward(x, is_training): each
    passes every check of its component, because the book's own code passes those arguments positionally."""
    package = copy_package(REFERENCE, tmp_path / "renamed")
    with open(package / "__init__.py", "a", encoding="utf-8") as init:
        init.write('''

_SGD, _Dropout, _BatchNormalization = SGD, Dropout, BatchNormalization


class SGD(_SGD):
    def __init__(self, learning_rate=0.01):
        super().__init__(lr=learning_rate)


class Dropout(_Dropout):
    def forward(self, x, train_flag=True):
        return super().forward(x, train_flg=train_flag)


class BatchNormalization(_BatchNormalization):
    def forward(self, x, is_training=True):
        return super().forward(x, train_flg=is_training)
''')
    implementation = open_implementation(str(package))
    try:
        ran = 0
        for check, case in all_checks():
            if case.component in ("SGD", "Dropout", "BatchNormalization"):
                check(implementation, case)
                ran += 1
        assert ran > 20
    finally:
        implementation.close()


def test_a_defaulted_parameter_left_out_is_left_out_of_the_call(tmp_path):
    """A chapter-4 TwoLayerNet taking three sizes (weight_init_std fixed inside, as ch04/train_neuralnet.py never
    passes it) passes every check of its component."""
    package = copy_package(REFERENCE, tmp_path / "three_sizes")
    (package / "ch04" / "__init__.py").write_text("""from .two_layer_net import TwoLayerNet as _TwoLayerNet


class TwoLayerNet(_TwoLayerNet):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__(input_size, hidden_size, output_size, 0.01)
""", encoding="utf-8")
    implementation = open_implementation(str(package))
    try:
        ran = 0
        for check, case in all_checks():
            if case.component == "ch04.TwoLayerNet":
                check(implementation, case)
                ran += 1
        assert ran >= 5
    finally:
        implementation.close()


def test_two_components_of_one_book_name_and_their_chapters():
    """The book's two TwoLayerNets are two components; a case's section decides the chapter it is judged in."""
    from checks.library.components import named, spellings
    from checks.library.registry import chapter_of

    assert [row.name for row in named("TwoLayerNet")] == ["ch04.TwoLayerNet", "TwoLayerNet"]
    assert spellings()["TwoLayerNet"] == "TwoLayerNet" and spellings()["ReLU"] == "Relu"
    assert component("ch04.TwoLayerNet").homes == ("ch04/two_layer_net.py",)
    chapters = {case.id: chapter_of(case) for case in component("Affine").cases}
    assert chapters == {"Affine(2d)": 5, "Affine(4d-input)": 7}  # §5.6.2 is 2-D; N-d input is for the conv nets
    chapters = {case.id: chapter_of(case) for case in component("SoftmaxWithLoss").cases}
    assert chapters == {"SoftmaxWithLoss(one-hot)": 5, "SoftmaxWithLoss(labels)": 6}
