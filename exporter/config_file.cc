#include "exporter/config_file.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "exporter/duration.h"

namespace dce {
namespace {

enum class ValueType { kString, kDuration, kInteger, kBoolean };

// A key of the file that sets a flag.
struct FlagKey {
  std::string_view section;
  std::string_view key;
  std::string_view flag;
  ValueType type;
};

// One entry per flag, so that the file can express everything the flags
// can. A new flag needs a line here, and its section becomes a valid
// top-level key.
constexpr std::array kFlagKeys = {
    FlagKey{"web", "listen_address", "--web.listen-address",
            ValueType::kString},
    FlagKey{"web", "telemetry_path", "--web.telemetry-path",
            ValueType::kString},
    FlagKey{"web", "config_file", "--web.config.file", ValueType::kString},
    FlagKey{"web", "max_requests", "--web.max-requests", ValueType::kInteger},
    FlagKey{"docker", "host", "--docker.host", ValueType::kString},
    FlagKey{"docker", "tls_verify", "--docker.tls-verify", ValueType::kBoolean},
    FlagKey{"docker", "tls_ca_file", "--docker.tls-ca-file",
            ValueType::kString},
    FlagKey{"docker", "tls_cert_file", "--docker.tls-cert-file",
            ValueType::kString},
    FlagKey{"docker", "tls_key_file", "--docker.tls-key-file",
            ValueType::kString},
    FlagKey{"docker", "timeout", "--docker.timeout", ValueType::kDuration},
    FlagKey{"docker", "refresh_interval", "--docker.refresh-interval",
            ValueType::kDuration},
    FlagKey{"docker", "stale_after", "--docker.stale-after",
            ValueType::kDuration},
    FlagKey{"docker", "max_concurrent_requests",
            "--docker.max-concurrent-requests", ValueType::kInteger},
    FlagKey{"docker", "running_only", "--docker.running-only",
            ValueType::kBoolean},
    FlagKey{"path", "rootfs", "--path.rootfs", ValueType::kString},
    FlagKey{"path", "procfs", "--path.procfs", ValueType::kString},
    FlagKey{"collector", "host", "--collector.host", ValueType::kBoolean},
    FlagKey{"log", "level", "--log.level", ValueType::kString},
    FlagKey{"log", "format", "--log.format", ValueType::kString},
    FlagKey{"check", "output", "--output", ValueType::kString},
    FlagKey{"check", "fail_on", "--fail-on", ValueType::kString},
};

// Sections that hold more than flags.
constexpr std::array<std::string_view, 3> kPolicySections = {
    "checks", "containers", "waivers"};

// RE2 matches in linear time whatever the pattern, but compiles it into an
// automaton whose size grows with the pattern (counted repetitions such as
// a{1000} multiply it); the bound keeps each compiled pattern small.
constexpr std::size_t kMaxPatternLength = 256;

// The error raised by the helpers below, turned into a Result at the top.
struct ConfigError {
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string path) : path_(std::move(path)) {}

  ConfigFile Parse(const YAML::Node& root);

 private:
  std::string Location(const YAML::Node& node) const;
  [[noreturn]] void Fail(const YAML::Node& node,
                         const std::string& message) const;

  // Returns the map's entries after rejecting duplicate keys and keys not
  // in `allowed`. `where` names the map in messages, such as `docker`.
  std::vector<std::pair<YAML::Node, YAML::Node>> Entries(
      const YAML::Node& map, const std::vector<std::string_view>& allowed,
      const std::string& where) const;

  std::string Scalar(const YAML::Node& node, const std::string& key) const;
  std::vector<std::pair<std::string, YAML::Node>> StringList(
      const YAML::Node& node, const std::string& key) const;

  void ParseFlagSection(const YAML::Node& node, std::string_view section,
                        ConfigFile& config) const;
  void ParseChecks(const YAML::Node& node, ConfigFile& config) const;
  void ParseContainers(const YAML::Node& node, ConfigFile& config) const;
  ContainerSelector ParseSelector(const YAML::Node& node,
                                  const std::string& where) const;
  void ParseWaivers(const YAML::Node& node, ConfigFile& config) const;
  Waiver ParseWaiver(const YAML::Node& node) const;
  std::string ResolveCheckKey(const YAML::Node& node,
                              const std::string& key) const;

