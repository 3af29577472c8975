"""Exercise checks: run a learner's answer and say *specifically* what is wrong.

``engine`` holds the machinery (:class:`Verdict`, :class:`Mistake`,
:func:`check_function`, :func:`check_value`, :func:`check_choice`); each notebook's
checks live in a module of their own, which lists them in its ``__all__``. All are
available here, so a notebook writes ``checks.check_mse(mse)``. A check never raises
into the notebook.
"""

from helpers.checks import (
    batch_norm,
    deep_networks,
    gradient_descent,
    hyperparameter_search,
    linear_regression,
    logistic_regression,
    piecewise_fitting,
    softmax_regression,
    welcome,
)
from helpers.checks.batch_norm import *  # noqa: F403
from helpers.checks.deep_networks import *  # noqa: F403
from helpers.checks.engine import Mistake, Verdict, check_choice, check_function, check_value
from helpers.checks.gradient_descent import *  # noqa: F403
from helpers.checks.hyperparameter_search import *  # noqa: F403
from helpers.checks.linear_regression import *  # noqa: F403
from helpers.checks.logistic_regression import *  # noqa: F403
from helpers.checks.piecewise_fitting import *  # noqa: F403
from helpers.checks.softmax_regression import *  # noqa: F403
from helpers.checks.welcome import *  # noqa: F403

__all__ = ["Mistake", "Verdict", "check_choice", "check_function", "check_value",
           *welcome.__all__, *linear_regression.__all__, *gradient_descent.__all__,
           *piecewise_fitting.__all__, *logistic_regression.__all__, *deep_networks.__all__,
           *hyperparameter_search.__all__, *batch_norm.__all__, *softmax_regression.__all__]
