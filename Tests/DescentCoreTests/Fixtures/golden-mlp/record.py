#!/usr/bin/env python3
"""Records the network references in this folder from real torch (2.15.0, float64).

    python3 -m venv /tmp/torch-venv && /tmp/torch-venv/bin/pip install torch==2.15.0 scikit-learn
    /tmp/torch-venv/bin/python Tests/DescentCoreTests/Fixtures/golden-mlp/record.py

For each case in CASES it writes NAME.yaml (a Descent scenario with `kind: mlp` and the start weights given) and
NAME.csv: the trajectory of torch.optim.SGD on torch.nn.Sequential(nn.Linear, activation, ..., nn.Linear) with
those weights (set by torch.nn.utils.vector_to_parameters, in parameters() order), the loss F.cross_entropy on
class indices or F.mse_loss against the target column (mean), on all the data every step (header
`run,step,loss,p0,...`, step 0 the start, Python's repr of each float). The weights are drawn by torch's own
default initialisation (nn.Linear.reset_parameters) after torch.manual_seed(seed): Descent is given them, not
asked to draw them. The moons data is scikit-learn's make_moons, written to data/ as a CSV.
"""
import csv
import os

import torch
from sklearn.datasets import make_moons

HERE = os.path.dirname(os.path.abspath(__file__))
torch.set_default_dtype(torch.float64)

CASES = [
    # name, data file, hidden widths, activation, loss, weight seed, steps, runs
    ("mlp-iris-tanh-momentum", "data/iris-species.csv", [8], "tanh", "cross_entropy", 1, 300,
     [dict(label="plain", lr=0.05), dict(label="momentum", lr=0.05, momentum=0.9)]),
    ("mlp-moons-relu-nesterov", "data/moons.csv", [8, 8], "relu", "cross_entropy", 2, 200,
     [dict(label="nesterov", lr=0.05, momentum=0.9, nesterov=True),
      dict(label="decay", lr=0.1, weight_decay=0.001, momentum=0.5, dampening=0.1)]),
    ("mlp-petals-mse", "data/iris-petals.csv", [4], "tanh", "mse", 3, 200,
     [dict(label="heavy ball", lr=0.02, momentum=0.8), dict(label="ascent", lr=0.001, maximize=True)]),
]


def write_moons():
    x, y = make_moons(n_samples=100, noise=0.2, random_state=0)
    with open(os.path.join(HERE, "data/moons.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["x1", "x2", "moon"])
        for (a, b), label in zip(x.tolist(), y.tolist()):
            w.writerow([repr(a), repr(b), int(label)])


def read(path):
    with open(os.path.join(HERE, path), newline="") as f:
        rows = [r for r in csv.reader(f)][1:]
    table = torch.tensor([[float(c) for c in r] for r in rows])
    return table[:, :-1], table[:, -1]


def network(sizes, activation):
    layers = []
    for k in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[k], sizes[k + 1]))
        if k < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if activation == "tanh" else torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def main():
    write_moons()
    for name, data, hidden, activation, loss_name, seed, steps, runs in CASES:
        X, Y = read(data)
        outputs = int(Y.max().item()) + 1 if loss_name == "cross_entropy" else 1
        sizes = [X.shape[1]] + hidden + [outputs]
        torch.manual_seed(seed)
        start = torch.nn.utils.parameters_to_vector(network(sizes, activation).parameters()).detach().clone()

        def loss_of(model):
            out = model(X)
            if loss_name == "cross_entropy":
                return torch.nn.functional.cross_entropy(out, Y.long())
            return torch.nn.functional.mse_loss(out, Y.reshape(-1, 1))

        rows = ["run,step,loss," + ",".join("p%d" % i for i in range(start.numel()))]
        for spec in runs:
            model = network(sizes, activation)
            torch.nn.utils.vector_to_parameters(start.clone(), model.parameters())
            options = {k: v for k, v in spec.items() if k != "label"}
            opt = torch.optim.SGD(model.parameters(), **options)

            def row(step):
                with torch.no_grad():
                    loss = loss_of(model).item()
                    theta = torch.nn.utils.parameters_to_vector(model.parameters()).tolist()
                rows.append(",".join([spec["label"], str(step), repr(loss)] + [repr(v) for v in theta]))

            row(0)
            for step in range(1, steps + 1):
                opt.zero_grad()
                loss_of(model).backward()
                opt.step()
                row(step)
        with open(os.path.join(HERE, name + ".csv"), "w") as f:
            f.write("\n".join(rows) + "\n")

        def flow(spec):
            parts = []
            for k, v in spec.items():
                parts.append("%s: %s" % (k, ("true" if v else "false") if isinstance(v, bool) else v if k != "label" else '"%s"' % v))
            return "{" + ", ".join(parts) + "}"

        with open(os.path.join(HERE, name + ".yaml"), "w") as f:
            f.write("# Reference: torch 2.15.0 torch.optim.SGD on torch.nn.Sequential, float64 (record.py).\n")
            f.write("name: %s\n" % name)
            f.write("objective: {kind: mlp, data: %s, hidden: %s, activation: %s, loss: %s}\n" % (data, hidden, activation, loss_name))
            f.write("start: [%s]\n" % ", ".join(repr(v) for v in start.tolist()))
            f.write("steps: %d\n" % steps)
            f.write("runs:\n")
            for spec in runs:
                f.write("  - %s\n" % flow(spec))


if __name__ == "__main__":
    main()