  std::string path_;
};

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string joined;
  for (const auto name : names) {
    if (!joined.empty()) {
      joined += ", ";
    }
    joined += name;
  }
  return joined;
}

std::string Quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

// The waiver subject that checks of `kind` judge.
WaiverSubject SubjectOfKind(CheckKind kind) {
  switch (kind) {
    case CheckKind::kEngine:
      return WaiverSubject::kEngine;
    case CheckKind::kHost:
      return WaiverSubject::kHost;
    case CheckKind::kContainer:
      break;
  }
  return WaiverSubject::kContainer;
}

std::string JudgedSubject(CheckKind kind) {
  switch (kind) {
    case CheckKind::kEngine:
      return "the engine";
    case CheckKind::kHost:
      return "the host";
    case CheckKind::kContainer:
      break;
  }
  return "containers";
}

// Returns the key that names `subject` in a waiver, as the fix in an error
// message.
std::string SubjectKeyOf(WaiverSubject subject) {
  switch (subject) {
    case WaiverSubject::kEngine:
      return "engine: true";
    case WaiverSubject::kHost:
      return "host: true";
    case WaiverSubject::kContainer:
      break;
  }
  return "container: with a selector";
}

// Returns the key that the invalid waiver used for `subject`.
std::string WrittenSubjectKey(WaiverSubject subject) {
  return subject == WaiverSubject::kContainer ? "container:"
                                              : SubjectKeyOf(subject);
}

std::vector<std::string_view> KnownSections() {
  std::vector<std::string_view> sections;
  const auto add = [&sections](std::string_view cis_id) {
    const auto section = CisSection(cis_id);
    if (std::find(sections.begin(), sections.end(), section) ==
        sections.end()) {
      sections.push_back(section);
    }
  };
  for (const auto& check : EngineChecks()) {
    add(check.info.cis_id);
  }
  for (const auto& check : ContainerChecks()) {
    add(check.info.cis_id);
  }
  for (const auto& check : HostChecks()) {
    add(check.info.cis_id);
  }
  std::sort(sections.begin(), sections.end());
  return sections;
}

std::string Location(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) {
    return path;
  }
  return path + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

std::string Parser::Location(const YAML::Node& node) const {
  return dce::Location(path_, node.Mark());
}

void Parser::Fail(const YAML::Node& node, const std::string& message) const {
  throw ConfigError{Location(node) + ": " + message};
}

std::vector<std::pair<YAML::Node, YAML::Node>> Parser::Entries(
    const YAML::Node& map, const std::vector<std::string_view>& allowed,
    const std::string& where) const {
  if (!map.IsMap()) {
    Fail(map, where + " must be a mapping of keys to values; write " + where +
                  ": followed by indented keys such as " +
                  std::string(allowed.front()) + ": ...");
  }
  std::vector<std::pair<YAML::Node, YAML::Node>> entries;
  std::set<std::string> seen;
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      Fail(key, "keys in " + where + " must be plain names; use one of " +
                    JoinNames(allowed));
    }
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      Fail(key, "unknown key " + Quoted(name) + " in " + where +
                    "; use one of " + JoinNames(allowed));
    }
    if (!seen.insert(name).second) {
      Fail(key, "duplicate key " + Quoted(name) + " in " + where +
                    "; give each key once");
    }
    entries.emplace_back(key, entry.second);
  }
  return entries;
}

std::string Parser::Scalar(const YAML::Node& node,
                           const std::string& key) const {
  if (!node.IsScalar()) {
    Fail(node, key + " must be a single value, not a list or mapping");
  }
  return node.Scalar();
}

std::vector<std::pair<std::string, YAML::Node>> Parser::StringList(
    const YAML::Node& node, const std::string& key) const {
  if (!node.IsSequence()) {
    Fail(node, key +
                   " must be a list, such as [a, b] or one \"- item\" "
                   "per line");
  }
  std::vector<std::pair<std::string, YAML::Node>> items;
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      Fail(item, "each item of " + key + " must be a single value");
    }
    items.emplace_back(item.Scalar(), item);
  }
  return items;
}

