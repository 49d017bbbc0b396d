"""hazard: time-to-event analysis of randomized clinical trials, from Python.

The numbers come from hazard's C++ library, validated against R survival 3.5-3 and rpact 3.3.4
(1e-10 relative for closed forms, 1e-8 for iterative fits); this package only moves data in and
results out.

    import hazard
    km = hazard.km(adtte, time="AVAL", event="CNSR", event_is_censor=True, group="TRT01P")
    km.median_survival_time_          # per group (a float without group=)
    km.summary                        # DataFrame: n, events, median and its CI per group
    cox = hazard.cox(adtte, time="AVAL", event="CNSR", event_is_censor=True,
                     group="TRT01P", ref="Placebo", strata=["STRAT1"], covariates=["AGE"])
    cox.hazard_ratios_, cox.summary
    hazard.logrank(...), hazard.design(...), hazard.simulate(...), hazard.reconstruct(...)

Data: a pandas DataFrame (or anything pandas.DataFrame() accepts). Numeric columns are numbers
(NaN is missing); text and Categorical columns are categorical: a Categorical keeps its category
order (the first category is the reference level), text values are ordered as R's C locale. The
column roles and their rules are those of the command line (docs/cli/data.md): rows with a missing
value in a role are excluded and counted by reason (`.excluded`); invalid values raise
hazard.DataError naming the row (1-based position), column and value.

Errors: hazard.HazardError and its subclasses DataError (.row, .column, .value, .message),
UsageError (bad arguments), NumericalError (the model cannot be fitted), IoError.
"""

from __future__ import annotations

import json as _json
from typing import Iterable, Mapping, Sequence

import numpy as _np
import pandas as _pd

from . import _core
from ._core import DataError, HazardError, IoError, NumericalError, UsageError
from ._results import CoxPH, Design, KaplanMeier, LogRank, Reconstruction, Simulation

__all__ = [
    "km", "logrank", "cox", "design", "simulate", "reconstruct", "version",
    "KaplanMeier", "LogRank", "CoxPH", "Design", "Simulation", "Reconstruction",
    "HazardError", "DataError", "UsageError", "NumericalError", "IoError",
]

__version__ = _core.version()


def version() -> str:
    """The library's version and build (compiler, flags, libraries), to record with results."""
    return _core.version_text()


# ------------------------------------------------------------------------------------ data in


def _column(name: str, s: _pd.Series):
    """(name, kind, ...) as the compiled module takes them."""
    dtype = s.dtype
    if isinstance(dtype, _pd.CategoricalDtype):
        levels = [str(c) for c in s.cat.categories]
        return (name, "factor", levels, _np.ascontiguousarray(s.cat.codes.to_numpy(), dtype=_np.int32))
    if dtype == _np.float64:
        return (name, "numeric", s.to_numpy())  # the frame's own array when it is contiguous
    if _pd.api.types.is_bool_dtype(dtype) or _pd.api.types.is_numeric_dtype(dtype):
        return (name, "numeric", s.to_numpy(dtype=_np.float64, na_value=_np.nan))
    # text: the library sorts the levels (byte order) as its file readers do; "" is missing
    return (name, "text", s.to_numpy(dtype=object), s.isna().to_numpy(dtype=_np.uint8))


def _frame(data) -> _pd.DataFrame:
    if isinstance(data, _pd.DataFrame):
        return data
    return _pd.DataFrame(data)


def _columns(data: _pd.DataFrame, names: Iterable[str | None]):
    """The columns the analysis reads; a name that is not a column is left to the library, which
    raises DataError naming it."""
    out = []
    for name in dict.fromkeys(n for n in names if n):
        if name in data.columns:
            out.append(_column(name, data[name]))
    return out


def _list(x) -> list:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(x)


def _roles(time, event, event_is_censor, event_value, group, ref, strata, where, weights,
           start=None, offset=None, cluster=None) -> dict:
    if event_is_censor and event_value is not None:
        raise UsageError("give either event_is_censor=True or event_value=, not both")
    if ref is not None and group is None:
        raise UsageError("ref= names the control arm of group=: give group= too")
    where_pairs = [(str(k), _text(v)) for k, v in (where or {}).items()]
    return {
        "time": time, "event": event, "start": start,
        "coding": "cnsr" if event_is_censor else ("equals" if event_value is not None else "indicator"),
        "event_value": None if event_value is None else _text(event_value),
        "group": group, "ref": None if ref is None else _text(ref), "strata": _list(strata),
        "where": where_pairs, "weights": weights, "offset": offset, "cluster": cluster,
    }


def _text(v) -> str:
    """A value as the library compares it: numbers in shortest form (1.0 -> "1")."""
    if isinstance(v, (bool, _np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, _np.integer)):
        return str(int(v))
    if isinstance(v, (float, _np.floating)):
        f = float(v)
        return str(int(f)) if f.is_integer() else repr(f)
    return str(v)


def _role_columns(roles: dict) -> list:
    return [roles["time"], roles["start"], roles["event"], roles["group"], *roles["strata"],
            roles["weights"], roles["offset"], roles["cluster"], *(w[0] for w in roles["where"])]


