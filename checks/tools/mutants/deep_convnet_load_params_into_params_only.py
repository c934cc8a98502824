"""DeepConvNet.load_params filling params and never the layers (book §8.1.1)."""

import pickle

from reference import DeepConvNet as _DeepConvNet

COMPONENT = "DeepConvNet"
MISTAKE = ("§8.1.1: load_params sets self.params[key] = val and stops there: the layers hold the arrays of the "
           "network as it was built, so predict ignores what was loaded")


class DeepConvNet(_DeepConvNet):
    def load_params(self, file_name="params.pkl"):
        with open(file_name, "rb") as f:
            params = pickle.load(f)  # noqa: S301 - the bug corpus reads what it wrote itself
        for key, val in params.items():
            self.params[key] = val


REPLACES = {"DeepConvNet": DeepConvNet}
