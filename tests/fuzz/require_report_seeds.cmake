# Script mode (fuzz.report_seeds): fails with what to do when the native build has not scanned the
# fixture hosts into report_ingest seeds (SEEDS, their directory).
if(NOT EXISTS "${SEEDS}/stamp")
  message(FATAL_ERROR "no report_ingest seeds in ${SEEDS}: build the default preset first "
                      "(cmake --preset default && cmake --build --preset default -j2), or set "
                      "VIGIE_NATIVE_BUILD_DIR to a native build directory")
endif()
