"""More optax golden cases for lr-schedules/optax: test/fixtures/optax/optax-more-golden.json.

Runs optax itself (0.2.8, jax with x64 off, CPU) on configs the shared fixture (optax-golden.json) leaves out:
staircase, growth with a ceiling, fractional powers and exponents, longer piecewise products, warmup-free joins, more
cycles, large steps, and seeded random configs. Same layout as optax-golden.json: integer steps are passed as
jnp.int32 (what optax's optimizers pass as `count`), fractional ones as jnp.float32; float32_bits are the eager results.

    python3 -m venv /tmp/optax-venv
    /tmp/optax-venv/bin/pip install --no-index --find-links /opt/pypi-more/files --find-links /opt/pypi/files optax
    /tmp/optax-venv/bin/python scripts/optax-golden.py > test/fixtures/optax/optax-more-golden.json
"""
import json
import random

import jax
import jax.numpy as jnp
import numpy as np
import optax

assert not jax.config.jax_enable_x64
rng = random.Random(17)

STEPS = list(range(0, 41)) + [99, 100, 101, 255, 1000, 4999, 5000, 12345, 100000, 2**24 - 1, 2**24 + 1, 10**9, 2**31 - 1]
FRACTIONAL = [0.25, 1.5, 3.75, 9.999, 10.5, 17.125, 33.3]


def bits(x):
    return int(np.asarray(x, dtype=np.float32).view(np.uint32))


def build(fn, args):
    if fn == "join_schedules":
        schedules = [build(s["fn"], {k: v for k, v in s.items() if k != "fn"}) for s in args["schedules"]]
        return optax.join_schedules(schedules, args["boundaries"])
    if fn in ("piecewise_constant_schedule", "piecewise_interpolate_schedule"):
        args = {**args, "boundaries_and_scales": {int(k): v for k, v in args["boundaries_and_scales"].items()}}
    return getattr(optax, fn)(**args)


def case(fn, args, steps=None):
    schedule = build(fn, args)
    steps = (steps or STEPS) + FRACTIONAL
    out = []
    for s in steps:
        count = jnp.asarray(s, dtype=jnp.float32 if isinstance(s, float) else jnp.int32)
        out.append(bits(schedule(count)))
    return {"fn": fn, "args": args, "steps": steps, "float32_bits": out, "values": [float(np.uint32(b).view(np.float32)) for b in out]}


