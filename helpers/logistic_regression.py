"""Logistic regression (逻辑回归) for binary classification (二分类), notebook 04.

Notation (notebook 00): X has shape (n, m), one *column* per example; the labels Y have
shape (1, m), each 0 or 1; the weights w have shape (n, 1) and the bias b is a number.
For every example at once:

    Z = wᵀX + b               (1, m)   the weighted sums z
    A = σ(Z)                  (1, m)   a = ŷ = P(y = 1 | x), the sigmoid of z
    J = (1/m) Σ L(a, y)       a number, the cost: the mean cross-entropy (交叉熵) loss
        L(a, y) = −(y log a + (1 − y) log(1 − a))

and backward, from the cost to the parameters (the computation graph, 计算图):

    dZ = A − Y                (1, m)   how J changes with each z (times m)
    dw = (1/m) X dZᵀ          (n, 1)
    db = (1/m) Σ dZ           a number

:func:`propagate` does both in one call; :func:`train` repeats w ← w − lr·dw,
b ← b − lr·db. The sigmoid is the overflow-free :func:`helpers.activations.sigmoid`; the
cost is computed from z as log(1 + e^z) − y·z (the same number, with no log of 0).
Every gradient here is checked against finite differences in the unit tests.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from helpers.activations import _sigmoid as sigmoid
from helpers.losses import _cross_entropy_from_z
from helpers.validate import (
    InputError,
    as_array,
    as_axes,
    as_choice,
    as_count,
    as_learning_rate,
    as_matrix,
    as_positive,
    as_scalar,
    as_text,
    as_vector,
)

#: ŷ is kept within [EPS, 1 − EPS] before its log is taken (see :func:`loss`)
EPS = 1e-15
#: a cost above this stops :func:`train` as diverged (发散)
MAX_COST = 100.0


# --- checking the inputs ---------------------------------------------------------------


def as_labels(name: str, Y) -> np.ndarray:
    """Labels as a float array of shape (1, m), every value 0 or 1, or a clear error."""
    Y = as_matrix(as_text("name", name), Y)
    if Y.shape[0] != 1:
        raise InputError(f"{name} must have shape (1, m), one label per column; "
                         f"got shape {Y.shape}")
    if not np.all((Y == 0) | (Y == 1)):
        raise InputError(f"{name} must hold only 0 and 1 (binary labels); found "
                         f"{np.unique(Y[(Y != 0) & (Y != 1)])[:5]}")
    return Y


def as_weights(w, n: int, name: str = "w") -> np.ndarray:
    """w as a float column of shape (n, 1), or a clear error naming ``name``."""
    n, name = as_count("n (the number of features)", n), as_text("name", name)
    w = as_array(name, w, finite=False)
    if w.shape != (n, 1):
        hint = f" (use {name}.reshape(-1, 1))" if w.shape in ((n,), (1, n)) else ""
        raise InputError(f"{name} must have shape (n, 1) = ({n}, 1), one weight per feature "
                         f"(row of X); got shape {w.shape}{hint}")
    if not np.all(np.isfinite(w)):
        raise InputError(f"{name} contains NaN or infinity")
    return w


_NO_LABELS = object()


def _checked(w, b, X, Y=_NO_LABELS, names=("w", "b")):
    X = as_matrix("X", X)
    w, b = as_weights(w, X.shape[0], names[0]), as_scalar(names[1], b)
    if Y is _NO_LABELS:
        return w, b, X
    Y = as_labels("Y", Y)
    if Y.shape[1] != X.shape[1]:
        raise InputError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}: "
                         f"X must be (n, m) and Y (1, m)")
    return w, b, X, Y


def _same_shape(A, Y) -> tuple[np.ndarray, np.ndarray]:
    A, Y = as_matrix("A", A), as_labels("Y", Y)
    if A.shape != Y.shape:
        raise InputError(f"A and Y must have the same shape (1, m); got A {A.shape} and "
                         f"Y {Y.shape}")
    if np.any((A < 0) | (A > 1)):
        raise InputError("A holds probabilities: every value must lie in [0, 1]")
    return A, Y


# --- the model: forward ----------------------------------------------------------------


def probabilities(w, b, X) -> np.ndarray:
    """A = σ(wᵀX + b): P(y = 1 | x) for every column of X. w (n, 1), X (n, m) -> (1, m)."""
    w, b, X = _checked(w, b, X)
    return sigmoid(w.T @ X + b)


def predict(w, b, X, threshold: float = 0.5) -> np.ndarray:
    """Labels 1 where a = σ(wᵀx + b) > threshold, else 0; shape (1, m), floats 0.0 and 1.0."""
    threshold = as_scalar("threshold", threshold)
    if not 0 <= threshold <= 1:
        raise InputError(f"threshold is compared with probabilities: it must lie in "
                         f"[0, 1], got {threshold}")
    return (probabilities(w, b, X) > threshold).astype(float)


# --- the loss and the cost -------------------------------------------------------------


def loss(a, y) -> np.ndarray:
    """L(a, y) = −(y log a + (1 − y) log(1 − a)), elementwise, for a in [0, 1], y 0 or 1.

    Safe logs: a is clipped to [EPS, 1 − EPS] first, so a = 0 with y = 1 (a certain and
    wrong answer) costs about 34.5 instead of infinity. a and y are checked as
    :func:`cost` checks them (y may be one label for every a, as in ``loss(a, 1)``).
    """
    a, y = as_array("a", a), as_array("y", y)
    if np.any((a < 0) | (a > 1)):
        raise InputError("a holds probabilities ŷ: every value must lie in [0, 1], got values "
                         f"from {a.min():g} to {a.max():g}")
    if not np.all((y == 0) | (y == 1)):
        raise InputError(f"y must hold only 0 and 1 (binary labels); found "
                         f"{np.unique(y[(y != 0) & (y != 1)])[:5]}")
    try:
        np.broadcast_shapes(a.shape, y.shape)
    except ValueError:
        raise InputError(f"a has shape {a.shape} but y has shape {y.shape}: give one label per "
                         f"probability (or one label for all)") from None
    a = np.clip(a, EPS, 1 - EPS)
    return -(y * np.log(a) + (1 - y) * np.log(1 - a))


def cost(A, Y) -> float:
    """J = (1/m) Σ L(a, y), the mean cross-entropy over the m examples. A, Y (1, m)."""
    A, Y = _same_shape(A, Y)
    return float(np.mean(loss(A, Y)))


def cost_from_z(Z, Y) -> float:
    """The same J, from the weighted sums Z = wᵀX + b (1, m), exactly and without overflow:
    the mean of L = log(1 + e^z) − y·z (:func:`helpers.losses.cross_entropy_from_z`)."""
    Z, Y = as_matrix("Z", Z), as_labels("Y", Y)
    if Z.shape != Y.shape:
        raise InputError(f"Z and Y must have the same shape (1, m); got {Z.shape}, {Y.shape}")
    return float(np.mean(_cross_entropy_from_z(Z, Y)))


def squared_error_cost(A, Y) -> float:
    """J = (1/m) Σ (a − y)², the squared error of notebooks 01-03 used on probabilities."""
    A, Y = _same_shape(A, Y)
    return float(np.mean((A - Y) ** 2))


# --- forward and backward together ------------------------------------------------------


def propagate(w, b, X, Y) -> tuple[float, np.ndarray, float]:
    """Forward and backward propagation over all m examples: ``(cost, dw, db)``.

    w (n, 1), b a number, X (n, m), Y (1, m) -> cost a number, dw (n, 1), db a number,
    where dw = ∂J/∂w and db = ∂J/∂b (see the module docstring).
    """
    return _propagate(*_checked(w, b, X, Y))


def _propagate(w, b, X, Y):
    m = X.shape[1]
    Z = w.T @ X + b                                          # (1, m)
    A = sigmoid(Z)                                           # (1, m)
    J = float(np.mean(_cross_entropy_from_z(Z, Y)))          # the cost, from z
    dZ = A - Y                                               # (1, m)
    dw = X @ dZ.T / m                                        # (n, 1)
    db = float(np.sum(dZ) / m)
    return J, dw, db


# --- training by gradient descent -------------------------------------------------------


class Training(NamedTuple):
    """What :func:`train` returns.

    Attributes:
        w: (n, 1), b: a number -- the parameters at the end (at the last finite cost).
        costs: (k + 1,): the cost before the first update and after each of the k updates.
        diverged_at: the update after which the cost passed ``max_cost`` (the run stopped
            there), or None.
    """

    w: np.ndarray
    b: float
    costs: np.ndarray
    diverged_at: int | None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None


_count = as_count


def train(X, Y, lr: float, num_iterations: int, *, w0=None, b0: float = 0.0,
          max_cost: float = MAX_COST) -> Training:
    """Gradient descent on the cross-entropy cost: w ← w − lr·dw, b ← b − lr·db.

    Args:
        X: (n, m) inputs, one column per example; Y: (1, m) labels 0 or 1.
        lr: the learning rate, > 0. num_iterations: how many updates, >= 1.
        w0, b0: where to start (default: w = 0, shape (n, 1), and b = 0, where every
            a = 0.5 and the cost is log 2 ≈ 0.693).
        max_cost: the run stops, marked as diverged, at the first update after which
            the cost is above this (the default 100 means the right labels get, on
            average, a probability below e^(−100)) or not a finite number.
    """
    X, Y = as_matrix("X", X), as_labels("Y", Y)
    lr, num_iterations = as_learning_rate(lr), _count("num_iterations", num_iterations)
    w0 = np.zeros((X.shape[0], 1)) if w0 is None else w0
    w, b, X, Y = _checked(w0, b0, X, Y, names=("w0", "b0"))
    max_cost = as_positive("max_cost", max_cost)
    costs, diverged_at = [], None
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is detected below
        for k in range(num_iterations + 1):
            J, dw, db = _propagate(w, b, X, Y)
            if not J <= max_cost:  # catches NaN and infinity too
                diverged_at = k
                if np.isfinite(J):
                    costs.append(J)
                break
            costs.append(J)
            if k == num_iterations:
                break
            w_next, b_next = w - lr * dw, b - lr * db
            if not (np.all(np.isfinite(w_next)) and np.isfinite(b_next)):
                diverged_at = k + 1
                break
            w, b = w_next, b_next
    return Training(w, float(b), np.array(costs), diverged_at)


# --- judging predictions ----------------------------------------------------------------


class Counts(NamedTuple):
    """The confusion counts of binary predictions: each a number of examples."""

    tp: int  # true positives: predicted 1, label 1
    fp: int  # false positives: predicted 1, label 0
    tn: int  # true negatives: predicted 0, label 0
    fn: int  # false negatives: predicted 0, label 1

    @property
    def accuracy(self) -> float:
        """The share of examples predicted right, (TP + TN) / m."""
        return (self.tp + self.tn) / (self.tp + self.fp + self.tn + self.fn)


def confusion_counts(Y_pred, Y) -> Counts:
    """TP, FP, TN, FN of the predictions Y_pred (1, m) of 0/1 against the labels Y (1, m)."""
    Y_pred, Y = as_labels("Y_pred", Y_pred), as_labels("Y", Y)
    if Y_pred.shape != Y.shape:
        raise InputError(f"Y_pred and Y must have the same shape (1, m); got {Y_pred.shape} "
                         f"and {Y.shape}")
    p, y = Y_pred.astype(bool), Y.astype(bool)
    return Counts(int(np.sum(p & y)), int(np.sum(p & ~y)), int(np.sum(~p & ~y)),
                  int(np.sum(~p & y)))


def accuracy(Y_pred, Y) -> float:
    """The share of the m examples whose prediction equals the label."""
    return confusion_counts(Y_pred, Y).accuracy


# --- the cost as a surface over (w, b), for one feature ---------------------------------

COSTS = ("cross-entropy", "squared error")


def cost_surface(x, y, ws, bs, kind: str = "cross-entropy") -> np.ndarray:
    """J(w, b) of a = σ(w·x + b) with one feature, on a grid; shape (len(bs), len(ws)).

    x (m,) the feature, y (m,) the labels 0/1; row i, column j holds the cost of
    w = ws[j], b = bs[i] (the layout ``contour`` wants). ``kind`` is "cross-entropy"
    (computed from z, exact) or "squared error", (1/m) Σ (a − y)².
    """
    x, ws, bs = as_vector("x", x), as_vector("ws", ws), as_vector("bs", bs)
    y = as_labels("y", np.reshape(as_vector("y", y), (1, -1)))[0]
    if x.size != y.size:
        raise InputError(f"x has {x.size} examples but y has {y.size}")
    as_choice("kind", kind, COSTS)
    surface = np.empty((bs.size, ws.size))
    for i, b in enumerate(bs):  # one row at a time keeps memory at len(ws) * m
        Z = ws[:, None] * x + b  # (len(ws), m)
        if kind == "cross-entropy":
            surface[i] = np.mean(_cross_entropy_from_z(Z, y), axis=1)
        else:
            surface[i] = np.mean((sigmoid(Z) - y) ** 2, axis=1)
    return surface


def line_in_box(w1: float, w2: float, c: float, xlim, ylim):
    """Two points of the line w1·x1 + w2·x2 + c = 0 spanning the box, or None if w1 = w2 = 0.

    The points may lie outside the box (the axes clip the line). Used to draw a
    decision boundary (决策边界): with c = b − z_t it is where wᵀx + b = z_t.
    """
    w1, w2, c = as_scalar("w1", w1), as_scalar("w2", w2), as_scalar("c", c)
    xlim, ylim = _limits("xlim", xlim), _limits("ylim", ylim)
    if w1 == 0 and w2 == 0:
        return None
    if abs(w2) >= abs(w1):  # solve for x2: never divides by a tiny number
        x1 = np.array(xlim, dtype=float)
        return x1, -(w1 * x1 + c) / w2
    x2 = np.array(ylim, dtype=float)
    return -(w2 * x2 + c) / w1, x2


def _limits(name: str, limits) -> np.ndarray:
    limits = as_vector(name, limits)
    if limits.shape != (2,):
        raise InputError(f"{name} must be two numbers (low, high), e.g. ax.get_xlim(); got "
                         f"shape {limits.shape}")
    return limits


# --- one example through the computation graph ------------------------------------------

#: the nodes of :func:`draw_computation_graph`, in the order of the forward pass
GRAPH_NODES = ("x", "w", "b", "y", "z", "a", "L")


def graph_values(w: float, b: float, x: float, y: float) -> dict[str, tuple]:
    """Forward value and backward derivative dL/d(node) at every node, for one example.

    Forward: z = w·x + b, a = σ(z), L = −(y log a + (1 − y) log(1 − a)).
    Backward: da = −y/a + (1 − y)/(1 − a), dz = da·σ'(z) = a − y, dw = x·dz,
    dx = w·dz, db = dz. The label y is data, not something we change: its derivative
    is None. Returns ``{node: (value, derivative)}``.
    """
    w, b, x = as_scalar("w", w), as_scalar("b", b), as_scalar("x", x)
    y = as_scalar("y", y)
    if y not in (0.0, 1.0):
        raise InputError(f"y is a label: 0 or 1, got {y}")
    z = w * x + b
    a = float(sigmoid(z))
    L = float(_cross_entropy_from_z(z, y))  # = −(y log a + (1 − y) log(1 − a)), safely
    dz = a - y
    # da = −y/a + (1 − y)/(1 − a), the one of the two terms that is not 0 (y is 0 or 1);
    # e^(±z) form: 1/a = 1 + e^(−z) and 1/(1 − a) = 1 + e^z, finite unless |z| > 709.
    with np.errstate(over="ignore"):
        da = -(1 + np.exp(-z)) if y == 1 else 1 + np.exp(z)
    return {"x": (x, w * dz), "w": (w, x * dz), "b": (b, dz), "y": (y, None),
            "z": (z, dz), "a": (a, float(da)), "L": (L, 1.0)}


# where each node sits (x, y) in the drawing, and what its box says
_LAYOUT = {"x": (0.7, 3.6), "w": (0.7, 2.0), "b": (0.7, 0.4), "y": (6.9, 0.4),
           "z": (3.3, 2.0), "a": (5.9, 2.0), "L": (8.6, 2.0)}
_BOX = {"x": "x", "w": "w", "b": "b", "y": "y", "z": "z = w·x + b", "a": "a = σ(z)",
        "L": "L(a, y)"}
_BACKWARD = {"x": "dx = w·dz =", "w": "dw = x·dz =", "b": "db = dz =", "z": "dz = a − y =",
             "a": "da = −y/a + (1−y)/(1−a) =", "L": "dL/dL ="}
_HALF_WIDTH = {"z": 0.8, "a": 0.6, "L": 0.55}  # of each box, in data units (others 0.25)


def draw_computation_graph(ax=None, *, fontsize: float = 10):
    """Draw the computation graph (计算图) of one example; return its animated texts.

    Boxes for the inputs x, w, b and the label y, then z = w·x + b, a = σ(z) and the
    loss L(a, y); grey arrows point forward, left to right. Above each box goes its
    forward value (blue), under it the backward derivative dL/d(node) (red), after a
    fixed label that says how it is computed. Returns ``{node: (value_text,
    derivative_text or None)}``: empty ``animated=True`` Text artists, to be set from
    :func:`graph_values`. Draws on ``ax`` (default: the current pyplot axes).
    """
    ax, fontsize = as_axes(ax), as_positive("fontsize", fontsize)
    for start in ("x", "w", "b", "z", "a", "y"):
        end = {"z": "a", "a": "L", "y": "L"}.get(start, "z")
        (x0, y0), (x1, y1) = _LAYOUT[start], _LAYOUT[end]
        if start == "y":  # up into the bottom of the loss box
            x0, y0, x1, y1 = x0 + 0.25, y0 + 0.2, x1 - 0.3, y1 - 0.3
        else:
            x0, x1 = x0 + _HALF_WIDTH.get(start, 0.25), x1 - _HALF_WIDTH.get(end, 0.25)
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "-|>", "color": "0.45", "lw": 1.3})
    texts = {}
    for node, (x, y) in _LAYOUT.items():
        colour = "#fff3d6" if node in ("z", "a", "L") else "#e3eef9"
        ax.text(x, y, _BOX[node], ha="center", va="center", fontsize=fontsize + 1,
                bbox={"boxstyle": "round,pad=0.35", "fc": colour, "ec": "0.4"})
        value = ax.text(x, y + 0.4, "", ha="center", va="bottom", fontsize=fontsize,
                        color="tab:blue", animated=True)
        derivative = None
        if node in _BACKWARD:
            ax.text(x + 0.3, y - 0.4, _BACKWARD[node], ha="right", va="top",
                    fontsize=fontsize - 1, color="tab:red")
            derivative = ax.text(x + 0.38, y - 0.4, "", ha="left", va="top",
                                 fontsize=fontsize, color="tab:red", animated=True)
        texts[node] = (value, derivative)
    ax.text(4.6, 4.35, "forward: values, left to right →", color="tab:blue", ha="center",
            fontsize=fontsize)
    ax.text(4.6, -0.55, "← backward: derivatives of L, right to left", color="tab:red",
            ha="center", fontsize=fontsize)
    ax.set_xlim(-0.4, 9.6)
    ax.set_ylim(-0.7, 4.6)
    ax.axis("off")
    return texts
