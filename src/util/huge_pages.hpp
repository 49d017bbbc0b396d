// Large work buffers on transparent huge pages.
//
// Why: the first write to each 4 KiB page of fresh anonymous memory is a page fault in which the
// kernel clears the page. On virtual machines a fault is expensive (measured here, 2 cores under a
// paravirtualised hypervisor: a quarter to half of the time of a 1e6-row Cox fit or a 1e7-row KM
// went to faults). Debian's default transparent-huge-page mode is "madvise": a range advised with
// MADV_HUGEPAGE before its first touch is mapped in 2 MiB pages, 512 times fewer faults.
// What: advise_huge_pages advises the 2 MiB-aligned part of [p, p + bytes) when it spans at least
// one such page (below that it does nothing); errors are ignored (a hint, never needed for
// correctness; other systems: no-op). reserve_huge / resize_huge are std::vector's reserve / resize
// with the advice given between the allocation and the first touch. Advising memory already
// touched (a reused buffer) is harmless.
//
// HugeVector<T> goes further for the largest internal buffers: blocks of 1 MiB and more are
// mapped directly, 2 MiB-aligned and a whole number of 2 MiB pages long, so that every page of the
// block can be a huge page (a glibc block starts at an arbitrary page, leaving up to 2 x 2 MiB of
// small pages at its ends). Smaller blocks, and every block in sanitizer builds (so that
// AddressSanitizer still sees them), come from operator new. The threshold is low on purpose: a
// 1 MiB block costs one huge page (cleared in one fault) instead of 256 faults, and blocks of
// this size from glibc also churn its heap (grown and trimmed, each time with fresh faults).
// Measured (1e6 x 6 Cox fit, API, 2-core AMD EPYC VM): the Cox data's n-sized arrays as
// HugeVector and the threshold 4 -> 1 MiB took the faults of one fit from ~4,600 to ~100 and its
// time from ~0.32 to ~0.28 s.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace hazard::detail {

void advise_huge_pages(const void* p, std::size_t bytes) noexcept;

/// Gives the whole 4 KiB pages inside [p, p + bytes) back to the system (MADV_DONTNEED) while the
/// block stays allocated: for a buffer whose values are dead before the buffer itself is freed
/// (read once, front to back), so that it shrinks while its successor grows. The range reads as
/// zeros afterwards. A hint: errors are ignored; other systems: no-op.
void release_pages(void* p, std::size_t bytes) noexcept;

/// Raw storage for HugeAllocator (throws std::bad_alloc); release with the same byte count.
void* huge_allocate(std::size_t bytes);
void huge_deallocate(void* p, std::size_t bytes) noexcept;

template <class T>
struct HugeAllocator {
  using value_type = T;
  HugeAllocator() = default;
  template <class U>
  HugeAllocator(const HugeAllocator<U>&) noexcept {}  // NOLINT: rebinding, as std::allocator
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(huge_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { huge_deallocate(p, n * sizeof(T)); }
  friend bool operator==(const HugeAllocator&, const HugeAllocator&) { return true; }
};

/// A std::vector whose large storage is 2 MiB-aligned huge pages (internal work buffers).
template <class T>
using HugeVector = std::vector<T, HugeAllocator<T>>;

/// HugeAllocator whose value-initialisation is default-initialisation: resize(n) leaves new
/// elements of trivial types unwritten (resize(n, value) and assign still fill). For buffers that
/// one pass writes in full right after sizing them, often on two threads: the first touch of the
/// fresh pages (the kernel clears each one) then happens in that pass, shared by its threads,
/// instead of in a single-threaded memset of zeros that are overwritten anyway.
template <class T>
struct HugeUninitAllocator : HugeAllocator<T> {
  template <class U>
  struct rebind {
    using other = HugeUninitAllocator<U>;
  };
  HugeUninitAllocator() = default;
  template <class U>
  HugeUninitAllocator(const HugeUninitAllocator<U>&) noexcept {}  // NOLINT: rebinding
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  friend bool operator==(const HugeUninitAllocator&, const HugeUninitAllocator&) { return true; }
};

/// A HugeVector whose resize(n) does not zero the new elements (HugeUninitAllocator): every
/// element must be written before it is read.
template <class T>
using HugeScratch = std::vector<T, HugeUninitAllocator<T>>;

/// v.reserve(n), advising fresh storage for huge pages.
template <class T, class A>
void reserve_huge(std::vector<T, A>& v, std::size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  advise_huge_pages(v.data(), v.capacity() * sizeof(T));
}

/// v.resize(n) (new elements value-initialised, or copies of `value`), on advised storage.
template <class T, class A>
void resize_huge(std::vector<T, A>& v, std::size_t n) {
  reserve_huge(v, n);
  v.resize(n);
}
template <class T, class A>
void resize_huge(std::vector<T, A>& v, std::size_t n, const T& value) {
  reserve_huge(v, n);
  v.resize(n, value);
}

/// resize_huge for a scratch buffer whose old contents are dead: cleared first, so that growing it
/// copies nothing into the new block (the copy would also be the new block's first touch, before
/// its huge-page advice: a 4 KiB fault per page). A radix sort's second buffer, reused for lists
/// of growing sizes, copied each list's predecessor: 52% of the page faults of `logrank` at 10^7
/// rows (two arms: the larger arm's buffer received the smaller arm's 40 MB).
template <class T, class A>
void resize_scratch(std::vector<T, A>& v, std::size_t n) {
  if (n > v.capacity()) v.clear();
  resize_huge(v, n);
}

}  // namespace hazard::detail
