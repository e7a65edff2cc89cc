#!/usr/bin/env python3
"""Descent's benchmark beside its peers, in one run on one machine.

Runs `descent bench --format json` (Descent's engine in-process), then the same workloads with a plain C
loop compiled by `cc` (the floor), pure Python, NumPy, and torch where it is importable, and prints a
Markdown table with the machine it ran on. Usage (from the repository):

    swift build -c release && python3 bench/compare.py [--bin .build/release/descent] [--quick]

--quick shrinks every workload: a smoke test of this script, not a measurement.
"""
import argparse, csv, io, json, os, platform, resource, shutil, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--bin", default=".build/release/descent")
parser.add_argument("--quick", action="store_true")
args = parser.parse_args()
quick = args.quick
binary = os.path.abspath(args.bin)
rows = []  # (workload, descent, peer figures, target, verdict)


def best(fn, repeats=3):
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times)


def run_peak(cmd, stdout=subprocess.DEVNULL):
    """Wall time and peak RSS (MiB) of a child process."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    return time.perf_counter() - t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


bench = json.loads(subprocess.run([binary, "bench", "--format", "json"] + (["--quick"] if quick else []),
                                  check=True, capture_output=True, text=True).stdout)
d = {r["name"]: r for r in bench}

# 2-D trajectory: the C floor and pure Python, same update and loss each step.
steps = 100_000 if quick else 10_000_000
c_source = r"""
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>
int main(int argc, char **argv) {
  long steps = atol(argv[1]); double x = -1.5, y = 2, bx = 0, by = 0, loss = 0; int first = 1;
  struct timespec t0, t1; clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long k = 0; k < steps; k++) {
    double v = y - x * x, gx = -2 * (1 - x) - 400 * v * x, gy = 200 * v;
    if (first) { bx = gx; by = gy; first = 0; } else { bx = 0.9 * bx + gx; by = 0.9 * by + gy; }
    x -= 5e-4 * bx; y -= 5e-4 * by;
    double u = 1 - x; v = y - x * x; loss = u * u + 100 * v * v;
    if (!isfinite(loss)) break;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%.17g %.6f\n", loss, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9);
}
"""
tmp = tempfile.mkdtemp()
with open(os.path.join(tmp, "loop.c"), "w") as f:
    f.write(c_source)
subprocess.run(["cc", "-O2", "-o", os.path.join(tmp, "loop"), os.path.join(tmp, "loop.c"), "-lm"], check=True)
c_ns = min(float(subprocess.run([os.path.join(tmp, "loop"), str(steps)], capture_output=True, text=True).stdout.split()[1])
           for _ in range(3)) / steps * 1e9


def python_loop(n):
    x, y, bx, by, first = -1.5, 2.0, 0.0, 0.0, True
    for _ in range(n):
        v = y - x * x; gx = -2 * (1 - x) - 400 * v * x; gy = 200 * v
        if first: bx, by, first = gx, gy, False
        else: bx = 0.9 * bx + gx; by = 0.9 * by + gy
        x -= 5e-4 * bx; y -= 5e-4 * by
        u = 1 - x; v = y - x * x; loss = u * u + 100 * v * v


py_steps = 20_000 if quick else 1_000_000
py_ns = best(lambda: python_loop(py_steps), 1) / py_steps * 1e9
swift_ns = d["trajectory-2d"]["value"]
rows.append(("2-D trajectory (Rosenbrock, momentum)", f"{swift_ns:.1f} ns/step",
             f"C loop {c_ns:.1f} ns ({swift_ns / c_ns:.2f}×); Python {py_ns:.0f} ns ({py_ns / swift_ns:.0f}× slower)",
             "within 2× of C", "met" if swift_ns <= 2 * c_ns else "not met"))

# The same Rosenbrock typed as a formula: Descent's compiled instruction list with reverse-mode gradients against
# the built-in loop, and against what typed-function visualizers do: Python evaluating the text with central differences.
formula = "(1 - x)**2 + 100*(y - x**2)**2"
typed_f = eval("lambda x, y: " + formula)


def python_typed(n, h=1e-6):
    x, y, bx, by, first = -1.5, 2.0, 0.0, 0.0, True
    for _ in range(n):
        gx = (typed_f(x + h, y) - typed_f(x - h, y)) / (2 * h); gy = (typed_f(x, y + h) - typed_f(x, y - h)) / (2 * h)
        if first: bx, by, first = gx, gy, False
        else: bx = 0.9 * bx + gx; by = 0.9 * by + gy
        x -= 5e-4 * bx; y -= 5e-4 * by
        loss = typed_f(x, y)


typed_ns = d["trajectory-typed"]["value"]
py_typed_ns = best(lambda: python_typed(py_steps), 1) / py_steps * 1e9
rows.append(("2-D trajectory, Rosenbrock typed as a formula", f"{typed_ns:.1f} ns/step",
             f"built-in {swift_ns:.1f} ns ({typed_ns / swift_ns:.1f}×); Python eval + central differences {py_typed_ns:.0f} ns ({py_typed_ns / typed_ns:.0f}× slower)",
             "within 10× of the built-in", "met" if typed_ns <= 10 * swift_ns else "not met"))

# 10⁷-step CSV: the whole process, its peak memory, and Python's csv module writing the same rows.
scenario = os.path.join(tmp, "rb.yaml")
with open(scenario, "w") as f:
    f.write(f"name: bench\nobjective: {{kind: rosenbrock}}\nstart: [-1.5, 2]\nsteps: {steps}\n"
            "runs:\n  - {label: hb, lr: 0.0005, momentum: 0.9}\n")
csv_seconds, csv_mib, code = run_peak([binary, "run", scenario, "--format", "csv"])
table_seconds, table_mib, _ = run_peak([binary, "run", scenario])
py_rows = 20_000 if quick else 1_000_000
captured = subprocess.run([binary, "run", scenario, "--format", "csv", "--steps", str(py_rows)], capture_output=True, text=True).stdout
parsed = [[r[0], int(r[1])] + [float(v) for v in r[2:]] for r in csv.reader(io.StringIO(captured))
          if r[0] != "run"]
def write_python():
    out = open(os.devnull, "w", newline="")
    w = csv.writer(out)
    w.writerow(["run", "step", "loss", "p0", "p1"])
    for r in parsed:
        w.writerow([r[0], r[1], repr(r[2]), repr(r[3]), repr(r[4])])
py_csv = best(write_python, 1) * (steps + 1) / len(parsed)
rows.append((f"{steps:,}-step CSV (whole process)", f"{csv_seconds:.2f} s, {csv_mib:.0f} MiB",
             f"Python csv module, same rows: {py_csv:.1f} s ({py_csv / csv_seconds:.1f}×, scaled from {len(parsed):,} rows)",
             "< 64 MiB; ≥ 5× Python", "met" if csv_mib < 64 and py_csv >= 5 * csv_seconds else "not met"))
rows.append((f"{steps:,}-step table (whole process)", f"{table_seconds:.2f} s, {table_mib:.0f} MiB", "", "< 64 MiB",
             "met" if table_mib < 64 else "not met"))

# Optimizer step on 10⁷ parameters against the triad measured in the same Descent process, and torch.
ratio = d["sgd-bandwidth-vs-triad"]["value"]
peer = "torch not importable here"
sgd_ms = d["sgd-step-1e7"]["value"]
torch_ms = None
try:
    import torch
    n = 100_000 if quick else 10_000_000
    p = torch.nn.Parameter(torch.linspace(0, 1, n, dtype=torch.float64))
    p.grad = torch.ones(n, dtype=torch.float64)
    fastest = []
    for options in ({"foreach": False}, {"foreach": True}, {"fused": True}):
        try:
            opt = torch.optim.SGD([p], lr=1e-3, momentum=0.9, **options)
            opt.step()
            fastest.append(best(opt.step, 10) * 1e3)
        except Exception:
            pass
    torch_ms = min(fastest)
    peer = f"torch's fastest CPU path {torch_ms:.1f} ms"
except ImportError:
    pass
rows.append(("SGD step, 10⁷ parameters (momentum)", f"{sgd_ms:.1f} ms",
             f"{d['sgd-step-1e7']['detail'].split(': ')[1]} vs triad {d['triad-1e7']['detail'].split(': ')[1]} ({ratio:.0%}); {peer}",
             "≥ 80% of triad; ≤ torch", "met" if ratio >= 0.8 and (torch_ms is None or sgd_ms <= torch_ms) else "not met"))

# Dense 1000-D quadratic and 10⁵ × 16 regression: one step in NumPy, as a NumPy user would write it.
try:
    import numpy as np
    rng = np.random.default_rng(0)
    n = 100 if quick else 1000
    M = rng.standard_normal((n, n)); A = M @ M.T / n + np.eye(n); c = np.zeros(n)
    state = {"x": np.ones(n), "buf": np.zeros(n)}
    def numpy_quadratic():
        for _ in range(100):
            g = A @ (state["x"] - c); loss = 0.5 * (state["x"] - c) @ g
            state["buf"] = 0.9 * state["buf"] + g; state["x"] = state["x"] - 0.1 * state["buf"]
    np_q = best(numpy_quadratic) / 100 * 1e3
    samples = 1000 if quick else 100_000
    X = rng.standard_normal((samples, 16)); y = X @ np.arange(1, 17) / 8 + 0.1 * rng.standard_normal(samples)
    st = {"w": np.zeros(16), "b": 0.0, "bw": np.zeros(16), "bb": 0.0}
    def numpy_regression():
        for _ in range(20):
            r = X @ st["w"] + st["b"] - y; loss = (r * r).mean()
            gw = 2 * X.T @ r / samples; gb = 2 * r.mean()
            st["bw"] = 0.9 * st["bw"] + gw; st["bb"] = 0.9 * st["bb"] + gb
            st["w"] = st["w"] - 0.01 * st["bw"]; st["b"] -= 0.01 * st["bb"]
    np_r = best(numpy_regression) / 20 * 1e3
    q, r = d["quadratic-1000"]["value"], d["regression-1e5x16"]["value"]
    rows.append((f"dense {n}-D quadratic, one step", f"{q:.3f} ms", f"NumPy {np_q:.3f} ms ({np_q / q:.2f}×)", "≤ NumPy",
                 "met" if q <= np_q * 1.05 else "not met"))
    rows.append((f"linear regression {samples:,} × 16, one step", f"{r:.3f} ms", f"NumPy {np_r:.3f} ms ({np_r / r:.2f}×)", "≤ NumPy",
                 "met" if r <= np_r * 1.05 else "not met"))
except ImportError:
    rows.append(("dense quadratic / regression", "", "NumPy not importable", "≤ NumPy", "not measured"))

# The sweep: 200 lr × 100 momentum × 2000 steps on Rosenbrock, whole processes side by side.
sweep_steps = "20" if quick else "2000"
sweep_cmd = [binary, "sweep", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Scenarios", "02-rosenbrock-valley.yaml"),
             "--x", "lr=1e-4:1:log:200", "--y", "momentum=0:0.99:100", "--steps", sweep_steps, "--format", "csv"]
ours_sweep = best(lambda: subprocess.run(sweep_cmd, stdout=subprocess.DEVNULL, check=True), 7)
try:
    import numpy  # noqa: F401  (only to know whether the peer can run)
    numpy_sweep = best(lambda: subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sweep_numpy.py"), sweep_steps],
                                              stdout=subprocess.DEVNULL, check=True), 3)
    rows.append((f"sweep 200 × 100 cells × {sweep_steps} steps, Rosenbrock (whole process)", f"{ours_sweep:.3f} s",
                 f"NumPy vectorised over the grid {numpy_sweep:.3f} s ({numpy_sweep / ours_sweep:.1f}×)", "≥ 5× NumPy",
                 "met" if numpy_sweep >= 5 * ours_sweep else "not met"))
except ImportError:
    rows.append(("sweep 200 × 100 × 2000, Rosenbrock", f"{ours_sweep:.3f} s", "NumPy not importable", "≥ 5× NumPy", "not measured"))

# A 200 × 60 frame; startup against `import numpy`.
frame = d["frame-200x60"]["value"]
rows.append(("explorer frame 200 × 60, 4 runs × 10⁶ steps", f"{frame:.2f} ms", "", "< 2 ms", "met" if frame < 2 else "not met"))
def startup(cmd):
    return statistics.median(best(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), 1) for _ in range(10))
ours = startup([binary, "objectives"])
numpy_import = startup([sys.executable, "-c", "import numpy"])
rows.append(("startup (`descent objectives`)", f"{ours * 1e3:.0f} ms", f"`python3 -c \"import numpy\"` {numpy_import * 1e3:.0f} ms",
             "< ¼ of it", "met" if ours < numpy_import / 4 else "not met"))

cpu = "unknown CPU"
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except Exception:
    pass
print(f"Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
      f"Python {platform.python_version()}{', NumPy ' + np.__version__ if 'np' in globals() else ''}"
      f"{'' if quick else ''}; {time.strftime('%Y-%m-%d')}{' (--quick: not a measurement)' if quick else ''}\n")
print("| workload | Descent | peers (same run) | target | |")
print("|---|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
shutil.rmtree(tmp, ignore_errors=True)
