// The distributions of hazard::fit_parametric: names as the command line spells them, flexsurv's
// parameter names and transforms, the location parameter, and the family objects.
#include <charconv>
#include <string>

#include <fmt/format.h>

#include "hazard/error.hpp"
#include "hazard/parametric.hpp"
#include "parametric/family.hpp"

namespace hazard {

Distribution parse_distribution(std::string_view text) {
  const std::string t(text);
  if (t == "exponential" || t == "exp") return {ParametricFamily::exponential};
  if (t == "weibull") return {ParametricFamily::weibull};
  if (t == "gompertz") return {ParametricFamily::gompertz};
  if (t == "lognormal" || t == "lnorm") return {ParametricFamily::lognormal};
  if (t == "loglogistic" || t == "llogis") return {ParametricFamily::loglogistic};
  if (t == "gengamma") return {ParametricFamily::gengamma};
  for (const auto& [prefix, family] : {std::pair{std::string("rp-hazard"), ParametricFamily::rp_hazard},
                                       std::pair{std::string("rp-odds"), ParametricFamily::rp_odds}}) {
    if (t.rfind(prefix, 0) != 0) continue;
    if (t == prefix)
      throw UsageError(fmt::format("--dist {}: give the number of internal knots, e.g. {}:2", t, prefix));
    if (t[prefix.size()] != ':') break;
    const std::string k = t.substr(prefix.size() + 1);
    int knots = -1;
    const auto [ptr, ec] = std::from_chars(k.data(), k.data() + k.size(), knots);
    if (ec != std::errc() || ptr != k.data() + k.size() || knots < 0 || knots > 10)
      throw UsageError(fmt::format("--dist {}: the number of internal knots must be 0 to 10", t));
    return {family, knots};
  }
  throw UsageError(fmt::format(
      "--dist {}: expected exponential, weibull, gompertz, lognormal, loglogistic, gengamma, "
      "rp-hazard:K or rp-odds:K",
      t));
}

std::string distribution_name(const Distribution& d) {
  switch (d.family) {
    case ParametricFamily::exponential: return "exponential";
    case ParametricFamily::weibull: return "weibull";
    case ParametricFamily::gompertz: return "gompertz";
    case ParametricFamily::lognormal: return "lognormal";
    case ParametricFamily::loglogistic: return "loglogistic";
    case ParametricFamily::gengamma: return "gengamma";
    case ParametricFamily::rp_hazard: return fmt::format("rp-hazard:{}", d.knots);
    case ParametricFamily::rp_odds: return fmt::format("rp-odds:{}", d.knots);
  }
  return "";
}

namespace detail::parametric {

FamilySpec family_spec(const Distribution& d) {
  switch (d.family) {
    case ParametricFamily::exponential: return {{"rate"}, {"log"}, 0};
    case ParametricFamily::weibull: return {{"shape", "scale"}, {"log", "log"}, 1};
    case ParametricFamily::gompertz: return {{"shape", "rate"}, {"identity", "log"}, 1};
    case ParametricFamily::lognormal: return {{"meanlog", "sdlog"}, {"identity", "log"}, 0};
    case ParametricFamily::loglogistic: return {{"shape", "scale"}, {"log", "log"}, 1};
    case ParametricFamily::gengamma: return {{"mu", "sigma", "Q"}, {"identity", "log", "identity"}, 0};
    case ParametricFamily::rp_hazard:
    case ParametricFamily::rp_odds: {
      FamilySpec s;
      for (int j = 0; j < d.knots + 2; ++j) {
        s.names.push_back(fmt::format("gamma{}", j));
        s.transforms.push_back("identity");
      }
      s.location = 0;
      return s;
    }
  }
  return {};
}

std::unique_ptr<Family> make_family(const Distribution& d, const std::vector<double>& knots) {
  switch (d.family) {
    case ParametricFamily::exponential: return make_exponential();
    case ParametricFamily::weibull: return make_weibull();
    case ParametricFamily::gompertz: return make_gompertz();
    case ParametricFamily::lognormal: return make_lognormal();
    case ParametricFamily::loglogistic: return make_loglogistic();
    case ParametricFamily::gengamma: return make_gengamma();
    case ParametricFamily::rp_hazard: return make_royston_parmar(false, knots);
    case ParametricFamily::rp_odds: return make_royston_parmar(true, knots);
  }
  return nullptr;
}

}  // namespace detail::parametric

}  // namespace hazard
