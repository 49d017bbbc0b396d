// Time to deterioration of a patient-reported score (derive_deterioration, deterioration.hpp).
//
// Per subject, with base the baseline score and y_1..y_m the post-baseline scores at times
// t_1 < ... < t_m (the unflagged assessments after the baseline's time and not before the
// origin), worse_j = base - y_j when a higher score is better, y_j - base when a higher score is
// worse (symptom scales), computed in double precision as written. A deterioration at j is
// worse_j >= MID. The event is at t_j for the first j with
//   first:       worse_j >= MID                                  (TTD)
//   confirmed:   worse_j >= MID and worse_{j+1} >= MID           (confirmed at the next assessment)
//   definitive:  worse_k >= MID for every k >= j                 (TUDD; j = m counts)
// Otherwise the subject is censored at t_m; a subject without a baseline score or without a
// post-baseline assessment is censored at the origin. Sources: Anota et al., "Time to
// health-related quality of life score deterioration as a modality of longitudinal analysis for
// health-related quality of life studies in oncology: do we need RECIST for quality of life to
// achieve standardization?", Quality of Life Research 24:5-18 (2015) (TTD, TUDD); EORTC QLQ-C30
// scoring. The deterioration KM (deterioration_km) is kaplan_meier's (R survfit).
#include "hazard/deterioration.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string>

#include "hazard/error.hpp"

namespace hazard {

const char* rule_name(DeteriorationRule rule) {
  switch (rule) {
    case DeteriorationRule::first:
      return "first";
    case DeteriorationRule::confirmed:
      return "confirmed";
    case DeteriorationRule::definitive:
      return "definitive";
  }
  return "";
}

double ttd_aval(const TtdRow& row, const DeteriorationOptions& o) {
  return row.time / o.days_per_unit;
}

DeteriorationResult derive_deterioration(const QolData& d, const DeteriorationOptions& o) {
  if (!(o.mid > 0) || !std::isfinite(o.mid)) throw UsageError("--mid must be a number > 0");
  if (!(o.days_per_unit > 0)) throw UsageError("the time unit must be > 0 days");
  if (!std::isfinite(o.origin)) throw UsageError("--origin must be a finite number");
  DeteriorationResult res;
  res.options = o;
  const char* worse = o.higher_is_worse ? "an increase (AVAL - BASE)" : "a decrease (BASE - AVAL)";
  switch (o.rule) {
    case DeteriorationRule::first:
      res.rule_text = fmt::format(
          "time to deterioration: the first post-baseline assessment with {} of at least "
          "{:g} points from baseline",
          worse, o.mid);
      break;
    case DeteriorationRule::confirmed:
      res.rule_text = fmt::format(
          "time to confirmed deterioration: the first post-baseline assessment with {} of "
          "at least {:g} points from baseline, confirmed at the next assessment (a "
          "deterioration at the last assessment is not confirmed)",
          worse, o.mid);
      break;
    case DeteriorationRule::definitive:
      res.rule_text = fmt::format(
          "time to definitive deterioration: the first post-baseline assessment with {} of "
          "at least {:g} points from baseline and no later assessment with less (a "
          "deterioration at the last assessment is definitive)",
          worse, o.mid);
      break;
  }
  res.rule_text += fmt::format(
      "; event at that assessment; otherwise censored at the last post-baseline "
      "assessment; no baseline or no post-baseline assessment: censored at the origin "
      "(time {:g}); death is not an event",
      o.origin);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t s = 0; s < d.size(); ++s) {
    TtdRow row;
    row.subject = s;
    row.base = d.base[s];
    row.value = row.change = nan;
    if (std::isnan(d.base[s])) {
      row.time = o.origin;
      row.description = "Censored at the origin: no baseline assessment";
      ++res.no_baseline;
      res.rows.push_back(row);
      continue;
    }
    std::vector<const QolAssessment*> post;
    for (const auto& v : d.visits[s]) {
      if ((!std::isnan(d.base_time[s]) && v.time <= d.base_time[s]) || v.time < o.origin) {
        ++res.n_not_after_baseline;
        continue;
      }
      post.push_back(&v);
    }
    row.n_assessments = post.size();
    if (post.empty()) {
      row.time = o.origin;
      row.description = "Censored at the origin: no post-baseline assessment";
      ++res.no_post;
      res.rows.push_back(row);
      continue;
    }
    const std::size_t m = post.size();
    std::vector<char> det(m);
    for (std::size_t j = 0; j < m; ++j) {
      const double w = o.higher_is_worse ? post[j]->value - d.base[s] : d.base[s] - post[j]->value;
      det[j] = w >= o.mid;
    }
    std::size_t hit = m;
    for (std::size_t j = 0; j < m && hit == m; ++j) {
      if (!det[j]) continue;
      switch (o.rule) {
        case DeteriorationRule::first:
          hit = j;
          break;
        case DeteriorationRule::confirmed:
          if (j + 1 < m && det[j + 1]) hit = j;
          break;
        case DeteriorationRule::definitive: {
          bool all = true;
          for (std::size_t k = j + 1; k < m; ++k) all = all && det[k];
          if (all) hit = j;
          break;
        }
      }
    }
    const QolAssessment* at = hit < m ? post[hit] : post[m - 1];
    row.event = hit < m;
    row.time = at->time;
    row.value = at->value;
    row.change = at->value - d.base[s];
    row.description = row.event ? fmt::format("Deterioration ({})", rule_name(o.rule))
                                : "Censored at the last post-baseline assessment";
    res.rows.push_back(row);
  }
  return res;
}

