"""Makes the Keras side of test/fixtures/keras-resume (never run by the tests; see that folder's README).

  KERAS_BACKEND=jax python scripts/keras-resume.py extras    # .keras files Keras writes, and its own continuation
  KERAS_BACKEND=jax python scripts/keras-resume.py multi     # the same with MultiOptimizers
  KERAS_BACKEND=jax python scripts/keras-resume.py callbacks # Keras's rate callbacks on a MultiOptimizer's fit
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


def schedule(class_name, **config):
    return {"module": "keras.optimizers.schedules", "class_name": class_name, "config": config, "registered_name": None}


def opt(class_name, **config):
    return {"module": "keras.optimizers", "class_name": class_name, "config": config, "registered_name": None}


def multi(default, mapping):
    return opt("MultiOptimizer", optimizer_map=opt("OptimizerMap", default_optimizer=default, optimizer_map=mapping))


# MultiOptimizers. Keras saves the MultiOptimizer's variables (iterations, its learning rate 0) then every inner
# optimizer's under optimizer/vars, and each inner optimizer's again under optimizer/optimizers/<snake_case class>
# (adam, adam_1...). It routes a variable by its path, which starts with the model's name while the model is built
# in Python (`resumed/body/kernel`) but not in a model load_model builds (`body/kernel`): the keys here match both
# (patterns starting with `.*`). Covered: patterns, an inner optimizer that no variable reaches (never built, saved
# without slots), two of one class, number rates (variables of their inner optimizers), accumulation and EMA inside one.
MULTI = [
    {
        "name": "multi-sgd-adam-adamw",
        "model_name": "resumed", "layer_names": ["body", "head"],
        "n": 24, "d": 4, "classes": 3, "hidden": 5, "a": 3, "b": 5,
        "epochs_before": 2, "epochs_after": 2, "batch_size": 8,
        "optimizer": multi(
            opt("SGD", learning_rate=0.05, momentum=0.9),
            {
                ".*body/kernel": opt("Adam", learning_rate=schedule("CosineDecay", initial_learning_rate=0.02, decay_steps=20)),
                ".*head/.*": opt("AdamW", learning_rate=schedule("ExponentialDecay", initial_learning_rate=0.01, decay_steps=3, decay_rate=0.5), weight_decay=0.01),
            },
        ),
    },
    {
        "name": "multi-nadam-accumulation-ema-unused-adam",
        "model_name": "resumed_two", "layer_names": ["body", "head"],
        "n": 30, "d": 5, "classes": 4, "hidden": 6, "a": 7, "b": 2,
        "epochs_before": 2, "epochs_after": 2, "batch_size": 6,
        "optimizer": multi(
            opt("Adam", learning_rate=0.01, amsgrad=True),
            {
                ".*body/.*": opt("Nadam", learning_rate=schedule("PolynomialDecay", initial_learning_rate=0.02, decay_steps=12, end_learning_rate=0.001, power=2.0), gradient_accumulation_steps=2, use_ema=True, ema_momentum=0.8),
                ".*nowhere/.*": opt("Adam", learning_rate=0.003),
            },
        ),
    },
]

# A MultiOptimizer whose exact key holds the model's name: it routes `resumed/body/kernel` to Adam while Keras trains,
# and nothing to it once load_model has built the model (`body/kernel`), so Keras's own load_model refuses the file it
# wrote (the optimizer's variables no longer fit). Saved to check that restoreKerasCheckpoint refuses it too.
REFUSED = {
    **MULTI[0],
    "name": "multi-exact-key-with-model-name",
    "optimizer": multi(opt("SGD", learning_rate=0.05, momentum=0.9), {"resumed/body/kernel": opt("Adam", learning_rate=0.01)}),
}


# Keras's learning-rate callbacks on a MultiOptimizer: each reads and sets every inner optimizer's rate and logs it
# under learning_rate_<name>. `plateau` never improves after its first epoch (min_delta 10): each epoch reduces the
# rates above min_lr; the Adam starts below it and keeps its rate.
CALLBACK_MULTI = multi(
    opt("SGD", learning_rate=0.1, momentum=0.9, name="body_sgd"),
    {".*head/.*": opt("Adam", learning_rate=0.01, name="head_adam")},
)
CALLBACKS = [
    {
        "name": "scheduler-halves-from-epoch-1",
        "layer_names": ["body", "head"],
        "n": 24, "d": 4, "classes": 3, "hidden": 5, "a": 3, "b": 5, "epochs": 3, "batch_size": 8,
        "optimizer": CALLBACK_MULTI,
        "callback": "LearningRateScheduler(lambda epoch, lr: lr if epoch == 0 else lr * 0.5)",
    },
    {
        "name": "plateau-every-epoch-down-to-min-lr",
        "layer_names": ["body", "head"],
        "n": 24, "d": 4, "classes": 3, "hidden": 5, "a": 3, "b": 5, "epochs": 4, "batch_size": 8,
        "optimizer": CALLBACK_MULTI,
        "callback": "ReduceLROnPlateau(monitor='loss', factor=0.5, patience=1, min_delta=10, min_lr=0.02)",
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
    names = c.get("layer_names", [None, None])
    model = keras.Sequential(
        [
            keras.Input((c["d"],)),
            keras.layers.Dense(c["hidden"], activation="relu", name=names[0]),
            keras.layers.Dense(c["classes"], activation="softmax", name=names[1]),
        ],
        name=c.get("model_name"),
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


def inner_state(optimizer):
    """A MultiOptimizer's inner optimizers (class, name, iterations) and its variables' paths; nothing for another."""
    if not hasattr(optimizer, "optimizers"):
        return {}
    return {
        "inner": [{"class_name": type(o).__name__, "iterations": int(keras.ops.convert_to_numpy(o.iterations))} for o in optimizer.optimizers],
        "optimizer_variables": [v.path for v in optimizer.variables],
    }


def extras(specs=EXTRAS, golden="keras-resume-extra-golden.json"):
    cases = []
    for c in specs:
        model = model_for(c)
        model.compile(optimizer=keras.optimizers.get(copy.deepcopy(c["optimizer"])), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        fit(model, c, c["epochs_before"])
        path = os.path.join(HERE, f"{c['name']}.keras")
        model.save(path)
        at_save = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
        loaded = load(path)
        paths = [v.path for v in loaded.trainable_variables]
        after = fit(loaded, c, c["epochs_after"])
        cases.append(
            {
                **c,
                **({"trainable_paths": paths} if "model_name" in c else {}),
                **inner_state(loaded.optimizer),
                "keras_file": f"{c['name']}.keras",
                "loss_after": after["loss"],
                "accuracy_after": after["accuracy"],
                "iterations_at_save": at_save,
                "iterations_after": after["iterations"],
                "final_weights": after["final_weights"],
            }
        )
    write(golden, cases)


def callbacks():
    cases = []
    for c in CALLBACKS:
        model = model_for(c)
        model.compile(optimizer=keras.optimizers.get(copy.deepcopy(c["optimizer"])), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        x, y = data(c)
        callback = eval(f"keras.callbacks.{c['callback']}")
        history = model.fit(x, y, epochs=c["epochs"], batch_size=c["batch_size"], shuffle=False, verbose=0, callbacks=[callback]).history
        cases.append({**c, "history": {k: [float(v) for v in vs] for k, vs in history.items()}, "final_weights": [w.flatten().tolist() for w in model.get_weights()]})
    write("keras-multi-callbacks-golden.json", cases)


def refused():
    """REFUSED, saved after one epoch, and the first line of the error Keras's load_model gives."""
    c = REFUSED
    model = model_for(c)
    model.compile(optimizer=keras.optimizers.get(copy.deepcopy(c["optimizer"])), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    fit(model, c, 1)
    path = os.path.join(HERE, f"{c['name']}.keras")
    model.save(path)
    try:
        load(path)
        raise SystemExit(f"{path}: Keras loaded it")
    except ValueError as e:
        error = str(e)
    write("keras-resume-multi-refused.json", [{**c, "keras_file": f"{c['name']}.keras", "keras_error": error}])


def handback():
    manifest = json.load(open(os.path.join(HERE, "handback", "manifest.json")))
    cases = []
    for entry in manifest["cases"]:
        model = load(os.path.join(HERE, "handback", entry["file"]))
        at_load = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
        after = fit(model, entry, entry["epochs"])
        cases.append({**entry, "iterations_at_load": at_load, **after, **inner_state(model.optimizer)})
    write("keras-handback-golden.json", cases)


def write(name, cases):
    source = f"Keras {keras.__version__}, {keras.backend.backend()} backend, float32"
    with open(os.path.join(HERE, name), "w") as f:
        json.dump({"source": source, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    {"extras": extras, "multi": lambda: (extras(MULTI, "keras-resume-multi-golden.json"), refused()), "handback": handback, "callbacks": callbacks}[sys.argv[1]]()
