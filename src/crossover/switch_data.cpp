// The data layer of the switching methods: subject-level switching data (flag, time, censoring
// time, progression) from the analysed rows of a table, and the intervals of time-varying
// covariates from ADaM-style long data. Every invalid value is a DataError naming the file, the
// line, the column and the value; nothing is dropped silently (rows of subjects outside the
// analysis are counted).
//
// Flags: Y/N (any case), 1/0, true/false (TRUE/FALSE, T/F); a blank (missing) flag is N, as ADaM
// flags that are "Y" or null. Times are numeric columns in the units of the survival time.
// Administrative censoring time: a column, or (cut-off date - randomization date + 1) / days per
// unit, +1 because ADaM's AVAL counts the day of randomization as day 1.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <fmt/format.h>

#include "hazard/crossover.hpp"
#include "hazard/error.hpp"

namespace hazard {

namespace {

Location where(const Table& t, std::uint64_t line, const std::string& column, const std::string& value) {
  return {.file = t.source, .line = line, .column = column, .value = value, .has_value = true,
          .unit = t.record_unit};
}

// 1 / 0 for a flag value; -1 when it is not a flag.
int parse_flag(const Column& c, std::size_t r) {
  if (c.is_missing(r)) return 0;
  if (c.is_numeric()) {
    const double v = c.numbers[r];
    return v == 1 ? 1 : v == 0 ? 0 : -1;
  }
  std::string s = c.levels[static_cast<std::size_t>(c.codes[r])];
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (s == "Y" || s == "YES" || s == "1" || s == "TRUE" || s == "T") return 1;
  if (s == "N" || s == "NO" || s == "0" || s == "FALSE" || s == "F") return 0;
  return -1;
}

const Column& numeric_column(const Table& t, const std::string& name, const char* role) {
  const Column& c = t.at(name);
  if (!c.is_numeric() || c.character)
    throw DataError({.file = t.source, .column = name},
                    fmt::format("the {} must be a numeric column", role));
  return c;
}

}  // namespace

SwitchData build_switch_data(const Table& table, const SurvData& surv, const SwitchRoles& roles) {
  const std::size_t n = surv.size();
  if (surv.group.empty()) throw UsageError("crossover methods compare two randomized arms: --group is required");
  if (surv.group_levels.size() != 2)  // a data error, as a one-level --group in logrank and cox
    throw DataError({.file = table.source, .column = surv.group_name},
                    fmt::format("crossover methods compare two randomized arms: --group {} has {} level{} in the "
                                "analysed rows",
                                surv.group_name, surv.group_levels.size(), surv.group_levels.size() == 1 ? "" : "s"));
  SwitchData d;
  d.time = surv.time;
  d.status = surv.status;
  d.arm = surv.group;
  d.stratum = surv.stratum;
  d.switched.assign(n, 0);
  d.switch_time.assign(n, std::nan(""));
  const Column& flag = table.at(roles.switch_flag);
  const Column& stime = numeric_column(table, roles.switch_time, "switch time");
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t r = surv.row[i];
    const int f = parse_flag(flag, r);
    if (f < 0)
      throw DataError(where(table, surv.line[i], roles.switch_flag, flag.text(r)),
                      "switch flag must be Y/N, 1/0 or true/false (blank = N)");
    if (!f) continue;
    if (d.arm[i] != 0)
      throw DataError(where(table, surv.line[i], roles.switch_flag, flag.text(r)),
                      fmt::format("a switch in the experimental arm ({}): only switches from the control arm "
                                  "({}) to the experimental treatment are modelled",
                                  surv.group_levels[1], surv.group_levels[0]));
    const double s = stime.numbers[r];
    if (std::isnan(s))
      throw DataError(where(table, surv.line[i], roles.switch_time, ""), "the switch flag is set but the switch time is missing");
    if (!(s >= 0) || !(s <= d.time[i]))
      throw DataError(where(table, surv.line[i], roles.switch_time, stime.text(r)),
                      fmt::format("switch time outside [0, {}]: a switch after the end of follow-up (time {})",
                                  d.time[i], d.time[i]));
    d.switched[i] = 1;
    d.switch_time[i] = s;
  }
  if (!roles.censor_time.empty() || !roles.rand_date.empty()) {
    d.censor_time.resize(n);
    const Column* cc = roles.censor_time.empty() ? nullptr : &numeric_column(table, roles.censor_time, "censor time");
    const Column* rd = roles.rand_date.empty() ? nullptr : &numeric_column(table, roles.rand_date, "randomization date");
    const Column* cut = roles.cutoff_column.empty() ? nullptr : &numeric_column(table, roles.cutoff_column, "cut-off date");
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t r = surv.row[i];
      double c;
      std::string col;
      if (cc) {
        c = cc->numbers[r];
        col = roles.censor_time;
      } else {
        const double dco = cut ? cut->numbers[r] : roles.cutoff_date;
        if (cut && std::isnan(dco))
          throw DataError(where(table, surv.line[i], roles.cutoff_column, ""), "missing cut-off date");
        if (std::isnan(rd->numbers[r]))
          throw DataError(where(table, surv.line[i], roles.rand_date, ""), "missing randomization date");
        c = (dco - rd->numbers[r] + 1) / roles.days_per_unit;
        col = roles.rand_date;
      }
      if (std::isnan(c))
        throw DataError(where(table, surv.line[i], col, ""),
                        "missing administrative censoring time (needed for every subject, events included)");
      if (!(c >= d.time[i]) || !std::isfinite(c))
        throw DataError(where(table, surv.line[i], col, cc ? cc->text(r) : rd->text(r)),
                        fmt::format("administrative censoring time {} is below the time {}: the subject is "
                                    "followed beyond the data cut-off",
                                    c, d.time[i]));
      d.censor_time[i] = c;
    }
  }
  if (!roles.covariate_specs.empty()) {
    Design ds = build_design(table, surv.row, roles.covariate_specs);
    d.x = std::move(ds.x);
    d.names = std::move(ds.names);
  } else {
    d.x.resize(static_cast<Eigen::Index>(n), 0);
  }
  if (!roles.progression_flag.empty()) {
    const Column& pf = table.at(roles.progression_flag);
    const Column& pt = numeric_column(table, roles.progression_time, "progression time");
    d.progressed.assign(n, 0);
    d.progression_time.assign(n, std::nan(""));
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t r = surv.row[i];
      const int f = parse_flag(pf, r);
      if (f < 0)
        throw DataError(where(table, surv.line[i], roles.progression_flag, pf.text(r)),
                        "progression flag must be Y/N, 1/0 or true/false (blank = N)");
      if (!f) continue;
      const double t = pt.numbers[r];
      if (std::isnan(t))
        throw DataError(where(table, surv.line[i], roles.progression_time, ""),
                        "the progression flag is set but the progression time is missing");
      if (!(t >= 0 && t <= d.time[i]))
        throw DataError(where(table, surv.line[i], roles.progression_time, pt.text(r)),
                        fmt::format("progression time outside [0, {}] (the time)", d.time[i]));
      d.progressed[i] = 1;
      d.progression_time[i] = t;
    }
    if (!roles.aft_specs.empty()) {
      // covariates at progression: needed for the control patients with a secondary baseline only
      std::vector<std::size_t> rows;
      std::vector<std::size_t> at;
      for (std::size_t i = 0; i < n; ++i)
        if (d.arm[i] == 0 && (d.progressed[i] || d.switched[i])) {
          rows.push_back(surv.row[i]);
          at.push_back(i);
        }
      Design ds = build_design(table, rows, roles.aft_specs);
      d.x2 = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), ds.x.cols());
      for (std::size_t k = 0; k < at.size(); ++k)
        d.x2.row(static_cast<Eigen::Index>(at[k])) = ds.x.row(static_cast<Eigen::Index>(k));
      d.names2 = std::move(ds.names);
    }
  }
  return d;
}

