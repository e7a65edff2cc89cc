#!/usr/bin/env python3
"""Records the edge references in this folder from real torch (2.15.0, float64).

    python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install torch==2.15.0 pyyaml
    /tmp/torch-venv/bin/python Tests/DescentCoreTests/Fixtures/golden-edges/record.py

For each NAME.yaml here it writes NAME.csv: torch.optim.SGD on the scenario (header `run,step,loss,p0,…`, step 0
the start, Python's repr of each float), with the run's torch.optim.lr_scheduler stepped after every optimizer
step and `set` events assigned to param_groups[0] before the step they name, without validation, as torch
allows. A run's rows end at the step it diverges by Descent's rule (README, Divergence): loss or a parameter not
finite, or |loss| > 1e10 · max(1, |loss at step 0|). `update: sign` steps `param.add_(torch.sign(d_p), alpha=-lr)`
with d_p torch's SGD direction (AutoRound's SignSGD).

It also writes gradients.csv: for each formula and point in GRADIENT_CASES, torch's autograd gradient (`nan`,
`inf` spelled so), which Descent's reverse mode must match.
"""
import math
import os
import re
import sys

import torch
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_default_dtype(torch.float64)

FUNCTIONS = "sin cos tan asin acos atan sinh cosh tanh exp log log1p sqrt abs".split()


def formula_function(text, names):
    """The formula as a Python function of a tensor θ, with torch's functions (`^` is `**`: the same
    precedence and right associativity, and both bind tighter than unary minus)."""
    py = text.replace("^", "**")
    py = re.sub(r"\bmin\(", "torch.minimum(", py)
    py = re.sub(r"\bmax\(", "torch.maximum(", py)
    for f in FUNCTIONS:
        py = re.sub(r"\b%s\(" % f, "torch.%s(" % f, py)

    def f(theta):
        env = {"torch": torch, "pi": torch.tensor(math.pi), "e": torch.tensor(math.e)}
        for i, n in enumerate(names):
            env[n] = theta[i]
        # Operands that are Python numbers would change autograd's formulas (a scalar exponent): torch.minimum
        # needs tensors, so constants inside min/max are made tensors.
        return eval(py, env)

    return f


def objective(spec, dimension):
    kind = spec["kind"]
    if kind == "quadratic":
        A = torch.tensor([[float(v) for v in row] for row in spec["A"]])
        c = torch.tensor([float(v) for v in spec.get("center", [0.0] * dimension)])
        return lambda t: 0.5 * ((t - c) @ (A @ (t - c)))
    if kind == "booth":
        return lambda t: (t[0] + 2 * t[1] - 7) ** 2 + (2 * t[0] + t[1] - 5) ** 2
    if kind == "expression":
        names = spec.get("variables") or (["x", "y"] if dimension == 2 else ["x"] if dimension == 1
                                          else ["x%d" % (i + 1) for i in range(dimension)])
        return formula_function(spec["f"], names)
    raise SystemExit("record.py: objective kind %r is not supported here" % kind)


def scheduler(optimizer, spec):
    if spec is None:
        return None
    L = torch.optim.lr_scheduler
    kind = spec["kind"]
    if kind == "step":
        return L.StepLR(optimizer, step_size=spec["step_size"], gamma=spec.get("gamma", 0.1))
    if kind == "multistep":
        return L.MultiStepLR(optimizer, milestones=spec["milestones"], gamma=spec.get("gamma", 0.1))
    if kind == "exponential":
        return L.ExponentialLR(optimizer, gamma=spec["gamma"])
    if kind == "cosine":
        return L.CosineAnnealingLR(optimizer, T_max=spec["t_max"], eta_min=spec.get("eta_min", 0.0))
    if kind == "linear-warmup":
        return L.LinearLR(optimizer, start_factor=spec.get("start_factor", 1 / 3), end_factor=spec.get("end_factor", 1.0),
                          total_iters=spec.get("steps", 5))
    raise SystemExit("record.py: schedule kind %r is not supported here" % kind)


def finite(*xs):
    return all(math.isfinite(x) for x in xs)


