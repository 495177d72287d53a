"""Makes the Keras side of test/fixtures/keras-resume (never run by the tests; see that folder's README).

  KERAS_BACKEND=jax python scripts/keras-resume.py extras    # .keras files Keras writes, and its own continuation
  npx tsx scripts/keras-handback.ts                         # tf.js continues each file and saves it (handback/)
  KERAS_BACKEND=jax python scripts/keras-resume.py handback  # Keras loads each tf.js-written file and continues

Needs Keras 3 with the jax backend (a venv: pip install keras jax jaxlib). The data and starting weights are the
formulas of keras-resume-golden.json, which test/support/kerasFit.ts builds in TypeScript.
"""
import copy
import json
import os
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "keras-resume")

# Cases that the shared reference files do not cover: a number learning rate (Keras then saves it as a variable after
# `iterations`), Nadam's `u_product` (a variable of its own, after the slots), gradient accumulators and EMA averages.
EXTRAS = [
    {
        "name": "rmsprop-number-rate-centered-momentum",
        "n": 26, "d": 4, "classes": 3, "hidden": 7, "a": 5, "b": 3,
        "epochs_before": 2, "epochs_after": 2, "batch_size": 8,
        "optimizer": {"class_name": "RMSprop", "config": {"learning_rate": 0.01, "momentum": 0.9, "centered": True}},
    },
    {
        "name": "nadam-accumulation-ema",
        "n": 30, "d": 5, "classes": 4, "hidden": 6, "a": 7, "b": 2,
        "epochs_before": 2, "epochs_after": 2, "batch_size": 6,
        "optimizer": {
            "class_name": "Nadam",
            "config": {
                "learning_rate": {
                    "module": "keras.optimizers.schedules",
                    "class_name": "PolynomialDecay",
                    "config": {"initial_learning_rate": 0.02, "decay_steps": 12, "end_learning_rate": 0.001, "power": 2.0},
                },
                "gradient_accumulation_steps": 2,
                "use_ema": True,
                "ema_momentum": 0.8,
            },
        },
    },
    {
        # A functional model with a layer that has non-trainable variables (the optimizer updates only the trainable).
        "name": "functional-batchnorm-adam",
        "architecture": "functional-batchnorm",
        "n": 24, "d": 5, "classes": 3, "hidden": 6, "a": 3, "b": 4,
        "epochs_before": 2, "epochs_after": 2, "batch_size": 8,
        "optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.01}},
    },
]


def data(c):
    i = np.arange(c["n"])[:, None]
    j = np.arange(c["d"])[None, :]
    x = (((i * c["a"] + j * c["b"]) % 11) / 10 - 0.5).astype("float32")
    y = np.argmax(x[:, : c["classes"]], axis=1)
    return x, y


def pattern(rows, cols, k):
    t = np.arange(rows * cols)
    return ((((t * k) % 7) - 3) / 10).reshape(rows, cols).astype("float32")


def model_for(c):
    if c.get("architecture") == "functional-batchnorm":
        inputs = keras.Input((c["d"],))
        hidden = keras.layers.Dense(c["hidden"], activation="relu")(inputs)
        hidden = keras.layers.BatchNormalization()(hidden)
        outputs = keras.layers.Dense(c["classes"], activation="softmax")(hidden)
        model = keras.Model(inputs, outputs)
        gamma_beta_mean_var = [np.ones(c["hidden"]), np.zeros(c["hidden"]), np.zeros(c["hidden"]), np.ones(c["hidden"])]
        model.set_weights(
            [pattern(c["d"], c["hidden"], 3), np.full([c["hidden"]], 0.013, "float32")]
            + [v.astype("float32") for v in gamma_beta_mean_var]
            + [pattern(c["hidden"], c["classes"], 5), np.zeros([c["classes"]], "float32")]
        )
        return model
    model = keras.Sequential(
        [
            keras.Input((c["d"],)),
            keras.layers.Dense(c["hidden"], activation="relu"),
            keras.layers.Dense(c["classes"], activation="softmax"),
        ]
    )
    model.set_weights(
        [
            pattern(c["d"], c["hidden"], 3),
            np.full([c["hidden"]], 0.013, "float32"),
            pattern(c["hidden"], c["classes"], 5),
            np.zeros([c["classes"]], "float32"),
        ]
    )
    return model


def load(path):
    """keras.saving.load_model, with Keras's warning that it skipped the optimizer's variables made an error."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*Skipping variable loading.*")
        return keras.saving.load_model(path)


def fit(model, c, epochs):
    x, y = data(c)
    history = model.fit(x, y, epochs=epochs, batch_size=c["batch_size"], shuffle=False, verbose=0).history
    return {
        "loss": [float(v) for v in history["loss"]],
        "accuracy": [float(v) for v in history["accuracy"]],
        "iterations": int(keras.ops.convert_to_numpy(model.optimizer.iterations)),
        "final_weights": [w.flatten().tolist() for w in model.get_weights()],
    }


def extras():
    cases = []
    for c in EXTRAS:
        model = model_for(c)
        model.compile(optimizer=keras.optimizers.get(copy.deepcopy(c["optimizer"])), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        fit(model, c, c["epochs_before"])
        path = os.path.join(HERE, f"{c['name']}.keras")
        model.save(path)
        at_save = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
        after = fit(load(path), c, c["epochs_after"])
        cases.append(
            {
                **c,
                "keras_file": f"{c['name']}.keras",
                "loss_after": after["loss"],
                "accuracy_after": after["accuracy"],
                "iterations_at_save": at_save,
                "iterations_after": after["iterations"],
                "final_weights": after["final_weights"],
            }
        )
    write("keras-resume-extra-golden.json", cases)


def handback():
    manifest = json.load(open(os.path.join(HERE, "handback", "manifest.json")))
    cases = []
    for entry in manifest["cases"]:
        model = load(os.path.join(HERE, "handback", entry["file"]))
        at_load = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
        after = fit(model, entry, entry["epochs"])
        cases.append({**entry, "iterations_at_load": at_load, **after})
    write("keras-handback-golden.json", cases)


def write(name, cases):
    source = f"Keras {keras.__version__}, {keras.backend.backend()} backend, float32"
    with open(os.path.join(HERE, name), "w") as f:
        json.dump({"source": source, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    {"extras": extras, "handback": handback}[sys.argv[1]]()
