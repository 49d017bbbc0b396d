// Unknown and misplaced flags (cli/unknown_flags.hpp). The command line is read again token by
// token: a token starting with "--" (up to an '=') or a single-dash letter is a flag; it must be a
// flag of the command named on the line (or --help/--version). Tokens that are numbers (option
// values such as -1.96) are values.
#include "unknown_flags.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace hazard::cli {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::size_t times_given(const CLI::App& cmd, std::string_view flag) {
  if (flag.size() > 2 && flag.substr(0, 2) == "--")
    for (const CLI::Option* o : cmd.get_options())
      for (const std::string& l : o->get_lnames())
        if (l == flag.substr(2)) return o->count();
  throw std::logic_error(fmt::format("times_given: {} has no flag {}", cmd.get_name(), flag));
}

namespace {

/// Every flag of a command, with its dashes ("--data", "-h").
std::vector<std::string> flags_of(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) out.push_back("--" + l);
    for (const auto& s : o->get_snames()) out.push_back("-" + s);
  }
  return out;
}

bool is_number(std::string_view s) {
  double x;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), x);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

/// The flag a token names ("--where" of "--where=x"), or "" when the token is a value.
std::string flag_of(std::string_view token) {
  if (token.size() < 2 || token[0] != '-' || is_number(token) || token == "--") return {};
  if (token[1] != '-') return token.size() == 2 ? std::string(token) : std::string();  // -h, not -x=1
  return std::string(token.substr(0, token.find('=')));
}

/// The nearest candidate, when it is near enough to be a likely typo.
std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  return best_d <= allowed ? best : std::string();
}

}  // namespace

std::string explain_parse_error(CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> tokens(argv + 1, argv + argc);
  std::vector<CLI::App*> commands = app.get_subcommands([](CLI::App*) { return true; });
  std::vector<std::string> names;
  for (CLI::App* c : commands) names.push_back(c->get_name());
  const std::vector<std::string> top = flags_of(app);  // --help, --version

  // the command named on the line: the first token that is one
  std::size_t at = tokens.size();
  CLI::App* command = nullptr;
  for (std::size_t i = 0; i < tokens.size() && !command; ++i)
    for (CLI::App* c : commands)
      if (tokens[i] == c->get_name()) {
        command = c;
        at = i;
        break;
      }
  if (!command) {
    // an unknown command: the first token that is not a flag
    for (const auto& t : tokens)
      if (flag_of(t).empty()) {
        const std::string near = nearest(t, names);
        return fmt::format("unknown command '{}'{} (the commands: {})", t,
                           near.empty() ? "" : fmt::format("; did you mean {}?", near), fmt::join(names, ", "));
      }
    return {};
  }

  std::vector<std::string> problems;
  // flags before the command
  for (std::size_t i = 0; i < at; ++i) {
    const std::string f = flag_of(tokens[i]);
    if (f.empty() || std::find(top.begin(), top.end(), f) != top.end()) continue;
    problems.push_back(fmt::format("{} goes after the command: hazard {} ... {}", tokens[i],
                                   command->get_name(), tokens[i]));
  }
  // flags of the command
  const std::vector<std::string> valid = flags_of(*command);
  for (std::size_t i = at + 1; i < tokens.size(); ++i) {
    const std::string f = flag_of(tokens[i]);
    if (f.empty() || std::find(valid.begin(), valid.end(), f) != valid.end() ||
        std::find(top.begin(), top.end(), f) != top.end())
      continue;
    std::vector<std::string> elsewhere;
    for (CLI::App* c : commands) {
      if (c == command) continue;
      const std::vector<std::string> theirs = flags_of(*c);
      if (std::find(theirs.begin(), theirs.end(), f) != theirs.end()) elsewhere.push_back(c->get_name());
    }
    const std::string near = nearest(f, valid);
    std::string msg = elsewhere.empty()
                          ? fmt::format("{}: unknown flag {}", command->get_name(), f)
                          : fmt::format("{}: {} is not a flag of {} (it is a flag of {})", command->get_name(), f,
                                        command->get_name(), fmt::join(elsewhere, ", "));
    if (!near.empty()) msg += fmt::format("; did you mean {}?", near);
    problems.push_back(std::move(msg));
  }
  if (problems.empty()) return {};
  return fmt::format("{}\n(hazard {} --help lists its flags)", fmt::join(problems, "\n"), command->get_name());
}

}  // namespace hazard::cli
