#!/usr/bin/env python3
"""Descent's benchmark beside its peers, interleaved round after round in one run on one machine.

    swift build -c release && python3 bench/compare.py [--rounds 5] [--readme README.md] [--quick]

Each round measures every workload once in Descent and once in every peer, one after the other, so a machine
that slows down for a while slows both; the table gives each figure's minimum over the rounds and its median,
and judges the goal on the medians. Descent's in-process figures come from `descent bench --only …`
(best of a few repetitions inside the process, as each peer takes its own); whole-process figures are wall
time and peak RSS from wait4. Peers: a plain C loop compiled by `cc` (the floor), pure Python, Python's
`csv` module, NumPy and torch (each where importable) with one thread and with every core, the thread
count stated beside each. Bytes: the SGD step moves 40 an entry (θ, gradient and buffer read; θ and buffer
written back over lines already read), the triad 32 (b and c read, a written after the cache reads it:
write-allocate), not STREAM's 24.

--readme FILE replaces the text between `<!-- compare.py: begin -->` and `<!-- compare.py: end -->` in FILE
with the table. --quick shrinks every workload and runs one round: a smoke test of this script, not a
measurement.
"""
import argparse, array, json, os, platform, statistics, subprocess, sys, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("--bin", default=".build/release/descent")
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--readme")
parser.add_argument("--quick", action="store_true")
args = parser.parse_args()
quick = args.quick
rounds = 1 if quick else max(1, args.rounds)
binary = os.path.abspath(args.bin)
here = os.path.dirname(os.path.abspath(__file__))
cores = os.cpu_count() or 1
tmp = tempfile.mkdtemp()


def run_peak(cmd, env=None):
    """Wall time (s) and peak RSS (MiB) of a child process, its output dropped."""
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"compare.py: {' '.join(cmd)} failed: {p.stderr.read().decode()[:300]}")
    return seconds, usage.ru_maxrss / 1024


def descent_bench(*names):
    out = subprocess.run([binary, "bench", "--only", ",".join(names), "--format", "json"] + (["--quick"] if quick else []),
                         check=True, capture_output=True, text=True).stdout
    return {r["name"]: r for r in json.loads(out)}


def importable(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def peer(workload, threads):
    out = subprocess.run([sys.executable, os.path.join(here, "peers.py"), workload, str(threads), "--bin", binary]
                         + (["--quick"] if quick else []), check=True, capture_output=True, text=True).stdout
    return json.loads(out)


has_numpy, has_torch = importable("numpy"), importable("torch")
thread_counts = sorted({1, cores})

# The floor for the 2-D step: the same update and loss as a C loop.
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
with open(os.path.join(tmp, "loop.c"), "w") as f:
    f.write(c_source)
subprocess.run(["cc", "-O2", "-o", os.path.join(tmp, "loop"), os.path.join(tmp, "loop.c"), "-lm"], check=True)


def c_loop():
    return min(float(subprocess.run([os.path.join(tmp, "loop"), str(steps)], capture_output=True, text=True).stdout.split()[1])
               for _ in range(3)) / steps * 1e9


# Whole-process scenarios: a 10⁷-step 2-D run, and a 10⁷-parameter start read from a .npy.
rosenbrock = os.path.join(tmp, "rb.yaml")
with open(rosenbrock, "w") as f:
    f.write(f"name: bench\nobjective: {{kind: rosenbrock}}\nstart: [-1.5, 2]\nsteps: {steps}\n"
            "runs:\n  - {label: hb, lr: 0.0005, momentum: 0.9}\n")
parameters = 100_000 if quick else 10_000_000
npy = os.path.join(tmp, "theta.npy")
with open(npy, "wb") as f:
    header = "{'descr': '<f8', 'fortran_order': False, 'shape': (%d,), }" % parameters
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode())
    # In chunks: a parent that grew would lend its size to every child's peak RSS (counted before exec).
    for lo in range(0, parameters, 100_000):
        array.array("d", (-1 + 2 * i / (parameters - 1) for i in range(lo, min(parameters, lo + 100_000)))).tofile(f)
start_scenario = os.path.join(tmp, "start.yaml")
with open(start_scenario, "w") as f:
    f.write("name: start\nobjective: {kind: rosenbrock}\nstart: {file: theta.npy}\nsteps: 0\nruns:\n  - {label: plain, lr: 0.001}\n")
