// An LD_PRELOAD shim for tests/cli/out_of_memory.sh: memory that runs out at a chosen allocation.
//
// HAZARD_FAIL_AT=N: from the N-th counted allocation on (0 = the first), every malloc and calloc
// fails, on every thread (memory that has run out stays out; operator new then throws
// std::bad_alloc). HAZARD_FAIL_THREADS=1 counts only the allocations made on threads other than
// the process's first: those where an exception that escapes ends the program (std::terminate).
// HAZARD_FAIL_COUNT=FILE writes the number of counted allocations to FILE at exit (to choose the
// N to try). Without HAZARD_FAIL_AT nothing fails.
//
// The rest of glibc's allocator (realloc, free, aligned allocations) and mmap are left as they are.
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

extern "C" void* __libc_malloc(std::size_t);
extern "C" void* __libc_calloc(std::size_t, std::size_t);

namespace {

std::atomic<long> counted{0};
std::atomic<bool> failing{false};
long fail_at = -1;
bool threads_only = false;
pid_t first_thread = 0;  // 0 until setup: the loader's own allocations are not counted

__attribute__((constructor)) void setup() {
  const char* at = std::getenv("HAZARD_FAIL_AT");
  const char* th = std::getenv("HAZARD_FAIL_THREADS");
  fail_at = at ? std::atol(at) : -1;
  threads_only = th && th[0] == '1';
  first_thread = getpid();
}

__attribute__((destructor)) void report() {
  const char* file = std::getenv("HAZARD_FAIL_COUNT");
  if (!file) return;
  if (std::FILE* f = std::fopen(file, "w")) {
    std::fprintf(f, "%ld\n", counted.load());
    std::fclose(f);
  }
}

// Whether this allocation fails (errno = ENOMEM then, as malloc's: glibc's thread start asserts it).
bool fails() {
  if (!failing.load()) {
    if (first_thread == 0 || (threads_only && gettid() == first_thread)) return false;
    if (counted.fetch_add(1) < fail_at || fail_at < 0) return false;
    failing.store(true);
  }
  errno = ENOMEM;
  return true;
}

}  // namespace

extern "C" void* malloc(std::size_t n) noexcept { return fails() ? nullptr : __libc_malloc(n); }
extern "C" void* calloc(std::size_t n, std::size_t size) noexcept {
  return fails() ? nullptr : __libc_calloc(n, size);
}
