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
  /// The file type bits of st_mode (S_IFMT), such as S_IFREG or S_IFIFO;
  /// 0 when the path does not exist.
  std::uint32_t file_type = 0;
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
  /// does not exist, and an Error when it cannot be read, is larger, or is
  /// not a regular file. A FIFO, socket or device is never read, so that
  /// it cannot block the collector.
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

/// The handling of a file larger than the limit of ReadRegularFile.
enum class LargerFile {
  /// Return an Error naming the limit.
  kReject,
  /// Return the first bytes, up to the limit.
  kTruncate,
};

/// Reads the regular file at `local_path`, a path of the exporter's own
/// filesystem, and names it `display_path` in errors. The file is opened
/// with O_NONBLOCK and O_NOFOLLOW and checked with fstat(2) before any
/// read, so a FIFO without a writer or a link swapped in after the links
/// were resolved is an Error, never a wait. Returns nullopt when the file
/// does not exist.
Result<std::optional<std::string>> ReadRegularFile(
    const std::string& local_path, std::string_view display_path,
    std::size_t max_bytes, LargerFile larger = LargerFile::kReject);

/// Describes a file that is not a regular file, such as "/run/x is a FIFO,
/// not a regular file". `file_type` is the S_IFMT bits of st_mode.
std::string DescribeNotRegular(std::string_view host_path,
                               std::uint32_t file_type);

/// Joins a host directory and an entry name with one slash.
std::string JoinHostPath(std::string_view directory, std::string_view name);

/// Formats permission bits as four octal digits, such as 0644.
std::string FormatMode(std::uint32_t mode);

}  // namespace dce
