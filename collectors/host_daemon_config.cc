#include "collectors/host_daemon_config.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace dce {
namespace {

// Limits on what is read, so that a huge file cannot exhaust memory.
constexpr std::size_t kMaxConfigBytes = 4U << 20U;
constexpr std::size_t kMaxProcBytes = 1U << 20U;

constexpr std::string_view kDefaultPidfile = "/var/run/docker.pid";

// Reads a file of a process, or nullopt when it cannot be read, as when the
// process has exited.
std::optional<std::string> ReadProcessFile(const std::string& path) {
  auto text = ReadProcFile(path);
  if (!text) {
    return std::nullopt;
  }
  return std::move(text).value();
}

std::string Trim(std::string text) {
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.pop_back();
  }
  return text;
}

bool IsNumeric(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool IsDockerd(const std::string& procfs, const std::string& pid) {
  if (!IsNumeric(pid)) {
    return false;
  }
  const auto comm = ReadProcessFile(procfs + "/" + pid + "/comm");
  return comm && Trim(*comm) == "dockerd";
}

std::vector<std::string> ReadArguments(const std::string& procfs,
                                       const std::string& pid) {
  const auto cmdline = ReadProcessFile(procfs + "/" + pid + "/cmdline");
  if (!cmdline) {
    return {};
  }
  auto arguments = SplitCommandLine(*cmdline);
  if (!arguments.empty()) {
    arguments.erase(arguments.begin());
  }
  return arguments;
}

// Whether a dockerd's -H flags name `socket`, and whether they rule it out
// by naming only other unix sockets. A dockerd started by systemd listens
// on fd://, which names no path.
struct SocketMatch {
  bool serves = false;
  bool other = false;
};

SocketMatch MatchSocket(const DockerdFlags& flags, const std::string& socket) {
  SocketMatch match;
  const auto hosts = flags.settings.find("hosts");
  if (socket.empty() || hosts == flags.settings.end()) {
    return match;
  }
  bool other_unix = false;
  bool unnamed = false;
  for (const auto& host : hosts->second.value) {
    if (!host.is_string()) {
      continue;
    }
    const auto& address = host.get_ref<const std::string&>();
    if (address == "unix://" + socket) {
      match.serves = true;
    } else if (address.starts_with("unix://")) {
      other_unix = true;
    } else {
      unnamed = true;
    }
  }
  match.other = !match.serves && other_unix && !unnamed;
  return match;
}

struct DockerdProcess {
  std::string pid;
  std::vector<std::string> arguments;
};

// Finds the dockerd to read: the pid in the engine's pidfile when that
// process is a dockerd, else the only dockerd in the process table, else
// the one serving the exporter's engine socket.
Result<DockerdProcess> FindDockerd(const HostCollectorOptions& options,
                                   const HostFiles& files) {
  const auto pidfile = files.Read(kDefaultPidfile, 64);
  if (pidfile && pidfile.value()) {
    const std::string pid = Trim(*pidfile.value());
    if (IsDockerd(options.procfs, pid)) {
      return DockerdProcess{pid, ReadArguments(options.procfs, pid)};
    }
  }

  std::unique_ptr<DIR, int (*)(DIR*)> directory(opendir(options.procfs.c_str()),
                                                &closedir);
  if (!directory) {
    return Error{"cannot list the process table " + options.procfs};
  }
  std::vector<DockerdProcess> candidates;
  while (const dirent* entry = readdir(directory.get())) {
    const std::string name = entry->d_name;
    if (IsDockerd(options.procfs, name)) {
      candidates.push_back({name, ReadArguments(options.procfs, name)});
    }
  }

  if (candidates.empty()) {
    return Error{"no dockerd process is in " + options.procfs +
                 "; mount the host's /proc and share its PID namespace"};
  }
  // The dockerd serving the exporter's socket, else the only one that
  // might: a dockerd listening only on other unix sockets is another
  // engine.
  std::vector<DockerdProcess> serving;
  std::vector<DockerdProcess> possible;
  for (auto& candidate : candidates) {
    const SocketMatch match = MatchSocket(
        ParseDockerdFlags(candidate.arguments), options.engine_socket_path);
    if (match.serves) {
      serving.push_back(candidate);
    }
    if (!match.other) {
      possible.push_back(std::move(candidate));
    }
  }
  if (serving.size() == 1) {
    return serving.front();
  }
  if (serving.empty() && possible.size() == 1) {
    return possible.front();
  }
  return Error{std::to_string(candidates.size()) +
               " dockerd processes run, and " + std::to_string(serving.size()) +
               " of them serve " +
               (options.engine_socket_path.empty()
                    ? std::string("the exporter's engine socket")
                    : options.engine_socket_path)};
}

}  // namespace

Result<std::optional<std::string>> ReadProcFile(const std::string& path) {
  return ReadRegularFile(path, path, kMaxProcBytes, LargerFile::kTruncate);
}

DaemonConfig ReadDaemonConfig(const HostCollectorOptions& options,
                              const HostFiles& files) {
  DaemonConfig daemon;
  DockerdFlags flags;
  auto process = FindDockerd(options, files);
  if (process) {
    daemon.pid = process.value().pid;
    flags = ParseDockerdFlags(process.value().arguments);
    if (!flags.config_file.empty()) {
      daemon.config_file = flags.config_file;
    }
  } else {
    daemon.command_line_error = process.error().message;
  }

  auto text = files.Read(daemon.config_file, kMaxConfigBytes);
  if (!text) {
    daemon.error = text.error().message;
    return daemon;
  }
  nlohmann::json document = nlohmann::json::object();
  if (text.value()) {
    auto parsed = ParseDaemonJson(*text.value());
    if (!parsed) {
      daemon.error = daemon.config_file + " " + parsed.error().message;
      return daemon;
    }
    document = std::move(parsed).value();
  }
  daemon.settings = MergeDaemonSettings(flags, document);
  return daemon;
}

}  // namespace dce