# --------------------------------------------------------------------------------- analyses


def km(data, time: str, event: str, *, event_is_censor: bool = False, event_value=None,
       group: str | None = None, ref=None, where: Mapping | None = None,
       weights: str | None = None, conf_type: str = "log-log", conf_level: float = 0.95,
       times: Sequence[float] | None = None, rmst_tau: float | None = None,
       quantiles: Sequence[float] = (0.25, 0.5, 0.75), robust: bool | None = None,
       name: str = "data") -> KaplanMeier:
    """Kaplan–Meier per group (one curve without `group`), as R's survfit and `hazard km`.

    event: a 1/0 (or True/False) column; with event_is_censor=True an ADaM CNSR column (0 =
    event, a positive integer = censored); with event_value=V, event where the column equals V.
    conf_type: "log-log" (SAS's default), "log" (R's default) or "plain". times: landmark times;
    rmst_tau: restricted mean survival time to tau (and the two-group difference).
    robust: the variance of S(t): True the infinitesimal jackknife, False Greenwood, None (default)
    as survfit: robust when some weight is not a whole number.
    where: {column: value}, rows kept where every column equals its value. name: the data's
    name in error messages.
    """
    data = _frame(data)
    roles = _roles(time, event, event_is_censor, event_value, group, ref, None, where, weights)
    options = {"conf_type": conf_type, "conf_level": conf_level, "times": _list(times),
               "rmst_tau": rmst_tau, "quantiles": list(quantiles), "robust": robust}
    return KaplanMeier(_core.km(name, _columns(data, _role_columns(roles)), roles, options))


def logrank(data, time: str, event: str, group: str, *, event_is_censor: bool = False,
            event_value=None, ref=None, strata: str | Sequence[str] | None = None,
            where: Mapping | None = None, weights: str | None = None, rho: float = 0.0,
            gamma: float = 0.0, name: str = "data") -> LogRank:
    """The K-group log-rank test (Fleming–Harrington G(rho, gamma) with rho/gamma), stratified
    and case-weighted, as R's survdiff and `hazard logrank`; z and one-sided p for two groups."""
    data = _frame(data)
    roles = _roles(time, event, event_is_censor, event_value, group, ref, strata, where, weights)
    return LogRank(_core.logrank(name, _columns(data, _role_columns(roles)), roles,
                                 {"rho": rho, "gamma": gamma}))


def cox(data, time: str, event: str, *, covariates: Sequence[str] | None = None,
        group: str | None = None, ref=None, refs: Mapping | None = None,
        factors: Sequence[str] | None = None, event_is_censor: bool = False, event_value=None,
        start: str | None = None, strata: str | Sequence[str] | None = None,
        where: Mapping | None = None, weights: str | None = None, offset: str | None = None,
        cluster: str | None = None, ties: str | None = None, robust: bool = False,
        conf_level: float = 0.95, max_iter: int = 20, eps: float = 1e-9, compat: str = "r",
        ph_test: str | None = None, baseline: bool = False, name: str = "data") -> CoxPH:
    """Cox regression as R's coxph and `hazard cox`: the arm `group` (reference `ref`) and/or
    `covariates` (numeric: one term; text or Categorical: one term per non-reference level,
    `refs={column: level}` choosing the reference; `factors=[...]` numeric columns taken as
    categorical), `strata`, `weights`, `offset`, (start, stop] rows with `start`, `cluster` and
    `robust` for the sandwich variance. ties: "efron" (R's default), "breslow" (SAS's default,
    and the default with compat="sas"), "exact" (SAS TIES=DISCRETE).
    ph_test: "km", "identity", "rank" or "log" adds R's cox.zph test; baseline=True the baseline
    cumulative hazard at the covariate means."""
    data = _frame(data)
    roles = _roles(time, event, event_is_censor, event_value, group, ref, strata, where, weights,
                   start=start, offset=offset, cluster=cluster)
    refs = {str(k): _text(v) for k, v in (refs or {}).items()}
    factors = set(_list(factors))
    covs = [(c, refs.get(c, ""), c in factors or c in refs) for c in _list(covariates)]
    options = {"ties": ties, "robust": robust, "conf_level": conf_level, "max_iter": max_iter,
               "eps": eps, "compat": compat, "ph_test": ph_test, "baseline": baseline}
    columns = _columns(data, _role_columns(roles) + [c[0] for c in covs])
    return CoxPH(_core.cox(name, columns, roles, covs, options))


