"""Notebook 00's module: the figure of the three kinds of task."""

import matplotlib.pyplot as plt
import numpy as np

from helpers import welcome


def test_task_kinds_figure_draws_one_panel_per_kind_from_its_generator():
    fig = welcome.task_kinds_figure(np.random.default_rng(1))
    try:
        titles = [ax.get_title() for ax in fig.axes]
        assert [t.split("\n")[0] for t in titles] == [
            "回归 regression", "分类 classification", "结构化学习 structured learning"]
        again = welcome.task_kinds_figure(np.random.default_rng(1))
        same = [np.asarray(a.collections[0].get_offsets()) for a in (fig.axes[0], again.axes[0])]
        np.testing.assert_array_equal(*same)  # the same seed, the same points
        plt.close(again)
    finally:
        plt.close(fig)
