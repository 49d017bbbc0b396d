// Kaplan–Meier medians, the log-rank test and a Cox model from a CSV file, through the installed
// hazard library (find_package(hazard) -> hazard::core).
//
// Usage: km_cox FILE TIME EVENT GROUP [COVARIATE...]
//   EVENT is a 1/0 column (or COL=VALUE: event when COL equals VALUE); GROUP the arm, its first
//   level (sorted) the reference; the Cox model is GROUP + COVARIATE..., Efron ties.
#include <cstdio>
#include <exception>
#include <hazard/cox.hpp>
#include <hazard/cox_model.hpp>
#include <hazard/error.hpp>
#include <hazard/km.hpp>
#include <hazard/logrank.hpp>
#include <hazard/read.hpp>
#include <hazard/version.hpp>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s FILE TIME EVENT GROUP [COVARIATE...]\n", argv[0]);
    return 2;
  }
  try {
    hazard::Roles roles{.time = argv[2], .event = argv[3], .group = argv[4]};
    if (const auto eq = roles.event.find('='); eq != std::string::npos) {
      roles.event_value = roles.event.substr(eq + 1);
      roles.event.resize(eq);
      roles.coding = hazard::EventCoding::equals;
    }
    std::vector<hazard::DesignSpec> covariates;
    for (int i = 5; i < argc; ++i) covariates.push_back({.column = argv[i]});

    const hazard::Table table = hazard::read_data(argv[1]);
    const hazard::SurvData data = hazard::build_surv_data(table, roles);
    std::printf("hazard %s: %s, %zu rows analysed, %zu excluded\n", hazard::version().c_str(),
                argv[1], data.size(), data.excluded.count);

    const hazard::KmResult km = hazard::kaplan_meier(data, {.conf_type = hazard::ConfType::log});
    for (const hazard::KmGroup& g : km.groups)
      std::printf("median %s %.17g (%.17g, %.17g)\n", g.level->c_str(), g.median.estimate,
                  g.median.lower, g.median.upper);

    const hazard::LogrankResult lr = hazard::logrank(data);
    std::printf("logrank chisq %.17g df %d p %.17g\n", lr.test.chisq, lr.test.df, lr.test.p);

    const hazard::CoxModelData model =
        hazard::cox_model_data(table, {.roles = roles, .covariates = covariates});
    const hazard::CoxResult cox = hazard::cox_fit(model.model, {.ties = hazard::Ties::efron});
    for (const hazard::CoxTerm& t : cox.terms)
      std::printf("coef %s %.17g se %.17g hr %.17g\n", t.term.c_str(), t.coef, t.se, t.hr);
  } catch (const hazard::UsageError& e) {
    std::fprintf(stderr, "km_cox: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "km_cox: %s\n", e.what());
    return 3;
  }
  return 0;
}
