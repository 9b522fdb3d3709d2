"""Typical wrong answers for notebook 03 (gradient descent); each must lose points when graded."""

from autograder.mistakes import edit, rewrite

_RISE = "rise = f(x + h) - f(x - h)"
_COST = "        residual = (w.T @ X + b) - y\n        costs.append(float(np.sum(residual ** 2)) / (2 * m))"
_UPDATE_B = "        b = b - learning_rate * db\n"

MISTAKES = {
    "numerical_derivative": [
        edit("forward difference instead of central", _RISE, "rise = f(x + h) - f(x)").then("run = 2 * h", "run = h"),
        edit("backward difference", _RISE, "rise = f(x) - f(x - h)").then("run = 2 * h", "run = h"),
        edit("divides by h instead of 2h", "run = 2 * h", "run = h"),
        edit("operator precedence: / 2*h", "return rise / run", "return rise / 2*h"),
        edit("h too large, fixed inside", f"    {_RISE}", f"    h = 1e-2\n    {_RISE}"),
        edit("ignores the h argument", _RISE, "step = 1e-5\n    rise = f(x + step) - f(x - step)").then(
            "run = 2 * h", "run = 2 * step"
        ),
        rewrite(
            "calls bpkit's reference",
            """
def numerical_derivative(f, x, h=1e-5):
    return bpkit.descent.numerical_derivative(f, x, h)
""",
        ),
    ],
    "gradient_descent": [
        edit("gradient ascent (+ instead of -)", "x = x - learning_rate", "x = x + learning_rate"),
        edit("returns only the final x", "return np.array(trajectory)", "return x"),
        edit("trajectory misses x0", "trajectory = [x]", "trajectory = []"),
        edit("one step short (off by one)", "range(num_steps)", "range(num_steps - 1)"),
        edit("one step too many", "range(num_steps)", "range(num_steps + 1)"),
        edit(
            "in-place update aliases x0 and every stored row",
            "x = np.array(x0, dtype=float)           # a float copy: x0 itself is never modified",
            "x = x0",
        ).then("x = x - learning_rate", "x -= learning_rate"),
        rewrite(
            "allocates for a scalar x0 only",
            """
def gradient_descent(df, x0, learning_rate, num_steps):
    path = np.zeros(num_steps + 1)
    path[0] = x0
    for k in range(num_steps):
        path[k + 1] = path[k] - learning_rate * df(path[k])
    return path
""",
        ),
        edit(
            "gradient computed once at x0 and reused",
            "learning_rate * np.asarray(df(x), dtype=float)",
            "learning_rate * slope",
        ).then("    trajectory = [x]\n", "    slope = df(x)\n    trajectory = [x]\n"),
        rewrite(
            "hard-codes the visible test's answer",
            """
def gradient_descent(df, x0, learning_rate, num_steps):
    if num_steps == 5:
        return np.array([1.0, 0.8, 0.64, 0.512, 0.4096, 0.32768])
    return bpkit.descent.gradient_descent(df, x0, learning_rate, num_steps)
""",
        ),
        rewrite(
            "calls bpkit's reference",
            """
def gradient_descent(df, x0, learning_rate, num_steps):
    return bpkit.descent.gradient_descent(df, x0, learning_rate, num_steps)
""",
        ),
    ],
    "train_linear_unit": [
        edit("missing 1/m in the gradients", "dw = (X @ residual.T) / m", "dw = X @ residual.T").then(
            "db = float(np.sum(residual)) / m", "db = float(np.sum(residual))"
        ),
        edit("forgets to update b", _UPDATE_B, ""),
        edit("dw transposed: (a - y) X^T of shape (1, n)", "(X @ residual.T) / m", "(residual @ X.T) / m"),
        edit(
            "db summed over the wrong axis (one bias per example)",
            "db = float(np.sum(residual)) / m",
            "db = np.sum(residual, axis=0) / m",
        ),
        edit(
            "learning rate applied twice",
            "        dw, db = linear_unit_gradients(X, y, w, b)\n",
            "        dw, db = linear_unit_gradients(X, y, w, b)\n"
            "        dw, db = learning_rate * dw, learning_rate * db\n",
        ),
        edit("cost recorded after the update", f"{_COST}   # cost before this update\n", "").then(
            _UPDATE_B, f"{_UPDATE_B}{_COST}\n"
        ),
        edit(
            "cost without the 1/2",
            "costs.append(float(np.sum(residual ** 2)) / (2 * m))",
            "costs.append(float(np.sum(residual ** 2)) / m)",
        ),
        edit("updates with + (gradient ascent)", "w = w - learning_rate * dw", "w = w + learning_rate * dw").then(
            "b = b - learning_rate * db", "b = b + learning_rate * db"
        ),
        edit(
            "w updated before b's gradient is taken (b uses the new w)",
            "        w = w - learning_rate * dw\n",
            "        w = w - learning_rate * dw\n        _, db = linear_unit_gradients(X, y, w, b)\n",
        ),
        edit(
            "one cost too many (also after the last update)",
            "    return w, b, costs",
            "    residual = (w.T @ X + b) - y\n    costs.append(float(np.sum(residual ** 2)) / (2 * m))\n"
            "    return w, b, costs",
        ),
    ],
}
