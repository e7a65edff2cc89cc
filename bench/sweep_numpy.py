"""The issue's sweep in NumPy, vectorised over the grid: the peer `descent sweep` is measured against.

200 lr values (1e-4 … 1, log) × 100 momentum values (0 … 0.99), 2000 steps of torch's heavy-ball SGD on
Rosenbrock from (-1.5, 2), every cell stepped together as flat arrays with in-place operations (no
temporaries), as a careful NumPy user would write it. Prints a checksum of the finite final losses and the
number of cells whose loss is not finite. Time it as a whole process: `time python3 bench/sweep_numpy.py`.
"""
import sys
import numpy as np

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
lr = np.repeat(np.logspace(-4, 0, 200)[None, :], 100, axis=0).ravel()
mu = np.repeat(np.linspace(0, 0.99, 100)[:, None], 200, axis=1).ravel()
n = lr.size
x = np.full(n, -1.5); y = np.full(n, 2.0)
bx = np.zeros(n); by = np.zeros(n)
u = np.empty(n); v = np.empty(n); gx = np.empty(n); t = np.empty(n)
with np.errstate(all="ignore"):
    for step in range(steps):
        np.subtract(1.0, x, out=u)                      # u = 1 - x
        np.multiply(x, x, out=v); np.subtract(y, v, out=v)   # v = y - x²
        np.multiply(v, x, out=gx); gx *= -400; np.multiply(u, 2, out=t); gx -= t   # gx = -2u - 400·v·x
        if step == 0:
            bx[:] = gx; np.multiply(v, 200, out=by)
        else:
            bx *= mu; bx += gx
            by *= mu; np.multiply(v, 200, out=t); by += t
        np.multiply(lr, bx, out=t); x -= t
        np.multiply(lr, by, out=t); y -= t
    u = 1 - x; v = y - x * x
    loss = u * u + 100 * v * v
print(np.nansum(np.where(np.isfinite(loss), loss, 0)), int((~np.isfinite(loss)).sum()))
