// The subcommands of the `hazard` program. Each lives in cli/cmd_<name>.cpp, declares its flags
// (documented in docs/cli/<name>.md) and calls the library: front ends hold no math.
#pragma once

#include <CLI/CLI.hpp>

#include "hazard/cluster.hpp"

namespace hazard::cli {

// One line per subcommand: void register_<name>(CLI::App& app);
void register_report(CLI::App& app);
void register_km(CLI::App& app, const Cluster& cluster);      // mpirun: --data files over the ranks
void register_logrank(CLI::App& app, const Cluster& cluster);  // mpirun: --data files over the ranks
void register_cox(CLI::App& app, const Cluster& cluster);  // mpirun: --data files over the ranks
void register_design(CLI::App& app);
void register_monitor(CLI::App& app);
void register_simulate(CLI::App& app, const Cluster& cluster);  // mpirun: trials over the ranks
void register_reconstruct(CLI::App& app);
void register_published(CLI::App& app);
void register_response(CLI::App& app);
void register_safety(CLI::App& app);
void register_deterioration(CLI::App& app);
void register_parametric(CLI::App& app);
void register_crossover(CLI::App& app);
void register_cuminc(CLI::App& app);
void register_finegray(CLI::App& app);

}  // namespace hazard::cli
