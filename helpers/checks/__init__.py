"""Exercise checks: run a learner's answer and say *specifically* what is wrong.

``engine`` holds the machinery (:class:`Verdict`, :class:`Mistake`,
:func:`check_function`, :func:`check_value`, :func:`check_choice`); each notebook's
checks live in a module of their own and are all available here, so a notebook writes
``checks.check_mse(mse)``. A check never raises into the notebook.
"""

from helpers.checks.engine import Mistake, Verdict, check_choice, check_function, check_value
from helpers.checks.gradient_descent import *  # noqa: F403 (each module's __all__)
from helpers.checks.gradient_descent import __all__ as _gradient_descent
from helpers.checks.linear_regression import (
    check_grid_evaluations,
    check_lag_features,
    check_mae,
    check_mse,
    check_predict,
)
from helpers.checks.piecewise import *  # noqa: F403
from helpers.checks.piecewise import __all__ as _piecewise
from helpers.checks.welcome import (
    check_feature_means,
    check_line_through_points,
    check_notation_shapes,
    check_task_kinds,
    check_X_shape,
    check_y_shape,
)

__all__ = [
    "Mistake", "Verdict", "check_choice", "check_function", "check_value",
    "check_feature_means", "check_grid_evaluations", "check_lag_features",
    "check_line_through_points", "check_mae", "check_mse", "check_notation_shapes",
    "check_predict", "check_task_kinds", "check_X_shape", "check_y_shape",
    *_gradient_descent, *_piecewise,
]
