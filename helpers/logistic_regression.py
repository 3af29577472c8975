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
b ← b − lr·db. The data come first, as in :func:`helpers.linear.predict`:
``probabilities(X, w, b)``, ``propagate(X, Y, w, b)`` (Ng's assignment writes
``propagate(w, b, X, Y)``). The sigmoid is the overflow-free
:func:`helpers.activations.sigmoid`; the cost is computed from z as log(1 + e^z) − y·z
(the same number, with no log of 0). Every gradient here is checked against finite
differences in the unit tests.

The notebook's figures: :func:`surfaces_figure` (the two cost surfaces),
:func:`graph_figure` (the computation graph of one example) and :func:`boundary_figure`
(the decision boundary and the threshold), each ``(fig, update)`` for
:class:`helpers.live.LiveFigure`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from helpers import live
from helpers.activations import _sigmoid as sigmoid
from helpers.drawing import Node, draw_computation_graph
from helpers.losses import _cross_entropy_from_z
from helpers.training import diverged
from helpers.validate import (
    InputError,
    as_array,
    as_callable,
    as_choice,
    as_count,
    as_learning_rate,
    as_matrix,
    as_positive,
    as_scalar,
    as_size,
    as_text,
    as_vector,
)

#: ŷ is kept within [EPS, 1 − EPS] before its log is taken (see :func:`loss`)
EPS = 1e-15
#: a cost above this stops :func:`train` (a safety limit; ``max_cost=math.inf`` removes it)
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


def _checked(X, w, b, names=("w", "b")):
    X = as_matrix("X", X)
    return X, as_weights(w, X.shape[0], names[0]), as_scalar(names[1], b)


def _checked_labels(X: np.ndarray, Y) -> np.ndarray:
    Y = as_labels("Y", Y)
    if Y.shape[1] != X.shape[1]:
        raise InputError(f"X has {X.shape[1]} examples (columns) but Y has {Y.shape[1]}: "
                         f"X must be (n, m) and Y (1, m)")
    return Y


def _same_shape(A, Y) -> tuple[np.ndarray, np.ndarray]:
    A, Y = as_matrix("A", A), as_labels("Y", Y)
    if A.shape != Y.shape:
        raise InputError(f"A and Y must have the same shape (1, m); got A {A.shape} and "
                         f"Y {Y.shape}")
    if np.any((A < 0) | (A > 1)):
        raise InputError("A holds probabilities: every value must lie in [0, 1]")
    return A, Y


# --- the model: forward ----------------------------------------------------------------


def probabilities(X, w, b) -> np.ndarray:
    """A = σ(wᵀX + b): P(y = 1 | x) for every column of X. X (n, m), w (n, 1) -> (1, m)."""
    X, w, b = _checked(X, w, b)
    return sigmoid(w.T @ X + b)


def predict(X, w, b, threshold: float = 0.5) -> np.ndarray:
    """Labels 1 where a = σ(wᵀx + b) > threshold, else 0; shape (1, m), floats 0.0 and 1.0."""
    threshold = as_scalar("threshold", threshold)
    if not 0 <= threshold <= 1:
        raise InputError(f"threshold is compared with probabilities: it must lie in "
                         f"[0, 1], got {threshold}")
    return (probabilities(X, w, b) > threshold).astype(float)


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


def propagate(X, Y, w, b) -> tuple[float, np.ndarray, float]:
    """Forward and backward propagation over all m examples: ``(cost, dw, db)``.

    X (n, m), Y (1, m), w (n, 1), b a number -> cost a number, dw (n, 1), db a number,
    where dw = ∂J/∂w and db = ∂J/∂b (see the module docstring).
    """
    X, w, b = _checked(X, w, b)
    return _propagate(X, _checked_labels(X, Y), w, b)


