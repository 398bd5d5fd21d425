#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace dce {

/// Removes from a document built by BuildReport() every engine and
/// container check whose key is not in `keys`. An empty `keys` keeps every
/// check.
void SelectChecks(nlohmann::json& report, const std::vector<std::string>& keys);

/// Formats a report document for a terminal: one block per subject (the
/// engine, then the containers sorted by name) with a line for each failing
/// or unknown check, then a summary line with the count of each outcome.
/// With `colour`, FAIL is red and UNKNOWN yellow (ANSI escape sequences).
/// Control characters in names and reasons are printed as `\xNN`, so that
/// the engine's strings cannot move the cursor or change colours.
std::string FormatTable(const nlohmann::json& report, bool colour);

/// Formats a report document as JUnit XML: a `<testsuite>` per subject
/// with at least one check, a `<testcase>` per check, `<failure>` for fail,
/// `<error>` for unknown and `<skipped>` for not_applicable.
std::string FormatJunit(const nlohmann::json& report);

/// Escapes `text` for an XML 1.0 attribute value or text node. & < > " '
/// become entities. Tab, newline and carriage return become character
/// references, because attribute normalisation would turn them into spaces.
/// The characters that XML 1.0 forbids (other C0 controls, U+FFFE and
/// U+FFFF) are dropped. `text` must be valid UTF-8, as nlohmann::json
/// strings are.
std::string EscapeXml(std::string_view text);

}  // namespace dce
