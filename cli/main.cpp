// hazard: time-to-event analysis of randomized clinical trials. Entry point of the command line.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "hazard/error.hpp"
#include "hazard/version.hpp"

int main(int argc, char** argv) {
  using hazard::ExitCode;
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
  hazard::cli::register_design(app);
  hazard::cli::register_monitor(app);
  hazard::cli::register_simulate(app);
  hazard::cli::register_reconstruct(app);
  hazard::cli::register_published(app);
  hazard::cli::register_parametric(app);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      app.exit(e);
      return static_cast<int>(ExitCode::usage);
    }
  } catch (const hazard::UsageError& e) {
    fmt::print(stderr, "hazard: error: {}\n", e.what());
    return static_cast<int>(ExitCode::usage);
  } catch (const hazard::DataError& e) {
    fmt::print(stderr, "hazard: data error: {}\n", e.what());
    return static_cast<int>(ExitCode::data);
  } catch (const hazard::NumericalError& e) {
    fmt::print(stderr, "hazard: numerical error: {}\n", e.what());
    return static_cast<int>(ExitCode::numerical);
  } catch (const hazard::IoError& e) {
    fmt::print(stderr, "hazard: i/o error: {}\n", e.what());
    return static_cast<int>(ExitCode::io);
  } catch (const std::exception& e) {
    fmt::print(stderr, "hazard: internal error: {}\n", e.what());
    return static_cast<int>(ExitCode::failure);
  }
  return 0;
}
