// Pooling the parts of a distributed analysis into one (distributed.hpp).
//
// Exactness: levels are matched by name and ordered as the one-process build orders them
// (make_factor: numeric columns by value, text columns as sorted strings; strata combinations
// lexicographically by their columns' level order), so every code is the one the concatenated
// file would get. The frequency table holds whole-number counts, which add exactly in doubles
// below 2^53.
//
// Communication (each an all_gather through rank 0, collectives.hpp): the role columns' kinds;
// the group and strata level names; the row counts and exclusion reasons; and, with `tabulate`,
// each rank's frequency table (5 doubles per distinct (stratum, group, time, status)), sent to
// rank 0 and merged there. Rows never move; distinct times do (for day-valued times a few thousand per
// stratum and group, for continuous times as many as the events and censorings).
#include "hazard/distributed.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "hazard/error.hpp"
#include "hazard/collectives.hpp"

namespace hazard {

namespace {

constexpr int unknown = 0, numeric = 1, text = 2;  // the kind of a role column

// Agrees on each role column's kind over the parts and the ranks.
std::vector<int> agree_kinds(const std::vector<DataPart>& parts, const Roles& roles, const std::string& source,
                             const Cluster& cluster) {
  std::vector<std::string> columns;
  if (!roles.group.empty()) columns.push_back(roles.group);
  for (const auto& s : roles.strata) columns.push_back(s);
  std::vector<double> kinds(columns.size(), unknown);
  auto merge = [&](std::size_t c, int k) {
    if (k == unknown) return;
    if (static_cast<int>(kinds[c]) != unknown && static_cast<int>(kinds[c]) != k)
      throw DataError({.file = source, .column = columns[c]},
                      "the column is numeric in some of the files and text in others: the levels cannot be "
                      "matched");
    kinds[c] = k;
  };
  for (const auto& p : parts) {
    if (p.data.size() == 0 && p.data.n_read == 0) continue;
    std::size_t c = 0;
    if (!roles.group.empty()) merge(c++, p.group_numeric ? numeric : text);
    for (std::size_t s = 0; s < roles.strata.size(); ++s)
      merge(c++, s < p.strata_numeric.size() && p.strata_numeric[s] ? numeric : text);
  }
  const auto all = parallel::all_gather(cluster, std::span<const double>(kinds));
  for (const auto& r : all)
    for (std::size_t c = 0; c < columns.size() && c < r.size(); ++c) merge(c, static_cast<int>(r[c]));
  return {kinds.begin(), kinds.end()};
}

// Orders two level names of a column of kind `kind` as make_factor does.
bool level_less(const std::string& a, const std::string& b, int kind) {
  if (kind == numeric) return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr);
  return a < b;
}

bool tuple_less(const std::vector<std::string>& a, const std::vector<std::string>& b,
                const std::vector<int>& kinds) {
  for (std::size_t c = 0; c < a.size(); ++c) {
    if (level_less(a[c], b[c], kinds[c])) return true;
    if (level_less(b[c], a[c], kinds[c])) return false;
  }
  return false;
}

std::vector<std::string> flatten(const std::vector<std::vector<std::string>>& tuples) {
  std::vector<std::string> out;
  for (const auto& t : tuples) out.insert(out.end(), t.begin(), t.end());
  return out;
}

struct Totals {
  std::size_t n_read = 0, n_filtered = 0;
  Exclusions excluded;
};

// Rows read, filtered and excluded (by reason), summed over the parts and the ranks.
Totals agree_totals(const std::vector<DataPart>& parts, const Cluster& cluster) {
  std::map<std::string, std::size_t> reasons;
  std::size_t read = 0, filtered = 0;
  for (const auto& p : parts) {
    read += p.data.n_read;
    filtered += p.data.n_filtered;
    for (const auto& [r, c] : p.data.excluded.reasons) reasons[r] += c;
  }
  std::vector<std::string> mine = {std::to_string(read), std::to_string(filtered)};
  for (const auto& [r, c] : reasons) {
    mine.push_back(r);
    mine.push_back(std::to_string(c));
  }
  Totals t;
  for (const auto& r : parallel::all_gather(cluster, mine)) {
    t.n_read += std::stoull(r.at(0));
    t.n_filtered += std::stoull(r.at(1));
    for (std::size_t k = 2; k + 1 < r.size(); k += 2) {
      const auto c = static_cast<std::size_t>(std::stoull(r[k + 1]));
      t.excluded.count += c;
      t.excluded.reasons[r[k]] += c;
    }
  }
  return t;
}

// The frequency table of rows (stratum, group, time, status) -> count, 5 doubles per entry,
// sorted by (stratum, group, time, status).
std::vector<double> frequency_table(const SurvData& d) {
  struct Entry {
    double stratum, group, time, status;
  };
  std::vector<Entry> rows(d.size());
  for (std::size_t i = 0; i < d.size(); ++i)
    rows[i] = {d.stratum.empty() ? 0.0 : d.stratum[i], d.group.empty() ? 0.0 : d.group[i], d.time[i],
               static_cast<double>(d.status[i])};
  auto key = [](const Entry& e) { return std::tie(e.stratum, e.group, e.time, e.status); };
  std::sort(rows.begin(), rows.end(), [&](const Entry& a, const Entry& b) { return key(a) < key(b); });
  std::vector<double> out;
  for (std::size_t i = 0; i < rows.size();) {
    std::size_t j = i;
    while (j < rows.size() && key(rows[j]) == key(rows[i])) ++j;
    out.insert(out.end(), {rows[i].stratum, rows[i].group, rows[i].time, rows[i].status, static_cast<double>(j - i)});
    i = j;
  }
  return out;
}

}  // namespace