sweep_steps = "20" if quick else "2000"
sweep_cmd = [binary, "sweep", os.path.join(here, "..", "Scenarios", "02-rosenbrock-valley.yaml"),
             "--x", "lr=1e-4:1:log:200", "--y", "momentum=0:0.99:100", "--steps", sweep_steps, "--format", "csv"]


def startup(cmd):
    return statistics.median(run_peak(cmd)[0] for _ in range(10))


# Measurements, in the order each round takes them: each returns {metric: value}.
measurements = []


def measure(fn):
    measurements.append(fn)
    return fn


@measure
def descent_trajectories():
    d = descent_bench("trajectory-2d", "trajectory-typed")
    return {"descent 2-D": d["trajectory-2d"]["value"], "descent typed": d["trajectory-typed"]["value"]}


@measure
def c_floor():
    return {"C loop": c_loop()}


@measure
def python_loops():
    return {"Python 2-D": peer("python-2d", 1)["value"], "Python typed": peer("python-typed", 1)["value"]}


@measure
def descent_csv():
    s, mib = run_peak([binary, "run", rosenbrock, "--format", "csv"])
    t, tmib = run_peak([binary, "run", rosenbrock])
    return {"descent csv s": s, "descent csv MiB": mib, "descent table s": t, "descent table MiB": tmib}


@measure
def python_csv():
    return {"Python csv": peer("python-csv", 1)["value"]}


@measure
def descent_sgd():
    d = descent_bench("sgd-step-1e7", "triad-1e7", "sgd-bandwidth-vs-triad")
    kernel = d["sgd-step-1e7"]["detail"].split(", ")[1].split(" kernel")[0]
    return {"descent sgd": d["sgd-step-1e7"]["value"], "triad": d["triad-1e7"]["value"],
            "sgd/triad": d["sgd-bandwidth-vs-triad"]["value"], "kernel": kernel}


if has_torch:
    @measure
    def torch_sgd():
        out = {}
        for threads in thread_counts:
            out[f"torch fused {threads}"] = peer("torch-sgd-fused", threads)["value"]
        out["torch foreach 1"] = peer("torch-sgd-foreach", 1)["value"]
        return out


@measure
def descent_dense():
    d = descent_bench("quadratic-1000", "regression-1e5x16")
    return {"descent quadratic": d["quadratic-1000"]["value"], "descent regression": d["regression-1e5x16"]["value"]}


if has_numpy:
    @measure
    def numpy_dense():
        out = {}
        for threads in thread_counts:
            out[f"NumPy quadratic {threads}"] = peer("numpy-quadratic", threads)["value"]
            out[f"NumPy regression {threads}"] = peer("numpy-regression", threads)["value"]
        return out


@measure
def descent_sweep():
    return {"descent sweep": min(run_peak(sweep_cmd)[0] for _ in range(3))}


if has_numpy:
    @measure
    def numpy_sweep():
        return {"NumPy sweep": min(run_peak([sys.executable, os.path.join(here, "sweep_numpy.py"), sweep_steps])[0] for _ in range(2))}


@measure
def descent_start():
    s, mib = min(run_peak([binary, "run", start_scenario]) for _ in range(3))
    return {"descent start s": s, "descent start MiB": mib}


if has_numpy:
    @measure
    def numpy_start():
        s, mib = min(run_peak([sys.executable, "-c", f"import numpy; numpy.load({npy!r})"]) for _ in range(3))
        return {"NumPy load s": s, "NumPy load MiB": mib}


@measure
def descent_frames():
    d = descent_bench("frame-200x60", "frame-mlp-80x24", "goto-back", "goto-forward", "ghost-1e3")
    return {k: d[k]["value"] for k in ("frame-200x60", "frame-mlp-80x24", "goto-back", "goto-forward", "ghost-1e3")}


@measure
def startups():
    out = {"descent startup": startup([binary, "objectives"])}
    if has_numpy:
        out["import numpy"] = startup([sys.executable, "-c", "import numpy"])
    return out


load_before = os.getloadavg()
series = {}
for round_ in range(rounds):
    for fn in measurements:
        for metric, value in fn().items():
            series.setdefault(metric, []).append(value)