cases = [
    case("exponential_decay", {"init_value": 0.1, "transition_steps": 7, "decay_rate": 0.5, "staircase": True}),
    case("exponential_decay", {"init_value": 0.01, "transition_steps": 3, "decay_rate": 1.5, "end_value": 0.2, "transition_begin": 4}),
    case("exponential_decay", {"init_value": 0.3, "transition_steps": 2.5, "decay_rate": 0.9, "staircase": True, "transition_begin": 3, "end_value": 0.1}),
    case("polynomial_schedule", {"init_value": 0.2, "end_value": 0.001, "power": 0.5, "transition_steps": 30, "transition_begin": 5}),
    case("polynomial_schedule", {"init_value": 0.001, "end_value": 0.3, "power": 4, "transition_steps": 25}),
    case("cosine_decay_schedule", {"init_value": 0.7, "decay_steps": 33, "alpha": 0.25, "exponent": 0.5}),
    case("cosine_decay_schedule", {"init_value": 2.0, "decay_steps": 12.5, "alpha": 1.5}),
    case("piecewise_constant_schedule", {"init_value": 0.3, "boundaries_and_scales": {"0": 0.5, "5": 3.0, "9": 0.1, "10": 0.7, "30": 0.0}}),
    case("piecewise_interpolate_schedule", {"interpolate_type": "linear", "init_value": 0.3,
                                            "boundaries_and_scales": {"2": 1.7, "5": 0.3, "6": 2.9, "11": 0.13, "20": 5.0, "33": 0.77}}),
    case("piecewise_interpolate_schedule", {"interpolate_type": "cosine", "init_value": 0.05,
                                            "boundaries_and_scales": {"3": 4.0, "8": 0.6, "9": 1.1, "25": 0.01}}),
    case("piecewise_interpolate_schedule", {"interpolate_type": "linear", "init_value": 0.4, "boundaries_and_scales": {}}),
    case("linear_onecycle_schedule", {"transition_steps": 37, "peak_value": 0.3, "pct_start": 0.2, "pct_final": 0.7, "div_factor": 10.0, "final_div_factor": 100.0}),
    case("cosine_onecycle_schedule", {"transition_steps": 23, "peak_value": 0.07, "pct_start": 0.45, "div_factor": 3.0, "final_div_factor": 50.0}),
    case("warmup_constant_schedule", {"init_value": 0.02, "peak_value": 0.3, "warmup_steps": 13}),
    case("warmup_cosine_decay_schedule", {"init_value": 0.0, "peak_value": 0.4, "warmup_steps": 0, "decay_steps": 30, "end_value": 0.01}),
    case("warmup_cosine_decay_schedule", {"init_value": 0.05, "peak_value": 0.3, "warmup_steps": 7, "decay_steps": 29, "end_value": 0.02, "exponent": 1.5}),
    case("warmup_exponential_decay_schedule", {"init_value": 0.001, "peak_value": 0.2, "warmup_steps": 6, "transition_steps": 4, "decay_rate": 0.7,
                                               "transition_begin": 3, "staircase": True, "end_value": 0.01}),
    case("warmup_exponential_decay_schedule", {"init_value": 0.1, "peak_value": 0.1, "warmup_steps": 0, "transition_steps": 5, "decay_rate": 0.8}),
    case("sgdr_schedule", {"cosine_kwargs": [
        {"init_value": 0.0, "peak_value": 0.2, "warmup_steps": 3, "decay_steps": 9},
        {"init_value": 0.01, "peak_value": 0.1, "warmup_steps": 0, "decay_steps": 11, "end_value": 0.005},
        {"init_value": 0.0, "peak_value": 0.05, "warmup_steps": 2, "decay_steps": 15, "exponent": 2.0}]}),
    case("join_schedules", {"schedules": [
        {"fn": "linear_schedule", "init_value": 0.0, "end_value": 0.2, "transition_steps": 4},
        {"fn": "exponential_decay", "init_value": 0.2, "transition_steps": 3, "decay_rate": 0.6},
        {"fn": "piecewise_constant_schedule", "init_value": 0.05, "boundaries_and_scales": {"4": 0.5}},
        {"fn": "cosine_decay_schedule", "init_value": 0.04, "decay_steps": 9, "alpha": 0.1}], "boundaries": [4, 11, 20]}),
]

for i in range(12):
    init = round(rng.uniform(0.001, 1.0), 6)
    steps = rng.randint(1, 60)
    cases.append(case("polynomial_schedule", {"init_value": init, "end_value": round(rng.uniform(0, 0.5), 6), "power": rng.choice([1, 2, 3, 0.5, 1.7]),
                                              "transition_steps": steps, "transition_begin": rng.randint(0, 10)}))
    cases.append(case("exponential_decay", {"init_value": init, "transition_steps": steps, "decay_rate": round(rng.uniform(0.05, 0.99), 6),
                                            "transition_begin": rng.randint(0, 10), "staircase": rng.random() < 0.5}))
    cases.append(case("cosine_decay_schedule", {"init_value": init, "decay_steps": steps, "alpha": round(rng.uniform(0, 0.5), 6),
                                                "exponent": rng.choice([1.0, 2.0, 0.5, 3.0])}))
    warmup = rng.randint(0, 20)
    cases.append(case("warmup_cosine_decay_schedule", {"init_value": round(rng.uniform(0, 0.01), 6), "peak_value": init, "warmup_steps": warmup,
                                                       "decay_steps": warmup + rng.randint(1, 50), "end_value": round(rng.uniform(0, init), 6)}))

head = {
    "source": f"optax {optax.__version__}, jax {jax.__version__}, x64 off, CPU; made by scripts/optax-golden.py",
    "conventions": "as optax-golden.json: integer steps as jnp.int32, fractional as jnp.float32; float32_bits are eager results",
}
# One case a line: a diff shows which cases changed.
print(json.dumps(head)[:-1] + ', "cases": [\n' + ",\n".join(json.dumps(c) for c in cases) + "\n]}")
