"""More PyTorch lr_scheduler cases for test/fixtures/torch/torch-golden-more.json, run by PyTorch itself.

Usage (PyTorch 2.13 CPU from the local wheel folder, never at test time):
    python3 -m venv /tmp/torch-venv
    /tmp/torch-venv/bin/pip install --no-index --find-links /opt/wheels --find-links /opt/pypi/files "torch==2.13.0+cpu" numpy
    /tmp/torch-venv/bin/python scripts/torch-golden-more.py > test/fixtures/torch/torch-golden-more.json

Each case: the optimizer's lr (float64 Python floats) after the constructor and k calls of scheduler.step(), k = 0..steps;
null where PyTorch raises. Lambdas are named by their source text, as in torch-golden.json.
"""
import json
import sys
import warnings

import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

warnings.filterwarnings("ignore")

LAMBDAS = {
    "lambda epoch: 0.95 ** epoch": lambda epoch: 0.95 ** epoch,
    "lambda epoch: epoch // 10 + 1": lambda epoch: epoch // 10 + 1,
    "lambda epoch: 0.95": lambda epoch: 0.95,
    "lambda epoch: 1.0 / (epoch + 1)": lambda epoch: 1.0 / (epoch + 1),
    "lambda x: 1 / x": lambda x: 1 / x,
    "lambda x: 0.97 ** x": lambda x: 0.97 ** x,
}


def build(optimizer, cls, args):
    kwargs = dict(args)
    for key in ("lr_lambda", "scale_fn"):
        if key in kwargs:
            kwargs[key] = LAMBDAS[kwargs[key]]
    if "schedulers" in kwargs:
        kwargs["schedulers"] = [build(optimizer, c, a) for c, a in kwargs["schedulers"]]
        if cls == "ChainedScheduler":
            return S.ChainedScheduler(kwargs["schedulers"])
    return getattr(S, cls)(optimizer, **kwargs)


def run(cls, args, base_lr, steps, momentum=0.9):
    params = [torch.nn.Parameter(torch.zeros(1))]
    optimizer = SGD(params, lr=base_lr, momentum=momentum)
    scheduler = build(optimizer, cls, args)
    observed = [optimizer.param_groups[0]["lr"]]
    for _ in range(steps):
        optimizer.step()
        try:
            scheduler.step()
            observed.append(float(optimizer.param_groups[0]["lr"]))
        except (ValueError, ZeroDivisionError):
            observed.append(None)
    return {"framework": "pytorch", "class": cls, "args": args, "base_lr": base_lr, "steps": list(range(steps + 1)), "observed": observed}


def plateau(args, base_lr, metrics):
    params = [torch.nn.Parameter(torch.zeros(1))]
    optimizer = SGD(params, lr=base_lr)
    scheduler = S.ReduceLROnPlateau(optimizer, **args)
    observed = [optimizer.param_groups[0]["lr"]]
    for m in metrics:
        scheduler.step(m)
        observed.append(float(optimizer.param_groups[0]["lr"]))
    return {"framework": "pytorch", "class": "ReduceLROnPlateau", "args": args, "base_lr": base_lr, "metrics": metrics, "steps": list(range(len(metrics) + 1)), "observed": observed}


cases = [
    run("MultiStepLR", {"milestones": [3, 3, 10, 0, 7], "gamma": 0.5}, 0.1, 15),
    run("StepLR", {"step_size": 3, "gamma": 1.5}, 0.01, 40),
    run("LinearLR", {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 7}, 0.1, 12),
    run("PolynomialLR", {"total_iters": 9, "power": 0.5}, 0.1, 12),
    run("ExponentialLR", {"gamma": 0.9}, 0.1, 400),
    run("CosineAnnealingLR", {"T_max": 3, "eta_min": 0.001}, 0.1, 60),
    run("CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 2, "eta_min": 0.001}, 0.1, 70),
    run("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 4, "step_size_down": 2, "mode": "triangular2"}, 0.001, 40),
    run("CyclicLR", {"base_lr": 0.01, "max_lr": 0.002, "step_size_up": 3, "mode": "exp_range", "gamma": 0.95}, 0.01, 30),
    run("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 3, "scale_fn": "lambda x: 1 / x"}, 0.001, 30),
    run("CyclicLR", {"base_lr": 0.001, "max_lr": 0.1, "step_size_up": 3, "step_size_down": 5, "scale_fn": "lambda x: 0.97 ** x", "scale_mode": "iterations"}, 0.001, 30),
    run("OneCycleLR", {"max_lr": 0.1, "total_steps": 30, "anneal_strategy": "linear", "three_phase": True}, 0.1, 32),
    run("OneCycleLR", {"max_lr": 0.1, "total_steps": 30, "three_phase": True, "pct_start": 0.25, "div_factor": 10.0, "final_div_factor": 100.0}, 0.1, 31),
    run("MultiplicativeLR", {"lr_lambda": "lambda epoch: 1.0 / (epoch + 1)"}, 0.1, 20),
    run("SequentialLR", {"schedulers": [["LinearLR", {"start_factor": 0.1, "total_iters": 5}], ["CosineAnnealingLR", {"T_max": 10}], ["CosineAnnealingWarmRestarts", {"T_0": 4}]], "milestones": [5, 20]}, 0.1, 40),
    run("SequentialLR", {"schedulers": [["ExponentialLR", {"gamma": 0.8}], ["MultiplicativeLR", {"lr_lambda": "lambda epoch: 0.95"}], ["LambdaLR", {"lr_lambda": "lambda epoch: 0.95 ** epoch"}]], "milestones": [4, 9]}, 0.1, 20),
    run("SequentialLR", {"schedulers": [["CyclicLR", {"base_lr": 0.01, "max_lr": 0.05, "step_size_up": 3}], ["OneCycleLR", {"max_lr": 0.2, "total_steps": 10}], ["ExponentialLR", {"gamma": 0.5}]], "milestones": [6, 12]}, 0.1, 20),
    run("ChainedScheduler", {"schedulers": [["LinearLR", {"start_factor": 0.5, "total_iters": 4}], ["CosineAnnealingLR", {"T_max": 6, "eta_min": 0.01}], ["StepLR", {"step_size": 5, "gamma": 0.5}]]}, 0.1, 30),
    run("ChainedScheduler", {"schedulers": [["ExponentialLR", {"gamma": 0.9}], ["LambdaLR", {"lr_lambda": "lambda epoch: epoch // 10 + 1"}], ["ConstantLR", {"factor": 0.5, "total_iters": 3}]]}, 0.1, 15),
    run("ChainedScheduler", {"schedulers": [["ConstantLR", {"factor": 0.5, "total_iters": 3}], ["CyclicLR", {"base_lr": 0.01, "max_lr": 0.05, "step_size_up": 2}]]}, 0.1, 10),
]
metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.86, 0.87, 0.88, 0.79, 0.8, 0.8, 0.8, 0.8, 0.8]
cases += [
    plateau({"mode": "max", "factor": 0.5, "patience": 1, "threshold": 0.01, "threshold_mode": "abs", "cooldown": 2, "min_lr": 0.02}, 0.1, [-m for m in metrics]),
    plateau({"mode": "min", "factor": 0.3, "patience": 0, "threshold": 0.1, "cooldown": 1, "eps": 0.05}, 0.1, metrics),
]
json.dump({"source": f"PyTorch {torch.__version__} (CPU), run by scripts/torch-golden-more.py", "cases": cases}, sys.stdout, indent=1)
