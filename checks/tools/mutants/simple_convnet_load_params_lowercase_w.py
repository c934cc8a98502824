"""SimpleConvNet.load_params setting `layer.w`: the loaded weights never reach the layers (book §7.5)."""

import pickle

from reference import SimpleConvNet as _SimpleConvNet

COMPONENT = "SimpleConvNet"
MISTAKE = ("§7.5: load_params rebinds params, then sets self.layers[key].w (lower case) as the book's first "
           "ch07/simple_convnet.py did: the layers keep computing with their old W")


class SimpleConvNet(_SimpleConvNet):
    def load_params(self, file_name="params.pkl"):
        with open(file_name, "rb") as f:
            params = pickle.load(f)  # noqa: S301 - the bug corpus reads what it wrote itself
        for key, val in params.items():
            self.params[key] = val
        for i, key in enumerate(["Conv1", "Affine1", "Affine2"]):
            self.layers[key].w = self.params["W" + str(i + 1)]
            self.layers[key].b = self.params["b" + str(i + 1)]


REPLACES = {"SimpleConvNet": SimpleConvNet}
