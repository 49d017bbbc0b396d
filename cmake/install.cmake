# Installing hazard::core for other projects (issue 23):
#   <prefix>/include/hazard/*.hpp           the public API, and the generated build_info.hpp
#   <prefix>/lib/libhazard.a                the library (position-independent)
#   <prefix>/lib/cmake/hazard/              hazardConfig.cmake: find_package(hazard) -> hazard::core
#   <prefix>/lib/pkgconfig/hazard.pc        pkg-config --cflags --libs hazard (used by the R package)
# Usage: cmake --install build --prefix P; then find_package(hazard) with CMAKE_PREFIX_PATH=P.
include(CMakePackageConfigHelpers)

install(TARGETS hazard_core EXPORT hazardTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/hazard DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
install(FILES ${CMAKE_BINARY_DIR}/generated/hazard/build_info.hpp
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hazard)

set(HAZARD_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/hazard)
install(EXPORT hazardTargets NAMESPACE hazard:: DESTINATION ${HAZARD_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/hazardConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/hazardConfig.cmake INSTALL_DESTINATION ${HAZARD_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/hazardConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/hazardConfig.cmake ${CMAKE_BINARY_DIR}/hazardConfigVersion.cmake
        DESTINATION ${HAZARD_CMAKE_DIR})

# pkg-config: everything a static link needs is in Libs and Requires (there is no shared library,
# so a plain `pkg-config --libs hazard` must be complete). The prefix is found relative to the
# file itself, so an installed tree can be moved.
file(RELATIVE_PATH HAZARD_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
get_filename_component(HAZARD_READSTAT_DIR ${READSTAT_LIBRARY} DIRECTORY)
configure_file(${CMAKE_SOURCE_DIR}/cmake/hazard.pc.in ${CMAKE_BINARY_DIR}/hazard.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/hazard.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