SurvData pool_surv_data(std::vector<DataPart> parts, const Roles& roles, const PoolOptions& options,
                        const Cluster& cluster) {
  const std::string& source = options.source;
  if (options.tabulate && cluster.size() > 1) {
    bool weighted = !roles.weights.empty();
    for (const auto& p : parts) weighted = weighted || p.data.weighted();
    if (weighted)
      throw UsageError(
          "--weights: a km or log-rank analysis of several files or ranks pools the rows' counts; case weights "
          "are not counts (run it as one process, or use hazard cox, which takes case weights over ranks)");
  }
  const std::vector<int> kinds = agree_kinds(parts, roles, source, cluster);
  const std::size_t n_strata_cols = roles.strata.size();
  const std::vector<int> strata_kinds(kinds.begin() + (roles.group.empty() ? 0 : 1), kinds.end());

  // The group's levels: the union over parts and ranks, ordered as make_factor, --ref first.
  std::vector<std::string> levels;
  if (!roles.group.empty()) {
    std::vector<std::string> mine;
    for (const auto& p : parts) mine.insert(mine.end(), p.data.group_levels.begin(), p.data.group_levels.end());
    for (const auto& r : parallel::all_gather(cluster, mine)) levels.insert(levels.end(), r.begin(), r.end());
    const int kind = kinds[0];
    std::sort(levels.begin(), levels.end(), [&](const auto& a, const auto& b) { return level_less(a, b, kind); });
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    if (!roles.ref.empty()) {
      auto it = std::find(levels.begin(), levels.end(), roles.ref);
      if (it == levels.end())
        throw DataError({.file = source, .column = roles.group, .value = roles.ref, .has_value = true},
                        fmt::format("the reference level has no rows to analyse in any file (levels with rows: {})",
                                    fmt::join(levels, ", ")));
      std::rotate(levels.begin(), it, it + 1);
    }
  }
  // The strata combinations present anywhere, in R's strata() order.
  std::vector<std::vector<std::string>> combos;
  if (n_strata_cols != 0) {
    std::vector<std::vector<std::string>> mine;
    for (const auto& p : parts) mine.insert(mine.end(), p.data.strata_parts.begin(), p.data.strata_parts.end());
    for (const auto& r : parallel::all_gather(cluster, flatten(mine)))
      for (std::size_t k = 0; k + n_strata_cols <= r.size(); k += n_strata_cols)
        combos.emplace_back(r.begin() + static_cast<std::ptrdiff_t>(k),
                            r.begin() + static_cast<std::ptrdiff_t>(k + n_strata_cols));
    auto less = [&](const auto& a, const auto& b) { return tuple_less(a, b, strata_kinds); };
    std::sort(combos.begin(), combos.end(), less);
    combos.erase(std::unique(combos.begin(), combos.end()), combos.end());
  }

  // This rank's rows, recoded to the global levels.
  SurvData out;
  out.source = source;
  for (auto& part : parts) {
    SurvData& d = part.data;
    if (out.group_name.empty()) {
      out.group_name = d.group_name;
      out.time_label = d.time_label;
      out.group_label = d.group_label;
    }
    std::vector<std::int32_t> group_code(d.group_levels.size()), stratum_code(d.strata_parts.size());
    for (std::size_t k = 0; k < d.group_levels.size(); ++k)
      group_code[k] = static_cast<std::int32_t>(std::find(levels.begin(), levels.end(), d.group_levels[k]) - levels.begin());
    for (std::size_t k = 0; k < d.strata_parts.size(); ++k)
      stratum_code[k] = static_cast<std::int32_t>(std::find(combos.begin(), combos.end(), d.strata_parts[k]) - combos.begin());
    out.time.insert(out.time.end(), d.time.begin(), d.time.end());
    out.start.insert(out.start.end(), d.start.begin(), d.start.end());
    out.status.insert(out.status.end(), d.status.begin(), d.status.end());
    out.weight.insert(out.weight.end(), d.weight.begin(), d.weight.end());
    for (auto g : d.group) out.group.push_back(group_code[static_cast<std::size_t>(g)]);
    for (auto s : d.stratum) out.stratum.push_back(stratum_code[static_cast<std::size_t>(s)]);
    out.row.append(d.row);
    out.line.append(d.line);
  }
  // A part without the optional columns' rows leaves them shorter: only whole columns are kept.
  if (out.start.size() != out.time.size()) out.start.clear();
  if (out.weight.size() != out.time.size()) out.weight.clear();
  out.group_name = roles.group;
  out.group_levels = levels;
  out.strata_names = roles.strata;
  for (const auto& c : combos) {
    std::string label;
    for (std::size_t s = 0; s < c.size(); ++s) label += fmt::format("{}{}={}", s ? ", " : "", roles.strata[s], c[s]);
    out.strata_levels.push_back(std::move(label));
  }
  out.strata_parts = combos;
  if (roles.group.empty()) out.group.clear();
  if (n_strata_cols == 0) out.stratum.clear();

  const Totals totals = agree_totals(parts, cluster);
  out.n_read = totals.n_read;
  out.n_filtered = totals.n_filtered;
  out.excluded = totals.excluded;

  // Per group (one slot without --group): rows and events of the whole.
  const std::size_t G = std::max<std::size_t>(levels.size(), 1);
  std::vector<double> counts(2 * G, 0.0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t g = out.group.empty() ? 0 : static_cast<std::size_t>(out.group[i]);
    counts[2 * g] += 1.0;
    counts[2 * g + 1] += out.status[i];
  }
  cluster.sum(counts);
  double rows = 0, events = 0;
  for (std::size_t g = 0; g < G; ++g) {
    rows += counts[2 * g];
    events += counts[2 * g + 1];
  }
  if (rows == 0) {
    std::string why;
    for (const auto& [r, c] : out.excluded.reasons) why += fmt::format("{}{}: {}", why.empty() ? "" : ", ", r, c);
    throw DataError({.file = source},
                    fmt::format("no data rows left to analyse in any file ({} read, {} removed by --where, {} "
                                "excluded{}{}{})",
                                out.n_read, out.n_filtered, out.excluded.count, why.empty() ? "" : " (", why,
                                why.empty() ? "" : ")"));
  }
  if (events == 0 && roles.require_events)
    throw DataError({.file = source, .column = roles.event},
                    fmt::format("no events in the {} analysed rows of any file", static_cast<std::size_t>(rows)));
  const auto total_rows = static_cast<std::size_t>(rows);
  if (!roles.group.empty()) roles.level_limit.check(levels.size(), total_rows, source, roles.group, "the group (--group)");
  if (n_strata_cols > 1)
    roles.level_limit.check(combos.size(), total_rows, source, fmt::format("{}", fmt::join(roles.strata, ", ")),
                            "the combination of the strata (--strata)");
  {  // the warnings of the whole, from its per-group counts
    std::vector<double> group_rows(levels.size()), group_events(levels.size());
    for (std::size_t g = 0; g < levels.size(); ++g) {
      group_rows[g] = counts[2 * g];
      group_events[g] = counts[2 * g + 1];
    }
    out.warnings = group_event_warnings(levels, group_rows, group_events, roles.group);
  }
  // One process: its rows, recoded, are the whole (the kernels sort them; counts add exactly).
  if (!options.tabulate || cluster.size() == 1) return out;

  // Several ranks: the frequency table of the whole, on rank 0 (the others are done: they print
  // nothing). Each rank's table is sorted: rank 0 merges the runs, summing equal keys.
  std::vector<std::vector<double>> runs = parallel::gather(cluster, std::span<const double>(frequency_table(out)));
  if (cluster.rank() != 0) return out;
  auto entry_less = [](const double* a, const double* b) {
    return std::tie(a[0], a[1], a[2], a[3]) < std::tie(b[0], b[1], b[2], b[3]);
  };
  while (runs.size() > 1) {  // pairwise merges: log2(ranks) passes over the entries
    std::vector<std::vector<double>> next;
    for (std::size_t r = 0; r + 1 < runs.size(); r += 2) {
      const auto& a = runs[r];
      const auto& b = runs[r + 1];
      std::vector<double> m;
      m.reserve(a.size() + b.size());
      std::size_t i = 0, j = 0;
      while (i < a.size() || j < b.size()) {
        const bool take_a = j == b.size() || (i < a.size() && !entry_less(b.data() + j, a.data() + i));
        const double* e = take_a ? a.data() + i : b.data() + j;
        if (!m.empty() && std::equal(e, e + 4, m.end() - 5))
          m.back() += e[4];
        else
          m.insert(m.end(), e, e + 5);
        (take_a ? i : j) += 5;
      }
      next.push_back(std::move(m));
    }
    if (runs.size() % 2 == 1) next.push_back(std::move(runs.back()));
    runs = std::move(next);
  }
  const std::vector<double> merged = runs.empty() ? std::vector<double>{} : std::move(runs.front());
  const std::size_t m = merged.size() / 5;
  // rank 0's own rows are replaced by the table of the whole; the rest of `out` (levels, counts,
  // warnings) is already the whole's
  for (auto* v : {&out.time, &out.start, &out.weight}) v->clear();
  out.status.clear();
  out.group.clear();
  out.stratum.clear();
  out.row.clear();
  out.line.clear();
  out.frequency = true;
  for (std::size_t k = 0; k < m; ++k) {
    const double* e = merged.data() + 5 * k;
    if (n_strata_cols != 0) out.stratum.push_back(static_cast<std::int32_t>(e[0]));
    if (!roles.group.empty()) out.group.push_back(static_cast<std::int32_t>(e[1]));
    out.time.push_back(e[2]);
    out.status.push_back(static_cast<std::uint8_t>(e[3]));
    out.weight.push_back(e[4]);
    out.row.push_back(k);
    out.line.push_back(0);
  }
  return out;
}

}  // namespace hazard
