#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "collectors/host_checks.h"

namespace dce {

/// The locations of the host's files and process table, from `--path.rootfs`,
/// `--path.procfs` and `--collector.host`.
struct HostCollectorOptions {
  /// The directory holding the host's `/`.
  std::string rootfs = "/";
  /// The host's /proc. Pids in it must be the host's, so a containerised
  /// exporter needs the host's PID namespace for the dockerd command line.
  std::string procfs = "/proc";
  /// The unix socket the exporter reaches the engine on, as the host names
  /// it; picks the dockerd to read when several run. Empty for TCP.
  std::string engine_socket_path;
};

/// Reads the host's files and process table, read-only, into the documents
/// the host checks judge. `info` is the engine's `GET /info`, or null when
/// it was not fetched. A file that cannot be read is recorded in the
/// documents, not thrown, so that the checks that need it are unknown.
HostDocuments CollectHostDocuments(const HostCollectorOptions& options,
                                   const nlohmann::json* info);

/// Reads the host and evaluates every host check.
HostRecord CollectHost(const HostCollectorOptions& options,
                       const nlohmann::json* info);

}  // namespace dce
