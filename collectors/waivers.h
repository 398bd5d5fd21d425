#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "collectors/container_scope.h"

namespace dce {

/// What a waiver exempts from a check.
enum class WaiverSubject { kContainer, kEngine, kHost };

/// A documented exception to one check: the subject may fail it, for a
/// reason, until a date. A waived result keeps its real outcome; the waiver
/// is exported beside it.
struct Waiver {
  /// The check's key, such as `privileged`, with a CIS id resolved.
  std::string check;
  WaiverSubject subject = WaiverSubject::kContainer;
  /// The containers it covers, when `subject` is kContainer.
  ContainerSelector containers;
  std::string reason;
  /// The last day it holds, `YYYY-MM-DD` as written.
  std::string expires;
  /// The end of that day in UTC: the waiver holds before this instant.
  std::chrono::system_clock::time_point expires_at;
  /// Where the waiver is written, such as `waivers.yml:12:5`, for logs.
  std::string location;

  bool ActiveAt(std::chrono::system_clock::time_point now) const {
    return now < expires_at;
  }
};

/// A waiver as applied to one result, copied into the snapshot so that the
/// snapshot stays valid after a reload replaces the waivers.
struct AppliedWaiver {
  std::string reason;
  std::string expires;
  /// False once the expiry date has passed: the waiver no longer applies,
  /// but its series stays, at 0, so that it does not vanish silently.
  bool active = false;
};

/// Parses a `YYYY-MM-DD` calendar date up to the year 2199 and returns the
/// end of that day in UTC, or nullopt when the text is not a valid date in
/// that form.
std::optional<std::chrono::system_clock::time_point> ParseExpiryDate(
    std::string_view text);

/// Returns the waiver of `check` that covers the container, preferring one
/// that is active at `now`, or nullopt when none covers it.
std::optional<AppliedWaiver> FindContainerWaiver(
    std::span<const Waiver> waivers, std::string_view check,
    std::string_view name, const ContainerLabels& labels,
    std::chrono::system_clock::time_point now);

/// Returns the waiver of `check` for the engine, or for the host with
/// `subject` kHost; nullopt when there is none.
std::optional<AppliedWaiver> FindSubjectWaiver(
    std::span<const Waiver> waivers, WaiverSubject subject,
    std::string_view check, std::chrono::system_clock::time_point now);

/// Whether two waivers can cover the same result: the same check and
/// subject, and for containers the same selector or one without any
/// constraint.
///
/// NOTE: two different name patterns or label sets that both match one
/// container are not detected; FindContainerWaiver then uses the first.
bool WaiversOverlap(const Waiver& a, const Waiver& b);

}  // namespace dce
