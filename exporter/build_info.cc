#include "exporter/build_info.h"

namespace dce {

BuildInfo CurrentBuildInfo() {
  // DCE_VERSION and DCE_REVISION come from CMake, for this file only.
  return BuildInfo{DCE_VERSION, DCE_REVISION, "gcc " __VERSION__};
}

}  // namespace dce
