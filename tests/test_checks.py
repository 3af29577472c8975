"""Exercise checks: right answers pass, typical wrong answers get the specific verdict."""

import numpy as np
import pytest

from helpers import checks, linear


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    pass


def crashes(*args):
    return 1 / 0


@pytest.mark.parametrize("check", [checks.check_mse, checks.check_mae, checks.check_predict,
                                   checks.check_lag_features])
def test_common_verdicts(check):
    assert "not implemented yet" in check(stub).message
    assert "did you forget the `return`" in check(returns_none).message
    assert "raised ZeroDivisionError" in check(crashes).message
    assert not check(stub) and not check(returns_none)


@pytest.mark.parametrize("wrong, phrase", [
    (lambda y, y_hat: np.mean((y - y_hat) ** 2), None),
    (lambda y, y_hat: np.sum((y - y_hat) ** 2), "divide by m"),
    (lambda y, y_hat: np.mean(np.abs(y - y_hat)), "mean *absolute* error"),
    (lambda y, y_hat: np.mean(y - y_hat), "not squared"),
    (lambda y, y_hat: np.sqrt(np.mean((y - y_hat) ** 2)), "*root*"),
    (lambda y, y_hat: (y - y_hat) ** 2, "did you forget to average"),
    (lambda y, y_hat: np.mean((y - y_hat) ** 2) / 2, "half the MSE"),
    (lambda y, y_hat: np.mean(y - y_hat) ** 2, "squares the *mean* error"),
    (lambda y, y_hat: np.mean((y - y_hat) ** 3), "expected"),
])
def test_check_mse(wrong, phrase):
    verdict = checks.check_mse(wrong)
    if phrase is None:
        assert verdict.passed and "Correct" in verdict.message
    else:
        assert not verdict.passed and phrase in verdict.message


@pytest.mark.parametrize("answer, phrase", [
    (lambda y, y_hat: np.mean(np.abs(y - y_hat)), None),
    (lambda y, y_hat: np.sum(np.abs(y - y_hat)), "divide by m"),
    (lambda y, y_hat: np.mean((y - y_hat) ** 2), "mean *squared* error"),
    (lambda y, y_hat: np.mean(y_hat - y), "absolute value is missing"),
    (lambda y, y_hat: np.abs(np.mean(y - y_hat)), "before averaging"),
])
def test_check_mae(answer, phrase):
    verdict = checks.check_mae(answer)
    assert verdict.passed == (phrase is None)
    assert phrase is None or phrase in verdict.message


@pytest.mark.parametrize("answer, phrase", [
    (lambda X, w, b: w @ X + b, None),
    (linear.predict, None),
    (lambda X, w, b: w @ X, "bias b is missing"),
    (lambda X, w, b: w @ X - b, "added, not subtracted"),
    (lambda X, w, b: X.T @ w + b, None),  # same numbers, another way
    (lambda X, w, b: (w[:, None] * X + b), "wrong shape"),
])
def test_check_predict(answer, phrase):
    verdict = checks.check_predict(answer)
    assert verdict.passed == (phrase is None), verdict.message
    assert phrase is None or phrase in verdict.message


def test_check_lag_features():
    assert checks.check_lag_features(linear.lag_features).passed

    def rows(series, k):
        X, y = linear.lag_features(series, k)
        return X.T, y

    def oldest_first(series, k):
        X, y = linear.lag_features(series, k)
        return X[::-1], y

    def leaky(series, k):
        X, y = linear.lag_features(np.append(series, 0.0)[1:], k)
        return X, series[k:]

    def last_day_as_target(series, k):
        X, y = linear.lag_features(series, k)
        return X, X[0]

    def one_value(series, k):
        return linear.lag_features(series, k)[0]

    assert "transposed" in checks.check_lag_features(rows).message
    assert "opposite order" in checks.check_lag_features(oldest_first).message
    assert "leak" in checks.check_lag_features(leaky).message
    assert "one day early" in checks.check_lag_features(last_day_as_target).message
    assert "should return 2 values" in checks.check_lag_features(one_value).message


