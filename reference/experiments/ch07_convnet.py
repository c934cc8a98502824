"""Chapter 7: SimpleConvNet (§7.5–7.6).

Book scripts: ch07/train_convnet.py (training, Figure 7-20) and
ch07/visualize_filter.py (first-layer filters before and after learning, Figure 7-24),
which loads the published ch07/params.pkl.
"""

import numpy as np

from ._common import accelerate
from ._common import check_dtype, in_dtype, predicted_classes, resolve_lib, run_trainer
from ._mnist import mnist

__all__ = ["simple_convnet_pretrained", "simple_convnet_training"]


def simple_convnet_pretrained(lib=None, batch_size=100, test_size=None, seed=None):
    """Test accuracy of SimpleConvNet with the published ch07/params.pkl (book §7.5–7.6).

    ``SimpleConvNet()`` with its default arguments, ``load_params`` of the book's file,
    then predictions on the 10,000 test images in batches (as the book's ``accuracy``).
    The book's text reports about 99% for its own 20-epoch run; the published file
    is a different, shorter training and scores lower (pinned in the regressions).
    Deterministic.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.SimpleConvNet``.
        batch_size: images per ``predict`` call.
        test_size: use the first test_size test images (None: all 10,000, the book's).
        seed: seed of NumPy's global generator before ``SimpleConvNet()`` draws its
            initial weights (None: not seeded); only ``filters_initial`` depends on it.

    Returns:
        dict with
            accuracy: float.
            n_correct, n_images: ints.
            predictions: (n_images,) predicted classes.
            filters: (30, 1, 5, 5) the loaded first-layer filters (params["W1"]).
            filters_initial: (30, 1, 5, 5) params["W1"] as initialised, before loading
                (visualize_filter.py shows both: random noise, then the learned filters).
    """
    lib = resolve_lib(lib)
    from data import book_params_path

    _, (x_test, t_test) = mnist(normalize=True, flatten=False)
    x_test, t_test = x_test[:test_size], t_test[:test_size]
    if seed is not None:
        np.random.seed(seed)
    # The reference's layers run as the tuned kernels (same numbers); a learner's run as written.
    network = accelerate(lib.SimpleConvNet())
    filters_initial = np.array(network.params["W1"], copy=True)
    network.load_params(book_params_path("ch07/params.pkl"))
    predictions = predicted_classes(network.predict, x_test, batch_size)
    n_correct = int(np.sum(predictions == t_test))
    return {
        "accuracy": n_correct / x_test.shape[0],
        "n_correct": n_correct,
        "n_images": int(x_test.shape[0]),
        "predictions": predictions,
        "filters": np.array(network.params["W1"], copy=True),
        "filters_initial": filters_initial,
    }


def simple_convnet_training(lib=None, seed=0, epochs=20, train_size=None, test_size=None,
                            batch_size=100, learning_rate=0.001, evaluate_sample_num_per_epoch=1000,
                            progress=None, threads=1, dtype="float64"):
    """Train SimpleConvNet on MNIST with Adam (book §7.5, ch07/train_convnet.py).

    ``SimpleConvNet(input_dim=(1, 28, 28), conv_param={'filter_num': 30,
    'filter_size': 5, 'pad': 0, 'stride': 1}, hidden_size=100, output_size=10,
    weight_init_std=0.01)`` and ``Trainer(..., epochs=20, mini_batch_size=100,
    optimizer='Adam', optimizer_param={'lr': 0.001},
    evaluate_sample_num_per_epoch=1000)`` on the 60,000 training images. The book:
    test accuracy ≈99% (about 99% also on training data); the first-layer filters turn
    from noise into edge and blob detectors (Figure 7-24).

    Args:
        lib: implementation namespace (None: reference); uses ``lib.SimpleConvNet``, ``lib.Trainer``.
        seed: seed of NumPy's global generator (weights, then batches).
        epochs: Trainer epochs.
        train_size: train on the first train_size training images (None: all 60,000).
        test_size: the first test_size test images are the Trainer's test set (None: all).
        batch_size, learning_rate: mini-batch size and Adam learning rate.
        evaluate_sample_num_per_epoch: images of each set evaluated per epoch (None: all).
        progress: optional ``progress(done, total)``, called after each training step.
        threads: the reference network's batches are split over this many threads
            (``reference.fast.accelerate``; give BLAS one thread per process then, as
            ``make reproduce`` does). 1 (default): the numbers are bit-identical to the
            network's own methods; more: the gradients differ in the last bits (the
            slices' means are summed), identically from run to run with the same seed.
            A learner's network runs as written whatever this is.
        dtype: "float64" (default, the book's) or "float32": the network's parameters,
            drawn in float64 from the seed, are rounded to float32 once and the images
            cast, so the whole run computes in float32 (about twice as fast; the
            report must say so).

    Returns:
        dict with
            train_loss: (iterations,) the Trainer's batch losses.
            train_acc, test_acc: (epochs,) per-epoch accuracies (on evaluation samples).
            final_test_acc: float, accuracy on the whole test set (test_size images) at the end.
            dtype: the floating-point type the run computed in ("float64" or "float32").
            filters_before, filters_after: (30, 1, 5, 5) params["W1"] before and after training.
    """
    check_dtype(dtype)
    lib = resolve_lib(lib)
    np.random.seed(seed)
    (x_train, t_train), (x_test, t_test) = mnist(normalize=True, flatten=False)
    x_train, t_train = x_train[:train_size], t_train[:train_size]
    x_test, t_test = x_test[:test_size], t_test[:test_size]
    network = lib.SimpleConvNet(input_dim=(1, 28, 28),
                                conv_param={"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1},
                                hidden_size=100, output_size=10, weight_init_std=0.01)
    accelerate(network, threads=threads)
    x_train, x_test = in_dtype(network, dtype, x_train, x_test)
    filters_before = np.array(network.params["W1"], copy=True)
    record = run_trainer(lib, network, x_train, t_train, x_test, t_test, epochs=epochs,
                         mini_batch_size=batch_size, optimizer="Adam",
                         optimizer_param={"lr": learning_rate},
                         evaluate_sample_num_per_epoch=evaluate_sample_num_per_epoch,
                         progress=progress)
    record["final_test_acc"] = float(network.accuracy(x_test, t_test))
    record["dtype"] = str(np.dtype(str(dtype)))
    record["filters_before"] = filters_before
    record["filters_after"] = np.array(network.params["W1"], copy=True)
    return record
