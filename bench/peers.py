"""Descent's peers, one workload a process: `python3 bench/peers.py WORKLOAD THREADS [--quick] [--bin DESCENT]`.

Prints one JSON object: {"value": …, "unit": …} and what the peer was ({"detail": …}). THREADS is set for
OpenBLAS, OpenMP and MKL before NumPy or torch is imported (and `torch.set_num_threads`), so a peer's thread
count is the one stated. `bench/compare.py` runs these between Descent's own measurements, round after round.
Each figure inside is the best of a few repetitions in this process, as `descent bench` takes its own.
"""
import json, os, sys, time

workload, threads = sys.argv[1], sys.argv[2]
quick = "--quick" in sys.argv
binary = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else ".build/release/descent"
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = threads
threads = int(threads)


def best(fn, repeats=3):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)


def report(value, unit, detail):
    print(json.dumps({"value": value, "unit": unit, "detail": detail}))


def python_loop(n):
    """The 2-D heavy-ball Rosenbrock run of `descent bench`'s trajectory-2d, in pure Python."""
    x, y, bx, by, first = -1.5, 2.0, 0.0, 0.0, True
    for _ in range(n):
        v = y - x * x; gx = -2 * (1 - x) - 400 * v * x; gy = 200 * v
        if first: bx, by, first = gx, gy, False
        else: bx = 0.9 * bx + gx; by = 0.9 * by + gy
        x -= 5e-4 * bx; y -= 5e-4 * by
        u = 1 - x; v = y - x * x; loss = u * u + 100 * v * v


def python_typed(n, h=1e-6):
    """The same run on the formula as typed-function visualizers do it: eval'd text and central differences."""
    f = eval("lambda x, y: (1 - x)**2 + 100*(y - x**2)**2")
    x, y, bx, by, first = -1.5, 2.0, 0.0, 0.0, True
    for _ in range(n):
        gx = (f(x + h, y) - f(x - h, y)) / (2 * h); gy = (f(x, y + h) - f(x, y - h)) / (2 * h)
        if first: bx, by, first = gx, gy, False
        else: bx = 0.9 * bx + gx; by = 0.9 * by + gy
        x -= 5e-4 * bx; y -= 5e-4 * by
        loss = f(x, y)


if workload == "python-2d":
    n = 20_000 if quick else 1_000_000
    report(best(lambda: python_loop(n), 1) / n * 1e9, "ns/step", "pure Python")
elif workload == "python-typed":
    n = 20_000 if quick else 1_000_000
    report(best(lambda: python_typed(n), 1) / n * 1e9, "ns/step", "Python eval + central differences")
elif workload == "python-csv":
    # Python's csv module writing the rows `descent run --format csv` writes (10⁶ of them, scaled to the run's).
    import csv, io, subprocess, tempfile
    steps = 100_000 if quick else 10_000_000
    rows = 20_000 if quick else 1_000_000
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(f"name: bench\nobjective: {{kind: rosenbrock}}\nstart: [-1.5, 2]\nsteps: {rows}\n"
                "runs:\n  - {label: hb, lr: 0.0005, momentum: 0.9}\n")
    captured = subprocess.run([binary, "run", f.name, "--format", "csv"], capture_output=True, text=True, check=True).stdout
    os.unlink(f.name)
    parsed = [[r[0], int(r[1])] + [float(v) for v in r[2:]] for r in csv.reader(io.StringIO(captured)) if r[0] != "run"]
    def write():
        out = open(os.devnull, "w", newline="")
        w = csv.writer(out)
        w.writerow(["run", "step", "loss", "p0", "p1"])
        for r in parsed:
            w.writerow([r[0], r[1], repr(r[2]), repr(r[3]), repr(r[4])])
    report(best(write, 1) * (steps + 1) / len(parsed), "s", f"Python's csv module, the same rows (scaled from {len(parsed):,})")
elif workload in ("torch-sgd-fused", "torch-sgd-foreach"):
    import torch
    torch.set_num_threads(threads)
    n = 100_000 if quick else 10_000_000
    p = torch.nn.Parameter(torch.linspace(0, 1, n, dtype=torch.float64))
    p.grad = torch.ones(n, dtype=torch.float64)
    options = {"fused": True} if workload == "torch-sgd-fused" else {"foreach": True}
    opt = torch.optim.SGD([p], lr=1e-3, momentum=0.9, **options)
    opt.step()  # creates the momentum buffer
    report(best(opt.step, 10) * 1e3, "ms", f"torch {torch.__version__} SGD({', '.join(f'{k}=True' for k in options)}), float64, {threads} thread{'s' * (threads > 1)}")
elif workload in ("numpy-quadratic", "numpy-regression"):
    import numpy as np
    rng = np.random.default_rng(0)
    if workload == "numpy-quadratic":
        n = 100 if quick else 1000
        M = rng.standard_normal((n, n)); A = M @ M.T / n + np.eye(n); c = np.zeros(n)
        state = {"x": np.ones(n), "buf": np.zeros(n)}
        def steps():
            for _ in range(100):
                g = A @ (state["x"] - c); loss = 0.5 * (state["x"] - c) @ g
                state["buf"] = 0.9 * state["buf"] + g; state["x"] = state["x"] - 0.1 * state["buf"]
        report(best(steps) / 100 * 1e3, "ms/step", f"NumPy {np.__version__}, {threads} thread{'s' * (threads > 1)}")
    else:
        samples = 1000 if quick else 100_000
        X = rng.standard_normal((samples, 16)); y = X @ np.arange(1, 17) / 8 + 0.1 * rng.standard_normal(samples)
        st = {"w": np.zeros(16), "b": 0.0, "bw": np.zeros(16), "bb": 0.0}
        def steps():
            for _ in range(20):
                r = X @ st["w"] + st["b"] - y; loss = (r * r).mean()
                gw = 2 * X.T @ r / samples; gb = 2 * r.mean()
                st["bw"] = 0.9 * st["bw"] + gw; st["bb"] = 0.9 * st["bb"] + gb
                st["w"] = st["w"] - 0.01 * st["bw"]; st["b"] -= 0.01 * st["bb"]
        report(best(steps) / 20 * 1e3, "ms/step", f"NumPy {np.__version__}, {threads} thread{'s' * (threads > 1)}")
else:
    sys.exit(f"peers.py: no workload {workload!r}")