def test_check_value_and_check_choice():
    assert checks.check_value(100**3, 1_000_000).passed
    assert "not filled in" in checks.check_value(..., 5).message
    verdict = checks.check_value(300, 1_000_000, mistakes=[(300, "Multiply, don't add.")])
    assert "Multiply" in verdict.message
    assert "try again" in checks.check_value(7, 5).message
    assert "should be a number" in checks.check_value("five", 5).message
    assert checks.check_value((5, 100), (5, 100)).passed
    assert not checks.check_value((100, 5), (5, 100)).passed
    assert checks.check_choice(" Regression", "regression").passed
    verdict = checks.check_choice("classification", "regression",
                                  explanations={"classification": "A number, not a class."})
    assert "A number, not a class." in verdict.message
    assert "not filled in" in checks.check_choice(..., "regression").message


def test_a_check_never_raises_even_if_its_reference_does():
    verdict = checks.check_function(lambda x: x, lambda x: 1 / 0, [(1.0,)])
    assert not verdict.passed and "checker could not finish" in verdict.message


def test_nan_is_reported():
    verdict = checks.check_function(lambda x: np.full(2, np.nan), lambda x: np.ones(2),
                                    [(1.0,)], name="f")
    assert "NaN" in verdict.message


def test_verdict_displays():
    verdict = checks.Verdict(False, "wrong <shape>")
    assert repr(verdict) == "✗ wrong <shape>"
    assert "&lt;shape&gt;" in verdict._repr_html_()


@pytest.mark.parametrize("answer, phrase", [
    (lambda k, values: values**k, None),
    (lambda k, values: k * values, "counts multiply"),
    (lambda k, values: k**values, "exponent"),
    (lambda k, values: k + values, "they don't add"),
])
def test_check_grid_evaluations(answer, phrase):
    verdict = checks.check_grid_evaluations(answer)
    assert verdict.passed == (phrase is None), verdict.message
    assert phrase is None or phrase in verdict.message


# --- every notebook's checks: found, not listed -------------------------------------------

def _notebook_check_modules():
    import importlib
    import pkgutil

    import helpers.checks as package

    return [importlib.import_module(f"helpers.checks.{info.name}")
            for info in pkgutil.iter_modules(package.__path__) if info.name != "engine"]


def _function_checks():
    """Every check that takes the learner's function (its one parameter is ``fn``)."""
    import inspect

    return [getattr(module, name) for module in _notebook_check_modules()
            for name in module.__all__
            if list(inspect.signature(getattr(module, name)).parameters) == ["fn"]]


@pytest.mark.parametrize("module", _notebook_check_modules(), ids=lambda m: m.__name__)
def test_every_check_is_exported_by_name(module):
    from helpers import checks

    assert module.__all__, f"{module.__name__} lists no checks"
    for name in module.__all__:
        assert getattr(checks, name) is getattr(module, name)


def _raises_not_implemented(*args):
    raise NotImplementedError


@pytest.mark.parametrize("check", _function_checks(), ids=lambda c: c.__name__)
def test_stubs_and_forgotten_returns(check):
    verdict = check(_raises_not_implemented)
    assert not verdict.passed and "not implemented yet" in verdict.message
    verdict = check(lambda *args: None)
    assert not verdict.passed and "forget the `return`" in verdict.message


# --- the engine: reasonable forms accepted, and the form's mistakes named ----------------------


def _two(x, k):
    return x * k, np.sum(x)


def _check_two(fn):
    return checks.check_function(fn, _two, [(np.array([1.0, 2.0, 4.0]), 3.0)],
                                 outputs=("scaled", "total"), name="two")


@pytest.mark.parametrize("right", [
    lambda x, k: (x * k, np.sum(x)),
    lambda x, k: [x * k, np.sum(x)],  # a list of the values
    lambda x, k: (x * k, np.array([[np.sum(x)]])),  # a number as a (1, 1) array
    lambda x, k: (x * k, [np.sum(x)]),  # ... or as a one-element list
])
def test_right_values_in_any_reasonable_form_pass(right):
    verdict = _check_two(right)
    assert verdict.passed, verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda x, k: (np.sum(x), x * k), "you returned them in the order total, scaled"),
    (lambda x, k: np.array([np.sum(x), 1.0]), "one array of shape (2,)"),
    (lambda x, k: (x * k, np.sum(x), k), "returned 3 values; it should return 2"),
    (lambda x, k: (x * k, None), "returned None as total"),
    (lambda x, k: {"scaled": x * k}, "it should return 2 values: `return scaled, total`"),
    (lambda x, k: (x * k, x), "The sum of your array is the expected number"),
    (lambda x, k: (np.sum(x * k), np.sum(x)), "their sum"),
])
def test_the_form_of_a_wrong_return_is_named(wrong, words):
    verdict = _check_two(wrong)
    assert not verdict.passed and words in verdict.message, verdict.message


