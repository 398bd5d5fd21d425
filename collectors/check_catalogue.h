#pragma once

#include <span>
#include <string_view>

#include "collectors/check_context.h"
#include "collectors/checks.h"

namespace dce {

/// The benchmark every check belongs to, for the `benchmark` label.
inline constexpr std::string_view kBenchmark = "CIS Docker Benchmark v1.6.0";

/// The description of one check, as `docker_compliance_check_info` exports
/// it.
struct CheckInfo {
  /// The stable `check` label value, such as `rootfs_readonly`.
  std::string_view key;
  /// The recommendation's number in the benchmark, such as `5.13`.
  std::string_view cis_id;
  std::string_view title;
  /// The CIS profile level, 1 or 2.
  int level;
  /// `automated` or `manual`, as CIS marks the recommendation.
  std::string_view assessment;
};

/// A check judged once per container.
struct ContainerCheck {
  CheckInfo info;
  CheckResult (*evaluate)(const ContainerContext& context);
};

/// A check judged once per engine.
struct EngineCheck {
  CheckInfo info;
  CheckResult (*evaluate)(const EngineContext& context);
};

/// Every container check, in benchmark order. Results are stored in this
/// order, so an index into this span identifies a check.
std::span<const ContainerCheck> ContainerChecks();

/// Every engine check, in benchmark order.
std::span<const EngineCheck> EngineChecks();

}  // namespace dce
