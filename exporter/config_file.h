#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/policy.h"
#include "collectors/result.h"

namespace dce {

/// A flag's value as the configuration file sets it.
struct ConfigFlagValue {
  /// The value as the flag would take it on the command line.
  std::string value;
  /// The key in the file, such as `docker.timeout`.
  std::string key;
  /// The value's position in the file: `PATH:LINE:COLUMN`.
  std::string location;
};

/// The content of a configuration file, validated.
struct ConfigFile {
  std::string path;
  /// Values of flags, by flag name such as `--docker.timeout`. Keys that
  /// the file leaves out are absent.
  std::map<std::string, ConfigFlagValue, std::less<>> flags;
  /// `checks.disable`, resolved to check keys.
  std::vector<std::string> disabled_checks;
  /// `checks.disable_sections`, such as `7`.
  std::vector<std::string> disabled_sections;
  /// The scope, exported labels, waivers and check settings. Its enabled
  /// checks and `scope.running_only` are left for the caller to set, since
  /// flags may override them.
  Policy policy;
};

/// Parses and validates the text of a configuration file. `path` is used in
/// messages only. Every error reads `PATH:LINE:COLUMN: what is wrong; what
/// to write instead`.
Result<ConfigFile> ParseConfigFile(std::string_view text,
                                   const std::string& path);

/// Reads `path` and parses it with ParseConfigFile().
Result<ConfigFile> LoadConfigFile(const std::string& path);

}  // namespace dce
