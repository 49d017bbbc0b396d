// Best overall response: the RECIST 1.1 controlled terms of ADRS AVALC (CDISC ADaM, the CDISC
// oncology response terminology), in the order tables list them. Matching ignores case and
// surrounding blanks; a blank value is `missing` (no assessment).
#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "hazard/response.hpp"

namespace hazard {

namespace {
constexpr std::array<const char*, n_bor> codes = {"CR", "PR", "SD",     "NON-CR/NON-PD",
                                                  "PD", "NE", "MISSING"};
}

const char* bor_code(Bor b) { return codes[static_cast<std::size_t>(b)]; }

bool parse_bor(std::string_view text, Bor& out) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty()) {
    out = Bor::missing;
    return true;
  }
  std::string up(text);
  std::transform(up.begin(), up.end(), up.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (std::size_t k = 0; k + 1 < n_bor; ++k) {  // "MISSING" is not a term of the data
    if (up == codes[k]) {
      out = static_cast<Bor>(k);
      return true;
    }
  }
  return false;
}

}  // namespace hazard
