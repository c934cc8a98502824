"""Chapter 3 predict using ReLU in the hidden layers of the sigmoid network (book §3.6.2)."""

import numpy as np

from reference import relu, softmax

COMPONENT = "predict"
MISTAKE = "§3.6.2: relu instead of sigmoid after the first two layers; sample_weight.pkl was trained with sigmoid"


def predict(network, x):
    z1 = relu(np.dot(x, network["W1"]) + network["b1"])
    z2 = relu(np.dot(z1, network["W2"]) + network["b2"])
    return softmax(np.dot(z2, network["W3"]) + network["b3"])


REPLACES = {"predict": predict}