load_after = os.getloadavg()


def low(m): return min(series[m])
def mid(m): return statistics.median(series[m])
def has(m): return m in series


def fig(m, unit, digits=1):
    """'17.3 ms (17.6)': the minimum over the rounds, then the median."""
    if rounds == 1:
        return f"{low(m):.{digits}f} {unit}"
    return f"{low(m):.{digits}f} {unit} ({mid(m):.{digits}f})"


rows = []  # (workload, Descent, peers, ratio, goal, verdict)
kernel = series["kernel"][0]
plural = "s" if cores > 1 else ""

rows.append(("2-D step (Rosenbrock, heavy ball)", fig("descent 2-D", "ns"),
             f"C loop {fig('C loop', 'ns')}; Python {fig('Python 2-D', 'ns', 0)}",
             f"{mid('descent 2-D') / mid('C loop'):.2f}× C's time", "≤ 2× C",
             mid("descent 2-D") <= 2 * mid("C loop")))
rows.append(("2-D step, the Rosenbrock typed as a formula", fig("descent typed", "ns"),
             f"built-in {fig('descent 2-D', 'ns')}; Python eval + central differences {fig('Python typed', 'ns', 0)}",
             f"{mid('descent typed') / mid('descent 2-D'):.1f}× the built-in's; Python {mid('Python typed') / mid('descent typed'):.0f}× slower",
             "≤ 10× the built-in", mid("descent typed") <= 10 * mid("descent 2-D")))
rows.append((f"{steps:,}-step CSV, whole process", f"{fig('descent csv s', 's', 2)}, {low('descent csv MiB'):.0f} MiB",
             f"Python's csv module, same rows {fig('Python csv', 's')}", f"Python {mid('Python csv') / mid('descent csv s'):.1f}× slower",
             "< 64 MiB; ≥ 5× Python", max(series["descent csv MiB"]) < 64 and mid("Python csv") >= 5 * mid("descent csv s")))
rows.append((f"{steps:,}-step table, whole process", f"{fig('descent table s', 's', 2)}, {low('descent table MiB'):.0f} MiB", "", "",
             "< 64 MiB", max(series["descent table MiB"]) < 64))
triad_note = f"triad {fig('triad', 'ms')}: the step moves bytes at {mid('sgd/triad') * 100:.0f}% of the triad's rate"
if has_torch:
    torch_peers = "; ".join(f"torch fused, {t} thread{'s' if t > 1 else ''} {fig(f'torch fused {t}', 'ms')}" for t in thread_counts)
    torch_peers += f"; torch foreach, 1 thread {fig('torch foreach 1', 'ms')}"
    sgd_label = f"SGD step, {parameters:,} parameters, momentum (one thread)"
    rows.append((sgd_label, fig("descent sgd", "ms"), f"{torch_peers}; {triad_note}",
                 f"{mid('descent sgd') / mid('torch fused 1'):.2f}× torch fused's time, one thread each", "≤ torch fused, one thread",
                 mid("descent sgd") <= mid("torch fused 1")))
else:
    rows.append((f"SGD step, {parameters:,} parameters, momentum (one thread)", fig("descent sgd", "ms"), f"torch not importable; {triad_note}", "",
                 "≤ torch fused, one thread", None))
for name, label, goal in (("quadratic", f"dense {100 if quick else 1000}-D quadratic, one step", "≤ NumPy at its best thread count"),
                          ("regression", f"linear regression {1000 if quick else 100_000:,} × 16, one step", "≤ NumPy at its best thread count")):
    ours = f"descent {name}"
    if has_numpy:
        best_numpy = min((mid(f"NumPy {name} {t}"), t) for t in thread_counts)
        rows.append((f"{label} ({cores} thread{plural})", fig(ours, "ms", 3),
                     "; ".join(f"NumPy, {t} thread{'s' if t > 1 else ''} {fig(f'NumPy {name} {t}', 'ms', 3)}" for t in thread_counts),
                     f"{mid(ours) / best_numpy[0]:.2f}× NumPy's best time", goal, mid(ours) <= best_numpy[0]))
    else:
        rows.append((label, fig(ours, "ms", 3), "NumPy not importable", "", goal, None))
