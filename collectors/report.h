#pragma once

#include <nlohmann/json.hpp>

#include "collectors/snapshot.h"

namespace dce {

/// The version of the report document's layout, raised when a field
/// changes meaning or goes away.
inline constexpr int kReportVersion = 1;

/// Builds the document that `/api/v1/report` serves: every check of the
/// engine and of each container with its outcome and reason, for people
/// who want to know why a check fails.
nlohmann::json BuildReport(const Snapshot& snapshot);

}  // namespace dce
