#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace dce {

/// The result of one check for one subject.
enum class Outcome {
  kPass,
  kFail,
  /// The recommendation does not apply to this subject.
  kNotApplicable,
  /// A field the rule needs is missing or has the wrong type. Never a pass.
  kUnknown,
};

/// Returns the outcome as its `outcome` label value: `pass`, `fail`,
/// `not_applicable` or `unknown`.
std::string_view OutcomeName(Outcome outcome);

/// An outcome and a short reason naming the value that decided it.
struct CheckResult {
  Outcome outcome = Outcome::kUnknown;
  std::string reason;
};

/// CIS Docker Benchmark 5.13: a container's root filesystem should be
/// mounted read-only. Judges `HostConfig.ReadonlyRootfs` in the document of
/// `GET /containers/{id}/json`: true passes, false fails, and an absent
/// field or one of another type is unknown.
CheckResult CheckRootfsReadonly(const nlohmann::json& inspect);

}  // namespace dce
