"""Slider by Slider: the small package every notebook imports.

Modules (each short and documented):

* :mod:`helpers.live`     -- interactive figures that redraw in milliseconds
* :mod:`helpers.checks`   -- exercise checks with specific feedback
* :mod:`helpers.data`     -- the course's data sets (checksummed) and the beans generator
* :mod:`helpers.losses`   -- MAE and MSE, with their gradients
* :mod:`helpers.linear`   -- the linear model, grid search, lag features, least squares
* :mod:`helpers.descent`  -- gradient descent and its variants, EMA (notebook 02)
* :mod:`helpers.piecewise` -- sigmoid/ReLU pieces, their sums, small ReLU networks (03)
* :mod:`helpers.logistic` -- logistic regression: cross-entropy, propagate, training (04)
* :mod:`helpers.layers`   -- a tiny layer library: forward and backward side by side (05)
* :mod:`helpers.playground` -- 2-D data sets and a network playground; network drawings (05)
* :mod:`helpers.hyperparams` -- sampling and searching hyperparameters; panda vs caviar (06)
* :mod:`helpers.normalisation` -- batch normalisation experiments and figures (07)
* :mod:`helpers.multiclass` -- softmax regression: probability bars, regions, confusions (08)
* :mod:`helpers.animation` -- an animation shown inline and saved as a GIF, in one call
* :mod:`helpers.plotting` -- small plot helpers (error-surface contours, ...)
* :mod:`helpers.fonts`    -- Chinese text in plots on any machine
* :mod:`helpers.gradcheck` -- numerical gradients, to check analytic ones
* :mod:`helpers.validate` -- clear errors for bad arguments (``InputError``): shapes, NaN...
* :mod:`helpers.environment` -- the set-up check of notebook 00
* :mod:`helpers.notebook_runner` -- re-run notebooks in place (``make notebooks``)

Importing the package makes matplotlib able to draw Chinese text (see ``fonts``).
"""

from helpers.fonts import use_cjk_font

use_cjk_font()
