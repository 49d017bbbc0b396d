"""Result objects of the hazard package: the library's numbers as attributes and DataFrames.

Each result has `.to_dict()`: the keys and layout of the command line's JSON output (docs/cli/),
with None where the JSON has null; `.summary`: a DataFrame; names lifelines users know where they
mean the same thing (median_survival_time_, survival_function_, hazard_ratios_, params_, ...).
Nothing is computed here: the values are the library's, only arranged.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def _clean(x):
    """JSON-like Python values: numpy arrays as lists, NaN and infinities as None."""
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return _clean(x.tolist())
    if isinstance(x, (float, np.floating)):
        return float(x) if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    return x


def _rows(columns: dict, keys=None) -> list:
    """A dict of equal-length arrays as a list of row dicts."""
    keys = list(columns) if keys is None else keys
    n = len(columns[keys[0]]) if keys else 0
    return [{k: columns[k][i] for k in keys} for i in range(n)]


def _pct(level: float) -> str:
    return f"{level * 100:g}%"


def _fmt(x, digits=4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "NA"
    return f"{x:.{digits}g}"


class _Result:
    """Common parts: the raw result dict from the library."""

    def __init__(self, raw: dict):
        self._raw = raw

    def to_dict(self) -> dict:
        return _clean(self._dict())

    def _dict(self) -> dict:
        return dict(self._raw)

    def __repr__(self) -> str:
        return self.__str__()


def _rows_text(raw: dict) -> str:
    text = f"rows read: {raw['n_read']}"
    if raw["n_filtered"]:
        text += f", removed by where: {raw['n_filtered']}"
    ex = raw["excluded"]
    text += f", excluded: {ex['count']}"
    if ex["count"]:
        text += " (" + ", ".join(f"{k}: {v}" for k, v in ex["reasons"].items()) + ")"
    return text + f", analysed: {raw['n']}"


class _Rows:
    """What happened to the rows: .n (analysed), .n_read, .n_filtered, .excluded."""

    @property
    def n(self) -> int:
        return self._raw["n"]

    @property
    def n_read(self) -> int:
        return self._raw["n_read"]

    @property
    def n_filtered(self) -> int:
        return self._raw["n_filtered"]

    @property
    def excluded(self) -> dict:
        """{"count": rows excluded for a missing value, "reasons": {reason: rows}}."""
        return self._raw["excluded"]


# ------------------------------------------------------------------------------- Kaplan–Meier


class KaplanMeier(_Result, _Rows):
    """Kaplan–Meier curves per group (R survfit; Greenwood SE; CI of conf_type)."""

    _TABLE = ["time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper", "cumhaz"]

    @property
    def groups(self) -> list:
        """Group levels, reference first ([None] without a group)."""
        return [g["group"] for g in self._raw["groups"]]

    @property
    def conf_type(self) -> str:
        return self._raw["conf_type"]

    @property
    def conf_level(self) -> float:
        return self._raw["conf_level"]

    def _by_group(self, values):
        if self._raw["group_variable"] is None:
            return values[0]
        return pd.Series(values, index=pd.Index(self.groups, name=self._raw["group_variable"]))

    @property
    def median_survival_time_(self):
        """The median (NaN when not reached): a float, or a Series by group."""
        return self._by_group([g["median"]["estimate"] for g in self._raw["groups"]])

    @property
    def summary(self) -> pd.DataFrame:
        """Per group: n, events, median with its CI (R's print.survfit), RMST with tau."""
        rows = []
        for g in self._raw["groups"]:
            row = {"n": g["n"], "events": g["events"], "median": g["median"]["estimate"],
                   f"{_pct(self.conf_level)} lower": g["median"]["lower"],
                   f"{_pct(self.conf_level)} upper": g["median"]["upper"]}
            if g["rmst"] is not None:
                r = g["rmst"]
                row.update({"rmst": r["estimate"], "rmst se": r["std_err"], "rmst tau": r["tau"]})
            rows.append(row)
        index = pd.Index(["all" if g is None else g for g in self.groups],
                         name=self._raw["group_variable"] or "group")
        return pd.DataFrame(rows, index=index)

    @property
    def table(self) -> pd.DataFrame:
        """Every curve's rows (R's summary(survfit, censored = TRUE)), with a group column."""
        parts = []
        for g in self._raw["groups"]:
            t = pd.DataFrame({k: g["table"][k] for k in self._TABLE})
            t.insert(0, "group", g["group"])
            parts.append(t)
        return pd.concat(parts, ignore_index=True)

    def _curve_frame(self, columns: dict) -> pd.DataFrame:
        frames = []
        for g in self._raw["groups"]:
            f = pd.DataFrame({name: g["table"][key] for name, key in columns.items()},
                             index=pd.Index(g["table"]["time"], name="timeline"))
            if self._raw["group_variable"] is not None:
                f = pd.concat({g["group"]: f}, names=[self._raw["group_variable"]])
            frames.append(f)
        return pd.concat(frames)

    @property
    def survival_function_(self) -> pd.DataFrame:
        """S(t) at each curve time, column KM_estimate (index: timeline, and the group first)."""
        return self._curve_frame({"KM_estimate": "surv"})

    @property
    def confidence_interval_(self) -> pd.DataFrame:
        """The pointwise limits, columns KM_estimate_lower_<level> and KM_estimate_upper_<level>."""
        return self._curve_frame({f"KM_estimate_lower_{self.conf_level:g}": "lower",
                                  f"KM_estimate_upper_{self.conf_level:g}": "upper"})

    @property
    def quantiles(self) -> pd.DataFrame:
        """Quantiles p (the time S falls to 1 - p) with CI, per group (R's quantile.survfit)."""
        rows = [dict(group=g["group"], **q) for g in self._raw["groups"] for q in g["quantiles"]]
        return pd.DataFrame(rows, columns=["group", "p", "estimate", "lower", "upper"])

    @property
    def at(self) -> pd.DataFrame:
        """Survival at the landmark times (R's summary.survfit(times =, extend = TRUE))."""
        rows = [dict(group=g["group"], **a) for g in self._raw["groups"] for a in g["at"]]
        return pd.DataFrame(rows, columns=["group", "time", "n_risk", "surv", "std_err", "lower", "upper"])

    @property
    def rmst_difference(self):
        return self._raw["rmst_difference"]

    def _dict(self) -> dict:
        out = {k: v for k, v in self._raw.items() if k != "groups"}
        groups = []
        for g in self._raw["groups"]:
            g = dict(g)
            g["table"] = _rows(g["table"], self._TABLE)
            groups.append(g)
        out["groups"] = groups
        return out

    def __str__(self) -> str:
        lines = [f"Kaplan-Meier ({'case-weighted ' if self._raw['weighted'] else ''}Greenwood SE; "
                 f"{_pct(self.conf_level)} CI {self.conf_type}), as R survfit",
                 _rows_text(self._raw), "", self.summary.to_string()]
        return "\n".join(lines)


# ----------------------------------------------------------------------------------- log-rank


class LogRank(_Result, _Rows):
    """The (stratified, weighted) log-rank / Fleming–Harrington test (R survdiff)."""

    @property
    def test_statistic(self) -> float:
        return self._raw["chisq"]

    @property
    def p_value(self) -> float:
        return self._raw["p"]

    @property
    def degrees_of_freedom(self) -> int:
        return self._raw["df"]

    @property
    def z(self) -> float:
        """(O - E) / sqrt(V) of the non-reference group (two groups; NaN otherwise)."""
        return self._raw["z"]

    @property
    def p_one_sided(self) -> float:
        return self._raw["p_one_sided"]

    @property
    def method(self) -> str:
        r = self._raw
        test = ("log-rank" if r["rho"] == 0 and r["gamma"] == 0
                else f"Fleming-Harrington G(rho = {r['rho']:g}, gamma = {r['gamma']:g})")
        if r["weighted"]:
            return test + ", case-weighted: score test of the weighted Cox model (Breslow ties)"
        return test + " (as R survdiff)"

    @property
    def groups(self) -> pd.DataFrame:
        """Per group: N, observed, expected, (O-E)^2/E, (O-E)^2/V (R's print.survdiff)."""
        g = self._raw["groups"]
        return pd.DataFrame({"N": g["n"], "Observed": g["observed"], "Expected": g["expected"],
                             "(O-E)^2/E": g["oe2_over_e"], "(O-E)^2/V": g["oe2_over_v"]},
                            index=pd.Index(g["group"], name=self._raw["group_column"]))

    @property
    def variance(self) -> np.ndarray:
        return self._raw["variance"]

    @property
    def summary(self) -> pd.DataFrame:
        """One row: test_statistic, df, p, z, p_one_sided (lifelines' StatisticalResult names)."""
        r = self._raw
        return pd.DataFrame([{"test_statistic": r["chisq"], "df": r["df"], "p": r["p"],
                              "z": r["z"], "p_one_sided": r["p_one_sided"]}], index=[self.method])

    def _dict(self) -> dict:
        out = dict(self._raw)
        g = self._raw["groups"]
        out["groups"] = _rows(g, ["group", "n", "observed", "expected", "o_minus_e", "oe2_over_e",
                                  "oe2_over_v"])
        out["method"] = self.method
        if out["strata"] is not None:
            out["strata"] = {"columns": out["strata"]["columns"],
                             "levels": [dict(s) for s in out["strata"]["levels"]]}
        return out

    def __str__(self) -> str:
        r = self._raw
        lines = [f"test: {self.method}", _rows_text(r)]
        if r["strata"] is not None:
            lines.append(f"stratified by {', '.join(r['strata']['columns'])} "
                         f"({len(r['strata']['levels'])} strata)")
        lines += ["", self.groups.to_string(float_format=lambda x: f"{x:.3g}"), "",
                  f" Chisq = {r['chisq']:.1f} on {r['df']} degrees of freedom, p = {_fmt(r['p'], 3)}"]
        if len(r["groups"]["group"]) == 2:
            lines.append(f" z = {_fmt(r['z'], 3)}, one-sided p = {_fmt(r['p_one_sided'], 3)}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------- Cox


class CoxPH(_Result, _Rows):
    """A Cox proportional hazards fit (R coxph / SAS PHREG)."""

    @property
    def _index(self) -> pd.Index:
        return pd.Index(self._raw["coefficients"]["term"], name="covariate")

    @property
    def params_(self) -> pd.Series:
        """The coefficients (log hazard ratios)."""
        return pd.Series(self._raw["coefficients"]["coef"], index=self._index, name="coef")

    @property
    def hazard_ratios_(self) -> pd.Series:
        return pd.Series(self._raw["coefficients"]["hr"], index=self._index, name="exp(coef)")

    @property
    def standard_errors_(self) -> pd.Series:
        """Model-based SE (the robust SE is summary["robust se(coef)"])."""
        return pd.Series(self._raw["coefficients"]["se"], index=self._index, name="se(coef)")

    @property
    def variance_matrix_(self) -> pd.DataFrame:
        """Model-based variance of the coefficients (R's naive.var when robust)."""
        return pd.DataFrame(self._raw["var"], index=self._index, columns=self._index)

    @property
    def robust_variance_matrix_(self):
        v = self._raw["robust_var"]
        return None if v is None else pd.DataFrame(v, index=self._index, columns=self._index)

    @property
    def log_likelihood_(self) -> float:
        return self._raw["loglik"][1]

    @property
    def concordance_index_(self) -> float:
        return self._raw["concordance"]["estimate"]

    @property
    def ties(self) -> str:
        return self._raw["ties"]

    @property
    def summary(self) -> pd.DataFrame:
        """The coefficient table of summary(coxph), with lifelines' column names; with a robust
        variance z, p and the CI use the robust SE, as R."""
        c = self._raw["coefficients"]
        pct = _pct(self._raw["conf_level"])
        d = {"coef": c["coef"], "exp(coef)": c["hr"], "se(coef)": c["se"]}
        if self._raw["robust"]:
            d["robust se(coef)"] = c["robust_se"]
        d.update({f"exp(coef) lower {pct}": c["lower"], f"exp(coef) upper {pct}": c["upper"],
                  "z": c["z"], "p": c["p"]})
        return pd.DataFrame(d, index=self._index)

    @property
    def tests(self) -> pd.DataFrame:
        """Likelihood ratio, Wald, score (log-rank) and robust score tests."""
        t = self._raw["tests"]
        names = {"lr": "Likelihood ratio test", "wald": "Wald test", "score": "Score (logrank) test",
                 "robust_score": "Robust score test"}
        rows = {names[k]: v for k, v in t.items() if v is not None}
        return pd.DataFrame.from_dict(rows, orient="index")

    @property
    def ph_test(self):
        """R's cox.zph table (with ph_test=): chisq, df, p per term and GLOBAL."""
        z = self._raw.get("ph_test")
        if z is None:
            return None
        t = pd.DataFrame({"chisq": z["terms"]["chisq"], "df": z["terms"]["df"], "p": z["terms"]["p"]},
                         index=pd.Index(z["terms"]["term"], name="term"))
        t.loc["GLOBAL"] = [z["global"]["chisq"], z["global"]["df"], z["global"]["p"]]
        return t

    @property
    def baseline_cumulative_hazard_(self):
        """At the covariate means, per stratum (with baseline=True; R's basehaz)."""
        b = self._raw.get("baseline")
        if b is None:
            return None
        f = pd.DataFrame({"baseline cumulative hazard": b["cumhaz"]}, index=pd.Index(b["time"], name="timeline"))
        if self._raw["strata"]:
            f.insert(0, "stratum", b["stratum"])
        return f

    @property
    def baseline_survival_(self):
        b = self._raw.get("baseline")
        if b is None:
            return None
        f = pd.DataFrame({"baseline survival": b["surv"]}, index=pd.Index(b["time"], name="timeline"))
        if self._raw["strata"]:
            f.insert(0, "stratum", b["stratum"])
        return f

    @property
    def warnings(self) -> list:
        return self._raw["warnings"]

    def _dict(self) -> dict:
        r = self._raw
        out = {k: v for k, v in r.items() if k not in ("coefficients", "terms", "robust_var", "ph_test", "baseline")}
        keys = ["term", "coef", "se", "robust_se", "z", "p", "hr", "lower", "upper"]
        out["coefficients"] = _rows(r["coefficients"], keys)
        out["var"] = np.asarray(r["var"]).tolist()
        if r.get("ph_test") is not None:
            z = r["ph_test"]
            out["ph_test"] = {"transform": z["transform"], "terms": _rows(z["terms"], ["term", "chisq", "df", "p"]),
                              "global": z["global"]}
        if r.get("baseline") is not None:
            b = r["baseline"]
            strata = list(dict.fromkeys(b["stratum"]))
            arr = []
            for s in strata:
                idx = [i for i, x in enumerate(b["stratum"]) if x == s]
                arr.append({"stratum": s if r["strata"] else None,
                            **{k: [b[k][i] for i in idx] for k in ["time", "n_risk", "n_event", "cumhaz", "surv"]}})
            out["baseline"] = arr
        return out

    def __str__(self) -> str:
        r = self._raw
        head = f"Cox proportional hazards regression (ties: {r['ties']}"
        head += f"; strata: {len(r['strata'])})" if r["strata"] else ")"
        lines = [head, _rows_text(r), f"number of events = {r['events']:g}, iterations: {r['iterations']}"
                 + ("" if r["converged"] else " (did not converge)"), "",
                 self.summary.to_string(float_format=lambda x: f"{x:.4g}"), "",
                 f"Concordance= {r['concordance']['estimate']:.3f}  (se = {r['concordance']['std_err']:.3f})"]
        for name, t in self.tests.iterrows():
            lines.append(f"{name:<21}= {t['stat']:.2f}  on {t['df']:g} df,   p={_fmt(t['p'], 3)}")
        lines += [f"warning: {w}" for w in r["warnings"]]
        return "\n".join(lines)


# ------------------------------------------------------------------------------------- design


class Design(_Result):
    """A group-sequential survival design (rpact getDesignGroupSequential + getSampleSizeSurvival)."""

    def __getattr__(self, key):
        raw = self.__dict__.get("_raw", {})
        if key in raw and key != "looks":
            return raw[key]
        raise AttributeError(key)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per look: information, events, boundaries (z and HR), cumulative alpha and
        power, and with a sample size the look's calendar time and subjects."""
        return pd.DataFrame(self._raw["looks"]).set_index("look")

    @property
    def warnings(self) -> list:
        return self._raw["warnings"]

    def _dict(self) -> dict:
        out = {k: v for k, v in self._raw.items() if k not in ("looks", "warnings")}
        looks = _rows(self._raw["looks"])
        for l in looks:
            l["look"] = int(l["look"])
        out["looks"] = looks
        return out

    def __str__(self) -> str:
        r = self._raw
        lines = [f"Group-sequential survival design ({len(r['looks']['look'])} looks, {r['spending']} spending"
                 + (f", futility {r['futility']}{' binding' if r['binding'] else ' non-binding'}" if r["futility"] else "")
                 + ")",
                 f"HR {r['hr']:.4g}  one-sided alpha {r['alpha']:g}  power {r['power']:g}  ratio {r['ratio']:g}:1  "
                 f"method {r['method']}",
                 f"Events: fixed design {r['events_fixed']:.2f}, maximum {r['events']:.2f} (inflation {r['inflation']:.4f})"]
        if r["sample_size"] is not None:
            lines.append(f"Sample size {r['sample_size']:.2f} (accrual {r['accrual_end']:.2f}, "
                         f"follow-up {r['follow_up']:.2f})")
        lines += ["", self.summary.to_string(float_format=lambda x: f"{x:.4g}")]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------- simulation


class Simulation(_Result):
    """Operating characteristics of a simulated group-sequential trial."""

    def __getattr__(self, key):
        raw = self.__dict__.get("_raw", {})
        if key in raw:
            return raw[key]
        raise AttributeError(key)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per look: the look's events (or time), boundaries, rejection and futility
        probabilities, mean calendar time and events."""
        r = self._raw
        k = len(r["looks"])
        zf = r["z_futility"] if len(r["z_futility"]) else np.full(k, np.nan)
        return pd.DataFrame({r["look_type"]: r["looks"], "info": r["info"], "z_efficacy": r["z_efficacy"],
                             "z_futility": zf, "reject": r["stagewise_rejection"],
                             "futility": r["stagewise_futility"], "stop": r["stop_probability"],
                             "mean_time": r["mean_look_time"], "mean_events": r["mean_look_events"]},
                            index=pd.Index(range(1, k + 1), name="look"))

    @property
    def trials(self):
        """One row per simulated trial (with keep_trials=True)."""
        t = self._raw.get("trials")
        return None if t is None else pd.DataFrame(t, index=pd.Index(range(1, len(t["z"]) + 1), name="trial"))

    def _dict(self) -> dict:
        return {k: v for k, v in self._raw.items() if k != "trials"}

    def __str__(self) -> str:
        r = self._raw
        return "\n".join([
            f"Simulated group-sequential survival trial: {r['reps']} trials, N = {r['n']}, ratio {r['ratio']:g}:1, "
            f"{r['spending']} spending",
            f"Rejection probability {r['power']:.4f} (Monte-Carlo SE {r['mc_se']:.4f})",
            f"Expected events {r['expected_events']:.2f}, patients {r['expected_n']:.2f}, duration "
            f"{r['expected_duration']:.2f}", "", self.summary.to_string(float_format=lambda x: f"{x:.4g}")])


# ------------------------------------------------------------------------------ reconstruction


class Reconstruction(_Result):
    """Patient rows rebuilt from published Kaplan–Meier curves (Guyot 2012), with the fit."""

    def __init__(self, arms: list):
        super().__init__({"arms": arms})

    @property
    def data(self) -> pd.DataFrame:
        """One row per patient: arm, time, event (1 event, 0 censored), as `hazard reconstruct --out`."""
        parts = [pd.DataFrame({"arm": a["arm"], "time": a["time"], "event": a["event"].astype(int)})
                 for a in self._raw["arms"]]
        return pd.concat(parts, ignore_index=True)

    @property
    def summary(self) -> pd.DataFrame:
        """Per arm: patients, events, censored, KM median of the rebuilt rows and the fit."""
        keys = ["n", "events", "censored", "total_events", "median", "max_distance", "rms_distance",
                "n_points", "at_risk_matched", "at_risk_total"]
        return pd.DataFrame([{k: a[k] for k in keys} for a in self._raw["arms"]],
                            index=pd.Index([a["arm"] for a in self._raw["arms"]], name="arm"))

    def intervals(self, arm: str) -> pd.DataFrame:
        for a in self._raw["arms"]:
            if a["arm"] == arm:
                return pd.DataFrame(a["intervals"])
        raise KeyError(arm)

    @property
    def warnings(self) -> dict:
        return {a["arm"]: a["warnings"] for a in self._raw["arms"]}

    def _dict(self) -> dict:
        arms = []
        for a in self._raw["arms"]:
            a = {k: v for k, v in a.items() if k not in ("time", "event")}
            a["intervals"] = _rows(a["intervals"])
            for iv in a["intervals"]:
                for k in ("events", "censored", "n_points"):
                    iv[k] = int(iv[k])
            arms.append(a)
        return {"method": "Guyot et al. 2012", "arms": arms}

    def __str__(self) -> str:
        return "Reconstructed patient data (Guyot et al. 2012)\n" + self.summary.to_string()
