"""Typical wrong answers for notebook 03 (gradient descent); each must lose points when graded."""
from autograder.mistakes import Mistake

_GRADIENTS = '''
def linear_unit_gradients(X, y, w, b):
    m = X.shape[1]
    residual = (w.T @ X + b) - y
    dw = (X @ residual.T) / m
    db = float(np.sum(residual)) / m
    return dw, db
'''

_TRAIN = '''
def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / (2 * m))
        dw, db = linear_unit_gradients(X, y, w, b)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b, costs
'''

MISTAKES = {
    "numerical_derivative": [
        Mistake("forward difference instead of central", '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x)) / h
'''),
        Mistake("backward difference", '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x) - f(x - h)) / h
'''),
        Mistake("divides by h instead of 2h", '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / h
'''),
        Mistake("operator precedence: / 2*h", '''
def numerical_derivative(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / 2*h
'''),
        Mistake("h too large, fixed inside", '''
def numerical_derivative(f, x, h=1e-5):
    h = 1e-2
    return (f(x + h) - f(x - h)) / (2 * h)
'''),
        Mistake("ignores the h argument", '''
def numerical_derivative(f, x, h=1e-5):
    step = 1e-5
    return (f(x + step) - f(x - step)) / (2 * step)
'''),
        Mistake("calls bpkit's reference", '''
def numerical_derivative(f, x, h=1e-5):
    return bpkit.descent.numerical_derivative(f, x, h)
'''),
    ],
    "gradient_descent": [
        Mistake("gradient ascent (+ instead of -)", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(num_steps):
        x = x + learning_rate * df(x)
        path.append(x)
    return np.array(path)
'''),
        Mistake("returns only the final x", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    x = x0
    for _ in range(num_steps):
        x = x - learning_rate * df(x)
    return x
'''),
        Mistake("trajectory misses x0", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    x = np.array(x0, dtype=float)
    path = []
    for _ in range(num_steps):
        x = x - learning_rate * df(x)
        path.append(x)
    return np.array(path)
'''),
        Mistake("one step short (off by one)", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(num_steps - 1):
        x = x - learning_rate * df(x)
        path.append(x)
    return np.array(path)
'''),
        Mistake("one step too many", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    x = np.array(x0, dtype=float)
    path = [x]
    for _ in range(num_steps + 1):
        x = x - learning_rate * df(x)
        path.append(x)
    return np.array(path)
'''),
        Mistake("in-place update aliases x0 and every stored row", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    x = x0
    path = [x]
    for _ in range(num_steps):
        x -= learning_rate * df(x)
        path.append(x)
    return np.array(path)
'''),
        Mistake("allocates for a scalar x0 only", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    path = np.zeros(num_steps + 1)
    path[0] = x0
    for k in range(num_steps):
        path[k + 1] = path[k] - learning_rate * df(path[k])
    return path
'''),
        Mistake("gradient computed once at x0 and reused", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    x = np.array(x0, dtype=float)
    slope = df(x)
    path = [x]
    for _ in range(num_steps):
        x = x - learning_rate * slope
        path.append(x)
    return np.array(path)
'''),
        Mistake("hard-codes the visible test's answer", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    if num_steps == 5:
        return np.array([1.0, 0.8, 0.64, 0.512, 0.4096, 0.32768])
    return bpkit.descent.gradient_descent(df, x0, learning_rate, num_steps)
'''),
        Mistake("calls bpkit's reference", '''
def gradient_descent(df, x0, learning_rate, num_steps):
    return bpkit.descent.gradient_descent(df, x0, learning_rate, num_steps)
'''),
    ],
    "train_linear_unit": [
        Mistake("missing 1/m in the gradients", '''
def linear_unit_gradients(X, y, w, b):
    residual = (w.T @ X + b) - y
    dw = X @ residual.T
    db = float(np.sum(residual))
    return dw, db
''' + _TRAIN),
        Mistake("forgets to update b", _GRADIENTS + '''
def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / (2 * m))
        dw, db = linear_unit_gradients(X, y, w, b)
        w = w - learning_rate * dw
    return w, b, costs
'''),
        Mistake("dw transposed: (a - y) X^T of shape (1, n)", '''
def linear_unit_gradients(X, y, w, b):
    m = X.shape[1]
    residual = (w.T @ X + b) - y
    dw = (residual @ X.T) / m
    db = float(np.sum(residual)) / m
    return dw, db
''' + _TRAIN),
        Mistake("db summed over the wrong axis (one bias per example)", '''
def linear_unit_gradients(X, y, w, b):
    m = X.shape[1]
    residual = (w.T @ X + b) - y
    dw = (X @ residual.T) / m
    db = np.sum(residual, axis=0) / m
    return dw, db
''' + _TRAIN),
        Mistake("learning rate applied twice", '''
def linear_unit_gradients(X, y, w, b):
    m = X.shape[1]
    residual = (w.T @ X + b) - y
    dw = (X @ residual.T) / m
    db = float(np.sum(residual)) / m
    return dw, db


def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / (2 * m))
        dw, db = linear_unit_gradients(X, y, w, b)
        dw, db = learning_rate * dw, learning_rate * db
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b, costs
'''),
        Mistake("cost recorded after the update", _GRADIENTS + '''
def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        dw, db = linear_unit_gradients(X, y, w, b)
        w = w - learning_rate * dw
        b = b - learning_rate * db
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / (2 * m))
    return w, b, costs
'''),
        Mistake("cost without the 1/2", _GRADIENTS + '''
def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / m)
        dw, db = linear_unit_gradients(X, y, w, b)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    return w, b, costs
'''),
        Mistake("updates with + (gradient ascent)", _GRADIENTS + '''
def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / (2 * m))
        dw, db = linear_unit_gradients(X, y, w, b)
        w = w + learning_rate * dw
        b = b + learning_rate * db
    return w, b, costs
'''),
        Mistake("w updated before b's gradient is taken (b uses the new w)", _GRADIENTS + '''
def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / (2 * m))
        dw, _ = linear_unit_gradients(X, y, w, b)
        w = w - learning_rate * dw
        _, db = linear_unit_gradients(X, y, w, b)
        b = b - learning_rate * db
    return w, b, costs
'''),
        Mistake("one cost too many (also after the last update)", _GRADIENTS + '''
def train_linear_unit(X, y, learning_rate, num_steps):
    m = X.shape[1]
    w = np.zeros((X.shape[0], 1))
    b = 0.0
    costs = []
    for _ in range(num_steps):
        residual = (w.T @ X + b) - y
        costs.append(float(np.sum(residual ** 2)) / (2 * m))
        dw, db = linear_unit_gradients(X, y, w, b)
        w = w - learning_rate * dw
        b = b - learning_rate * db
    residual = (w.T @ X + b) - y
    costs.append(float(np.sum(residual ** 2)) / (2 * m))
    return w, b, costs
'''),
    ],
}
