#include "collectors/host_parsers.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace dce {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  while (start < line.size()) {
    start = line.find_first_not_of(" \t\r", start);
    if (start == std::string_view::npos) {
      break;
    }
    std::size_t end = line.find_first_of(" \t\r", start);
    if (end == std::string_view::npos) {
      end = line.size();
    }
    words.push_back(line.substr(start, end - start));
    start = end;
  }
  return words;
}

std::vector<std::string_view> SplitFields(std::string_view line,
                                          char separator) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = line.find(separator, start);
    if (end == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

std::optional<std::uint32_t> ParseId(std::string_view text) {
  std::uint32_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() ||
      text.empty()) {
    return std::nullopt;
  }
  return value;
}

void RemoveWatch(std::vector<std::string>& watches, std::string_view path) {
  watches.erase(std::remove(watches.begin(), watches.end(), path),
                watches.end());
}

// The daemon.json key and kind of one dockerd flag.
struct FlagSpec {
  std::string_view flag;
  std::string_view key;
  bool boolean;
  // Whether the flag may be repeated, which daemon.json writes as an array.
  bool list;
};

// The dockerd flags whose daemon.json key differs from the flag's name, or
// that are booleans or lists (dockerd 20.10 to 27). Any other flag takes a
// value and is keyed by its own name, which is dockerd's rule for the rest.
constexpr std::array<FlagSpec, 39> kFlagSpecs = {{
    {"host", "hosts", false, true},
    {"H", "hosts", false, true},
    {"debug", "debug", true, false},
    {"D", "debug", true, false},
    {"log-level", "log-level", false, false},
    {"l", "log-level", false, false},
    {"group", "group", false, false},
    {"G", "group", false, false},
    {"pidfile", "pidfile", false, false},
    {"p", "pidfile", false, false},
    {"bridge", "bridge", false, false},
    {"b", "bridge", false, false},
    {"graph", "data-root", false, false},
    {"g", "data-root", false, false},
    {"tls", "tls", true, false},
    {"tlsverify", "tlsverify", true, false},
    {"iptables", "iptables", true, false},
    {"ip6tables", "ip6tables", true, false},
    {"ip-forward", "ip-forward", true, false},
    {"ip-masq", "ip-masq", true, false},
    {"icc", "icc", true, false},
    {"ipv6", "ipv6", true, false},
    {"userland-proxy", "userland-proxy", true, false},
    {"live-restore", "live-restore", true, false},
    {"experimental", "experimental", true, false},
    {"no-new-privileges", "no-new-privileges", true, false},
    {"selinux-enabled", "selinux-enabled", true, false},
    {"raw-logs", "raw-logs", true, false},
    {"init", "init", true, false},
    {"default-ulimit", "default-ulimits", false, true},
    {"insecure-registry", "insecure-registries", false, true},
    {"registry-mirror", "registry-mirrors", false, true},
    {"authorization-plugin", "authorization-plugins", false, true},
    {"label", "labels", false, true},
    {"log-opt", "log-opts", false, true},
    {"storage-opt", "storage-opts", false, true},
    {"exec-opt", "exec-opts", false, true},
    {"dns", "dns", false, true},
    {"add-runtime", "runtimes", false, true},
}};

FlagSpec SpecOf(std::string_view name) {
  for (const auto& spec : kFlagSpecs) {
    if (spec.flag == name) {
      return spec;
    }
  }
  return {name, name, false, false};
}

// Go's strconv.ParseBool, which dockerd's flag library uses.
std::optional<bool> ParseGoBool(std::string_view text) {
  for (const std::string_view yes : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (text == yes) {
      return true;
    }
  }
  for (const std::string_view no : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (text == no) {
      return false;
    }
  }
  return std::nullopt;
}

void SetFlag(DockerdFlags& flags, const FlagSpec& spec,
             std::string_view written, const std::string& value) {
  if (spec.key == "config-file") {
    flags.config_file = value;
    return;
  }

  const std::string key(spec.key);
  nlohmann::json typed = value;
  if (spec.boolean) {
    const auto parsed = ParseGoBool(value);
    if (parsed) {
      typed = *parsed;
    }
  }

  auto& setting = flags.settings[key];
  if (spec.list) {
    if (!setting.value.is_array()) {
      setting.value = nlohmann::json::array();
    }
    setting.value.push_back(std::move(typed));
  } else {
    setting.value = std::move(typed);
  }
  setting.source = std::string(written);
}

}  // namespace

std::vector<std::string> ParseAuditWatches(std::string_view text) {
  std::vector<std::string> watches;
  for (const auto line : SplitLines(text)) {
    const auto words = SplitWords(line);
    if (words.empty() || words.front().starts_with('#')) {
      continue;
    }
    if (words.front() == "-D") {
      watches.clear();
      continue;
    }

    const bool removal = words.front() == "-W" || words.front() == "-d";
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      std::string_view path;
      if (words[i] == "-w" || words[i] == "-W") {
        path = words[i + 1];
      } else if (words[i] == "-F") {
        const std::string_view filter = words[i + 1];
        for (const std::string_view field : {"path=", "dir="}) {
          if (filter.starts_with(field)) {
            path = filter.substr(field.size());
          }
        }
      }
      if (path.empty()) {
        continue;
      }
      if (removal) {
        RemoveWatch(watches, path);
      } else {
        watches.emplace_back(path);
      }
    }
  }
  return watches;
}

