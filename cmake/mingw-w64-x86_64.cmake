# Cross-compiles for 64-bit Windows with Debian's MinGW-w64 (g++-mingw-w64-x86-64). The "posix"
# thread variant is used because std::thread and std::mutex need winpthreads; the "win32"
# variant has neither.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(VIGIE_MINGW_PREFIX x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${VIGIE_MINGW_PREFIX}-gcc-posix)
set(CMAKE_CXX_COMPILER ${VIGIE_MINGW_PREFIX}-g++-posix)
set(CMAKE_RC_COMPILER ${VIGIE_MINGW_PREFIX}-windres)

# Only the MinGW sysroot is searched for libraries and headers: Debian's native /usr/include
# must never leak into a Windows build (cmake/mingw-build.cmake links the header-only libraries
# it needs one by one).
set(CMAKE_FIND_ROOT_PATH /usr/${VIGIE_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# One self-contained .exe per program: no libstdc++/libgcc/winpthread DLL to ship next to it.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

# Tests and tools built here run under Wine (tests/windows/).
set(CMAKE_CROSSCOMPILING_EMULATOR wine)