void Parser::ParseFlagSection(const YAML::Node& node, std::string_view section,
                              ConfigFile& config) const {
  std::vector<std::string_view> allowed;
  for (const auto& flag_key : kFlagKeys) {
    if (flag_key.section == section) {
      allowed.push_back(flag_key.key);
    }
  }
  for (const auto& [key_node, value] :
       Entries(node, allowed, std::string(section))) {
    const std::string& name = key_node.Scalar();
    const std::string key = std::string(section) + "." + name;
    const auto flag_key = std::find_if(
        kFlagKeys.begin(), kFlagKeys.end(), [&](const FlagKey& candidate) {
          return candidate.section == section && candidate.key == name;
        });
    const YAML::Node& at = value.Mark().is_null() ? key_node : value;
    if (value.IsNull()) {
      Fail(key_node, key + " has no value; give one or remove the key");
    }
    std::string text = Scalar(value, key);

    switch (flag_key->type) {
      case ValueType::kString:
        break;
      case ValueType::kDuration:
        if (!ParseDuration(text)) {
          Fail(at, "invalid duration " + Quoted(text) + " for " + key +
                       "; use a duration such as 500ms, 10s, 5m or 1h30m");
        }
        break;
      case ValueType::kInteger: {
        int number = 0;
        if (!YAML::convert<int>::decode(value, number)) {
          Fail(at, key + " must be a whole number, not " + Quoted(text));
        }
        text = std::to_string(number);
        break;
      }
      case ValueType::kBoolean: {
        bool flag = false;
        if (!YAML::convert<bool>::decode(value, flag)) {
          Fail(at, key + " must be true or false, not " + Quoted(text));
        }
        text = flag ? "true" : "false";
        break;
      }
    }
    config.flags[std::string(flag_key->flag)] =
        ConfigFlagValue{text, key, Location(at)};
  }
}

std::string Parser::ResolveCheckKey(const YAML::Node& node,
                                    const std::string& key) const {
  const std::string& name = node.Scalar();
  const auto check = ResolveCheck(name);
  if (!check) {
    Fail(node, "unknown check " + Quoted(name) + " in " + key +
                   "; use a check key or CIS id from the check tables in "
                   "README.md, such as rootfs_readonly or 5.13");
  }
  return std::string(check->key);
}

void Parser::ParseChecks(const YAML::Node& node, ConfigFile& config) const {
  const std::vector<std::string_view> allowed = {
      "enable", "disable", "disable_sections", "sensitive_paths",
      "max_node_cert_lifetime"};
  for (const auto& [key_node, value] : Entries(node, allowed, "checks")) {
    const std::string& name = key_node.Scalar();
    const std::string key = "checks." + name;
    if (value.IsNull()) {
      Fail(key_node, key + " has no value; give one or remove the key");
    }

    if (name == "enable") {
      std::string joined;
      for (const auto& [text, item] : StringList(value, key)) {
        joined += (joined.empty() ? "" : ",") + ResolveCheckKey(item, key);
      }
      if (joined.empty()) {
        Fail(value,
             "checks.enable is empty, which would enable no check; "
             "list checks, or remove the key to enable every check");
      }
      // The same list as the check command's --checks flag.
      config.flags["--checks"] = ConfigFlagValue{joined, key, Location(value)};
    } else if (name == "disable") {
      for (const auto& [text, item] : StringList(value, key)) {
        config.disabled_checks.push_back(ResolveCheckKey(item, key));
      }
    } else if (name == "disable_sections") {
      for (const auto& [text, item] : StringList(value, key)) {
        if (!IsKnownSection(text)) {
          Fail(item, "unknown CIS section " + Quoted(text) + " in " + key +
                         "; use one of " + JoinNames(KnownSections()));
        }
        config.disabled_sections.push_back(text);
      }
    } else if (name == "sensitive_paths") {
      std::vector<std::string> paths;
      for (const auto& [text, item] : StringList(value, key)) {
        if (!text.starts_with('/')) {
          Fail(item, "invalid path " + Quoted(text) + " in " + key +
                         "; use an absolute host path such as /etc");
        }
        paths.push_back(text);
      }
      config.policy.sensitive_paths = std::move(paths);
    } else {
      const std::string text = Scalar(value, key);
      const auto lifetime = ParseDuration(text);
      if (!lifetime || lifetime->count() == 0) {
        Fail(value, "invalid duration " + Quoted(text) + " for " + key +
                        "; use a duration greater than zero such as 90d");
      }
      config.policy.max_node_cert_lifetime =
          std::chrono::duration_cast<std::chrono::seconds>(*lifetime);
    }
  }
}

