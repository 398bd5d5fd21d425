// Host checks on the owners and modes of the engine's files (CIS 3.1 to
// 3.24).

#include <string>
#include <vector>

#include "collectors/check_fields.h"
#include "collectors/engine_fields.h"
#include "collectors/host_checks.h"

namespace dce {
namespace {

// Names a path, with the file its links lead to when that differs.
std::string DescribePath(const HostFileStat& stat) {
  if (stat.resolved == stat.path) {
    return stat.path;
  }
  return stat.path + " (a link to " + stat.resolved + ")";
}

std::string NameOf(const std::map<std::uint32_t, std::string>& names,
                   std::uint32_t id) {
  const auto found = names.find(id);
  return found == names.end() ? std::to_string(id) : found->second;
}

// Returns the files of `target` that exist, or sets `absent` to the
// not-applicable or unknown result when there are none to judge.
std::vector<const HostFileStat*> ExistingFiles(
    const HostDocuments& host, FileTarget target,
    std::optional<CheckResult>* absent) {
  const FileTargetState& state =
      host.files.at(static_cast<std::size_t>(target));
  std::vector<const HostFileStat*> existing;
  std::optional<CheckResult> unreadable;
  if (state.error) {
    unreadable = Unknown(*state.error);
  }
  for (const auto& file : state.files) {
    if (file.error) {
      unreadable = Unknown(*file.error);
    } else if (file.stat.exists) {
      existing.push_back(&file.stat);
    }
  }

  if (existing.empty()) {
    if (unreadable) {
      *absent = *unreadable;
    } else if (!state.files.empty()) {
      *absent = {Outcome::kNotApplicable,
                 state.files.front().stat.path + " does not exist on the host"};
    } else {
      *absent = {Outcome::kNotApplicable, state.absent_reason};
    }
  } else if (unreadable) {
    // A file that cannot be looked at might fail, so the rest cannot pass.
    *absent = *unreadable;
  }
  return existing;
}

// Joins the judged paths for a passing reason: the path, or a count.
std::string Subject(const std::vector<const HostFileStat*>& files) {
  if (files.size() == 1) {
    return DescribePath(*files.front()) + " is";
  }
  return "all " + std::to_string(files.size()) + " files are";
}

}  // namespace

CheckResult JudgeFileOwner(const HostDocuments& host, FileTarget target,
                           std::string_view group) {
  std::optional<CheckResult> absent;
  const auto files = ExistingFiles(host, target, &absent);
  if (files.empty()) {
    return *absent;
  }

  // Names come from the host's own passwd and group files: the exporter's
  // container may give the same ids other names.
  std::optional<std::uint32_t> expected_gid;
  if (group == "root") {
    expected_gid = 0;
  } else if (host.accounts) {
    const auto found = host.accounts->group_ids.find(group);
    if (found != host.accounts->group_ids.end()) {
      expected_gid = found->second;
    }
  } else {
    return Unknown(host.accounts_error);
  }
  const std::string expected = "root:" + std::string(group);

  std::vector<std::string> failures;
  for (const HostFileStat* file : files) {
    if (file->uid == 0 && expected_gid && file->gid == *expected_gid) {
      continue;
    }
    const std::string user = host.accounts
                                 ? NameOf(host.accounts->user_names, file->uid)
                                 : std::to_string(file->uid);
    const std::string owner_group =
        host.accounts ? NameOf(host.accounts->group_names, file->gid)
                      : std::to_string(file->gid);
    failures.push_back(DescribePath(*file) + " is owned by " + user + ":" +
                       owner_group);
  }
  if (!failures.empty()) {
    std::string reason = JoinNames(failures) + ", expected " + expected;
    if (!expected_gid) {
      reason += " (the host has no group " + std::string(group) + ")";
    }
    return {Outcome::kFail, reason};
  }
  if (absent) {
    return *absent;
  }
  return {Outcome::kPass, Subject(files) + " owned by " + expected};
}

CheckResult JudgeFileMode(const HostDocuments& host, FileTarget target,
                          std::uint32_t allowed) {
  std::optional<CheckResult> absent;
  const auto files = ExistingFiles(host, target, &absent);
  if (files.empty()) {
    return *absent;
  }

  // "Or stricter": no bit outside the allowed mode may be set, so 0600
  // passes a 0644 rule.
  std::vector<std::string> failures;
  for (const HostFileStat* file : files) {
    if ((file->mode & ~allowed & 07777U) != 0) {
      failures.push_back(DescribePath(*file) + " is mode " +
                         FormatMode(file->mode));
    }
  }
  const std::string expected = FormatMode(allowed) + " or stricter";
  if (!failures.empty()) {
    return {Outcome::kFail, JoinNames(failures) + ", expected " + expected};
  }
  if (absent) {
    return *absent;
  }
  return {Outcome::kPass, Subject(files) + " mode " + expected};
}

}  // namespace dce
