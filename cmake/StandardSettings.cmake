# Compiler warnings and sanitizer options for first-party code only. Targets
# link dce::standard_settings; third-party headers are system headers, so
# their own warnings never fail the build. -Wnull-dereference is left out
# because GCC 12 reports false positives for nlohmann/json code inlined into
# ours.
add_library(dce_standard_settings INTERFACE)
add_library(dce::standard_settings ALIAS dce_standard_settings)

target_compile_options(
  dce_standard_settings
  INTERFACE -Wall
            -Wextra
            -Wpedantic
            -Wshadow
            -Wconversion
            -Wsign-conversion
            -Wnon-virtual-dtor
            -Wold-style-cast
            -Woverloaded-virtual
            -Wimplicit-fallthrough)

if(DCE_WARNINGS_AS_ERRORS)
  target_compile_options(dce_standard_settings INTERFACE -Werror)
endif()

set(DCE_SANITIZERS
    ""
    CACHE STRING "Comma-separated -fsanitize= list, such as address,undefined")
if(DCE_SANITIZERS)
  target_compile_options(
    dce_standard_settings INTERFACE -fsanitize=${DCE_SANITIZERS}
                                    -fno-omit-frame-pointer
                                    -fno-sanitize-recover=all)
  target_link_options(dce_standard_settings INTERFACE
                      -fsanitize=${DCE_SANITIZERS})
endif()
