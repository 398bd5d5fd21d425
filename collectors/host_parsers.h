#pragma once

// Parsers for the host files and process details that the host checks
// read. Each is pure and takes the file's text. The files are untrusted
// input, so a parser reports problems as values and does not throw;
// tests/fuzz/host_files_fuzzer.cc feeds them arbitrary bytes.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/result.h"

namespace dce {

/// Returns the paths that an audit rules file watches: the PATH of each
/// `-w PATH` rule and the values of `-F path=` and `-F dir=` filters, in
/// file order. `-W PATH` removes an earlier watch of PATH, and `-D`
/// removes every earlier rule, as auditctl does.
std::vector<std::string> ParseAuditWatches(std::string_view text);

/// Names from the host's passwd and group files.
struct HostAccounts {
  std::map<std::uint32_t, std::string> user_names;
  std::map<std::uint32_t, std::string> group_names;
  /// Group name to its id.
  std::map<std::string, std::uint32_t, std::less<>> group_ids;
  /// Group name to the users listed as its members in the group file.
  std::map<std::string, std::vector<std::string>, std::less<>> group_members;
  /// User name to its primary group id.
  std::map<std::string, std::uint32_t, std::less<>> primary_groups;
};

/// Adds the users of a passwd file (`name:x:uid:gid:...`) to `accounts`.
/// Lines that do not have that shape are skipped.
void ParsePasswd(std::string_view text, HostAccounts& accounts);

/// Adds the groups of a group file (`name:x:gid:member,member`) to
/// `accounts`. Lines that do not have that shape are skipped.
void ParseGroup(std::string_view text, HostAccounts& accounts);

/// Returns the users in group `name`: its listed members and the users
/// whose primary group it is, sorted, without duplicates.
std::vector<std::string> GroupMembers(const HostAccounts& accounts,
                                      std::string_view name);

/// Returns the mount points of a /proc/PID/mountinfo file, with the kernel's
/// octal escapes (`\040` for a space) decoded.
std::set<std::string> ParseMountPoints(std::string_view text);

/// Parses daemon.json. Returns an Error for invalid JSON or a document that
/// is not an object, naming the problem.
Result<nlohmann::json> ParseDaemonJson(std::string_view text);

/// Splits a /proc/PID/cmdline file at its NUL bytes.
std::vector<std::string> SplitCommandLine(std::string_view text);

/// One daemon setting and where it was set.
// nlohmann::json's move constructor is noexcept, but clang-tidy 14 follows
// the assertions it calls and reports bugprone-exception-escape.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct DaemonSetting {
  /// As daemon.json writes it: a string, a boolean or, for options that may
  /// be repeated, an array of strings.
  nlohmann::json value;
  /// `daemon.json` or the flag as written, such as `--log-level`.
  std::string source;
};

/// The settings given on the dockerd command line, by daemon.json key.
struct DockerdFlags {
  std::map<std::string, DaemonSetting, std::less<>> settings;
  /// The `--config-file` value, when given.
  std::string config_file;
};

/// Parses dockerd's arguments (without the program name) the way its flag
/// library does: `--name=value`, `--name value`, `-H value`, `-Hvalue`,
/// and boolean flags that take a value only after `=`. Each flag is keyed
/// by its daemon.json name (`--host` and `-H` by `hosts`).
DockerdFlags ParseDockerdFlags(const std::vector<std::string>& arguments);

/// The daemon's effective settings: the command line merged with
/// daemon.json.
struct DaemonSettings {
  std::map<std::string, DaemonSetting, std::less<>> settings;
  /// Keys set both by a flag and in daemon.json. dockerd refuses to start
  /// with such a configuration, so the running daemon was started with
  /// another one, and the value in use is not known.
  std::map<std::string, std::string, std::less<>> conflicts;
};

/// Merges the command line with daemon.json as dockerd does: each key comes
/// from one of them, and a key in both is a conflict.
DaemonSettings MergeDaemonSettings(const DockerdFlags& flags,
                                   const nlohmann::json& daemon_json);

}  // namespace dce
