#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/result.h"

namespace dce {

/// The stat(2) result of one host path, after its symbolic links are
/// followed inside the host's root.
struct HostFileStat {
  /// The path as the host names it, such as /etc/docker/daemon.json.
  std::string path;
  /// The host path after symbolic links; equal to `path` without links.
  std::string resolved;
  bool exists = false;
  bool directory = false;
  /// Permission bits, including set-user-ID, set-group-ID and sticky.
  std::uint32_t mode = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

/// Reads the host's files below a root directory, read-only. Paths are host
/// paths: an absolute symbolic link on the host points inside the root, not
/// into the exporter's own filesystem, which is what makes a read-only bind
/// mount of the host's `/` at `/host` usable. Thread-compatible.
class HostFiles {
 public:
  /// `root` is the directory holding the host's `/`, such as `/host`, or
  /// `/` for an exporter installed on the host.
  explicit HostFiles(std::string root);

  /// Resolves the symbolic links of `host_path` inside the root. A missing
  /// component ends the resolution, and the rest is kept as written.
  /// Returns an Error for a loop of links or a component that cannot be
  /// read.
  Result<std::string> Resolve(std::string_view host_path) const;

  /// Stats `host_path` after its links. A missing path has `exists` false;
  /// any other failure, such as permission denied, is an Error.
  Result<HostFileStat> Stat(std::string_view host_path) const;

  /// Reads a regular file of at most `max_bytes`. Returns nullopt when it
  /// does not exist, and an Error when it cannot be read or is larger.
  Result<std::optional<std::string>> Read(std::string_view host_path,
                                          std::size_t max_bytes) const;

  /// Lists the entry names of a directory, sorted. Returns nullopt when it
  /// does not exist, and an Error when it cannot be read.
  Result<std::optional<std::vector<std::string>>> List(
      std::string_view host_path) const;

  /// Returns the exporter's path of a resolved host path.
  std::string Local(std::string_view resolved_host_path) const;

 private:
  std::string root_;
};

/// Joins a host directory and an entry name with one slash.
std::string JoinHostPath(std::string_view directory, std::string_view name);

/// Formats permission bits as four octal digits, such as 0644.
std::string FormatMode(std::uint32_t mode);

}  // namespace dce
