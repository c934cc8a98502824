"""The book's experiments, each a function returning its data (never plotting or printing).

Every experiment takes ``lib``, the implementation to run (a namespace with the
book's public names; None for the ``reference`` package), uses components only
through it and MNIST / the book's weights only through ``data``. Stochastic ones take
a ``seed`` for NumPy's global generator, which the book's components draw from, and
default to the book's full sizes; the regression tests in ``checks/`` pass smaller
budgets, and ``make reproduce`` plots the same data.
"""

from .ch03_activation_functions import activation_functions
from .ch03_inference import sample_weight_accuracy
from .ch04_training import gradient_descent_path, gradient_field, square_sum, two_layer_net_training
from .ch05_training import backprop_training, gradient_check_two_layer_net
from .ch06_activations import activation_histograms
from .ch06_batch_norm import BOOK_WEIGHT_SCALES, batch_norm_comparison
from .ch06_hyperparameters import hyperparameter_search
from .ch06_optimizers import optimizer_comparison, optimizer_paths
from .ch06_regularization import dropout_overfitting, final_accuracies, weight_decay_overfitting
from .ch06_weight_init import weight_init_comparison
from .ch07_convnet import simple_convnet_pretrained, simple_convnet_training
from .ch08_deep_convnet import deep_convnet_pretrained, deep_convnet_training
from .threaded_inference import predicted_classes_in_threads

__all__ = [
    "activation_functions", "sample_weight_accuracy",
    "square_sum", "gradient_field", "gradient_descent_path", "two_layer_net_training",
    "backprop_training", "gradient_check_two_layer_net",
    "optimizer_paths", "optimizer_comparison",
    "weight_init_comparison",
    "activation_histograms",
    "BOOK_WEIGHT_SCALES", "batch_norm_comparison",
    "weight_decay_overfitting", "dropout_overfitting", "final_accuracies",
    "hyperparameter_search",
    "simple_convnet_pretrained", "simple_convnet_training",
    "deep_convnet_pretrained", "deep_convnet_training",
    "predicted_classes_in_threads",
]
