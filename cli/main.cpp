// hazard: time-to-event analysis of randomized clinical trials. Entry point of the command line.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "unknown_flags.hpp"
#include "hazard/error.hpp"
#include "hazard/version.hpp"

namespace {

// The message for running out of memory outside a reader (which names its file): written with
// fputs, which does not allocate, as the memory may still be short.
void out_of_memory(const CLI::App& app) noexcept {
  std::fputs("hazard: out of memory: ", stderr);
  for (const CLI::App* sub : app.get_subcommands()) {
    std::fputs("hazard ", stderr);
    std::fputs(sub->get_name().c_str(), stderr);
    std::fputs(" ", stderr);
  }
  std::fputs("needs more memory than is available for these data and options\n", stderr);
}

// Messages are printable(): a control character or a byte that is not UTF-8 from the data or a
// file name (ESC, BEL, NUL, \xFF) is shown escaped, never sent to the terminal.
int run(CLI::App& app, int argc, char** argv) {
  using hazard::ExitCode;
  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      // an unknown or misplaced flag is named, with the nearest valid one; otherwise CLI11's text
      const std::string why = hazard::cli::explain_parse_error(app, argc, argv);
      fmt::print(stderr, "hazard: error: {}\n", why.empty() ? std::string(e.what()) + "\n(--help lists the flags)" : why);
      return static_cast<int>(ExitCode::usage);
    }
  } catch (const hazard::UsageError& e) {
    fmt::print(stderr, "hazard: error: {}\n", hazard::printable(e.what()));
    return static_cast<int>(ExitCode::usage);
  } catch (const hazard::DataError& e) {
    fmt::print(stderr, "hazard: data error: {}\n", hazard::printable(e.what()));
    return static_cast<int>(ExitCode::data);
  } catch (const hazard::NumericalError& e) {
    fmt::print(stderr, "hazard: numerical error: {}\n", hazard::printable(e.what()));
    return static_cast<int>(ExitCode::numerical);
  } catch (const hazard::IoError& e) {
    fmt::print(stderr, "hazard: i/o error: {}\n", hazard::printable(e.what()));
    return static_cast<int>(ExitCode::io);
  } catch (const hazard::ResourceError& e) {
    fmt::print(stderr, "hazard: out of memory: {}\n", hazard::printable(e.what()));
    return static_cast<int>(ExitCode::failure);
  } catch (const std::bad_alloc&) {
    out_of_memory(app);
    return static_cast<int>(ExitCode::failure);
  } catch (const std::exception& e) {
    fmt::print(stderr, "hazard: internal error: {}\n", hazard::printable(e.what()));
    return static_cast<int>(ExitCode::failure);
  }
  // What was printed must have reached standard output (a full disk, /dev/full, a closed pipe):
  // a result that was not written is not a success.
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    const int e = errno;
    std::fprintf(stderr, "hazard: i/o error: standard output: cannot write: %s\n",
                 e ? std::strerror(e) : "write error");
    return static_cast<int>(ExitCode::io);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using hazard::ExitCode;
  try {
    CLI::App app{"hazard: time-to-event analysis of randomized clinical trials.\n"
                 "Every command documents its flags with --help; see docs/ for methods and output keys."};
    app.name("hazard");
    app.set_version_flag("--version", hazard::version_text());
    app.require_subcommand(1);
    app.fallthrough(false);

    // Subcommands, in the order `hazard --help` lists them.
    hazard::cli::register_report(app);
    hazard::cli::register_km(app);
    hazard::cli::register_logrank(app);
    hazard::cli::register_cox(app);
    hazard::cli::register_cuminc(app);
    hazard::cli::register_finegray(app);
    hazard::cli::register_design(app);
    hazard::cli::register_monitor(app);
    hazard::cli::register_safety(app);
    hazard::cli::register_response(app);
    hazard::cli::register_deterioration(app);
    hazard::cli::register_simulate(app);
    hazard::cli::register_reconstruct(app);
    hazard::cli::register_published(app);
    hazard::cli::register_parametric(app);
    hazard::cli::register_crossover(app);
    return run(app, argc, argv);
  } catch (const std::bad_alloc&) {
    // bad_alloc while printing another error, or while setting up: still a message and exit 1,
    // never an abort
    std::fputs("hazard: out of memory\n", stderr);
  } catch (...) {
    std::fputs("hazard: internal error: unexpected exception\n", stderr);
  }
  return static_cast<int>(ExitCode::failure);
}
