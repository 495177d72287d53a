"""Makes test/fixtures/transformers/transformers-5.18.json by running Hugging Face transformers itself.

Run (outside the repository's tests; never at test time), from the repository root:
    python3 -m venv /tmp/transformers-venv
    /tmp/transformers-venv/bin/pip install --no-index --find-links /opt/pypi-more/files --find-links /opt/pypi/files \
        transformers==5.18.0 torch accelerate
    /tmp/transformers-venv/bin/python scripts/transformers-fixtures.py > test/fixtures/transformers/transformers-5.18.json

Three parts, each read by src/transformers/*.test.ts:
- `schedules`: each schedule function of transformers.optimization with a torch SGD optimizer; `lr[k]` is the
  optimizer's lr after k calls of scheduler.step() (read from the lambda times the base rate past 20000 steps, which
  is what LambdaLR computes).
- `get_scheduler`: transformers.get_scheduler(name, ...) for every SchedulerType name: the rates, or the error raised.
- `training_arguments`: TrainingArguments(**args) with a dataloader of `steps_per_epoch` batches, resolved by the
  Trainer's own set_initial_training_values and create_scheduler: the step counts, the rates, or the error raised.
"""

import json
import math
import random
import tempfile
import warnings

import torch
import transformers
from transformers import Trainer, TrainingArguments, get_scheduler
from transformers import optimization as opt

warnings.filterwarnings("ignore")
random.seed(17)

STEPPED_UP_TO = 20000


def optimizer(lr):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def rates(scheduler, steps):
    """The optimizer's lr at each step: stepped for real up to STEPPED_UP_TO, from the lambda beyond."""
    out, at = [], 0
    group = scheduler.optimizer.param_groups[0]
    for k in steps:
        if k <= STEPPED_UP_TO:
            while at < k:
                scheduler.step()
                at += 1
            assert at == k
            out.append(float(group["lr"]))
        else:
            out.append(scheduler.base_lrs[0] * scheduler.lr_lambdas[0](k))
    return out


def steps_for(n):
    """Every step to a little past the training when short, else the boundaries and a spread."""
    if n <= 80:
        return list(range(0, n + 6))
    picked = {0, 1, 2, n - 1, n, n + 1, n + 10, 2 * n}
    picked |= {random.randrange(0, n) for _ in range(30)}
    return sorted(picked)


def error_of(e):
    return {"type": type(e).__name__, "message": str(e)}


def schedule_cases():
    cases = []
    lrs = [5e-5, 1e-3, 0.1, 3e-4, 2e-5]

    def add(fn, args, warmup, training, extra_steps=()):
        base_lr = random.choice(lrs)
        steps = sorted(set(steps_for(max(training or 0, warmup + 20))) | set(extra_steps))
        try:
            scheduler = getattr(opt, fn)(optimizer(base_lr), **args)
        except Exception as e:  # noqa: BLE001 - the fixture records what transformers raises
            cases.append({"fn": fn, "args": args, "base_lr": base_lr, "error": error_of(e)})
            return
        cases.append({"fn": fn, "args": args, "base_lr": base_lr, "steps": steps, "lr": rates(scheduler, steps)})

    for w, n in [(0, 10), (3, 40), (10, 25), (100, 1000), (500, 10000), (7, 7), (40000, 50000)]:
        add("get_linear_schedule_with_warmup", {"num_warmup_steps": w, "num_training_steps": n}, w, n)
        add("get_cosine_schedule_with_warmup", {"num_warmup_steps": w, "num_training_steps": n, "num_cycles": random.choice([0.5, 1.0, 0.25, 2.0, 0.3])}, w, n)
        add("get_cosine_with_hard_restarts_schedule_with_warmup", {"num_warmup_steps": w, "num_training_steps": n, "num_cycles": random.choice([1, 2, 3, 5])}, w, n)
        if n > w:
            add("get_polynomial_decay_schedule_with_warmup", {"num_warmup_steps": w, "num_training_steps": n, "lr_end": random.choice([1e-7, 0.0, 1e-6]), "power": random.choice([1.0, 2.0, 0.5, 3])}, w, n)
        add("get_cosine_with_min_lr_schedule_with_warmup", {"num_warmup_steps": w, "num_training_steps": n, "num_cycles": 0.5, "min_lr_rate": random.choice([0.1, 0.0, 0.05])}, w, n)
        add("get_cosine_with_min_lr_schedule_with_warmup", {"num_warmup_steps": w, "num_training_steps": n, "min_lr": 1e-6}, w, n)
        add("get_cosine_with_min_lr_schedule_with_warmup_lr_rate", {"num_warmup_steps": w, "num_training_steps": n, "min_lr_rate": 0.1}, w, n)
        add("get_cosine_with_min_lr_schedule_with_warmup_lr_rate", {"num_warmup_steps": w, "num_training_steps": n, "min_lr": 1e-6, "warmup_lr_rate": random.choice([0.0, 0.1, 0.5]), "num_cycles": 1.0}, w, n)
        add("get_constant_schedule_with_warmup", {"num_warmup_steps": w}, w, n)
        add("get_inverse_sqrt_schedule", {"num_warmup_steps": w}, w, n)
        add("get_inverse_sqrt_schedule", {"num_warmup_steps": w, "timescale": random.choice([1, 10, 77, 5000])}, w, n)
    add("get_constant_schedule", {}, 0, 30)
    for wt in ["linear", "cosine", "1-sqrt"]:
        for dt in ["linear", "cosine", "1-sqrt"]:
            add("get_wsd_schedule", {"num_warmup_steps": 5, "num_decay_steps": 12, "num_training_steps": 40, "warmup_type": wt, "decay_type": dt, "min_lr_ratio": random.choice([0, 0.1, 0.05])}, 5, 40)
    add("get_wsd_schedule", {"num_warmup_steps": 0, "num_decay_steps": 10, "num_stable_steps": 15}, 0, 25)
    add("get_wsd_schedule", {"num_warmup_steps": 4, "num_decay_steps": 10, "num_training_steps": 30, "num_stable_steps": 3, "num_cycles": 1.0}, 4, 30)
    add("get_wsd_schedule", {"num_warmup_steps": 300, "num_decay_steps": 2000, "num_training_steps": 10000}, 300, 10000)
    # What transformers refuses when the schedule is made.
    add("get_polynomial_decay_schedule_with_warmup", {"num_warmup_steps": 2, "num_training_steps": 10, "lr_end": 1.0}, 2, 10)
    add("get_cosine_with_min_lr_schedule_with_warmup", {"num_warmup_steps": 2, "num_training_steps": 10, "min_lr": 1e-6, "min_lr_rate": 0.1}, 2, 10)
    add("get_cosine_with_min_lr_schedule_with_warmup", {"num_warmup_steps": 2, "num_training_steps": 10}, 2, 10)
    add("get_cosine_with_min_lr_schedule_with_warmup_lr_rate", {"num_warmup_steps": 2, "num_training_steps": 10}, 2, 10)
    add("get_wsd_schedule", {"num_warmup_steps": 2, "num_decay_steps": 10}, 2, 10)
    add("get_wsd_schedule", {"num_warmup_steps": 2, "num_decay_steps": 10, "num_training_steps": 20, "warmup_type": "exp"}, 2, 20)
    add("get_wsd_schedule", {"num_warmup_steps": 2, "num_decay_steps": 10, "num_training_steps": 20, "decay_type": "exp"}, 2, 20)
    return cases


