"""Chapter 8: the deep ConvNet (§8.1).

Book scripts: ch08/train_deepnet.py (training), ch08/misclassified_mnist.py (the
misclassified test images, Figure 8-3) and ch08/half_float_network.py (inference with
16-bit floats, §8.3.4), the last two with the published ch08/deep_convnet_params.pkl.
"""

import numpy as np

from ._common import accelerate
from ._common import check_dtype, in_dtype, predicted_classes, resolve_lib, run_trainer
from ._mnist import mnist

__all__ = ["deep_convnet_pretrained", "deep_convnet_training"]


def deep_convnet_pretrained(lib=None, batch_size=100, half_precision=True, test_size=None):
    """DeepConvNet with the published parameters: accuracy, mistakes, and float16 inference (book §8.1.1, §8.3.4).

    ``DeepConvNet()`` with its defaults, ``load_params`` of ch08/deep_convnet_params.pkl,
    predictions (``predict(x, train_flg=False)``) on the 10,000 test images in batches
    of 100 as misclassified_mnist.py; the book's text reports ≈99.4% (its own run;
    the published file differs) and shows the misclassified images with their
    predicted labels. Then the same parameters and inputs in half precision through
    ``lib.half_float_network`` (half_float_network.py), which rounds the parameters to
    float16 values in place, with the inputs cast to float16: the book's point is that
    accuracy barely changes. Deterministic.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.DeepConvNet`` and,
            with half_precision, ``lib.half_float_network``.
        batch_size: images per ``predict`` call.
        test_size: use the first test_size test images (None: all 10,000, the book's).
        half_precision: also run the float16 inference.

    Returns:
        dict with
            accuracy, n_correct, n_images: float64 results.
            predictions: (n_images,) predicted classes (float64).
            misclassified: (M,) indices of the misclassified test images, ascending.
            misclassified_predicted, misclassified_true: (M,) their predicted and true labels.
            misclassified_images: (M, 1, 28, 28) those test images (for Figure 8-3).
            accuracy_float16, n_correct_float16, predictions_float16: the same in float16
                (only with half_precision).
    """
    lib = resolve_lib(lib)
    from data import book_params_path

    _, (x_test, t_test) = mnist(normalize=True, flatten=False)
    x_test, t_test = x_test[:test_size], t_test[:test_size]
    # The reference's layers run as the tuned kernels (same numbers); a learner's run as written.
    network = accelerate(lib.DeepConvNet())
    network.load_params(book_params_path("ch08/deep_convnet_params.pkl"))
    predictions = predicted_classes(lambda x: network.predict(x, train_flg=False), x_test, batch_size)
    wrong = np.flatnonzero(predictions != t_test)
    n_images = int(x_test.shape[0])
    result = {
        "accuracy": (n_images - wrong.size) / n_images,
        "n_correct": n_images - int(wrong.size),
        "n_images": n_images,
        "predictions": predictions,
        "misclassified": wrong,
        "misclassified_predicted": predictions[wrong],
        "misclassified_true": np.asarray(t_test[wrong], dtype=int),
        "misclassified_images": np.array(x_test[wrong]),
    }
    if half_precision:
        # half_float_network.py: parameters rounded to float16 in place, inputs cast to float16.
        lib.half_float_network(network)
        predictions16 = predicted_classes(
            lambda x: network.predict(x.astype(np.float16), train_flg=False), x_test, batch_size)
        n_correct16 = int(np.sum(predictions16 == t_test))
        result.update({
            "accuracy_float16": n_correct16 / n_images,
            "n_correct_float16": n_correct16,
            "predictions_float16": predictions16,
        })
    return result


def deep_convnet_training(lib=None, seed=0, epochs=20, train_size=None, test_size=None,
                          batch_size=100, learning_rate=0.001, evaluate_sample_num_per_epoch=1000,
                          progress=None, threads=1, dtype="float64"):
    """Train DeepConvNet on MNIST with Adam (book §8.1.1, ch08/train_deepnet.py).

    ``DeepConvNet()`` and ``Trainer(..., epochs=20, mini_batch_size=100,
    optimizer='Adam', optimizer_param={'lr': 0.001},
    evaluate_sample_num_per_epoch=1000)`` on the 60,000 training images. The book:
    test accuracy ≈99.4%. Hours of CPU with NumPy at the book's size: opt-in only.

    Args:
        lib: implementation namespace (None: reference); uses ``lib.DeepConvNet``, ``lib.Trainer``.
        seed: seed of NumPy's global generator (weights, dropout masks, batches).
        epochs: Trainer epochs.
        train_size: train on the first train_size training images (None: all 60,000).
        test_size: the first test_size test images are the Trainer's test set (None: all).
        batch_size, learning_rate: mini-batch size and Adam learning rate.
        evaluate_sample_num_per_epoch: images of each set evaluated per epoch (None: all).
        progress: optional ``progress(done, total)``, called after each training step.
        threads, dtype: the reference network's batch split over threads, and float32 for
            the whole run; both as ``simple_convnet_training`` documents them.

    Returns:
        dict with
            train_loss: (iterations,) the Trainer's batch losses.
            train_acc, test_acc: (epochs,) per-epoch accuracies (on evaluation samples).
            final_test_acc: float, accuracy on the whole test set (test_size images) at the end.
            dtype: the floating-point type the run computed in ("float64" or "float32").
    """
    check_dtype(dtype)
    lib = resolve_lib(lib)
    np.random.seed(seed)
    (x_train, t_train), (x_test, t_test) = mnist(normalize=True, flatten=False)
    x_train, t_train = x_train[:train_size], t_train[:train_size]
    x_test, t_test = x_test[:test_size], t_test[:test_size]
    network = accelerate(lib.DeepConvNet(), threads=threads)
    x_train, x_test = in_dtype(network, dtype, x_train, x_test)
    record = run_trainer(lib, network, x_train, t_train, x_test, t_test, epochs=epochs,
                         mini_batch_size=batch_size, optimizer="Adam",
                         optimizer_param={"lr": learning_rate},
                         evaluate_sample_num_per_epoch=evaluate_sample_num_per_epoch,
                         progress=progress)
    record["final_test_acc"] = float(network.accuracy(x_test, t_test))
    record["dtype"] = str(np.dtype(str(dtype)))
    return record