ContainerSelector Parser::ParseSelector(const YAML::Node& node,
                                        const std::string& where) const {
  ContainerSelector selector;
  const auto entries = Entries(node, {"name", "labels"}, where);
  if (entries.empty()) {
    Fail(node, where +
                   " selects every container; give name, labels or "
                   "both, such as name: \"web-.*\"");
  }
  for (const auto& [key_node, value] : entries) {
    const std::string key = where + "." + key_node.Scalar();
    if (value.IsNull()) {
      Fail(key_node, key + " has no value; give one or remove the key");
    }
    if (key_node.Scalar() == "name") {
      selector.name_pattern = Scalar(value, key);
      if (selector.name_pattern.size() > kMaxPatternLength) {
        Fail(value, key +
                        " is longer than 256 characters; shorten the "
                        "pattern");
      }
      auto compiled = CompileNamePattern(selector.name_pattern);
      if (!compiled) {
        Fail(value, compiled.error().message + " in " + key +
                        "; write an RE2 regular expression that matches "
                        "whole names, such as \"web-[0-9]+\"");
      }
      selector.name_regex = std::move(compiled).value();
    } else {
      for (const auto& [text, item] : StringList(value, key)) {
        auto matcher = ParseLabelMatcher(text);
        if (!matcher) {
          Fail(item, matcher.error().message + " in " + key);
        }
        selector.labels.push_back(std::move(matcher).value());
      }
    }
  }
  return selector;
}

void Parser::ParseContainers(const YAML::Node& node, ConfigFile& config) const {
  for (const auto& [key_node, value] :
       Entries(node, {"include", "exclude", "labels"}, "containers")) {
    const std::string& name = key_node.Scalar();
    const std::string key = "containers." + name;
    if (value.IsNull()) {
      Fail(key_node, key + " has no value; give one or remove the key");
    }
    if (name == "labels") {
      std::map<std::string, std::string> sanitized_from;
      for (const auto& [text, item] : StringList(value, key)) {
        if (text.empty()) {
          Fail(item, "empty label key in " + key + "; remove it");
        }
        const std::string sanitized = SanitizeLabelName(text);
        const auto [previous, inserted] =
            sanitized_from.emplace(sanitized, text);
        if (!inserted) {
          Fail(item, "labels " + Quoted(previous->second) + " and " +
                         Quoted(text) + " in " + key + " both become " +
                         sanitized + "; keep one of them");
        }
        config.policy.exported_labels.push_back(text);
      }
      continue;
    }

    if (!value.IsSequence()) {
      Fail(value, key +
                      " must be a list of selectors, each with name, "
                      "labels or both");
    }
    auto& selectors = name == "include" ? config.policy.scope.include
                                        : config.policy.scope.exclude;
    for (std::size_t i = 0; i < value.size(); ++i) {
      selectors.push_back(
          ParseSelector(value[i], key + "[" + std::to_string(i) + "]"));
    }
  }
}

