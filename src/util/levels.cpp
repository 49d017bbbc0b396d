// Factor coding of per-subject roles for the readout analyses (levels.hpp).
#include "util/levels.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "hazard/error.hpp"

namespace hazard::detail {

namespace {
double as_number(const std::string& s) {
  double v = std::nan("");
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}
}  // namespace

Coded encode_levels(const std::vector<std::string>& values, bool numeric) {
  Coded out;
  std::vector<std::string> distinct;
  for (const auto& v : values)
    if (!v.empty()) distinct.push_back(v);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (numeric)
    std::stable_sort(
        distinct.begin(), distinct.end(),
        [](const std::string& a, const std::string& b) { return as_number(a) < as_number(b); });
  out.levels = distinct;
  std::map<std::string, std::int32_t> index;
  for (std::size_t k = 0; k < distinct.size(); ++k)
    index.emplace(distinct[k], static_cast<std::int32_t>(k));
  out.codes.reserve(values.size());
  for (const auto& v : values) out.codes.push_back(v.empty() ? -1 : index.at(v));
  return out;
}

void put_first(Coded& coded, const std::string& ref, const std::string& source,
               const std::string& column) {
  if (ref.empty()) return;
  auto it = std::find(coded.levels.begin(), coded.levels.end(), ref);
  if (it == coded.levels.end()) {
    throw DataError({.file = source, .column = column, .value = ref, .has_value = true},
                    fmt::format("--ref: no such level among the analysed rows (levels: {})",
                                fmt::join(coded.levels, ", ")));
  }
  const auto k = static_cast<std::int32_t>(it - coded.levels.begin());
  std::rotate(coded.levels.begin(), it, it + 1);
  for (auto& c : coded.codes) {
    if (c == k)
      c = 0;
    else if (c >= 0 && c < k)
      ++c;
  }
}

Coded combine_strata(const std::vector<Coded>& parts, const std::vector<std::string>& names) {
  Coded out;
  if (parts.empty()) return out;
  const std::size_t n = parts.front().codes.size();
  std::vector<std::vector<std::int32_t>> keys(n);
  for (std::size_t i = 0; i < n; ++i) {
    bool missing = false;
    for (const auto& p : parts) {
      if (p.codes[i] < 0) missing = true;
      keys[i].push_back(p.codes[i]);
    }
    if (missing) keys[i].clear();
  }
  std::vector<std::vector<std::int32_t>> present;
  for (const auto& k : keys)
    if (!k.empty()) present.push_back(k);
  std::sort(present.begin(), present.end());
  present.erase(std::unique(present.begin(), present.end()), present.end());
  for (const auto& k : present) {
    std::string label;
    for (std::size_t s = 0; s < parts.size(); ++s)
      label += fmt::format("{}{}={}", s ? ", " : "", names[s],
                           parts[s].levels[static_cast<std::size_t>(k[s])]);
    out.levels.push_back(std::move(label));
  }
  out.codes.resize(n, -1);
  for (std::size_t i = 0; i < n; ++i)
    if (!keys[i].empty())
      out.codes[i] = static_cast<std::int32_t>(
          std::lower_bound(present.begin(), present.end(), keys[i]) - present.begin());
  return out;
}

std::string subject_key(const Column* study, const Column& subject, std::size_t i) {
  std::string k = study ? study->text(i) : std::string();
  k.push_back('\x1f');
  k += subject.text(i);
  return k;
}

std::string row_name(const Table& t, std::size_t i) {
  std::uint64_t l = i < t.line.size() ? t.line[i] : i + 1;
  return t.record_unit.empty() ? fmt::format("line {}", l) : fmt::format("{} {}", t.record_unit, l);
}

}  // namespace hazard::detail