void ParsePasswd(std::string_view text, HostAccounts& accounts) {
  for (const auto line : SplitLines(text)) {
    const auto fields = SplitFields(line, ':');
    if (fields.size() < 4 || fields[0].empty()) {
      continue;
    }
    const auto uid = ParseId(fields[2]);
    const auto gid = ParseId(fields[3]);
    if (!uid || !gid) {
      continue;
    }
    // The first entry for an id wins, as getpwuid(3) returns it.
    accounts.user_names.emplace(*uid, std::string(fields[0]));
    accounts.primary_groups.emplace(std::string(fields[0]), *gid);
  }
}

void ParseGroup(std::string_view text, HostAccounts& accounts) {
  for (const auto line : SplitLines(text)) {
    const auto fields = SplitFields(line, ':');
    if (fields.size() < 4 || fields[0].empty()) {
      continue;
    }
    const auto gid = ParseId(fields[2]);
    if (!gid) {
      continue;
    }
    const std::string name(fields[0]);
    accounts.group_names.emplace(*gid, name);
    accounts.group_ids.emplace(name, *gid);
    auto& members = accounts.group_members[name];
    for (const auto member : SplitFields(fields[3], ',')) {
      if (!member.empty()) {
        members.emplace_back(member);
      }
    }
  }
}

std::vector<std::string> GroupMembers(const HostAccounts& accounts,
                                      std::string_view name) {
  std::set<std::string> members;
  const auto listed = accounts.group_members.find(name);
  if (listed != accounts.group_members.end()) {
    members.insert(listed->second.begin(), listed->second.end());
  }
  const auto gid = accounts.group_ids.find(name);
  if (gid != accounts.group_ids.end()) {
    for (const auto& [user, primary] : accounts.primary_groups) {
      if (primary == gid->second) {
        members.insert(user);
      }
    }
  }
  return {members.begin(), members.end()};
}

std::set<std::string> ParseMountPoints(std::string_view text) {
  std::set<std::string> mount_points;
  for (const auto line : SplitLines(text)) {
    // Fields: mount id, parent id, major:minor, root, mount point, ...
    const auto words = SplitWords(line);
    if (words.size() < 5) {
      continue;
    }
    const std::string_view escaped = words[4];
    std::string decoded;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
      const bool octal =
          escaped[i] == '\\' && i + 3 < escaped.size() &&
          std::all_of(escaped.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                      escaped.begin() + static_cast<std::ptrdiff_t>(i) + 4,
                      [](char c) { return c >= '0' && c <= '7'; });
      if (octal) {
        decoded += static_cast<char>((escaped[i + 1] - '0') * 64 +
                                     (escaped[i + 2] - '0') * 8 +
                                     (escaped[i + 3] - '0'));
        i += 3;
      } else {
        decoded += escaped[i];
      }
    }
    mount_points.insert(std::move(decoded));
  }
  return mount_points;
}

Result<nlohmann::json> ParseDaemonJson(std::string_view text) {
  nlohmann::json document =
      nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (document.is_discarded()) {
    return Error{"is not valid JSON"};
  }
  if (!document.is_object()) {
    return Error{std::string("is JSON ") + document.type_name() +
                 ", expected an object"};
  }
  return document;
}

std::vector<std::string> SplitCommandLine(std::string_view text) {
  std::vector<std::string> arguments;
  for (const auto field : SplitFields(text, '\0')) {
    arguments.emplace_back(field);
  }
  // The kernel ends the last argument with a NUL too.
  if (!arguments.empty() && arguments.back().empty()) {
    arguments.pop_back();
  }
  return arguments;
}

DockerdFlags ParseDockerdFlags(const std::vector<std::string>& arguments) {
  DockerdFlags flags;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string_view argument = arguments[i];
    if (argument == "--" || argument.size() < 2 || argument[0] != '-') {
      // dockerd takes no positional arguments.
      continue;
    }

    std::string_view name;
    std::optional<std::string> value;
    if (argument.starts_with("--")) {
      name = argument.substr(2);
      const std::size_t equals = name.find('=');
      if (equals != std::string_view::npos) {
        value = std::string(name.substr(equals + 1));
        name = name.substr(0, equals);
      }
    } else {
      // A short flag: -H value, -Hvalue or -H=value.
      name = argument.substr(1, 1);
      std::string_view rest = argument.substr(2);
      if (rest.starts_with('=')) {
        rest.remove_prefix(1);
        value = std::string(rest);
      } else if (!rest.empty()) {
        value = std::string(rest);
      }
    }

    FlagSpec spec = SpecOf(name);
    if (name == "config-file") {
      spec.key = "config-file";
    }
    const std::string written = argument.starts_with("--")
                                    ? "--" + std::string(name)
                                    : "-" + std::string(name);
    if (!value) {
      if (spec.boolean) {
        value = "true";
      } else if (i + 1 < arguments.size()) {
        value = arguments[++i];
      } else {
        value = "";
      }
    }
    SetFlag(flags, spec, written, *value);
  }
  return flags;
}

DaemonSettings MergeDaemonSettings(const DockerdFlags& flags,
                                   const nlohmann::json& daemon_json) {
  DaemonSettings merged;
  if (daemon_json.is_object()) {
    for (const auto& [key, value] : daemon_json.items()) {
      merged.settings[key] = DaemonSetting{value, "daemon.json"};
    }
  }
  for (const auto& [key, setting] : flags.settings) {
    if (merged.settings.contains(key)) {
      merged.conflicts[key] = setting.source;
      merged.settings.erase(key);
      continue;
    }
    merged.settings[key] = setting;
  }
  return merged;
}

}  // namespace dce
