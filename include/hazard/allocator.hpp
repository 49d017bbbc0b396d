// Process-wide memory allocator settings for programs that analyse large data (the CLI, the
// benchmarks). A front end calls configure_allocator() once at start-up; the library itself never
// changes process state.
#pragma once

namespace hazard {

/// Tunes glibc malloc for large numeric arrays: freed memory is kept for reuse instead of being
/// returned to the system (a large trim threshold and top pad; the mmap threshold fixed at its
/// maximum, 32 MB, so that arrays below it come from the reusable heap). On a virtual machine the
/// first touch of each fresh 4 kB page is a page fault costing microseconds; an analysis of 10^6
/// rows allocates and frees hundreds of MB of temporaries (sort buffers, kernel-order copies), so
/// reusing pages saves a large share of its time. Peak resident memory is unchanged: only memory
/// already freed stays mapped. Does nothing on other C libraries.
void configure_allocator();

}  // namespace hazard
