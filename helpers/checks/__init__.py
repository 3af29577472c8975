"""Exercise checks: run a learner's answer and say *specifically* what is wrong.

``engine`` holds the machinery (:class:`Verdict`, :class:`Mistake`,
:func:`check_function`, :func:`check_value`, :func:`check_choice`); each notebook's
checks live in a module of their own, which lists them in its ``__all__``. All are
available here, so a notebook writes ``checks.check_mse(mse)``. A check never raises
into the notebook. ``checks.progress("linear_regression")``, the last cell of each
notebook, shows where the learner stands on that notebook's exercises.
"""

from dataclasses import dataclass

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
from helpers.checks.engine import (
    RECORD,
    Mistake,
    Verdict,
    check_choice,
    check_function,
    check_value,
)
from helpers.checks.gradient_descent import *  # noqa: F403
from helpers.checks.hyperparameter_search import *  # noqa: F403
from helpers.checks.linear_regression import *  # noqa: F403
from helpers.checks.logistic_regression import *  # noqa: F403
from helpers.checks.piecewise_fitting import *  # noqa: F403
from helpers.checks.softmax_regression import *  # noqa: F403
from helpers.checks.welcome import *  # noqa: F403

__all__ = ["Mistake", "Verdict", "check_choice", "check_function", "check_value", "progress",
           *welcome.__all__, *linear_regression.__all__, *gradient_descent.__all__,
           *piecewise_fitting.__all__, *logistic_regression.__all__, *deep_networks.__all__,
           *hyperparameter_search.__all__, *batch_norm.__all__, *softmax_regression.__all__]

_NOTEBOOK_CHECKS = {module.__name__.rsplit(".", 1)[1]: module
                    for module in (welcome, linear_regression, gradient_descent,
                                   piecewise_fitting, logistic_regression, deep_networks,
                                   hyperparameter_search, batch_norm, softmax_regression)}


@dataclass(frozen=True)
class Progress:
    """Each exercise of a notebook with the last verdict of its check in this kernel."""

    notebook: str
    rows: tuple  # (exercise, Verdict or None when its check has not run)

    def lines(self) -> list[str]:
        width = max(len(exercise) for exercise, _ in self.rows)
        lines = []
        for exercise, verdict in self.rows:
            if verdict is None:
                lines.append(f"·  {exercise:<{width}}  not checked yet: run its check cell")
            else:
                said = verdict.message.split("\n")[0]
                if not verdict.passed and ("not implemented yet" in said
                                           or "not filled in yet" in said):
                    said = "not done yet"
                said = said if len(said) <= 70 else said[:69] + "…"
                lines.append(f"{'✓' if verdict.passed else '✗'}  {exercise:<{width}}  {said}")
        done = sum(1 for _, verdict in self.rows if verdict is not None and verdict.passed)
        lines.append(f"{done} of {len(self.rows)} exercises pass (the checks as last run in "
                     f"this kernel).")
        return lines

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        import html

        text = "<br>".join(html.escape(line) for line in self.lines())
        return f"<div style='font-family:monospace'>{text}</div>"


def progress(notebook: str) -> Progress:
    """Where you stand on the exercises of ``notebook`` (its module's name, e.g.
    ``"linear_regression"``): the last verdict of each check run in this kernel. Nothing
    of yours is run again."""
    from helpers.validate import InputError

    module = _NOTEBOOK_CHECKS.get(notebook)
    if module is None:
        raise InputError(f"notebook must be one of {sorted(_NOTEBOOK_CHECKS)}, not "
                         f"{notebook!r}")
    return Progress(notebook, tuple((name.removeprefix("check_"), RECORD.verdicts.get(name))
                                    for name in module.__all__))
