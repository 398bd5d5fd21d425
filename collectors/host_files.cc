#include "collectors/host_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>

namespace dce {
namespace {

// Linux gives up after 40 links in one lookup (MAXSYMLINKS); so does this.
constexpr int kMaxLinks = 40;

std::deque<std::string> SplitComponents(std::string_view path) {
  std::deque<std::string> components;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end =
        slash == std::string_view::npos ? path.size() : slash;
    if (end > start) {
      components.emplace_back(path.substr(start, end - start));
    }
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return components;
}

std::string JoinComponents(const std::vector<std::string>& components) {
  if (components.empty()) {
    return "/";
  }
  std::string path;
  for (const auto& component : components) {
    path += "/" + component;
  }
  return path;
}

Error SystemError(std::string_view action, std::string_view host_path,
                  int error_number) {
  return Error{"cannot " + std::string(action) + " " + std::string(host_path) +
               " on the host: " + std::strerror(error_number)};
}

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int descriptor) : descriptor_(descriptor) {}
  ~FileDescriptor() { close(descriptor_); }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int Get() const { return descriptor_; }

 private:
  int descriptor_;
};

std::string_view FileTypeName(std::uint32_t file_type) {
  switch (file_type) {
    case S_IFDIR:
      return "a directory";
    case S_IFIFO:
      return "a FIFO";
    case S_IFSOCK:
      return "a socket";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFLNK:
      return "a symbolic link";
    default:
      return "a file of unknown type";
  }
}

}  // namespace

HostFiles::HostFiles(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') {
    root_.pop_back();
  }
}

std::string HostFiles::Local(std::string_view resolved_host_path) const {
  if (root_ == "/") {
    return std::string(resolved_host_path);
  }
  return root_ + std::string(resolved_host_path);
}

Result<std::string> HostFiles::Resolve(std::string_view host_path) const {
  std::deque<std::string> pending = SplitComponents(host_path);
  std::vector<std::string> done;
  int links = 0;

  while (!pending.empty()) {
    std::string component = std::move(pending.front());
    pending.pop_front();
    if (component == ".") {
      continue;
    }
    if (component == "..") {
      // ".." at the root stays at the root, as the kernel does.
      if (!done.empty()) {
        done.pop_back();
      }
      continue;
    }

    done.push_back(component);
    const std::string candidate = JoinComponents(done);
    struct stat status {};
    if (lstat(Local(candidate).c_str(), &status) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) {
        // The rest cannot be resolved, so it is kept as written.
        for (auto& rest : pending) {
          done.push_back(std::move(rest));
        }
        return JoinComponents(done);
      }
      return SystemError("look up", candidate, errno);
    }
    if (!S_ISLNK(status.st_mode)) {
      continue;
    }

    if (++links > kMaxLinks) {
      return Error{"too many symbolic links in " + std::string(host_path) +
                   " on the host"};
    }
    std::string target(static_cast<std::size_t>(PATH_MAX), '\0');
    const ssize_t length =
        readlink(Local(candidate).c_str(), target.data(), target.size());
    if (length < 0) {
      return SystemError("read the link", candidate, errno);
    }
    target.resize(static_cast<std::size_t>(length));

    done.pop_back();
    if (target.starts_with('/')) {
      done.clear();
    }
    auto target_components = SplitComponents(target);
    pending.insert(pending.begin(), target_components.begin(),
                   target_components.end());
  }
  return JoinComponents(done);
}

Result<HostFileStat> HostFiles::Stat(std::string_view host_path) const {
  auto resolved = Resolve(host_path);
  if (!resolved) {
    return resolved.error();
  }

  HostFileStat result;
  result.path = std::string(host_path);
  result.resolved = resolved.value();
  struct stat status {};
  if (lstat(Local(result.resolved).c_str(), &status) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return result;
    }
    return SystemError("stat", host_path, errno);
  }
  result.exists = true;
  result.directory = S_ISDIR(status.st_mode);
  result.file_type = status.st_mode & S_IFMT;
  result.mode = status.st_mode & 07777U;
  result.uid = status.st_uid;
  result.gid = status.st_gid;
  return result;
}

Result<std::optional<std::string>> HostFiles::Read(
    std::string_view host_path, std::size_t max_bytes) const {
  auto status = Stat(host_path);
  if (!status) {
    return status.error();
  }
  if (!status.value().exists) {
    return std::optional<std::string>();
  }
  // Checked before the open too, because opening a device can have effects
  // of its own, such as rewinding a tape.
  if (status.value().file_type != S_IFREG) {
    return Error{DescribeNotRegular(host_path, status.value().file_type)};
  }
  return ReadRegularFile(Local(status.value().resolved), host_path, max_bytes);
}

Result<std::optional<std::vector<std::string>>> HostFiles::List(
    std::string_view host_path) const {
  auto resolved = Resolve(host_path);
  if (!resolved) {
    return resolved.error();
  }
  std::unique_ptr<DIR, int (*)(DIR*)> directory(
      opendir(Local(resolved.value()).c_str()), &closedir);
  if (!directory) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return std::optional<std::vector<std::string>>();
    }
    return SystemError("list", host_path, errno);
  }

  std::vector<std::string> names;
  while (const dirent* entry = readdir(directory.get())) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      names.emplace_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return std::optional<std::vector<std::string>>(std::move(names));
}

Result<std::optional<std::string>> ReadRegularFile(
    const std::string& local_path, std::string_view display_path,
    std::size_t max_bytes, LargerFile larger) {
  // Without O_NONBLOCK, opening a FIFO waits for a writer, and reading it
  // waits for data, which could stop every refresh for good.
  const int opened =
      open(local_path.c_str(),
           O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (opened < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return std::optional<std::string>();
    }
    return SystemError("open", display_path, errno);
  }
  const FileDescriptor file(opened);

  // The path may have changed since it was looked up, so the type that
  // counts is that of the file actually opened.
  struct stat status {};
  if (fstat(file.Get(), &status) != 0) {
    return SystemError("stat", display_path, errno);
  }
  if (!S_ISREG(status.st_mode)) {
    return Error{DescribeNotRegular(display_path, status.st_mode & S_IFMT)};
  }

  std::string text;
  std::array<char, 8192> buffer{};
  while (true) {
    const ssize_t count = read(file.Get(), buffer.data(), buffer.size());
    if (count < 0) {
      if (errno == EINTR) {
        continue;
      }
      return SystemError("read", display_path, errno);
    }
    if (count == 0) {
      break;
    }
    text.append(buffer.data(), static_cast<std::size_t>(count));
    if (text.size() > max_bytes) {
      if (larger == LargerFile::kTruncate) {
        text.resize(max_bytes);
        break;
      }
      return Error{"cannot read " + std::string(display_path) +
                   " on the host: it is larger than " +
                   std::to_string(max_bytes) + " bytes"};
    }
  }
  return std::optional<std::string>(std::move(text));
}

std::string DescribeNotRegular(std::string_view host_path,
                               std::uint32_t file_type) {
  return std::string(host_path) + " is " +
         std::string(FileTypeName(file_type)) + ", not a regular file";
}

std::string JoinHostPath(std::string_view directory, std::string_view name) {
  std::string path(directory);
  if (path.empty() || path.back() != '/') {
    path += '/';
  }
  return path + std::string(name);
}

std::string FormatMode(std::uint32_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", mode & 07777U);
  return text;
}

}  // namespace dce
