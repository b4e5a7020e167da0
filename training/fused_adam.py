"""Adam's update as one fused TensorFlow kernel per variable.

Keras 3's ``Adam.update_step`` builds the update from about twenty small
element-wise ops per variable (powers, two moment updates, square root,
divide, three assignments), so LeNet-5's ten variables cost some two hundred
op launches per training step. On two CPU cores that was a quarter of the
CPU time of an MNIST epoch (0.17 of 0.68 CPU-seconds for 9,000 images at
batch 128, against 0.51 s with plain SGD). TensorFlow's ``ResourceApplyAdam``
kernel does the same arithmetic in one op per variable:

* ``alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)``
* ``m += (g - m) * (1 - beta_1)``,  ``v += (g^2 - v) * (1 - beta_2)``
* ``w -= m * alpha / (sqrt(v) + epsilon)``

which is Keras's formula term for term (``tests/training/test_fused_adam.py``
checks the two against each other). The results agree to float32 rounding:
the only difference is that the kernel forms ``1 - beta_1`` in float32
where Keras forms it in float64 before the cast.

The fused step replaces the ``update_step`` method of one optimizer
instance, so the optimizer is still a plain ``keras.optimizers.Adam``: its
configuration, its saved state and a saved model are exactly as before, and
a model can be loaded without this module.
"""

from __future__ import annotations

KERAS_INTERNALS = ("_get_variable_index", "iterations")
"""What the fused step reads of Keras's ``Adam`` before it is built (then also its
``_momentums`` and ``_velocities``): what Keras's own ``update_step`` uses."""


def use_fused_update(optimizer):
    """Make a Keras ``Adam`` apply its updates with ``ResourceApplyAdam``.

    Parameters
    ----------
    optimizer : keras.optimizers.Adam
        Not yet used for training. Left unchanged when the fused kernel would
        not compute what Keras does (AMSGrad, a backend other than
        TensorFlow) or Keras lacks one of :data:`KERAS_INTERNALS`.

    Returns
    -------
    keras.optimizers.Adam
        ``optimizer`` itself.
    """
    import keras

    if not isinstance(optimizer, keras.optimizers.Adam):
        raise TypeError(f"expected a keras.optimizers.Adam, not {type(optimizer).__name__}")
    if optimizer.amsgrad or keras.backend.backend() != "tensorflow":
        return optimizer
    if not all(hasattr(optimizer, name) for name in KERAS_INTERNALS):
        return optimizer  # a Keras whose Adam keeps its state differently: leave it be

    import tensorflow as tf

    def update_step(gradient, variable, learning_rate):
        dtype = variable.dtype
        index = optimizer._get_variable_index(variable)
        step = tf.cast(optimizer.iterations + 1, dtype)
        beta_1 = tf.cast(optimizer.beta_1, dtype)
        beta_2 = tf.cast(optimizer.beta_2, dtype)
        tf.raw_ops.ResourceApplyAdam(
            var=variable.handle,
            m=optimizer._momentums[index].handle,
            v=optimizer._velocities[index].handle,
            beta1_power=tf.pow(beta_1, step),
            beta2_power=tf.pow(beta_2, step),
            lr=tf.cast(learning_rate, dtype),
            beta1=beta_1,
            beta2=beta_2,
            epsilon=tf.cast(optimizer.epsilon, dtype),
            grad=tf.cast(gradient, dtype),
        )

    optimizer.update_step = update_step
    return optimizer
