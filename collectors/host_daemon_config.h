#pragma once

// The daemon's configuration as the host shows it: the dockerd process and
// its command line in the process table, and daemon.json under the rootfs.

#include <optional>
#include <string>

#include "collectors/host_checks.h"
#include "collectors/host_collector.h"
#include "collectors/host_files.h"
#include "collectors/result.h"

namespace dce {

/// Reads a file of the process table, which lives outside the rootfs, up
/// to 1 MiB; the rest of a larger file is left out. Returns nullopt when it
/// does not exist, and an Error when it is not a regular file or cannot be
/// read.
Result<std::optional<std::string>> ReadProcFile(const std::string& path);

/// Finds the dockerd whose settings the host checks judge, and reads its
/// command line and daemon.json into the merged settings. A failure is
/// recorded in the result, so that the checks that need the settings are
/// unknown.
DaemonConfig ReadDaemonConfig(const HostCollectorOptions& options,
                              const HostFiles& files);

}  // namespace dce
