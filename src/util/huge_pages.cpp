// Transparent huge pages for large buffers; see huge_pages.hpp.
#include "util/huge_pages.hpp"

#include <cstdint>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace hazard::detail {

namespace {
/// madvise(advice) on the whole `align`-sized pages inside [p, p + bytes), when there is one; a
/// hint: errors are ignored. `align` is a power of two.
[[maybe_unused]] void advise_inner(const void* p, std::size_t bytes, std::uintptr_t align,
                                   int advice) noexcept {
#if defined(__linux__)
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const std::uintptr_t first = (begin + align - 1) & ~(align - 1);
  const std::uintptr_t last = (begin + bytes) & ~(align - 1);
  if (p == nullptr || last <= first) return;
  (void)::madvise(reinterpret_cast<void*>(first), last - first, advice);
#else
  (void)p;
  (void)bytes;
  (void)align;
  (void)advice;
#endif
}
}  // namespace

void advise_huge_pages(const void* p, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  advise_inner(p, bytes, std::uintptr_t{1} << 21, MADV_HUGEPAGE);  // 2 MiB
#else
  (void)p;
  (void)bytes;
#endif
}

void release_pages(void* p, std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_DONTNEED)
  advise_inner(p, bytes, 4096, MADV_DONTNEED);
#else
  (void)p;
  (void)bytes;
#endif
}

namespace {
constexpr std::size_t kHuge = std::size_t{1} << 21;    // 2 MiB
constexpr std::size_t kDirect = std::size_t{1} << 20;  // blocks mapped directly from 1 MiB
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif
bool direct(std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  return !kSanitized && bytes >= kDirect;
#else
  (void)bytes;
  return false;
#endif
}
std::size_t whole_pages(std::size_t bytes) { return (bytes + kHuge - 1) / kHuge * kHuge; }
}  // namespace

void* huge_allocate(std::size_t bytes) {
  if (!direct(bytes)) return ::operator new(bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  const std::size_t len = whole_pages(bytes);
  if (len < bytes || len + kHuge < len) throw std::bad_alloc();
  // map one huge page more than needed and trim both ends to a 2 MiB boundary
  void* raw =
      ::mmap(nullptr, len + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto b = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t a = (b + kHuge - 1) & ~(kHuge - 1);
  if (a > b) ::munmap(raw, a - b);
  if (b + kHuge > a) ::munmap(reinterpret_cast<void*>(a + len), b + kHuge - a);
  (void)::madvise(reinterpret_cast<void*>(a), len, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(a);
#endif
}

void huge_deallocate(void* p, std::size_t bytes) noexcept {
  if (p == nullptr) return;
  if (!direct(bytes)) {
    ::operator delete(p);
    return;
  }
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  ::munmap(p, whole_pages(bytes));
#endif
}

}  // namespace hazard::detail