std::vector<TtdAnalysis> deterioration_km(const QolData& d, const DeteriorationResult& r,
                                          const KmOptions& km) {
  check_km_options(km);
  const std::size_t K = d.group_levels.size();
  auto analyse = [&](const std::vector<std::size_t>& rows, std::string label) {
    TtdAnalysis a;
    a.label = std::move(label);
    a.n.assign(K, 0);
    a.events.assign(K, 0);
    for (std::size_t i : rows) {
      ++a.n[static_cast<std::size_t>(d.group[i])];
      if (r.rows[i].event) ++a.events[static_cast<std::size_t>(d.group[i])];
    }
    a.km_group.assign(K, -1);
    SurvData sd;
    sd.source = d.source;
    sd.group_name = d.group_name;
    std::int32_t next = 0;
    for (std::size_t k = 0; k < K; ++k)
      if (a.n[k]) {
        a.km_group[k] = next++;
        sd.group_levels.push_back(d.group_levels[k]);
      }
    for (std::size_t i : rows) {
      const double t = ttd_aval(r.rows[i], r.options);
      if (!(t >= 0))
        throw DataError(
            {.file = d.source, .column = "USUBJID", .value = d.subject[i], .has_value = true},
            fmt::format(
                "the derived time {:g} is negative: the assessment times must not precede the "
                "origin",
                t));
      sd.time.push_back(t);
      sd.status.push_back(r.rows[i].event ? 1 : 0);
      sd.group.push_back(a.km_group[static_cast<std::size_t>(d.group[i])]);
      sd.row.push_back(i);
      sd.line.push_back(0);
    }
    sd.n_read = sd.time.size();
    if (!sd.time.empty()) a.km = kaplan_meier(sd, km);
    return a;
  };
  std::vector<TtdAnalysis> out;
  if (!d.by.empty())
    for (std::size_t b = 0; b < d.by_levels.size(); ++b) {
      std::vector<std::size_t> rows;
      for (std::size_t i = 0; i < d.size(); ++i)
        if (d.by[i] == static_cast<std::int32_t>(b)) rows.push_back(i);
      out.push_back(analyse(rows, d.by_levels[b]));
    }
  std::vector<std::size_t> all(d.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  out.push_back(analyse(all, "Overall"));
  return out;
}

}  // namespace hazard
