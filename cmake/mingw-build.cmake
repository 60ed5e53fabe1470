# What the MinGW-w64 cross build (preset `mingw`, cmake/mingw-w64-x86_64.cmake) builds: the
# Windows agent without gRPC (the scan, the Win32 SystemView backend, the Windows service shell),
# the MSI, and their tests, which run under Wine. Included by the top-level CMakeLists.txt
# instead of the native targets; see docs/windows.md.
#
# Left out, because Debian ships their libraries for the native system only:
# - gRPC, protobuf, OpenSSL: the uplink (`run`, `enroll`). The production build (preset
#   `windows-msvc`, vcpkg.json) links it; this one hashes and draws random numbers with
#   Windows' CNG (common/crypto_win32.cc).
# - SQLite: the browser-history probe and common/sqlite.
# - libhivex: offline hives are loaded by Windows itself (RegLoadAppKey).
# - librpm, libplist: the Linux and macOS probes (VIGIE_WINDOWS_ONLY).
message(STATUS "MinGW build: Windows agent (scan, service, MSI) without gRPC, SQLite, OpenSSL, "
               "libhivex, librpm or libplist; see docs/windows.md")

find_package(Threads REQUIRED)

# Header-only libraries come from Debian's native -dev packages through a directory holding a
# symlink to each one's headers, so that /usr/include itself (glibc's and Linux's headers) is
# never on the Windows include path.
set(VIGIE_MINGW_HEADERS "${PROJECT_BINARY_DIR}/third-party-include")
file(MAKE_DIRECTORY "${VIGIE_MINGW_HEADERS}")
foreach(header_dir fmt spdlog toml++ nlohmann CLI)
  if(NOT EXISTS "/usr/include/${header_dir}")
    message(FATAL_ERROR "/usr/include/${header_dir} is missing: run scripts/deps.sh")
  endif()
  file(CREATE_LINK "/usr/include/${header_dir}" "${VIGIE_MINGW_HEADERS}/${header_dir}" SYMBOLIC)
endforeach()
add_library(vigie_mingw_headers INTERFACE)
target_include_directories(vigie_mingw_headers SYSTEM INTERFACE "${VIGIE_MINGW_HEADERS}")
# fmt and spdlog in header-only mode (Debian's spdlog is configured for the external fmt).
target_compile_definitions(vigie_mingw_headers INTERFACE FMT_HEADER_ONLY SPDLOG_FMT_EXTERNAL
                                                         UNICODE _UNICODE WIN32_LEAN_AND_MEAN
                                                         NOMINMAX _WIN32_WINNT=0x0A00)

add_library(vigie_common STATIC
  common/catalogue.cc
  common/config_file.cc
  common/crypto.cc
  common/crypto_win32.cc
  common/dates.cc
  common/enums.cc
  common/doctrine/engine.cc
  common/doctrine/policy.cc
  common/logging.cc
  common/ministries.cc
  common/report_json.cc
  common/status.cc)
set(vigie_embed_dir "${PROJECT_SOURCE_DIR}/common")
function(vigie_mingw_embed file symbol)
  set(output "${PROJECT_BINARY_DIR}/common/embedded_${symbol}.cc")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${vigie_embed_dir}/${file} -DOUTPUT=${output}
            -DSYMBOL=${symbol} -P "${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake"
    DEPENDS "${vigie_embed_dir}/${file}" "${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake")
  target_sources(vigie_common PRIVATE "${output}")
endfunction()
vigie_mingw_embed(data/ministries.toml DefaultMinistries)
vigie_mingw_embed(data/doctrine.toml DefaultDoctrine)
configure_file(common/version.h.in "${PROJECT_BINARY_DIR}/generated/common/version.h" @ONLY)
target_include_directories(vigie_common PUBLIC "${PROJECT_SOURCE_DIR}"
                                               "${PROJECT_BINARY_DIR}/generated")
target_link_libraries(vigie_common PUBLIC vigie_mingw_headers Threads::Threads bcrypt)
vigie_target_defaults(vigie_common)

add_library(vigie_registry STATIC
  agent/registry/reg_file.cc
  agent/registry/registry.cc
  agent/registry/syntax.cc
  agent/registry/text_encoding.cc
  agent/registry/wine_registry.cc)
