"""Makes test/fixtures/keras/keras-multi-optimizer-golden.json: Keras's MultiOptimizer on the fits of
test/support/kerasFitRun.ts (never run by the tests).

  /tmp/kv/bin/python scripts/keras-multi-optimizer.py    # a venv with keras 3.15.1, jax, jaxlib

Each fit case is the data and model formulas of keras-fit-golden.json (layers named `body` and `head`), compiled
with the case's MultiOptimizer (Keras JSON, as written here); Keras's own fit gives the per-epoch loss, the final
weights, the iterations of the MultiOptimizer and of each inner optimizer, and `resume_after` epochs' optimizer
variables (`optimizer.variables` as numbers). `keras_test` is multi_optimizer_test.py's
test_multi_optimizer_with_model_fit, as Keras computes it.

Patterns start and end with `.*`: Keras's variable paths start with the model's name (`sequential_1/body/kernel`),
and tf.js's variable names may end with a `_1` it adds when a name is taken (`body/kernel_1`).
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "keras", "keras-multi-optimizer-golden.json")


def schedule(class_name, **config):
    return {"module": "keras.optimizers.schedules", "class_name": class_name, "config": config, "registered_name": None}


def opt(class_name, **config):
    return {"module": "keras.optimizers", "class_name": class_name, "config": config, "registered_name": None}


def multi(default, mapping):
    return opt("MultiOptimizer", optimizer_map={
        "module": "keras.optimizers", "class_name": "OptimizerMap", "registered_name": None,
        "config": {"default_optimizer": default, "optimizer_map": mapping},
    })


CASES = [
    {
        "name": "sgd-body-adam-cosine-head",
        "n": 24, "d": 4, "classes": 3, "hidden": 5, "a": 3, "b": 5, "epochs": 3, "batch_size": 8, "resume_after": 2,
        "keras_optimizer": multi(
            opt("SGD", learning_rate=0.05, momentum=0.9),
            {".*head/.*": opt("Adam", learning_rate=schedule("CosineDecay", initial_learning_rate=0.02, decay_steps=20))},
        ),
    },
    {
        "name": "three-optimizers-kernel-pattern",
        "n": 30, "d": 5, "classes": 4, "hidden": 6, "a": 7, "b": 2, "epochs": 3, "batch_size": 6, "resume_after": 1,
        "keras_optimizer": multi(
            opt("Adam", learning_rate=0.01, amsgrad=True),
            {
                ".*body/kernel.*": opt("SGD", learning_rate=0.1, nesterov=True, momentum=0.5),
                ".*head/.*": opt("AdamW", learning_rate=schedule("ExponentialDecay", initial_learning_rate=0.01, decay_steps=3, decay_rate=0.5), weight_decay=0.01),
            },
        ),
    },
]


def pattern(shape, k):
    size = int(np.prod(shape))
    return np.array([(((t * k) % 7) - 3) / 10 for t in range(size)], dtype="float32").reshape(shape)


def data(c):
    x = np.array([[((i * c["a"] + j * c["b"]) % 11) / 10 - 0.5 for j in range(c["d"])] for i in range(c["n"])], dtype="float32")
    y = np.argmax(x[:, : c["classes"]], axis=1)
    return x, y


def model(c):
    m = keras.Sequential([
        keras.Input((c["d"],)),
        keras.layers.Dense(c["hidden"], activation="relu", name="body"),
        keras.layers.Dense(c["classes"], activation="softmax", name="head"),
    ])
    m.set_weights([pattern((c["d"], c["hidden"]), 3), np.full((c["hidden"],), 0.013, "float32"), pattern((c["hidden"], c["classes"]), 5), np.zeros((c["classes"],), "float32")])
    return m


def run(c):
    x, y = data(c)
    m = model(c)
    optimizer = keras.optimizers.deserialize(json.loads(json.dumps(c["keras_optimizer"])))
    m.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    losses = []
    for epoch in range(c["epochs"]):
        h = m.fit(x, y, batch_size=c["batch_size"], epochs=1, shuffle=False, verbose=0)
        losses += h.history["loss"]
        if epoch + 1 == c["resume_after"]:
            c["resume_state"] = [
                {"path": v.path, "shape": list(v.shape), "values": np.asarray(v.numpy(), dtype="float64").ravel().tolist()}
                for v in optimizer.variables
            ]
    c["loss"] = losses
    c["iterations"] = int(optimizer.iterations)
    c["inner_iterations"] = [int(o.iterations) for o in optimizer.optimizers]
    c["inner_classes"] = [type(o).__name__ for o in optimizer.optimizers]
    c["final_weights"] = [np.asarray(w, dtype="float64").ravel().tolist() for w in m.get_weights()]
    return c


def keras_test():
    """multi_optimizer_test.py: test_multi_optimizer_with_model_fit."""
    optimizer = keras.optimizers.MultiOptimizer(keras.optimizers.OptimizerMap(
        default_optimizer=keras.optimizers.SGD(learning_rate=0.1),
        optimizer_map={".*dense_1/.*": keras.optimizers.SGD(learning_rate=1e-3), ".*dense_2/.*": keras.optimizers.SGD(learning_rate=1e-2)},
    ))
    m = keras.Sequential([
        keras.layers.Dense(2, kernel_initializer="ones", use_bias=False, name="dense_1"),
        keras.layers.Dense(1, kernel_initializer="ones", use_bias=False, name="dense_2"),
    ])
    m.compile(loss="mse", optimizer=optimizer)
    m.fit(np.ones((1, 1), "float32"), np.zeros((1, 1), "float32"), batch_size=1, epochs=1, verbose=0)
    return {
        "name": "test_multi_optimizer_with_model_fit",
        "keras_optimizer": json.loads(json.dumps(keras.optimizers.serialize(optimizer))),
        "final_weights": [np.asarray(w, dtype="float64").ravel().tolist() for w in m.get_weights()],
        "iterations": int(optimizer.iterations),
        "inner_iterations": [int(o.iterations) for o in optimizer.optimizers],
    }


if __name__ == "__main__":
    out = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "fits": [run(dict(c)) for c in CASES],
        "keras_test": keras_test(),
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", OUT)
