"""The same LeNet-5 in a plain PyTorch training loop, for ``bench/train_speed.py``.

PyTorch is not a dependency of the project: the benchmark times this loop
only where ``torch`` happens to be installed. The network has
``training.lenet``'s layers and 61,706 parameters (C1 5x5x6 same padding,
max pooling, C3 5x5x16, dense 120, 84, 10, ReLU); the loss is cross-entropy
on the logits (softmax and log-likelihood in one, what Keras's softmax
output with sparse categorical cross-entropy computes); Adam has Keras's
defaults (lr from the configuration, betas 0.9 / 0.999, epsilon 1e-7).
PyTorch's default is one thread per core; on a busy machine its OpenMP
threads wait for each other at every op (a thread that lost its core stalls
the other), so the benchmark also runs the loop on one thread and compares
with the faster of the two. Each epoch reshuffles, converts each uint8 batch to float in [0, 1] and
trains it, then evaluates the validation split once, as ``model.fit`` does.
"""

from __future__ import annotations

import numpy as np


def torch_available() -> bool:
    """Whether PyTorch can be imported here."""
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def torch_lenet5():
    """LeNet-5 as a ``torch.nn.Sequential`` with ``training.lenet``'s layers (logits out)."""
    from torch import nn

    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def train_torch(
    x_train, y_train, x_val, y_val, *, batch_size, epochs, lr, seed, on_epoch_end, threads=None
):
    """Train :func:`torch_lenet5` on uint8 (N, 28, 28) images; return the last training accuracy.

    ``on_epoch_end(epoch, logs)`` is called after each epoch's validation,
    with ``accuracy`` and ``val_accuracy`` in ``logs``. ``threads``: PyTorch's
    intra-op threads, set again at the start of every epoch (the setting is
    process-wide and the benchmark runs two loops in turns); None keeps
    PyTorch's default.
    """
    import torch

    torch.manual_seed(seed)
    model = torch_lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    images = torch.from_numpy(np.ascontiguousarray(x_train)).unsqueeze(1)
    labels = torch.from_numpy(np.asarray(y_train, dtype=np.int64))
    val_images = torch.from_numpy(np.ascontiguousarray(x_val)).unsqueeze(1)
    val_labels = torch.from_numpy(np.asarray(y_val, dtype=np.int64))
    accuracy = float("nan")
    for epoch in range(epochs):
        if threads is not None:
            torch.set_num_threads(threads)
        model.train()
        order = torch.randperm(len(images))
        correct = 0
        for start in range(0, len(images), batch_size):
            batch = order[start : start + batch_size]
            x = images[batch].float() / 255.0
            y = labels[batch]
            optimizer.zero_grad()
            logits = model(x)
            loss_fn(logits, y).backward()
            optimizer.step()
            correct += int((logits.argmax(1) == y).sum())
        accuracy = correct / len(images)
        model.eval()
        val_correct = 0
        with torch.no_grad():
            for start in range(0, len(val_images), max(batch_size, 512)):
                x = val_images[start : start + max(batch_size, 512)].float() / 255.0
                y = val_labels[start : start + max(batch_size, 512)]
                val_correct += int((model(x).argmax(1) == y).sum())
        on_epoch_end(epoch, {"accuracy": accuracy, "val_accuracy": val_correct / len(val_images)})
    return accuracy
