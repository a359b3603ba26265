# CMake toolchain file for the WebAssembly (WASI) build of isolint (docs/wasi.md): clang
# targeting wasm32-wasi against Debian 12's wasi-libc (/usr/include/wasm32-wasi,
# /usr/lib/wasm32-wasi), with compiler-rt's builtins from libclang-rt-14-dev-wasm32 and the
# linker wasm-ld from lld.
#
#   cmake -S . -B build-wasi --toolchain cmake/wasi.cmake && cmake --build build-wasi
#
# gives build-wasi/isolint.wasm, the TypeScript/JavaScript analysis (no C front-end) run by
# the npm package's launcher with node:wasi. The tree-sitter runtime and jansson are compiled
# from the Debian source packages that scripts/wasi-deps.sh unpacks (cmake/wasi_deps.cmake).
set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
# Platform/WASI.cmake: CMake 3.25 has none of its own
list(APPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR})

find_program(IL_WASI_CLANG NAMES clang-14 clang REQUIRED)
set(CMAKE_C_COMPILER ${IL_WASI_CLANG})
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
# Debian's clang also searches the host's /usr/include and /usr/local/include for this
# target: a header wasi-libc lacks (spawn.h) would come from glibc. Only clang's own
# headers, then wasi-libc's.
set(CMAKE_C_FLAGS_INIT "-nostdlibinc -idirafter /usr/include/wasm32-wasi")
set(CMAKE_EXE_LINKER_FLAGS_INIT -Wno-unused-command-line-argument)
# wasi-libc is installed into the host's /usr (Debian multiarch): look for nothing else
set(CMAKE_FIND_ROOT_PATH /usr/lib/wasm32-wasi /usr/include/wasm32-wasi)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# the compiler checks link a program: a WASI command needs nothing more
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