GET_SCHEDULER = [
    ("linear", 10, 50, None),
    ("cosine", 10, 50, None),
    ("cosine", 10, 50, {"num_cycles": 0.25}),
    ("cosine_with_restarts", 5, 60, {"num_cycles": 3}),
    ("polynomial", 5, 40, {"lr_end": 1e-6, "power": 2.0}),
    ("constant", None, None, None),
    ("constant", 10, 50, {"num_cycles": 3}),
    ("constant_with_warmup", 10, None, None),
    ("constant_with_warmup", 10, 50, {"anything": 1}),
    ("inverse_sqrt", 10, None, None),
    ("inverse_sqrt", 10, 50, {"timescale": 40}),
    ("cosine_with_min_lr", 5, 50, {"min_lr_rate": 0.1}),
    ("cosine_with_min_lr", 5, 50, {"min_lr": 1e-5}),
    ("cosine_warmup_with_min_lr", 5, 50, {"min_lr": 1e-5}),
    ("cosine_warmup_with_min_lr", 5, 50, {"min_lr_rate": 0.05, "warmup_lr_rate": 0.2}),
    ("warmup_stable_decay", 5, 50, {"num_decay_steps": 10}),
    ("warmup_stable_decay", 5, None, {"num_decay_steps": 10, "num_stable_steps": 20}),
    ("warmup_stable_decay", 5, 50, {"num_decay_steps": 10, "num_stable_steps": 20, "decay_type": "1-sqrt"}),
    # What get_scheduler refuses.
    ("linear", None, 50, None),
    ("linear", 10, None, None),
    ("cosine", 10, 50, {"num_cycle": 3}),
    ("cosine", 10, 50, {"num_warmup_steps": 3}),
    ("polynomial", None, 50, None),
    ("cosine_with_min_lr", 5, 50, None),
    ("warmup_stable_decay", 5, None, {"num_decay_steps": 10}),
    ("nope", 5, 50, None),
]


def get_scheduler_cases():
    cases = []
    for name, warmup, training, kwargs in GET_SCHEDULER:
        base_lr = 1e-3
        case = {"name": name, "num_warmup_steps": warmup, "num_training_steps": training, "scheduler_specific_kwargs": kwargs, "base_lr": base_lr}
        try:
            scheduler = get_scheduler(name, optimizer(base_lr), num_warmup_steps=warmup, num_training_steps=training, scheduler_specific_kwargs=kwargs)
            case["steps"] = list(range(0, (training or 60) + 6))
            case["lr"] = rates(scheduler, case["steps"])
        except Exception as e:  # noqa: BLE001
            case["error"] = error_of(e)
        cases.append(case)
    return cases


