"""Notebook 00, welcome: the figure of the three kinds of task.

The set-up check that notebook 00 runs is :mod:`helpers.environment`; its exercise checks
are :mod:`helpers.checks.welcome`. The first live figure of notebook 00 is built in the
notebook itself, as the worked example of how every live figure is made.
"""

from __future__ import annotations

import numpy as np

from helpers.validate import as_generator

# a cat, 9 × 9 pixels (1: fur)
_CAT = np.array([[1, 0, 0, 0, 0, 0, 0, 0, 1],
                 [1, 1, 0, 0, 0, 0, 0, 1, 1],
                 [1, 1, 1, 1, 1, 1, 1, 1, 1],
                 [1, 0, 0, 1, 1, 1, 0, 0, 1],
                 [1, 1, 1, 1, 1, 1, 1, 1, 1],
                 [1, 1, 1, 1, 0, 1, 1, 1, 1],
                 [1, 1, 0, 1, 1, 1, 0, 1, 1],
                 [0, 1, 1, 0, 0, 0, 1, 1, 0],
                 [0, 0, 1, 1, 1, 1, 1, 0, 0]])


def task_kinds_figure(rng: np.random.Generator):
    """Three panels, one per kind of task: regression (a number for each x, made-up data
    from ``rng``), classification (one of two classes for each point) and structured
    learning (a picture in, a sentence out). Returns the pyplot figure."""
    import matplotlib.pyplot as plt

    rng = as_generator(rng)
    fig, (ax_reg, ax_cls, ax_str) = plt.subplots(1, 3, figsize=(11, 3.4), layout="constrained")

    # Regression: a number for each x.
    x_reg = np.sort(rng.uniform(0, 10, 30))
    y_reg = 2 + 0.5 * x_reg + np.sin(x_reg) + rng.normal(0, 0.4, 30)
    grid = np.linspace(0, 10, 200)
    ax_reg.scatter(x_reg, y_reg, s=14, color="tab:green")
    ax_reg.plot(grid, 2 + 0.5 * grid + np.sin(grid), color="tab:blue")
    y_at_7 = 2 + 0.5 * 7 + np.sin(7)
    ax_reg.plot([7, 7], [0, y_at_7], ":", color="0.4")
    ax_reg.annotate(f"x = 7 → ŷ = {y_at_7:.1f}", (7, y_at_7), xytext=(1.0, 8.3),
                    arrowprops={"arrowstyle": "->", "color": "0.4"})
    ax_reg.set(title="回归 regression\n输出一个数 output: a number", xlabel="x", ylabel="y",
               ylim=(0, 9.5))

    # Classification: one of two classes for each point (x1, x2).
    points = rng.normal(0, 1, (2, 80))  # (n, m): 2 features, 80 examples, one column each
    is_cat = points[0] + points[1] > 0
    ax_cls.scatter(*points[:, is_cat], s=14, color="tab:orange", label="类别 1: cat")
    ax_cls.scatter(*points[:, ~is_cat], s=14, color="tab:blue", label="类别 0: not a cat")
    ax_cls.plot([-3, 3], [3, -3], "k--", lw=1)
    ax_cls.set(title="分类 classification\n从给定选项中选一个 output: one class", xlabel="x₁",
               ylabel="x₂", xlim=(-3, 3), ylim=(-3, 3))
    ax_cls.legend(loc="lower left", fontsize=8)

    # Structured learning: a picture in, a sentence out.
    ax_str.imshow(_CAT, cmap="Oranges", vmin=0, vmax=1.4, extent=(0, 3, 0.2, 2.8),
                  aspect="auto")
    ax_str.annotate("", xy=(4.6, 1.5), xytext=(3.3, 1.5), arrowprops={"arrowstyle": "->"})
    ax_str.text(4.8, 1.5, "一只猫在看着你\n“a cat looking\n  at you”", va="center")
    ax_str.set(title="结构化学习 structured learning\n输出有结构的东西 output: a sentence",
               xlim=(0, 10), ylim=(0, 3))
    ax_str.axis("off")
    return fig
