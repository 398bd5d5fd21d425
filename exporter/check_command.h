#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "exporter/flags.h"

namespace dce {

/// Exit status of the `check` subcommand when a check fails (as --fail-on
/// selects).
inline constexpr int kExitCheckFailed = 1;

/// Exit status of the `check` subcommand when the engine could not be
/// reached, or its API version is not supported.
inline constexpr int kExitEngineUnreachable = 3;

/// Computes the exit status of the `check` subcommand from a report
/// document: kExitEngineUnreachable when `engine.up` is false, else
/// kExitCheckFailed when a check selected by `fail_on` fails, else 0.
/// Unknown outcomes, and failures that an active waiver covers, never change
/// the status.
int CheckExitStatus(const nlohmann::json& report, FailOn fail_on);

/// Returns whether the table report may use colours: only on a terminal,
/// and only when NO_COLOR (https://no-color.org) is unset or empty.
bool ShouldColour(bool stdout_is_terminal,
                  const std::optional<std::string>& no_color);

/// Shows how many containers have been inspected on one terminal line,
/// rewritten in place at most every 100 ms, and clears it at the end, so
/// that a check of a large host shows it is working. Thread-safe.
class TerminalProgress {
 public:
  explicit TerminalProgress(std::ostream& terminal) : terminal_(terminal) {}

  void Update(std::size_t evaluated, std::size_t listed);
  /// Clears the line, if anything was written.
  void Finish();

 private:
  std::mutex mutex_;
  std::ostream& terminal_;
  std::optional<std::chrono::steady_clock::time_point> last_written_;
};

/// Refreshes the inventory once, as the exporter does at each refresh
/// interval, writes the report in the format of `options.check.output` to
/// `out`, logs the engine's failures, and returns the exit status. When
/// `progress` is not null (standard error is a terminal), shows the
/// inspection's progress there.
int RunCheckCommand(const Options& options, std::ostream& out, bool colour,
                    std::ostream* progress = nullptr);

}  // namespace dce