def test_a_single_number_for_an_array_names_which_one():
    def running_mean(x):
        return np.cumsum(x) / np.arange(1, len(x) + 1)

    verdict = checks.check_function(lambda x: running_mean(x)[-1], running_mean,
                                    [(np.array([1.0, 3.0, 8.0]),)], name="running_mean")
    assert not verdict.passed and "the last of the expected values" in verdict.message


def test_math_functions_on_arrays_are_named():
    import math

    verdict = checks.check_function(lambda z: 1 / (1 + math.exp(-z)),
                                    lambda z: 1 / (1 + np.exp(-z)),
                                    [(np.array([0.0, 1.0]),)], name="sigmoid")
    assert not verdict.passed and "use NumPy's (np.exp" in verdict.message, verdict.message


def test_values_are_shown_with_the_digits_that_differ():
    verdict = checks.check_function(lambda x: x + 1e-6, lambda x: x,
                                    [(np.array([0.5, 2.0]),)], name="f")
    assert not verdict.passed
    shown = verdict.message.split(": the result is ")[1]
    got, expected = shown.rstrip(".").split(", expected ")
    assert got != expected, verdict.message


def test_check_value_takes_a_number_in_a_one_element_container():
    assert checks.check_value(np.array([[7.0]]), 7).passed
    assert checks.check_value([7.0], 7).passed
    assert not checks.check_value([7.0, 7.0], 7).passed


def test_printing_instead_of_returning_is_named():
    verdict = checks.check_mse(lambda y, y_hat: print(np.mean((y - y_hat) ** 2)))
    assert not verdict.passed and "only `return` gives it back" in verdict.message


def test_progress_shows_the_last_verdict_of_each_check_without_running_anything():
    from helpers.checks import engine
    from helpers.validate import InputError

    engine.RECORD.verdicts.clear()
    shown = repr(checks.progress("softmax_regression"))
    assert shown.count("not checked yet") == 5 and "0 of 5 exercises pass" in shown
    checks.check_one_hot(stub)
    checks.check_softmax(lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(
        axis=0))
    lines = checks.progress("softmax_regression").lines()
    assert lines[0].startswith("✓  softmax ") and "Correct!" in lines[0]
    assert lines[1].startswith("✗  one_hot ") and lines[1].endswith("not done yet")
    assert lines[-1].startswith("1 of 5 exercises pass")
    checks.check_softmax(returns_none)  # the last verdict counts
    assert checks.progress("softmax_regression").lines()[0].startswith("✗  softmax ")
    assert "<br>" in checks.progress("softmax_regression")._repr_html_()
    with pytest.raises(InputError, match="notebook must be one of"):
        checks.progress("05_deep_networks")


def test_a_right_answer_that_changes_its_input_in_place_passes_and_is_told():
    def softmax_in_place(Z):
        Z -= Z.max(axis=0, keepdims=True)
        return np.exp(Z) / np.exp(Z).sum(axis=0)

    verdict = checks.check_softmax(softmax_in_place)
    assert verdict.passed and "changes its input `Z` in place" in verdict.message
    verdict = checks.check_softmax(lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(
        Z - Z.max(axis=0)).sum(axis=0))
    assert verdict.passed and "in place" not in verdict.message


@pytest.mark.parametrize("wrong, words", [
    (lambda W, A: W @ A.T, "inner sizes differ"),
    (lambda W, A: np.dot(A, W), "inner sizes differ"),
    (lambda W, A: W @ A + A.sum(axis=1), "could not be broadcast"),
])
def test_shape_errors_get_a_hint(wrong, words):
    verdict = checks.check_function(wrong, lambda W, A: W @ A,
                                    [(np.ones((3, 2)), np.ones((2, 4)))], name="layer")
    assert not verdict.passed and words in verdict.message, verdict.message
