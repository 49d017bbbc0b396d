"""How data frames reach the library: column kinds and level order, missing values counted by
reason, errors as exceptions carrying row, column and value, no copy of float64 columns."""

import numpy as np
import pandas as pd
import pytest

import hazard
from hazard import _column

DF = pd.DataFrame({"AVAL": [5.0, 8.0, 12.0, 3.0, np.nan, 9.0, 4.0],
                   "CNSR": [0, 1, 0, 0, 0, 1, 0],
                   "TRT01P": ["Placebo", "Drug", "Drug", "Placebo", "Drug", None, "Drug"],
                   "PARAMCD": ["OS"] * 6 + ["PFS"]})


def test_adam_example_with_exclusions_counted():
    k = hazard.km(DF, time="AVAL", event="CNSR", event_is_censor=True, group="TRT01P", ref="Placebo",
                  where={"PARAMCD": "OS"})
    assert k.groups == ["Placebo", "Drug"]
    assert k.n_filtered == 1 and k.n == 4
    assert k.excluded == {"count": 2, "reasons": {"missing time": 1, "missing group": 1}}
    assert k.summary.loc["Drug", "events"] == 1 and k.summary.loc["Placebo", "events"] == 2


def test_category_order_gives_the_reference():
    df = DF.assign(TRT01P=pd.Categorical(DF.TRT01P, categories=["Placebo", "Drug"]))
    assert hazard.km(df, time="AVAL", event="CNSR", event_is_censor=True, group="TRT01P").groups == ["Placebo", "Drug"]
    # text columns: sorted as the file readers (and R's C locale) sort them
    assert hazard.km(DF, time="AVAL", event="CNSR", event_is_censor=True, group="TRT01P").groups == ["Drug", "Placebo"]
    c = hazard.cox(df, time="AVAL", event="CNSR", event_is_censor=True, group="TRT01P")
    assert list(c.params_.index) == ["TRT01P[Drug]"]


def test_data_error_names_row_column_and_value():
    bad = DF.assign(AVAL=DF.AVAL.where(DF.index != 3, -1.0))
    with pytest.raises(hazard.DataError) as e:
        hazard.km(bad, time="AVAL", event="CNSR", event_is_censor=True, name="adtte")
    assert str(e.value) == "adtte: row 4: column 'AVAL': value '-1': time is negative"
    assert (e.value.row, e.value.column, e.value.value, e.value.message) == (4, "AVAL", "-1", "time is negative")
    assert isinstance(e.value, hazard.HazardError)
    with pytest.raises(hazard.DataError, match="column 'nope': no such column"):
        hazard.km(DF, time="nope", event="CNSR")
    with pytest.raises(hazard.DataError, match="the event must be 1/0"):
        hazard.km(DF.assign(CNSR=DF.CNSR + 1), time="AVAL", event="CNSR")
    with pytest.raises(hazard.UsageError, match="conf_level|confidence level"):
        hazard.km(DF, time="AVAL", event="CNSR", conf_level=1.5)
    # no event at all: a coding mistake for a model, a data error with a hint (as `hazard cox`)
    with pytest.raises(hazard.DataError, match="no events"):
        hazard.cox(DF.assign(CNSR=1), time="AVAL", event="CNSR", event_is_censor=True, group="TRT01P")


def test_column_kinds():
    s = pd.Series([1.5, np.nan, 3.0])
    name, kind, values = _column("x", s)
    assert kind == "numeric" and np.shares_memory(values, s.to_numpy())  # no copy of a float64 column
    name, kind, values = _column("n", pd.Series([1, None, 3], dtype="Int64"))
    assert kind == "numeric" and np.isnan(values[1])
    name, kind, values = _column("b", pd.Series([True, False]))
    assert values.tolist() == [1.0, 0.0]
    name, kind, values, missing = _column("t", pd.Series(["b", None, "a", "", np.nan]))
    assert kind == "text" and missing.tolist() == [0, 1, 0, 0, 1]
    name, kind, levels, codes = _column("c", pd.Series(["b", "a", None], dtype="category"))
    assert kind == "factor" and levels == ["a", "b"] and codes.tolist() == [1, 0, -1]


def test_text_levels_and_missing_values():
    df = pd.DataFrame({"t": [1.0, 2, 3, 4, 5, 6], "e": [1, 1, 0, 1, 0, 1],
                       "g": ["b", "B", None, "", 7, "b"]})  # "" and None missing; 7 is the text "7"
    k = hazard.km(df, time="t", event="e", group="g")
    assert k.groups == ["7", "B", "b"] and k.excluded == {"count": 2, "reasons": {"missing group": 2}}
    s = pd.DataFrame({"t": [1.0, 2, 3], "e": [1, 0, 1], "g": pd.array(["x", pd.NA, "y"], dtype="string")})
    assert hazard.km(s, time="t", event="e", group="g").excluded["count"] == 1


def test_dict_input_and_logrank_needs_group():
    data = {"t": [1, 2, 3, 4], "e": [1, 1, 0, 1], "g": ["a", "b", "a", "b"]}
    assert hazard.logrank(data, time="t", event="e", group="g").degrees_of_freedom == 1
    with pytest.raises(TypeError):
        hazard.logrank(data, time="t", event="e")