if has_numpy:
    rows.append((f"sweep 200 × 100 cells × {sweep_steps} steps, Rosenbrock, whole process", fig("descent sweep", "s", 3),
                 f"NumPy vectorised over the grid {fig('NumPy sweep', 's', 3)}", f"NumPy {mid('NumPy sweep') / mid('descent sweep'):.1f}× slower",
                 "≥ 5× NumPy", mid("NumPy sweep") >= 5 * mid("descent sweep")))
    load_peer = f"`numpy.load` of the file, whole process {fig('NumPy load s', 's', 2)}, {low('NumPy load MiB'):.0f} MiB"
    load_ratio = f"{mid('descent start s') / mid('NumPy load s'):.1f}× NumPy's time"
else:
    rows.append(("sweep 200 × 100 × 2000, Rosenbrock", fig("descent sweep", "s", 3), "NumPy not importable", "", "≥ 5× NumPy", None))
    load_peer, load_ratio = "NumPy not importable", ""
rows.append((f"{parameters:,}-parameter start from a .npy, `run` of 0 steps, whole process",
             f"{fig('descent start s', 's', 2)}, {low('descent start MiB'):.0f} MiB", load_peer, load_ratio, "< 0.5 s; < 200 MiB",
             mid("descent start s") < 0.5 and max(series["descent start MiB"]) < 200))
for metric, label, goal in (("frame-200x60", "explorer frame 200 × 60, 4 runs × 10⁶ steps", 2),
                            ("frame-mlp-80x24", "slowest of 60 frames, 62-weight network playing, theory open, 80 × 24", 16),
                            ("goto-back", "back one step in a 2-D session of 3 runs × 10⁴ steps", 100),
                            ("goto-forward", "to step 0, then forward to 10⁴, same session", 100),
                            ("ghost-1e3", "an lr edit's what-if ghost, 10³ steps, frame drawn at 200 × 60", 16)):
    rows.append((label, fig(metric, "ms", 2), "no peer does this", "", f"< {goal} ms", mid(metric) < goal))
rows.append(("startup (`descent objectives`), whole process", f"{mid('descent startup') * 1e3:.0f} ms",
             f"`python3 -c \"import numpy\"` {mid('import numpy') * 1e3:.0f} ms" if has_numpy else "NumPy not importable",
             f"{mid('descent startup') / mid('import numpy'):.2f}× its time" if has_numpy else "",
             "< ¼ of it", mid("descent startup") < mid("import numpy") / 4 if has_numpy else None))

cpu = "unknown CPU"
try:
    cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
except Exception:
    pass
versions = [f"Python {platform.python_version()}"]
for module in ("numpy", "torch"):
    if (module == "numpy" and has_numpy) or (module == "torch" and has_torch):
        versions.append(subprocess.run([sys.executable, "-c", f"import {module}; print('{'NumPy' if module == 'numpy' else 'torch'} ' + {module}.__version__)"],
                                       capture_output=True, text=True).stdout.strip())
lines = [f"Machine: {cpu}, {cores} core{plural}, {platform.system()} {platform.release()}; Descent's kernel path: {kernel}; "
         f"{', '.join(versions)}; {time.strftime('%Y-%m-%d')}; {rounds} round{'s' if rounds > 1 else ''}, "
         f"load average {load_before[0]:.2f} before and {load_after[0]:.2f} after"
         + (" (--quick: not a measurement)" if quick else ""),
         "",
         "| workload | Descent: min (median) | peers in the same rounds: min (median) | ratio (medians) | goal | |",
         "|---|---|---|---|---|---|"]
for name, ours, peers, ratio, goal, verdict in rows:
    lines.append(f"| {name} | {ours} | {peers} | {ratio} | {goal} | {'met' if verdict else ('not met' if verdict is not None else 'not measured')} |")
table = "\n".join(lines)
print(table)
if args.readme:
    text = open(args.readme).read()
    begin, end = "<!-- compare.py: begin -->", "<!-- compare.py: end -->"
    if begin not in text or end not in text:
        sys.exit(f"compare.py: {args.readme} has no {begin} … {end} markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(args.readme, "w") as f:
        f.write(head + begin + "\n" + table + "\n" + end + tail)

import shutil
shutil.rmtree(tmp, ignore_errors=True)
