#include "hazard/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hazard {

void configure_allocator() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);  // glibc's maximum; also stops its dynamic growth
  mallopt(M_TRIM_THRESHOLD, 1 << 30);           // keep up to 1 GB of freed heap for reuse
  mallopt(M_TOP_PAD, 64 * 1024 * 1024);         // grow the heap in 64 MB steps (address space only)
#endif
}

}  // namespace hazard
