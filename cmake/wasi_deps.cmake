# The WASI build's libraries (included by CMakeLists.txt when the toolchain is
# cmake/wasi.cmake): the tree-sitter runtime and jansson compiled from the Debian 12 source
# packages that scripts/wasi-deps.sh unpacks into .deps (the sources of the libtree-sitter0
# and libjansson4 the native build links, so both builds parse and print alike), and the
# one-thread <pthread.h> and the few POSIX functions wasi-libc lacks
# (analyzer/base/wasi). Defines il_tree_sitter, il_jansson and
# il_wasi_shim; sets IL_WASI_DEPS_ID, which goes into the cache's build id.
set(IL_WASI_DEPS_DIR "${CMAKE_SOURCE_DIR}/.deps" CACHE PATH
    "Where scripts/wasi-deps.sh unpacked tree-sitter and jansson")
set(IL_WASI_TREE_SITTER ${IL_WASI_DEPS_DIR}/tree-sitter-0.20.7)
set(IL_WASI_JANSSON ${IL_WASI_DEPS_DIR}/jansson-2.14)
if(NOT EXISTS ${IL_WASI_TREE_SITTER}/lib/src/lib.c OR NOT EXISTS ${IL_WASI_JANSSON}/src/dump.c)
  message(FATAL_ERROR "the WASI build compiles tree-sitter 0.20.7 and jansson 2.14 from "
                      "Debian's source packages, not found in ${IL_WASI_DEPS_DIR}: run "
                      "scripts/wasi-deps.sh (or scripts/setup.sh) first")
endif()
set(IL_WASI_DEPS_ID "tree-sitter 0.20.7-1 jansson 2.14-2 (Debian sources, wasm32-wasi)")

# tree-sitter: its one-file build, as its Makefile does
add_library(il_tree_sitter STATIC ${IL_WASI_TREE_SITTER}/lib/src/lib.c)
target_include_directories(il_tree_sitter PRIVATE ${IL_WASI_TREE_SITTER}/lib/src)
target_include_directories(il_tree_sitter SYSTEM PUBLIC ${IL_WASI_TREE_SITTER}/lib/include)
set_target_properties(il_tree_sitter PROPERTIES C_STANDARD 99 C_EXTENSIONS ON)
target_compile_options(il_tree_sitter PRIVATE -w -O3)
target_compile_definitions(il_tree_sitter PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)

# jansson: its two configuration headers from its own templates, with what its configure
# finds on a POSIX system (wasi-libc has the same headers and functions, but no getpid or
# sched_yield). The hash seed is read from /dev/urandom when it opens, else taken from the
# clock; either way no output changes (jansson keeps objects in their insertion order).
set(json_inline inline)
set(json_have_long_long 1)
set(json_have_localeconv 1)
set(json_have_atomic_builtins 1)
set(json_have_sync_builtins 1)
foreach(v HAVE_FCNTL_H HAVE_UNISTD_H HAVE_SYS_PARAM_H HAVE_SYS_STAT_H HAVE_SYS_TIME_H
          HAVE_SYS_TYPES_H HAVE_STDINT_H HAVE_CLOSE HAVE_GETTIMEOFDAY HAVE_OPEN HAVE_READ
          HAVE_SYNC_BUILTINS HAVE_ATOMIC_BUILTINS HAVE_LOCALE_H HAVE_SETLOCALE HAVE_INT32_T
          HAVE_UINT32_T HAVE_UINT16_T HAVE_UINT8_T HAVE_SSIZE_T USE_URANDOM)
  set(${v} 1)
endforeach()
set(JANSSON_INITIAL_HASHTABLE_ORDER 3)
set(IL_WASI_JANSSON_GEN ${CMAKE_BINARY_DIR}/generated/jansson)
configure_file(${IL_WASI_JANSSON}/src/jansson_config.h.in ${IL_WASI_JANSSON_GEN}/jansson_config.h @ONLY)
configure_file(${IL_WASI_JANSSON}/cmake/jansson_private_config.h.cmake
               ${IL_WASI_JANSSON_GEN}/jansson_private_config.h)
file(GLOB IL_WASI_JANSSON_SOURCES ${IL_WASI_JANSSON}/src/*.c)
add_library(il_jansson STATIC ${IL_WASI_JANSSON_SOURCES})
target_include_directories(il_jansson SYSTEM PUBLIC ${IL_WASI_JANSSON}/src ${IL_WASI_JANSSON_GEN})
target_compile_options(il_jansson PRIVATE -w -O2)
target_compile_definitions(il_jansson PRIVATE HAVE_CONFIG_H)

# What wasi-libc lacks (analyzer/base/wasi): a one-thread <pthread.h>, realpath, mkstemp,
# umask, chmod, fchmod, its own mmap emulation, and the start-up step that enters the host's working
# directory (il_wasi_cwd_init, a constructor that nothing calls: kept by --undefined).
# 8 MiB of stack, as the native main thread has (wasm-ld's default is 64 KiB).
add_library(il_wasi_shim STATIC ${CMAKE_SOURCE_DIR}/analyzer/base/wasi/pthread.c
            ${CMAKE_SOURCE_DIR}/analyzer/base/wasi/posix.c)
target_include_directories(il_wasi_shim SYSTEM PUBLIC ${CMAKE_SOURCE_DIR}/analyzer/base/wasi)
target_compile_options(il_wasi_shim PRIVATE ${IL_WARNINGS})
target_compile_definitions(il_wasi_shim PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
# wasi-libc's emulations: signal() (accepted, no signal ever comes), getpid() (a constant)
target_compile_definitions(il_wasi_shim PUBLIC _WASI_EMULATED_SIGNAL _WASI_EMULATED_GETPID)
target_link_libraries(il_wasi_shim PUBLIC wasi-emulated-mman wasi-emulated-signal
                      wasi-emulated-getpid)
target_link_options(il_wasi_shim INTERFACE -Wl,--undefined=il_wasi_cwd_init
                    -Wl,-z,stack-size=8388608)