IntervalsBuild build_switch_intervals(const Table& lng, const IntervalRoles& roles, const Table& table,
                                      const SurvData& surv, const std::string& id_column,
                                      const SwitchData& data) {
  IntervalsBuild out;
  out.rows_read = lng.rows();
  const Column& sid = table.at(id_column);
  std::map<std::string, std::size_t> subject;
  for (std::size_t i = 0; i < surv.size(); ++i) {
    const std::string id = sid.text(surv.row[i]);
    if (id.empty())
      throw DataError(where(table, surv.line[i], id_column, ""), "missing subject identifier");
    if (!subject.emplace(id, i).second)
      throw DataError(where(table, surv.line[i], id_column, id),
                      "subject analysed twice: the crossover methods need one row per subject");
  }
  const Column& lid = lng.at(roles.id);
  const Column& st = numeric_column(lng, roles.start, "interval start");
  const Column& sp = numeric_column(lng, roles.stop, "interval end");
  const Column* el = roles.eligible.empty() ? nullptr : &lng.at(roles.eligible);
  std::vector<std::size_t> kept;
  std::vector<std::size_t> subj;
  auto line = [&](std::size_t r) { return lng.line.empty() ? 0 : lng.line[r]; };
  for (std::size_t r = 0; r < lng.rows(); ++r) {
    const std::string id = lid.text(r);
    if (id.empty()) throw DataError(where(lng, line(r), roles.id, ""), "missing subject identifier");
    auto it = subject.find(id);
    if (it == subject.end()) {
      ++out.rows_other_subjects;
      continue;
    }
    const double a = st.numbers[r], b = sp.numbers[r];
    if (std::isnan(a)) throw DataError(where(lng, line(r), roles.start, ""), "missing interval start");
    if (std::isnan(b)) throw DataError(where(lng, line(r), roles.stop, ""), "missing interval end");
    if (!(a >= 0) || !std::isfinite(a)) throw DataError(where(lng, line(r), roles.start, st.text(r)), "interval start must be a finite time >= 0");
    if (!(b > a) || !std::isfinite(b))
      throw DataError(where(lng, line(r), roles.stop, sp.text(r)),
                      fmt::format("interval end must be finite and after its start ({})", st.text(r)));
    if (el && parse_flag(*el, r) < 0)
      throw DataError(where(lng, line(r), roles.eligible, el->text(r)), "eligibility flag must be Y/N, 1/0 or true/false");
    kept.push_back(r);
    subj.push_back(it->second);
  }
  // per subject: sorted, from 0, contiguous
  std::vector<std::vector<std::size_t>> of(surv.size());
  for (std::size_t k = 0; k < kept.size(); ++k) of[subj[k]].push_back(k);
  for (std::size_t i = 0; i < surv.size(); ++i) {
    auto& v = of[i];
    std::sort(v.begin(), v.end(), [&](std::size_t a, std::size_t b) { return st.numbers[kept[a]] < st.numbers[kept[b]]; });
    if (v.empty()) {
      if (data.arm[i] == 0)
        throw DataError(where(table, surv.line[i], id_column, sid.text(surv.row[i])),
                        fmt::format("control subject without intervals in {} (the switching model needs them)", lng.source));
      continue;
    }
    const std::size_t r0 = kept[v.front()];
    if (st.numbers[r0] != 0)
      throw DataError(where(lng, line(r0), roles.start, st.text(r0)),
                      "a subject's first interval must start at 0 (randomization)");
    for (std::size_t m = 1; m < v.size(); ++m) {
      const std::size_t pr = kept[v[m - 1]], cr = kept[v[m]];
      if (st.numbers[cr] != sp.numbers[pr])
        throw DataError(where(lng, line(cr), roles.start, st.text(cr)),
                        fmt::format("{} between intervals of subject {}: the previous interval (line {}) ends at {}",
                                    st.numbers[cr] > sp.numbers[pr] ? "gap" : "overlap", sid.text(surv.row[i]),
                                    line(pr), sp.text(pr)));
    }
    // the switch must fall in an interval where switching is eligible
    if (el && data.switched[i]) {
      const double s = data.switch_time[i];
      std::size_t hit = kept[v.back()];
      for (std::size_t k : v)
        if (st.numbers[kept[k]] < s && s <= sp.numbers[kept[k]]) {
          hit = kept[k];
          break;
        }
      if (parse_flag(*el, hit) != 1)
        throw DataError(where(lng, line(hit), roles.eligible, el->text(hit)),
                        fmt::format("subject {} switches at {} in an interval where switching is not eligible",
                                    sid.text(surv.row[i]), s));
    }
  }
  SwitchIntervals& iv = out.intervals;
  for (std::size_t i = 0; i < surv.size(); ++i)
    for (std::size_t k : of[i]) {
      const std::size_t r = kept[k];
      iv.subject.push_back(i);
      iv.start.push_back(st.numbers[r]);
      iv.stop.push_back(sp.numbers[r]);
      if (el) iv.eligible.push_back(parse_flag(*el, r) == 1 ? 1 : 0);
    }
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < surv.size(); ++i)
    for (std::size_t k : of[i]) rows.push_back(kept[k]);
  if (!roles.covariates.empty()) {
    Design ds = build_design(lng, rows, roles.covariates);
    iv.z = std::move(ds.x);
    iv.z_names = std::move(ds.names);
  } else {
    iv.z.resize(static_cast<Eigen::Index>(rows.size()), 0);
  }
  if (!roles.time_terms.empty()) {
    Design ds = build_design(lng, rows, roles.time_terms);
    iv.time_terms = std::move(ds.x);
    iv.time_names = std::move(ds.names);
  } else {
    iv.time_terms.resize(static_cast<Eigen::Index>(rows.size()), 0);
  }
  return out;
}

}  // namespace hazard