def _propagate(X, Y, w, b):
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
        stopped_at: the update after which the cost passed ``max_cost`` or stopped being a
            finite number (the run stopped there), or None. A stop by a cost limit is not
            a proof of divergence (发散): the cross-entropy's gradient is bounded, and runs
            that jump above the limit can come back down (notebook 04, section 7).
    """

    w: np.ndarray
    b: float
    costs: np.ndarray
    stopped_at: int | None

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None


_count = as_count


def train(X, Y, lr: float, steps: int, *, w0=None, b0: float = 0.0,
          max_cost: float = MAX_COST) -> Training:
    """Gradient descent on the cross-entropy cost: w ← w − lr·dw, b ← b − lr·db.

    Args:
        X: (n, m) inputs, one column per example; Y: (1, m) labels 0 or 1.
        lr: the learning rate, > 0. steps: how many updates, >= 1 (Ng's
            num_iterations).
        w0, b0: where to start (default: w = 0, shape (n, 1), and b = 0, where every
            a = 0.5 and the cost is log 2 ≈ 0.693).
        max_cost: the run stops at the first update after which the cost is above this
            (the default 100 means the right labels get, on average, a probability below
            e^(−100)) or not a finite number; ``math.inf``: only a cost that is not a
            finite number stops it.
    """
    X = as_matrix("X", X)
    Y = _checked_labels(X, Y)
    lr, steps = as_learning_rate(lr), _count("steps", steps)
    w0 = np.zeros((X.shape[0], 1)) if w0 is None else w0
    X, w, b = _checked(X, w0, b0, names=("w0", "b0"))
    max_cost = _as_limit(max_cost)
    costs, stopped_at = [], None
    with np.errstate(over="ignore", invalid="ignore"):  # a cost that is not a number stops it
        for k in range(steps + 1):
            J, dw, db = _propagate(X, Y, w, b)
            if diverged(J, max_cost):  # the course's rule: above the limit, NaN or inf
                stopped_at = k
                if np.isfinite(J):
                    costs.append(J)
                break
            costs.append(J)
            if k == steps:
                break
            w_next, b_next = w - lr * dw, b - lr * db
            if not (np.all(np.isfinite(w_next)) and np.isfinite(b_next)):
                stopped_at = k + 1
                break
            w, b = w_next, b_next
    return Training(w, float(b), np.array(costs), stopped_at)


def _as_limit(max_cost) -> float:
    """max_cost as a positive number; math.inf (no limit) is allowed."""
    if isinstance(max_cost, (float, np.floating)) and max_cost == np.inf:
        return float(max_cost)
    return as_positive("max_cost", max_cost, " (math.inf: no limit)")


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


def graph_values(x: float, y: float, w: float, b: float) -> dict[str, tuple]:
    """Forward value and backward derivative dL/d(node) at every node, for one example.

    Forward: z = w·x + b, a = σ(z), L = −(y log a + (1 − y) log(1 − a)).
    Backward: da = −y/a + (1 − y)/(1 − a), dz = da·σ'(z) = a − y, dw = x·dz,
    dx = w·dz, db = dz. The label y is data, not something we change: its derivative
    is None. Returns ``{node: (value, derivative)}``.
    """
    x, y = as_scalar("x", x), as_scalar("y", y)
    w, b = as_scalar("w", w), as_scalar("b", b)
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


#: the computation graph of :func:`graph_values`: where each node sits, what its box says
#: and how its derivative is computed (the label y has none: it is data, never changed)
GRAPH_NODES = (Node("x", (0.7, 3.6), backward="dx = w·dz"),
               Node("w", (0.7, 2.0), backward="dw = x·dz"),
               Node("b", (0.7, 0.4), backward="db = dz"),
               Node("y", (6.9, 0.4)),
               Node("z", (3.3, 2.0), "z = w·x + b", backward="dz = a − y"),
               Node("a", (5.9, 2.0), "a = σ(z)", backward="da = −y/a + (1−y)/(1−a)"),
               Node("L", (8.6, 2.0), "L(a, y)", backward="dL/dL"))
GRAPH_EDGES = (("x", "z"), ("w", "z"), ("b", "z"), ("z", "a"), ("a", "L"), ("y", "L"))


# --- the notebook's live figures -------------------------------------------------------


def surfaces_figure(x, y, ws, bs, surfaces: dict, *, figsize=(11.0, 3.6)):
    """One feature, two cost surfaces and a point (w, b) to move: the figure and its
    ``update(w, b)`` for :class:`helpers.live.LiveFigure` -> ``(fig, update)``.

    Left: the feature x (m,) (the standardised fill) against the labels y (m,), jittered
    up and down a little so that the points do not hide each other, with the curve
    a = σ(w·x + b). Middle and right: ``surfaces``, {kind: J on the grid} for both
    :data:`COSTS` as :func:`cost_surface` computes them on ``ws`` × ``bs``, seen from
    above, with the point (w, b). A readout gives both costs at (w, b).
    """
    x, ws, bs = as_vector("x", x), as_vector("ws", ws), as_vector("bs", bs)
    y = as_labels("y", np.reshape(as_vector("y", y), (1, -1)))[0]
    if x.size != y.size:
        raise InputError(f"x has {x.size} examples but y has {y.size}")
    if not isinstance(surfaces, dict) or set(surfaces) != set(COSTS):
        raise InputError(f"surfaces must be a dict {{kind: cost_surface(x, y, ws, bs, kind)}} "
                         f"for the kinds {COSTS}; got {type(surfaces).__name__}")
    for kind in COSTS:
        if as_matrix(f"surfaces[{kind!r}]", surfaces[kind]).shape != (bs.size, ws.size):
            raise InputError(f"surfaces[{kind!r}] must have shape (len(bs), len(ws)) = "
                             f"({bs.size}, {ws.size}), got {np.shape(surfaces[kind])}")
    X, Y = x[None, :], y[None, :]                                    # (1, m)
    jitter = np.random.default_rng(4).uniform(-0.04, 0.04, y.size)   # the same every time
    x_axis = np.linspace(-3, 4, 300)
    fig, (ax_data, ax_ce, ax_se) = live.figure(1, 3, figsize=as_size("figsize", figsize))
    ax_data.scatter(x, y + jitter, s=6, c=np.where(y == 1, "tab:red", "tab:blue"),
                    alpha=0.35, lw=0)
    ax_data.set(xlim=(-3, 4), ylim=(-0.12, 1.12), xlabel="fill (standardised)",
                ylabel="y (1 = sneaker)", title="a = σ(w·fill + b)")
    (curve,) = ax_data.plot([], [], color="k", lw=2, animated=True)
    marks = {}
    for ax, kind in ((ax_ce, "cross-entropy"), (ax_se, "squared error")):
        ax.contourf(ws, bs, surfaces[kind], levels=30, cmap="viridis")
        ax.set(xlabel="w", ylabel="b", title=f"J(w, b): {kind}")
        (marks[kind],) = ax.plot([], [], "o", ms=9, mfc="white", mec="red", mew=2,
                                 animated=True)
    readout = ax_data.text(0.03, 0.62, "", transform=ax_data.transAxes, fontsize=9,
                           animated=True, bbox={"fc": "white", "alpha": 0.85})

    def update_logistic_surfaces(w, b):
        curve.set_data(x_axis, sigmoid(w * x_axis + b))
        Z = w * X + b                                                # (1, m)
        for mark in marks.values():
            mark.set_data([w], [b])
        readout.set_text(f"cross-entropy {cost_from_z(Z, Y):.3f}\n"
                         f"squared error {squared_error_cost(sigmoid(Z), Y):.3f}")

    return fig, update_logistic_surfaces


def graph_figure(values=None, *, figsize=(9.5, 3.8)):
    """The computation graph of one example (:data:`GRAPH_NODES`, drawn by
    :func:`helpers.drawing.draw_computation_graph`) and its ``update(w, b, x, y)``, which
    writes the values and derivatives that ``values(x, y, w, b)`` returns (default
    :func:`graph_values`; the notebook passes its own, written the same way:
    ``{node: (value, derivative)}``) -> ``(fig, update)``."""
    values = graph_values if values is None else as_callable(
        "values", values, "graph_values(x, y, w, b) -> {node: (value, derivative)}")
    fig, ax = live.figure(figsize=as_size("figsize", figsize))
    texts = draw_computation_graph(GRAPH_NODES, GRAPH_EDGES, ax=ax, animated=True)

    def update_logistic_graph(w, b, x, y):
        graph = values(x, y, w, b)  # {node: (value, dL/d node)}
        for node, (value_text, derivative_text) in texts.items():
            value, derivative = graph[node]
            value_text.set_text(f"{value:.0f}" if node == "y" else _short(value))
            if derivative_text is not None:
                derivative_text.set_text(_short(derivative))

    return fig, update_logistic_graph


def _short(value: float) -> str:
    return f"{value:.3f}" if abs(value) < 1e4 else f"{value:.3g}"


def boundary_figure(X, Y, box=(-2.6, 3.2, -1.8, 3.6), *, figsize=(9.5, 4.6)):
    """Two features, the decision boundary (决策边界) and a threshold: the figure and its
    ``update(w1, w2, b, t)`` for :class:`helpers.live.LiveFigure` -> ``(fig, update)``.

    X (2, m): the features (x₁ fill, x₂ height, standardised) of the m examples, Y (1, m)
    their labels, drawn in ``box`` = (x₁ from, to, x₂ from, to). The background is
    a = σ(w₁x₁ + w₂x₂ + b), the solid line the boundary a = 0.5 (z = 0), the dashed line
    a = t (z = ln(t / (1 − t))); rings mark the examples :func:`predict` gets wrong at the
    threshold t. The box beside gives the cost and the :func:`confusion_counts`.
    """
    X = as_matrix("X", X)
    if X.shape[0] != 2:
        raise InputError(f"X must have shape (2, m), two features per example; got shape "
                         f"{X.shape}")
    Y = _checked_labels(X, Y)
    box = as_vector("box", box)
    if box.shape != (4,) or not (box[0] < box[1] and box[2] < box[3]):
        raise InputError(f"box must be four numbers (x₁ from, to, x₂ from, to), each pair "
                         f"rising, e.g. (-2.6, 3.2, -1.8, 3.6); got {box}")
    # The probability is shown on a 72 × 56 grid of flat cells (pcolormesh): on each move only
    # their colours change (set_array), which draws several times faster than an image.
    edges_x1, edges_x2 = np.linspace(box[0], box[1], 73), np.linspace(box[2], box[3], 57)
    G1, G2 = np.meshgrid((edges_x1[:-1] + edges_x1[1:]) / 2, (edges_x2[:-1] + edges_x2[1:]) / 2)
    pale = ListedColormap(colormaps["RdBu_r"](np.linspace(0, 1, 256)) * 0.5 + 0.5)  # + white
    fig, (ax, ax_info) = live.figure(1, 2, figsize=as_size("figsize", figsize),
                                     width_ratios=[2.2, 1])
    cells = ax.pcolormesh(edges_x1, edges_x2, np.zeros_like(G1), cmap=pale, vmin=0, vmax=1,
                          animated=True)
    is_one = Y[0] == 1
    ax.plot(*X[:, is_one], "^", ms=3.2, mew=0, color="darkred", animated=True)
    ax.plot(*X[:, ~is_one], "o", ms=3, mew=0, color="navy", animated=True)
    (wrong_marks,) = ax.plot([], [], "o", ms=6.5, mfc="none", mec="k", mew=0.8, animated=True)
    (boundary_line,) = ax.plot([], [], "k-", lw=2.2, animated=True)
    (threshold_line,) = ax.plot([], [], "k--", lw=1.4, animated=True)
    ax.set(xlim=box[:2], ylim=box[2:], xlabel="x₁: fill (standardised)",
           ylabel="x₂: height (standardised)", title="decision boundary (决策边界)")
    fig.colorbar(cells, ax=ax, label="a = P(sneaker)", fraction=0.05)
    ax_info.axis("off")
    ax_info.legend(handles=[
        Line2D([], [], marker="^", ls="", color="darkred", label="sneaker, y = 1"),
        Line2D([], [], marker="o", ls="", color="navy", label="sandal, y = 0"),
        Line2D([], [], color="k", lw=2.2, label="boundary a = 0.5"),
        Line2D([], [], color="k", ls="--", label="threshold a = t"),
        Line2D([], [], marker="o", mfc="none", ls="", color="k", label="wrong at t")],
        loc="upper left", fontsize=9)
    info_text = ax_info.text(0.02, 0.55, "", va="top", family="monospace", fontsize=9.5,
                             animated=True)

    def update_logistic_boundary(w1, w2, b, t):
        cells.set_array(sigmoid(w1 * G1 + w2 * G2 + b).ravel())
        z_t = np.log(t / (1 - t))                                    # a = t where z = z_t
        for line, level in ((boundary_line, 0.0), (threshold_line, z_t)):
            ends = line_in_box(w1, w2, b - level, box[:2], box[2:])
            line.set_data(*(ends if ends is not None else ([], [])))
        w = np.array([[w1], [w2]])
        predicted = predict(X, w, b, t)                              # (1, m)
        counts = confusion_counts(predicted, Y)
        wrong_marks.set_data(*X[:, predicted[0] != Y[0]])
        J = cost_from_z(w.T @ X + b, Y)
        info_text.set_text(f"J {J:.3f}     t {t:.2f}\nTP {counts.tp:4d}  FP {counts.fp:4d}\n"
                           f"FN {counts.fn:4d}  TN {counts.tn:4d}\naccuracy {counts.accuracy:.3f}")

    return fig, update_logistic_boundary