def record(path):
    s = yaml.safe_load(open(path))
    f = objective(s["objective"], len(s["start"]))
    events = s.get("events", [])
    rows = []
    for run in s["runs"]:
        p = torch.tensor([float(v) for v in run.get("start", s["start"])], requires_grad=True)
        sign = run.get("update", "sgd") == "sign"
        options = dict(lr=run["lr"], momentum=run.get("momentum", 0.0), dampening=run.get("dampening", 0.0),
                       weight_decay=run.get("weight_decay", 0.0), nesterov=run.get("nesterov", False),
                       maximize=run.get("maximize", False))
        opt = torch.optim.SGD([p], **options)
        sched = scheduler(opt, run.get("schedule"))
        mine = [e for e in events if e["run"] == run["label"]]

        def loss_and_grad():
            p.grad = None
            loss = f(p)
            loss.backward()
            return loss.item()

        loss = loss_and_grad()
        bound = 1e10 * max(1.0, abs(loss))
        rows.append([run["label"], 0, loss] + p.detach().tolist())
        for step in range(1, s["steps"] + 1):
            for e in mine:
                if e["step"] == step - 1 and "set" in e:
                    for key, value in e["set"].items():
                        opt.param_groups[0][key] = value
            if sign:
                group = opt.param_groups[0]
                with torch.no_grad():
                    d = -p.grad if group["maximize"] else p.grad.clone()
                    if group["weight_decay"] != 0:
                        d = d.add(p, alpha=group["weight_decay"])
                    if group["momentum"] != 0:
                        state = opt.state[p]
                        if "momentum_buffer" not in state:
                            state["momentum_buffer"] = d.clone()
                        else:
                            state["momentum_buffer"].mul_(group["momentum"]).add_(d, alpha=1 - group["dampening"])
                        buf = state["momentum_buffer"]
                        d = d.add(buf, alpha=group["momentum"]) if group["nesterov"] else buf
                    p.add_(torch.sign(d), alpha=-group["lr"])
            else:
                opt.step()
            if sched is not None:
                sched.step()
            loss = loss_and_grad()
            theta = p.detach().tolist()
            rows.append([run["label"], step, loss] + theta)
            if not finite(loss, *theta) or abs(loss) > bound:
                break
    out = os.path.splitext(path)[0] + ".csv"
    with open(out, "w") as h:
        h.write("run,step,loss," + ",".join("p%d" % i for i in range(len(s["start"]))) + "\n")
        for r in rows:
            h.write(",".join([r[0], str(r[1])] + [repr(float(x)) for x in r[2:]]) + "\n")
    print("wrote", os.path.relpath(out))


# Formulas whose gradient torch computes as NaN or inf because it multiplies zero adjoints (0 · inf = NaN),
# beside ordinary ones.
GRADIENT_CASES = [
    ("0*sqrt(x) + y^2", [0.0, 1.0]),
    ("x^2 + 0*log(y)", [1.0, 0.0]),
    ("x*0*sqrt(y) + y", [2.0, 0.0]),
    ("max(x, exp(y)) * 0 + x", [1.0, 800.0]),
    ("(x - x)/y + y", [1.0, 0.0]),
    ("sqrt(x^2 + y^2)", [0.0, 0.0]),
    ("sqrt(x^2) + (y - 1)^2", [0.0, 0.5]),
    ("abs(x) + 0*asin(y)", [0.5, 1.0]),
    ("x*y + sin(x)", [0.3, -0.7]),
    ("min(x, y)^2", [1.0, 1.0]),
]


def gradients():
    out = os.path.join(HERE, "gradients.csv")
    with open(out, "w") as h:
        h.write("formula;point;loss;gradient\n")
        for text, point in GRADIENT_CASES:
            p = torch.tensor(point, requires_grad=True)
            loss = formula_function(text, ["x", "y"])(p)
            loss.backward()
            h.write("%s;%s;%s;%s\n" % (text, ",".join(repr(x) for x in point), repr(loss.item()),
                                       ",".join(repr(x) for x in p.grad.tolist())))
    print("wrote", os.path.relpath(out))


if __name__ == "__main__":
    assert torch.__version__.startswith("2.15."), torch.__version__
    for name in sorted(os.listdir(HERE)):
        if name.endswith(".yaml"):
            record(os.path.join(HERE, name))
    gradients()