target_link_libraries(vigie_registry PUBLIC vigie_common)
vigie_target_defaults(vigie_registry)

# Every Windows probe, so that a new one joins the Windows build without editing this file.
file(GLOB vigie_windows_probes CONFIGURE_DEPENDS
  "${PROJECT_SOURCE_DIR}/agent/probes/windows_*.cc"
  "${PROJECT_SOURCE_DIR}/agent/probes/windows/*.cc")
add_library(vigie_agent_core STATIC
  ${vigie_windows_probes}
  agent/agent_config.cc
  agent/host_identity.cc
  agent/probes/m365_hosts.cc
  agent/probes/office_c2r_probe.cc
  agent/probes/teams_settings.cc
  agent/report_text.cc
  agent/scanner.cc
  agent/user_pseudonyms.cc
  agent/win32_agent_state.cc
  agent/win32_error.cc
  agent/win32_system_view.cc
  agent/windows/config_update.cc
  agent/windows/live_scan.cc
  agent/windows/private_directory.cc)
target_compile_definitions(vigie_agent_core PUBLIC VIGIE_WINDOWS_ONLY=1)
target_link_libraries(vigie_agent_core PUBLIC vigie_common vigie_registry advapi32 shell32 ole32)
vigie_target_defaults(vigie_agent_core)

# The service's Event Log message table: windmc compiles the .mc into a resource script that
# windres links into the executable, which the installer names as the source's message file.
enable_language(RC)
set(vigie_messages_dir "${PROJECT_BINARY_DIR}/agent/windows")
file(MAKE_DIRECTORY "${vigie_messages_dir}")
find_program(VIGIE_WINDMC ${VIGIE_MINGW_PREFIX}-windmc REQUIRED)
add_custom_command(
  OUTPUT "${vigie_messages_dir}/messages.rc" "${vigie_messages_dir}/messages.h"
  COMMAND "${VIGIE_WINDMC}" -h "${vigie_messages_dir}" -r "${vigie_messages_dir}"
          "${PROJECT_SOURCE_DIR}/agent/windows/messages.mc"
  DEPENDS "${PROJECT_SOURCE_DIR}/agent/windows/messages.mc")
set(vigie_default_config "${PROJECT_BINARY_DIR}/agent/embedded_DefaultWindowsAgentConfig.cc")
add_custom_command(
  OUTPUT "${vigie_default_config}"
  COMMAND ${CMAKE_COMMAND} -DINPUT=${PROJECT_SOURCE_DIR}/installers/windows/agent.toml
          -DOUTPUT=${vigie_default_config} -DSYMBOL=DefaultWindowsAgentConfig
          -P "${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake"
  DEPENDS "${PROJECT_SOURCE_DIR}/installers/windows/agent.toml"
          "${PROJECT_SOURCE_DIR}/cmake/EmbedText.cmake")

add_executable(vigie-agent agent/main_win32.cc agent/windows/service.cc
                           "${vigie_default_config}" "${vigie_messages_dir}/messages.rc")
target_link_libraries(vigie-agent PRIVATE vigie_agent_core)
vigie_target_defaults(vigie-agent)
install(TARGETS vigie-agent RUNTIME DESTINATION bin)

# The MSI (installers/windows/vigie-agent.wxs), built with Debian's wixl (msitools).
find_program(VIGIE_WIXL wixl REQUIRED)
set(VIGIE_MSI "${PROJECT_BINARY_DIR}/vigie-agent-${PROJECT_VERSION}.msi")
add_custom_command(
  OUTPUT "${VIGIE_MSI}"
  COMMAND "${VIGIE_WIXL}" --arch x64 -D Version=${PROJECT_VERSION} -o "${VIGIE_MSI}"
          "${PROJECT_SOURCE_DIR}/installers/windows/vigie-agent.wxs"
  WORKING_DIRECTORY $<TARGET_FILE_DIR:vigie-agent>
  DEPENDS vigie-agent "${PROJECT_SOURCE_DIR}/installers/windows/vigie-agent.wxs")
add_custom_target(vigie-agent-msi ALL DEPENDS "${VIGIE_MSI}")

if(VIGIE_BUILD_TESTS)
  enable_testing()
  add_subdirectory(tests/windows)
endif()
