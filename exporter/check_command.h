#pragma once

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

/// Refreshes the inventory once, as the exporter does at each refresh
/// interval, writes the report in the format of `options.check.output` to
/// `out`, logs the engine's failures, and returns the exit status.
int RunCheckCommand(const Options& options, std::ostream& out, bool colour);

}  // namespace dce
