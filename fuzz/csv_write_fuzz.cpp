// libFuzzer entry point: see targets.hpp for what is checked. Run with scripts/fuzz.
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return hazard::fuzz::csv_write(data, size);
}