class Loader:
    """A training dataloader of a given length, as the Trainer measures one."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


class TrainerParts:
    """Just enough of a Trainer for its own set_initial_training_values and create_scheduler to run."""

    def __init__(self, args):
        self.args = args
        self.lr_scheduler = None

    def get_total_train_batch_size(self, args):
        return args.per_device_train_batch_size * args.gradient_accumulation_steps

    def get_sp_size(self):
        return 1

    def num_examples(self, dataloader):
        return len(dataloader) * self.args.per_device_train_batch_size


TRAINING_ARGUMENTS = [
    ({"learning_rate": 2e-5}, 100),
    ({"learning_rate": 1e-4, "lr_scheduler_type": "cosine", "warmup_steps": 0.1, "num_train_epochs": 2}, 37),
    ({"learning_rate": 1e-4, "lr_scheduler_type": "cosine", "warmup_steps": 0.1, "num_train_epochs": 2.5, "gradient_accumulation_steps": 4}, 37),
    ({"learning_rate": 3e-4, "lr_scheduler_type": "linear", "warmup_steps": 50, "max_steps": 400}, 1000),
    ({"learning_rate": 3e-4, "lr_scheduler_type": "linear", "warmup_steps": 12.7, "max_steps": 100}, 10),
    ({"learning_rate": 5e-5, "lr_scheduler_type": "cosine_with_restarts", "lr_scheduler_kwargs": {"num_cycles": 2}, "warmup_steps": 5, "num_train_epochs": 1}, 80),
    ({"learning_rate": 5e-5, "lr_scheduler_type": "cosine_with_min_lr", "lr_scheduler_kwargs": '{"min_lr_rate": "0.1"}', "warmup_steps": 0.05, "num_train_epochs": 3}, 33),
    ({"learning_rate": 5e-5, "lr_scheduler_type": "warmup_stable_decay", "lr_scheduler_kwargs": {"num_decay_steps": 20}, "warmup_steps": 10, "max_steps": 100}, 7),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "inverse_sqrt", "warmup_steps": 0.2, "num_train_epochs": 1, "gradient_accumulation_steps": 3}, 50),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "polynomial", "lr_scheduler_kwargs": {"power": 2.0}, "warmup_steps": 4, "num_train_epochs": 0.5}, 60),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "constant", "warmup_steps": 20, "num_train_epochs": 1}, 50),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "constant_with_warmup", "warmup_steps": 0.5, "num_train_epochs": 1}, 9),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "cosine_warmup_with_min_lr", "lr_scheduler_kwargs": {"min_lr": 1e-5}, "warmup_steps": 8, "num_train_epochs": 1}, 64),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "cosine", "num_train_epochs": 3}, 5),
    # What TrainingArguments or the Trainer refuses.
    ({"learning_rate": 1e-3, "warmup_steps": -1}, 10),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "nope"}, 10),
    ({"learning_rate": 1e-3, "lr_scheduler_type": "cosine_with_min_lr"}, 10),
    ({"learning_rate": 1e-3, "warmup_ratio": 0.1}, 10),
]


def training_argument_cases():
    cases = []
    for args, steps_per_epoch in TRAINING_ARGUMENTS:
        case = {"args": args, "steps_per_epoch": steps_per_epoch}
        try:
            training_args = TrainingArguments(output_dir=tempfile.mkdtemp(), report_to="none", use_cpu=True, **args)
            trainer = TrainerParts(training_args)
            max_steps = Trainer.set_initial_training_values(trainer, training_args, Loader(steps_per_epoch))[-1]
            scheduler = Trainer.create_scheduler(trainer, num_training_steps=max_steps, optimizer=optimizer(training_args.learning_rate))
            case["num_training_steps"] = max_steps
            case["num_warmup_steps"] = training_args.get_warmup_steps(max_steps)
            case["steps"] = list(range(0, max_steps + 3))
            case["lr"] = rates(scheduler, case["steps"])
        except Exception as e:  # noqa: BLE001
            case["error"] = error_of(e)
        cases.append(case)
    # The whole of what TrainingArguments writes (to_json_string), read back: every other key is ignored.
    full = TrainingArguments(output_dir="out", report_to="none", use_cpu=True, learning_rate=7e-5, lr_scheduler_type="cosine", warmup_steps=0.1, num_train_epochs=2)
    trainer = TrainerParts(full)
    max_steps = Trainer.set_initial_training_values(trainer, full, Loader(30))[-1]
    scheduler = Trainer.create_scheduler(trainer, num_training_steps=max_steps, optimizer=optimizer(full.learning_rate))
    steps = list(range(0, max_steps + 3))
    cases.append({"json": full.to_json_string(), "steps_per_epoch": 30, "num_training_steps": max_steps,
                  "num_warmup_steps": full.get_warmup_steps(max_steps), "steps": steps, "lr": rates(scheduler, steps)})
    return cases


print(json.dumps({
    "source": f"transformers {transformers.__version__}, torch {torch.__version__}: scripts/transformers-fixtures.py",
    "schedules": schedule_cases(),
    "get_scheduler": get_scheduler_cases(),
    "training_arguments": training_argument_cases(),
}, indent=1))
