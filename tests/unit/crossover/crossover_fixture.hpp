// The crossover scenario of examples/cabinet (adtte_xo.csv, adtv_xo.csv, AGE from adsl.csv) as
// SwitchData / SwitchIntervals, built here column by column as the R reference script
// (tests/reference/crossover/make_crossover.R) builds its data frame, and the reference cases of
// crossover.json.
#pragma once

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "hazard/crossover.hpp"
#include "hazard/csv.hpp"
#include "test_util.hpp"

namespace hazard::test {

inline std::string example_path(const std::string& file) {
  return std::string(HAZARD_SOURCE_DIR) + "/examples/cabinet/" + file;
}

inline std::string text_of(const Column& c, std::size_t i) { return c.text(i); }

struct CrossoverExample {
  SwitchData data;  // AGE as x when asked
  std::vector<std::string> id;
  std::vector<double> age, ecog_pd;
  std::vector<std::int32_t> cohort;  // codes in sorted level order (R's factor order)
};

/// The example as the R script reads it: arm 1 = Cabozantinib, status = 1 - CNSR, censor time
/// DCOTM, switch XOFL/XOTM, progression PDFL/PDTM.
inline CrossoverExample crossover_example() {
  const Table t = read_csv(example_path("adtte_xo.csv"));
  const Table adsl = read_csv(example_path("adsl.csv"), {.columns = {"USUBJID", "AGE"}});
  std::map<std::string, double> age_of;
  for (std::size_t i = 0; i < adsl.rows(); ++i)
    age_of[adsl.at("USUBJID").text(i)] = adsl.at("AGE").numbers[i];
  CrossoverExample ex;
  SwitchData& d = ex.data;
  const std::size_t n = t.rows();
  const Column& cohort = t.at("COHORT");
  for (std::size_t i = 0; i < n; ++i) {
    ex.id.push_back(t.at("USUBJID").text(i));
    d.time.push_back(t.at("AVAL").numbers[i]);
    d.status.push_back(static_cast<std::uint8_t>(1 - static_cast<int>(t.at("CNSR").numbers[i])));
    d.arm.push_back(t.at("TRT01P").text(i) == "Cabozantinib" ? 1 : 0);
    const bool sw = t.at("XOFL").text(i) == "Y";
    d.switched.push_back(sw ? 1 : 0);
    d.switch_time.push_back(sw ? t.at("XOTM").numbers[i] : std::nan(""));
    d.censor_time.push_back(t.at("DCOTM").numbers[i]);
    const bool pd = t.at("PDFL").text(i) == "Y";
    d.progressed.push_back(pd ? 1 : 0);
    d.progression_time.push_back(pd ? t.at("PDTM").numbers[i] : std::nan(""));
    ex.ecog_pd.push_back(t.at("ECOGPD").numbers[i]);
    ex.cohort.push_back(cohort.codes[i]);
    const auto a = age_of.find(ex.id.back());
    if (a == age_of.end()) throw std::runtime_error("no AGE for " + ex.id.back());
    ex.age.push_back(a->second);
  }
  return ex;
}

inline void with_age(SwitchData& d, const std::vector<double>& age) {
  d.x.resize(static_cast<Eigen::Index>(age.size()), 1);
  for (std::size_t i = 0; i < age.size(); ++i) d.x(static_cast<Eigen::Index>(i), 0) = age[i];
  d.names = {"AGE"};
}

/// The case `name` of tests/reference/crossover/crossover.json.
inline nlohmann::json crossover_case(const std::string& name) {
  static const nlohmann::json ref = reference("crossover/crossover.json");
  for (const auto& c : ref.at("cases"))
    if (c.at("name") == name) return c;
  throw std::runtime_error("no reference case " + name);
}

/// A JSON number or one-element array (jsonlite's auto_unbox) as a vector. (Not `jvec`: the
/// parametric fixture's jvec, arrays only, is another function in the same test executable.)
inline std::vector<double> unboxed_vec(const nlohmann::json& v) {
  std::vector<double> out;
  if (v.is_array())
    for (const auto& e : v) out.push_back(jnum(e));
  else
    out.push_back(jnum(v));
  return out;
}

}  // namespace hazard::test
