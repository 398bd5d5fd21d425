# The revision is read once, when CMake configures the build tree.
# NOTE: a commit made after configuring keeps the old revision until CMake
# runs again.
# -DDCE_REVISION=... sets it where there is no git checkout, as in the
# container build (deploy/Dockerfile).
set(DCE_REVISION
    ""
    CACHE STRING "Revision for build_info; empty reads it from git")
if(NOT DCE_REVISION)
  set(DCE_REVISION "unknown")
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(
      COMMAND ${GIT_EXECUTABLE} rev-parse --short=12 HEAD
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      OUTPUT_VARIABLE git_revision
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
      RESULT_VARIABLE git_result)
    if(git_result EQUAL 0 AND git_revision)
      set(DCE_REVISION "${git_revision}")
    endif()
  endif()
endif()
