// tests/reference/parametric/colon.csv as the R script tests/reference/crossover/make_models.R
// reads it (lev5fu = rx == "Lev+5FU"), and the cases of models.json.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "hazard/csv.hpp"
#include "test_util.hpp"

namespace hazard::test {

struct ColonData {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<double> age, nodes, lev5fu;
  double column(const std::string& name, std::size_t i) const {
    if (name == "age") return age[i];
    if (name == "nodes") return nodes[i];
    if (name == "lev5fu") return lev5fu[i];
    throw std::runtime_error("no column " + name);
  }
  /// The design matrix of the named columns (no intercept).
  Eigen::MatrixXd x(const std::vector<std::string>& cols) const {
    Eigen::MatrixXd m(static_cast<Eigen::Index>(time.size()),
                      static_cast<Eigen::Index>(cols.size()));
    for (std::size_t i = 0; i < time.size(); ++i)
      for (std::size_t j = 0; j < cols.size(); ++j)
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = column(cols[j], i);
    return m;
  }
};

inline ColonData colon() {
  const Table t = read_csv(std::string(HAZARD_REFERENCE_DIR) + "/parametric/colon.csv");
  ColonData d;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    d.time.push_back(t.at("time").numbers[i]);
    d.status.push_back(static_cast<std::uint8_t>(t.at("status").numbers[i]));
    d.age.push_back(t.at("age").numbers[i]);
    d.nodes.push_back(t.at("nodes").numbers[i]);
    d.lev5fu.push_back(t.at("rx").text(i) == "Lev+5FU" ? 1.0 : 0.0);
  }
  return d;
}

inline std::vector<std::string> strings(const nlohmann::json& v) {
  std::vector<std::string> out;
  if (v.is_array())
    for (const auto& e : v) out.push_back(e.get<std::string>());
  else
    out.push_back(v.get<std::string>());
  return out;
}

}  // namespace hazard::test
