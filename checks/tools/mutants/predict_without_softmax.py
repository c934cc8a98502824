"""Chapter 3 predict returning the last layer's scores without the softmax (book §3.6.2)."""

import numpy as np

from reference import sigmoid

COMPONENT = "predict"
MISTAKE = "§3.6.2: returns a3 (identity output) instead of softmax(a3): the argmax is right, the probabilities are not"


def predict(network, x):
    z1 = sigmoid(np.dot(x, network["W1"]) + network["b1"])
    z2 = sigmoid(np.dot(z1, network["W2"]) + network["b2"])
    return np.dot(z2, network["W3"]) + network["b3"]


REPLACES = {"predict": predict}
