#pragma once

#include "collectors/snapshot_collector.h"

namespace dce {

/// Returns the version, source revision and compiler this binary was built
/// with.
BuildInfo CurrentBuildInfo();

}  // namespace dce