Waiver Parser::ParseWaiver(const YAML::Node& node) const {
  Waiver waiver;
  waiver.location = Location(node);
  const auto entries = Entries(
      node, {"check", "container", "engine", "host", "reason", "expires"},
      "a waiver");
  int subjects = 0;
  bool has_check = false;
  bool has_reason = false;
  bool has_expires = false;
  YAML::Node check_node;
  for (const auto& [key_node, value] : entries) {
    const std::string& name = key_node.Scalar();
    const std::string key = "waiver " + name;
    if (value.IsNull()) {
      Fail(key_node, key + " has no value; give one or remove the key");
    }
    if (name == "check") {
      Scalar(value, key);
      check_node = value;
      waiver.check = ResolveCheckKey(value, key);
      has_check = true;
    } else if (name == "container") {
      waiver.subject = WaiverSubject::kContainer;
      waiver.containers = ParseSelector(value, "waiver container");
      ++subjects;
    } else if (name == "engine" || name == "host") {
      bool flag = false;
      if (!value.IsScalar() || !YAML::convert<bool>::decode(value, flag) ||
          !flag) {
        Fail(value, key +
                        " must be true; remove it for a waiver of "
                        "another subject");
      }
      waiver.subject =
          name == "engine" ? WaiverSubject::kEngine : WaiverSubject::kHost;
      ++subjects;
    } else if (name == "reason") {
      waiver.reason = Scalar(value, key);
      if (waiver.reason.empty()) {
        Fail(value, "waiver reason is empty; say why the check may fail");
      }
      has_reason = true;
    } else {
      waiver.expires = Scalar(value, key);
      const auto end = ParseExpiryDate(waiver.expires);
      if (!end) {
        Fail(value, "invalid date " + Quoted(waiver.expires) +
                        " in waiver expires; write the last day the waiver "
                        "holds as YYYY-MM-DD from 2000 to 2199, such as "
                        "2027-06-30");
      }
      waiver.expires_at = *end;
      has_expires = true;
    }
  }

  if (!has_check) {
    Fail(node, "waiver has no check; add check: with a check key or CIS id");
  }
  if (subjects != 1) {
    Fail(node,
         "waiver must have exactly one subject; give container: with "
         "a selector, engine: true or host: true");
  }
  if (!has_reason) {
    Fail(node,
         "waiver has no reason; add reason: saying why the check may "
         "fail");
  }
  if (!has_expires) {
    Fail(node,
         "waiver has no expiry date; add expires: with the last day it "
         "holds, such as 2027-06-30");
  }

  const auto kind = ResolveCheck(waiver.check)->kind;
  if (SubjectOfKind(kind) != waiver.subject) {
    Fail(check_node, "check " + Quoted(waiver.check) + " judges " +
                         JudgedSubject(kind) + "; write " +
                         SubjectKeyOf(SubjectOfKind(kind)) + " instead of " +
                         WrittenSubjectKey(waiver.subject));
  }
  return waiver;
}

void Parser::ParseWaivers(const YAML::Node& node, ConfigFile& config) const {
  if (!node.IsSequence()) {
    Fail(node,
         "waivers must be a list, with one \"- check: ...\" entry per "
         "waiver");
  }
  for (const auto& item : node) {
    Waiver waiver = ParseWaiver(item);
    for (const auto& earlier : config.policy.waivers) {
      if (WaiversOverlap(earlier, waiver)) {
        Fail(item, "waiver overlaps the waiver at " + earlier.location +
                       ": both cover check " + Quoted(waiver.check) +
                       " for the same subject; merge them into one waiver");
      }
    }
    config.policy.waivers.push_back(std::move(waiver));
  }
}

ConfigFile Parser::Parse(const YAML::Node& root) {
  ConfigFile config;
  config.path = path_;
  // An empty file, or one with comments only, sets nothing.
  if (root.IsNull()) {
    return config;
  }

  std::vector<std::string_view> allowed;
  for (const auto& flag_key : kFlagKeys) {
    if (std::find(allowed.begin(), allowed.end(), flag_key.section) ==
        allowed.end()) {
      allowed.push_back(flag_key.section);
    }
  }
  allowed.insert(allowed.end(), kPolicySections.begin(), kPolicySections.end());
  if (!root.IsMap()) {
    Fail(root,
         "the file must be a mapping of sections such as docker: and "
         "waivers:, see config/example.yml");
  }

  for (const auto& [key_node, value] :
       Entries(root, allowed, "the top level")) {
    const std::string& name = key_node.Scalar();
    if (value.IsNull()) {
      continue;
    }
    if (name == "checks") {
      ParseChecks(value, config);
    } else if (name == "containers") {
      ParseContainers(value, config);
    } else if (name == "waivers") {
      ParseWaivers(value, config);
    } else {
      ParseFlagSection(value, name, config);
    }
  }
  return config;
}

}  // namespace

Result<ConfigFile> ParseConfigFile(std::string_view text,
                                   const std::string& path) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return Parser(path).Parse(root);
  } catch (const ConfigError& error) {
    return Error{error.message};
  } catch (const YAML::Exception& error) {
    return Error{Location(path, error.mark) + ": invalid YAML: " + error.msg};
  }
}

Result<ConfigFile> LoadConfigFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Error{path + ": cannot read the configuration file: " +
                 std::strerror(errno) + "; check --config.file"};
  }
  std::ostringstream text;
  text << file.rdbuf();
  return ParseConfigFile(text.str(), path);
}

}  // namespace dce
