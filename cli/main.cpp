// hazard: time-to-event analysis of randomized clinical trials. Entry point of the command line.
#include <malloc.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <new>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "unknown_flags.hpp"
#include "hazard/cluster.hpp"
#include "hazard/error.hpp"
#include "hazard/version.hpp"
#ifdef HAZARD_WITH_MPI
#include <cstdlib>
#include <memory>

#include "mpi_cluster.hpp"
#endif

namespace {

// The message for running out of memory outside a reader (which names its file): written with
// fputs, which does not allocate, as the memory may still be short. `commands` are all the
// subcommands, listed before the work (App::get_subcommands() copies a vector: it may throw here).
void out_of_memory(const std::vector<const CLI::App*>& commands) noexcept {
  std::fputs("hazard: out of memory: ", stderr);
  for (const CLI::App* sub : commands) {
    if (!sub->parsed()) continue;
    std::fputs("hazard ", stderr);
    std::fputs(sub->get_name().c_str(), stderr);
    std::fputs(" ", stderr);
  }
  std::fputs("needs more memory than is available for these data and options\n", stderr);
}

// Messages are printable(): a control character or a byte that is not UTF-8 from the data or a
// file name (ESC, BEL, NUL, \xFF) is shown escaped, never sent to the terminal.
// Under mpirun, usage errors (the same on every rank) are printed by rank 0 only; any other error
// is printed by the rank that met it, named ("hazard (rank 2 of 3): data error: ...").
int run(CLI::App& app, int argc, char** argv, const hazard::Cluster& cluster) {
  using hazard::ExitCode;
  const bool first = cluster.rank() == 0;
  const std::string who =
      cluster.size() > 1 ? fmt::format("hazard (rank {} of {})", cluster.rank(), cluster.size()) : "hazard";
  const std::function<bool(const CLI::App*)> every;
  const std::vector<const CLI::App*> commands = std::as_const(app).get_subcommands(every);
  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::Success& e) {
      return first ? app.exit(e) : 0;
    } catch (const CLI::ParseError& e) {
      // an unknown or misplaced flag is named, with the nearest valid one; otherwise CLI11's text
      const std::string why = hazard::cli::explain_parse_error(app, argc, argv);
      if (first)
        fmt::print(stderr, "hazard: error: {}\n", why.empty() ? std::string(e.what()) + "\n(--help lists the flags)" : why);
      return static_cast<int>(ExitCode::usage);
    }
  } catch (const hazard::UsageError& e) {
    if (first) fmt::print(stderr, "hazard: error: {}\n", hazard::printable(e.what()));
    return static_cast<int>(ExitCode::usage);
  } catch (const hazard::DataError& e) {
    fmt::print(stderr, "{}: data error: {}\n", who, hazard::printable(e.what()));
    return static_cast<int>(ExitCode::data);
  } catch (const hazard::NumericalError& e) {
    fmt::print(stderr, "{}: numerical error: {}\n", who, hazard::printable(e.what()));
    return static_cast<int>(ExitCode::numerical);
  } catch (const hazard::IoError& e) {
    fmt::print(stderr, "{}: i/o error: {}\n", who, hazard::printable(e.what()));
    return static_cast<int>(ExitCode::io);
  } catch (const hazard::ResourceError& e) {
    fmt::print(stderr, "{}: out of memory: {}\n", who, hazard::printable(e.what()));
    return static_cast<int>(ExitCode::failure);
  } catch (const std::bad_alloc&) {
    out_of_memory(commands);
    return static_cast<int>(ExitCode::failure);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", who, hazard::printable(e.what()));
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

#ifdef HAZARD_WITH_MPI
// Started by mpirun (Open MPI, or an MPICH-style PMI launcher): the program joins the job.
// Otherwise the MPI build runs as one process, exactly as the plain build (MPI is not started).
bool launched_by_mpirun() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE", "PMI_RANK"})
    if (std::getenv(name)) return true;
  return false;
}
#endif

int main(int argc, char** argv) {
  using hazard::ExitCode;
  // glibc's malloc raises its mmap threshold to the size of each large block freed (up to 32 MiB);
  // blocks below it then come from the heap, which keeps up to twice that much freed memory
  // resident. After the CSV reader's buffers were freed, several MB stayed resident through the
  // analysis. A fixed threshold of 1 MiB (HugeVector's, util/huge_pages.hpp) returns every large
  // block when it is freed (docs/performance.md, "Memory pages").
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
#ifdef HAZARD_WITH_MPI
  std::unique_ptr<hazard::Cluster> world;
  if (launched_by_mpirun()) {
    try {
      world = hazard::mpi::open_world(argc, argv);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "hazard: cannot join the MPI job: %s\n", e.what());
      return static_cast<int>(ExitCode::failure);
    }
  }
  const hazard::Cluster& cluster = world ? *world : hazard::single_process();
#else
  const hazard::Cluster& cluster = hazard::single_process();
#endif
  int code = static_cast<int>(ExitCode::failure);
  try {
    CLI::App app{"hazard: time-to-event analysis of randomized clinical trials.\n"
                 "Every command documents its flags with --help; see docs/ for methods and output keys."};
    app.name("hazard");
    app.set_version_flag("--version", hazard::version_text());
    app.require_subcommand(1);
    app.fallthrough(false);

    // Subcommands, in the order `hazard --help` lists them.
    hazard::cli::register_report(app);
    hazard::cli::register_km(app, cluster);
    hazard::cli::register_logrank(app, cluster);
    hazard::cli::register_cox(app, cluster);
    hazard::cli::register_cuminc(app);
    hazard::cli::register_finegray(app);
    hazard::cli::register_design(app);
    hazard::cli::register_monitor(app);
    hazard::cli::register_safety(app);
    hazard::cli::register_response(app);
    hazard::cli::register_deterioration(app);
    hazard::cli::register_simulate(app, cluster);
    hazard::cli::register_reconstruct(app);
    hazard::cli::register_published(app);
    hazard::cli::register_parametric(app);
    hazard::cli::register_crossover(app);
    // Under mpirun with several ranks only the commands that share their work over the ranks
    // run (simulate; km, logrank and cox over --data files); any other would run N times over
    // and print N copies (docs/scale.md).
    const std::string command = argc > 1 ? argv[1] : "";
    const bool shared = command == "simulate" || command == "km" || command == "logrank" || command == "cox";
    if (cluster.size() > 1 && argc > 1 && argv[1][0] != '-' && !shared) {
      if (cluster.rank() == 0)
        fmt::print(stderr,
                   "hazard: error: hazard {} does not share its work over MPI ranks: run it as one process "
                   "(mpirun -np 1, or without mpirun); under mpirun -np N hazard simulate, km, logrank and cox "
                   "run (docs/scale.md)\n",
                   hazard::printable(argv[1]));
      // rank 0 ends the job; the others give it time to (two aborts at once garble mpirun's notice)
      if (cluster.rank() != 0) std::this_thread::sleep_for(std::chrono::seconds(2));
      cluster.abort(static_cast<int>(ExitCode::usage));
    }
    code = run(app, argc, argv, cluster);
  } catch (const std::bad_alloc&) {
    // bad_alloc while printing another error, or while setting up: still a message and exit 1,
    // never an abort
    std::fputs("hazard: out of memory\n", stderr);
  } catch (...) {
    std::fputs("hazard: internal error: unexpected exception\n", stderr);
  }
  // A rank that failed ends the whole job (the others may be waiting for it), with its status.
  if (code != 0 && cluster.size() > 1) cluster.abort(code);
  return code;
}
