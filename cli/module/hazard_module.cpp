// The module libhazard-module.so (module_api.hpp): the library's cairo/pango drawing backend and
// its SHA-256 (OpenSSL), from libhazard.a, behind one exported entry (hazard_module.map).
#include "hazard/digest.hpp"
#include "module/module_api.hpp"

extern "C" const hazard::module::Api* hazard_module_api() {
  static const hazard::module::Api api{
      .canvas = &hazard::plot::detail::canvas_backend(),
      .sha256_hex = &hazard::sha256_hex,
      .sha256_file = &hazard::sha256_file,
  };
  return &api;
}
