#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/result.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace dce {

/// A container's engine labels, by key.
using ContainerLabels = std::map<std::string, std::string, std::less<>>;

/// One label requirement of a selector, written `key`, `key=value` or
/// `key!=value`.
struct LabelMatcher {
  enum class Kind {
    /// The label is set, to any value.
    kExists,
    kEquals,
    /// The label is unset, or set to another value.
    kNotEquals,
  };
  Kind kind = Kind::kExists;
  std::string key;
  std::string value;

  bool Matches(const ContainerLabels& labels) const;
  bool operator==(const LabelMatcher&) const = default;
};

/// Parses `key`, `key=value` or `key!=value`. The key must not be empty.
Result<LabelMatcher> ParseLabelMatcher(std::string_view text);

/// Selects containers by a name pattern, by labels, or by both. Every
/// part given must match; a selector with neither matches every container.
struct ContainerSelector {
  /// The pattern as written, empty when the selector has none.
  std::string name_pattern;
  /// The compiled pattern, matched against the whole name (RE2 syntax,
  /// anchored at both ends), so `nil` does not match `vanilla`. RE2 matches
  /// in time linear in the name's length and without recursion, so no name
  /// can exhaust the stack or make a match backtrack.
  std::shared_ptr<const re2::RE2> name_regex;
  std::vector<LabelMatcher> labels;

  bool Matches(std::string_view name, const ContainerLabels& labels) const;

  /// Whether both selectors have the same pattern text and the same label
  /// requirements, in any order.
  bool SameAs(const ContainerSelector& other) const;
};

/// Compiles a container name pattern with RE2. The error names the problem
/// as RE2 reports it.
Result<std::shared_ptr<const re2::RE2>> CompileNamePattern(
    const std::string& pattern);

/// The containers the exporter evaluates. Containers outside the scope are
/// not inspected, not evaluated and not exported.
struct ContainerScope {
  /// Only containers in the `running` state.
  bool running_only = false;
  /// A container must match one of these; empty includes every container.
  std::vector<ContainerSelector> include;
  /// A container that matches one of these is left out.
  std::vector<ContainerSelector> exclude;

  /// `state` is the engine's state name, such as `running` or `exited`.
  bool Contains(std::string_view name, const ContainerLabels& labels,
                std::string_view state) const;
};

/// Returns the Prometheus label name for an engine label key:
/// `label_` followed by the key with every character other than an ASCII
/// letter, digit or underscore replaced by `_`, as Prometheus' own service
/// discovery does for Docker labels. `com.example/owner` becomes
/// `label_com_example_owner`.
std::string SanitizeLabelName(std::string_view key);

}  // namespace dce
