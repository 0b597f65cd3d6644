import numpy as np
import pandas as pd
import pytest

from socialbasis.analysis.need import available_indicators, need_index, rescale


def test_rescale_spreads_values_over_zero_to_one():
    assert rescale(pd.Series([10, 20, 30])).tolist() == [0.0, 0.5, 1.0]
    assert rescale(pd.Series([5, 5])).tolist() == [0.5, 0.5]
    assert np.isnan(rescale(pd.Series([1.0, None, 3.0]))[1])


def test_need_index_is_the_weighted_mean_of_rescaled_indicators():
    buurten = pd.DataFrame({"pct_eenzaam": [10.0, 20.0, 30.0], "pct_65plus": [30.0, 20.0, 10.0]})
    # eenzaam weighs 2, 65+ weighs 1 by default: (2*z_e + z_65) / 3.
    assert need_index(buurten).tolist() == pytest.approx([1 / 3, 0.5, 2 / 3])
    equal = need_index(buurten, {"pct_eenzaam": 1, "pct_65plus": 1})
    assert equal.tolist() == pytest.approx([0.5, 0.5, 0.5])
    only_age = need_index(buurten, {"pct_eenzaam": 0})
    assert only_age.tolist() == pytest.approx([1.0, 0.5, 0.0])


def test_unknown_figures_are_left_out_not_counted_as_zero():
    buurten = pd.DataFrame({"pct_eenzaam": [10.0, None, 30.0], "pct_65plus": [10.0, 20.0, 30.0]})
    index = need_index(buurten)
    assert index[1] == pytest.approx(0.5)  # only 65+ known: rescaled 0.5
    assert available_indicators(buurten) == ["pct_eenzaam", "pct_65plus"]


def test_no_figures_means_no_need_index():
    buurten = pd.DataFrame({"buurtcode": ["BU1", "BU2"]})
    assert need_index(buurten).isna().all()
    assert available_indicators(buurten) == []


def test_unknown_weight_names_are_refused():
    with pytest.raises(ValueError, match="pct_eenzam"):
        need_index(pd.DataFrame({"pct_eenzaam": [1.0]}), {"pct_eenzam": 2})
