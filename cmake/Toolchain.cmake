# Compiler settings shared by every target: warnings as errors, ccache and mold when present,
# sanitizers on request.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

find_program(MOLD_PROGRAM mold)
if(MOLD_PROGRAM)
  add_link_options(-fuse-ld=mold)
endif()

add_compile_options(-Wall -Wextra -Werror -Wno-missing-field-initializers)

# UndefinedBehaviorSanitizer's checks, less the four that cost compile time out of proportion
# to what they add beside AddressSanitizer: null, alignment, object-size and pointer-overflow
# made a sanitized translation unit compile 40% slower (docs/performance.md, "Build"), while
# ASan already stops a null or out-of-bounds access and x86 forgives misalignment. What stays
# finds what ASan cannot: an invalid bool or enum value (a read of a dead slot was caught this
# way), signed overflow, shifts, a missing return, a bad downcast (vptr), null to a nonnull
# parameter.
set(TRAVIO_UBSAN_CHECKS
    bool,enum,return,unreachable,signed-integer-overflow,shift,integer-divide-by-zero,vla-bound,bounds,builtin,vptr,nonnull-attribute,returns-nonnull-attribute)

option(TRAVIO_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(TRAVIO_SANITIZE)
  add_compile_options(-fsanitize=address,${TRAVIO_UBSAN_CHECKS} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,${TRAVIO_UBSAN_CHECKS})
  # Test builds are not position independent: relocating a 400 MB sanitized executable cost
  # every process start 0.2 s of page faults, and the test suite starts about two thousand.
  add_compile_options(-fno-pie)
  add_link_options(-no-pie)
endif()

# The fuzz preset (clang): every library carries libFuzzer's coverage counters and the
# sanitizers; only the fuzz programs link libFuzzer's main (fuzz/CMakeLists.txt).
option(TRAVIO_FUZZ "Build the libFuzzer targets (clang only)" OFF)
if(TRAVIO_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TRAVIO_FUZZ needs clang (cmake --preset fuzz)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,${TRAVIO_UBSAN_CHECKS}
                      -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,${TRAVIO_UBSAN_CHECKS})
endif()
