"""helpers.drawing: the computation graph (notebooks 04 and 05), the network (03 and 05) and
the pixel image of the decision regions."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers import drawing, layers
from helpers.drawing import Node


def new_axes():
    fig = Figure()
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def texts_of(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


# --- the computation graph ------------------------------------------------------------------


def test_a_static_graph_shows_its_values_and_derivatives():
    ax = new_axes()
    nodes = [Node("w", (0, 1), value=2.0, grad=3.0), Node("x", (0, 0), value=1.5),
             Node("z", (1, 0), "z = w·x", 3.0, 1.5)]
    texts = drawing.draw_computation_graph(nodes, [("w", "z"), ("x", "z")], ax=ax)
    assert set(texts) == {"w", "x", "z"}
    assert [texts[name][0].get_text() for name in "wxz"] == ["2", "1.5", "3"]
    assert texts["w"][1].get_text() == "3" and texts["z"][1].get_text() == "1.5"
    assert texts["x"][1] is None, "no grad and no backward: no derivative"
    shown = texts_of(ax)
    assert "z = w·x" in shown and "∂L/∂w =" in shown and "∂L/∂z =" in shown
    assert not any(t.startswith("∂L/∂x") for t in shown)
    assert not any(t.get_animated() for t in ax.texts), "drawn by a normal draw"
    # w's arrow goes down to z: its derivative moves left of the box, out of the way
    assert texts["w"][1].xyann[0] < 0 < texts["z"][1].xyann[0]
    # the values sit above the boxes, the derivatives under them
    assert texts["z"][0].xyann[1] > 0 > texts["z"][1].xyann[1]
    boxes = {t.get_text(): t.get_bbox_patch().get_facecolor() for t in ax.texts
             if t.get_bbox_patch() is not None}
    assert boxes["w"] == boxes["x"] != boxes["z = w·x"], "inputs and computed nodes differ"
    ax.figure.canvas.draw()


def test_a_live_graph_returns_animated_texts_to_fill():
    ax = new_axes()
    nodes = [Node("x", (0, 0), backward="dx = w·dz"), Node("y", (0, -1)),
             Node("L", (2, 0), "L(x, y)", backward="dL/dL")]
    texts = drawing.draw_computation_graph(nodes, [("x", "L"), ("y", "L")], ax=ax,
                                           animated=True, loss_name="J")
    assert texts["y"][1] is None
    assert all(value.get_animated() and value.get_text() == "" for value, _ in texts.values())
    assert texts["x"][1].get_animated() and texts["x"][1].get_text() == ""
    assert "dx = w·dz =" in texts_of(ax) and "dL/dL =" in texts_of(ax)
    assert "← backward: derivatives of J, right to left" in texts_of(ax)
    texts["x"][1].set_text("0.25")
    ax.figure.canvas.draw()


def test_the_graph_rejects_bad_nodes_and_edges():
    ax = new_axes()
    nodes = [Node("x", (0, 0), value=1.0), Node("z", (1, 0), value=2.0)]
    with pytest.raises(ValueError, match="not in nodes"):
        drawing.draw_computation_graph(nodes, [("x", "y")], ax=ax)
    with pytest.raises(ValueError, match="node z's xy must be a point"):
        drawing.draw_computation_graph([nodes[0], Node("z", 1.0)], [], ax=ax)
    with pytest.raises(ValueError, match="node x's grad"):
        drawing.draw_computation_graph([Node("x", (0, 0), grad=float("nan"))], [], ax=ax)
    with pytest.raises(ValueError, match="every entry of nodes"):
        drawing.draw_computation_graph([("x", (0, 0))], [], ax=ax)


# --- the network ----------------------------------------------------------------------------


def test_count_parameters_per_layer():
    assert drawing.count_parameters([5, 6]) == [(30, 6)]
    assert drawing.count_parameters([5, 6, 4, 1]) == [(30, 6), (24, 4), (4, 1)]
    model = layers.mlp([784, 16, 16, 1], rng=np.random.default_rng(0))
    total = sum(w + b for w, b in drawing.count_parameters([784, 16, 16, 1]))
    assert total == model.n_parameters()
    with pytest.raises(ValueError, match="at least one layer"):
        drawing.count_parameters([5])
    with pytest.raises(ValueError, match="every layer size"):
        drawing.count_parameters([5, 0, 1])


def test_draw_network_counts_every_layer():
    ax = new_axes()
    assert drawing.draw_network([5, 6, 4, 1], ax=ax) is ax
    texts = " | ".join(texts_of(ax))
    assert "= 30 weights" in texts and "6 biases" in texts and "1 bias" in texts
    assert "input layer" in texts and "hidden layer 2" in texts and "output layer" in texts
    assert ax.get_title() == "5 → 6 → 4 → 1: 58 weights + 11 biases = 69 parameters"
    assert len(ax.lines) == 5 * 6 + 6 * 4 + 4 * 1  # one line per weight
    ax = new_axes()
    drawing.draw_network([784, 16, 1], ax=ax, max_drawn=8)
    assert [len(c.get_offsets()) for c in ax.collections] == [8, 8, 1]
    assert sum(t == "⋮" for t in texts_of(ax)) == 2


def test_draw_network_names_the_unknowns_of_notebook_03():
    ax = new_axes()
    captions = ("inputs x\n(n features)", "r = b + W x,  a = σ(r)\n(n1 units)", "ŷ = b₀ + cᵀa")
    drawing.draw_network([3, 4, 1], ax=ax, activation="σ", unit_names=("x", None, "ŷ"),
                         weight_names=("w", "c"), bias_names=("b", "b₀"), captions=captions)
    texts = texts_of(ax)
    assert [t for t in texts if t.startswith("x")] == ["x₁", "x₂", "x₃"]
    assert texts.count("σ") == 4 and texts.count("ŷ") == 1
    assert {"w₁₁", "w₄₃", "c₁", "c₂", "c₃", "c₄", "b₁", "b₄", "b₀", *captions} <= set(texts)
    assert "w₁₂" not in texts, "a wide layer names its first and last line only"
    assert not any("layer" in t or "weights" in t for t in texts), "captions replace them"
    assert ax.get_title() == ""
    assert len(ax.lines) == 3 * 4 + 4
    ax.figure.canvas.draw()


def test_draw_network_rejects_names_that_do_not_fit():
    with pytest.raises(ValueError, match="captions needs one text .* per layer, 3"):
        drawing.draw_network([3, 4, 1], ax=new_axes(), captions=("inputs", "units"))
    with pytest.raises(ValueError, match="weight_names needs one text .* per layer, 2"):
        drawing.draw_network([3, 4, 1], ax=new_axes(), weight_names=("w", "c", "d"))
    with pytest.raises(TypeError, match="every entry of unit_names"):
        drawing.draw_network([3, 4, 1], ax=new_axes(), unit_names=("x", 2, None))


# --- the pixel image of the decision regions -----------------------------------------------


def test_the_regions_image_is_the_right_way_up():
    fig = Figure(figsize=(3, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[..., 3] = 255
    rgba[0, :, 0] = 255   # row 0: red, at the bottom (origin="lower")
    rgba[-1, :, 2] = 255  # the last row: blue, at the top
    rgba[:, 0, 1] = 255   # column 0: with green, on the left
    image = drawing.PixelImage(ax, rgba)
    ax.add_artist(image)
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3]  # row 0 is the top of the figure
    bottom, top = 300 - 35, 35        # inside the axes, in the outer rows of the image
    left, right = 35, 300 - 35
    assert tuple(pixels[bottom, right]) == (255, 0, 0)
    assert tuple(pixels[top, right]) == (0, 0, 255)
    assert tuple(pixels[bottom, left]) == (255, 255, 0)
    with pytest.raises(ValueError, match="uint8 RGBA"):
        image.set_data(np.zeros((4, 4, 3)))
