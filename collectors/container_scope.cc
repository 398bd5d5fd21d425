#include "collectors/container_scope.h"

#include <re2/re2.h>

#include <algorithm>

namespace dce {

bool LabelMatcher::Matches(const ContainerLabels& labels) const {
  const auto found = labels.find(key);
  switch (kind) {
    case Kind::kExists:
      return found != labels.end();
    case Kind::kEquals:
      return found != labels.end() && found->second == value;
    case Kind::kNotEquals:
      return found == labels.end() || found->second != value;
  }
  return false;
}

Result<LabelMatcher> ParseLabelMatcher(std::string_view text) {
  LabelMatcher matcher;
  const std::size_t not_equals = text.find("!=");
  const std::size_t equals = text.find('=');
  if (not_equals != std::string_view::npos && not_equals < equals) {
    matcher.kind = LabelMatcher::Kind::kNotEquals;
    matcher.key = text.substr(0, not_equals);
    matcher.value = text.substr(not_equals + 2);
  } else if (equals != std::string_view::npos) {
    matcher.kind = LabelMatcher::Kind::kEquals;
    matcher.key = text.substr(0, equals);
    matcher.value = text.substr(equals + 1);
  } else {
    matcher.key = text;
  }
  if (matcher.key.empty()) {
    return Error{"invalid label selector \"" + std::string(text) +
                 "\": use key, key=value or key!=value with a non-empty key"};
  }
  return matcher;
}

bool ContainerSelector::Matches(std::string_view name,
                                const ContainerLabels& container_labels) const {
  if (name_regex &&
      !re2::RE2::FullMatch(re2::StringPiece(name.data(), name.size()),
                           *name_regex)) {
    return false;
  }
  return std::all_of(labels.begin(), labels.end(),
                     [&container_labels](const LabelMatcher& matcher) {
                       return matcher.Matches(container_labels);
                     });
}

bool ContainerSelector::SameAs(const ContainerSelector& other) const {
  if (name_pattern != other.name_pattern ||
      labels.size() != other.labels.size()) {
    return false;
  }
  return std::all_of(
      labels.begin(), labels.end(), [&other](const LabelMatcher& matcher) {
        return std::find(other.labels.begin(), other.labels.end(), matcher) !=
               other.labels.end();
      });
}

Result<std::shared_ptr<const re2::RE2>> CompileNamePattern(
    const std::string& pattern) {
  re2::RE2::Options options;
  // The caller reports the error with the pattern's location; RE2 would
  // also write it to standard error.
  options.set_log_errors(false);
  auto compiled = std::make_shared<const re2::RE2>(pattern, options);
  if (!compiled->ok()) {
    return Error{"invalid regular expression \"" + pattern +
                 "\": " + compiled->error()};
  }
  return std::shared_ptr<const re2::RE2>(std::move(compiled));
}

bool ContainerScope::Contains(std::string_view name,
                              const ContainerLabels& labels,
                              std::string_view state) const {
  if (running_only && state != "running") {
    return false;
  }
  const auto matches = [name, &labels](const ContainerSelector& selector) {
    return selector.Matches(name, labels);
  };
  if (!include.empty() &&
      std::none_of(include.begin(), include.end(), matches)) {
    return false;
  }
  return std::none_of(exclude.begin(), exclude.end(), matches);
}

std::string SanitizeLabelName(std::string_view key) {
  std::string name = "label_";
  name.reserve(name.size() + key.size());
  for (const char c : key) {
    const bool valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9') || c == '_';
    name.push_back(valid ? c : '_');
  }
  return name;
}

}  // namespace dce