def design(*, hr: float | None = None, median_control: float | None = None,
           median_experimental: float | None = None, alpha: float = 0.025, power: float = 0.8,
           ratio: float = 1.0, method: str = "schoenfeld", looks: int = 1,
           info: Sequence[float] | None = None, spending: str = "obf",
           futility: str | None = None, binding: bool = False,
           accrual_time: float | Sequence[float] | None = None,
           accrual_rate: float | Sequence[float] | None = None,
           follow_up: float | None = None, dropout: float = 0.0,
           dropout_time: float = 12.0) -> Design:
    """A group-sequential survival design as `hazard design` (rpact's getDesignGroupSequential +
    getSampleSizeSurvival): events, boundaries, and with median_control the sample size and look
    times. spending/futility: "obf", "pocock", "hsd:GAMMA", "kd:RHO", "hp:P" (efficacy only)."""
    settings = {"hr": hr, "median_control": median_control,
                "median_experimental": median_experimental, "alpha": alpha, "power": power,
                "ratio": ratio, "method": method, "looks": looks, "info": _floats(info),
                "spending": spending, "futility": futility or "", "binding": binding,
                "accrual_time": _floats(accrual_time), "accrual_rate": _floats(accrual_rate),
                "follow_up": follow_up, "dropout": dropout, "dropout_time": dropout_time}
    return Design(_core.design(settings))


def simulate(*, scenario: Mapping | None = None, n: int | None = None,
             ratio: float | None = None, median_control: float | None = None,
             median_experimental: float | None = None, hr: float | None = None,
             accrual_time: float | Sequence[float] | None = None,
             accrual_rate: float | Sequence[float] | None = None,
             dropout: float | None = None, dropout_time: float = 12.0,
             events: Sequence[float] | None = None, times: Sequence[float] | None = None,
             looks: int | None = None, info: Sequence[float] | None = None,
             spending: str | None = None, futility: str | None = None,
             alpha: float | None = None, power: float | None = None, binding: bool = False,
             random_accrual: bool = False, random_allocation: bool = False,
             hr_estimator: str = "pike", reps: int = 1000, seed: int = 1, threads: int = 0,
             keep_trials: bool = False) -> Simulation:
    """Simulates a group-sequential two-arm trial as `hazard simulate` (rpact's
    getSimulationSurvival conventions): power, stopping probabilities, expected events, sample size
    and duration. scenario: a scenario dict as the --scenario JSON file (docs/cli/simulate.md),
    which the other arguments override. Results do not depend on `threads`."""
    settings = {"n": n, "ratio": ratio, "median_control": median_control,
                "median_experimental": median_experimental, "hr": hr,
                "accrual_time": _floats(accrual_time), "accrual_rate": _floats(accrual_rate),
                "dropout": dropout, "dropout_time": dropout_time, "events": _floats(events),
                "times": _floats(times), "looks": looks, "info": _floats(info),
                "spending": spending, "futility": futility, "alpha": alpha, "power": power,
                "binding": binding, "random_accrual": random_accrual,
                "random_allocation": random_allocation, "hr_estimator": hr_estimator,
                "reps": reps, "seed": seed, "threads": threads, "keep_trials": keep_trials}
    scenario_json = "" if scenario is None else _json.dumps(scenario)
    return Simulation(_core.simulate(settings, scenario_json))


def reconstruct(curve, at_risk, *, events: Mapping | float | None = None, arm: str = "arm",
                time: str = "time", surv: str = "surv", n_risk: str = "n_risk",
                scale: str = "auto", arm_name: str = "all") -> Reconstruction:
    """Patient-level data rebuilt from digitized Kaplan–Meier curves and their number-at-risk
    tables (Guyot et al. 2012), as `hazard reconstruct`.

    curve: points with columns `time`, `surv` (fraction or percent) and optionally `arm`;
    at_risk: the table with `time`, `n_risk` (and `arm`). events: reported total events, a number
    for one arm or {arm: n}. Arms are taken in the order they first appear in `curve`."""
    curve, at_risk = _frame(curve), _frame(at_risk)
    has_arm = arm in curve.columns
    if has_arm != (arm in at_risk.columns):
        raise UsageError(f"column '{arm}' must be in both curve and at_risk, or in neither")
    if has_arm:
        arms = list(dict.fromkeys(str(a) for a in curve[arm]))
        curve_arm = curve[arm].astype(str)
        risk_arm = at_risk[arm].astype(str)
    else:
        arms = [arm_name]
        curve_arm = _pd.Series(arm_name, index=curve.index)
        risk_arm = _pd.Series(arm_name, index=at_risk.index)
    if isinstance(events, Mapping):
        totals = {str(k): float(v) for k, v in events.items()}
        unknown = set(totals) - set(arms)
        if unknown:
            raise UsageError(f"events: no arm {sorted(unknown)[0]!r} in the curve")
    elif events is not None:
        if len(arms) != 1:
            raise UsageError("events=N without arm names needs a single arm: events={arm: n}")
        totals = {arms[0]: float(events)}
    else:
        totals = {}
    results = []
    for a in arms:
        pts, risk = curve[curve_arm == a], at_risk[risk_arm == a]
        if len(risk) == 0:
            raise UsageError(f"arm '{a}' has no rows in at_risk")
        results.append(_core.reconstruct_arm(
            a, pts[time].to_numpy(dtype=_np.float64), pts[surv].to_numpy(dtype=_np.float64),
            risk[time].to_numpy(dtype=_np.float64), risk[n_risk].to_numpy(dtype=_np.float64),
            totals.get(a), scale))
    return Reconstruction(results)


def _floats(x) -> list:
    if x is None:
        return []
    if isinstance(x, (int, float, _np.integer, _np.floating)):
        return [float(x)]
    return [float(v) for v in x]
