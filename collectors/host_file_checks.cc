// Host checks on the owners and modes of the engine's files (CIS 3.1 to
// 3.24).

#include <functional>
#include <optional>
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

// A rule that every file of a target must follow.
struct FileRule {
  /// The expected owner or mode, such as "root:root" or "0644 or
  /// stricter".
  std::string expected;
  /// The words between the subject and `expected` in a passing reason.
  std::string pass_verb;
  /// Returns why `file` breaks the rule, or nullopt when it follows it.
  std::function<std::optional<std::string>(const HostFileStat& file)> failure;
  /// Appended to a failing reason.
  std::string failure_note;
  /// The result when the rule itself cannot be known, such as an owner
  /// group without the host's group file. It applies only when a file
  /// exists.
  std::optional<CheckResult> unknown;
};

// Judges the existing files of `target` against `rule`. A failing file
// fails the check even when another file could not be looked at, but such
// a file keeps the others from passing.
CheckResult JudgeFiles(const HostDocuments& host, FileTarget target,
                       const FileRule& rule) {
  std::optional<CheckResult> absent;
  const auto files = ExistingFiles(host, target, &absent);
  if (files.empty()) {
    return *absent;
  }
  if (rule.unknown) {
    return *rule.unknown;
  }

  std::vector<std::string> failures;
  for (const HostFileStat* file : files) {
    auto failure = rule.failure(*file);
    if (failure) {
      failures.push_back(std::move(*failure));
    }
  }
  if (!failures.empty()) {
    return {Outcome::kFail, JoinNames(failures) + ", expected " +
                                rule.expected + rule.failure_note};
  }
  if (absent) {
    return *absent;
  }
  return {Outcome::kPass,
          Subject(files) + " " + rule.pass_verb + " " + rule.expected};
}

}  // namespace

CheckResult JudgeFileOwner(const HostDocuments& host, FileTarget target,
                           std::string_view group) {
  FileRule rule;
  rule.expected = "root:" + std::string(group);
  rule.pass_verb = "owned by";

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
    rule.unknown = Unknown(host.accounts_error);
  }
  if (!expected_gid) {
    rule.failure_note = " (the host has no group " + std::string(group) + ")";
  }

  rule.failure = [&host, expected_gid](
                     const HostFileStat& file) -> std::optional<std::string> {
    if (file.uid == 0 && expected_gid && file.gid == *expected_gid) {
      return std::nullopt;
    }
    const std::string user = host.accounts
                                 ? NameOf(host.accounts->user_names, file.uid)
                                 : std::to_string(file.uid);
    const std::string owner_group =
        host.accounts ? NameOf(host.accounts->group_names, file.gid)
                      : std::to_string(file.gid);
    return DescribePath(file) + " is owned by " + user + ":" + owner_group;
  };
  return JudgeFiles(host, target, rule);
}

CheckResult JudgeFileMode(const HostDocuments& host, FileTarget target,
                          std::uint32_t allowed) {
  FileRule rule;
  rule.expected = FormatMode(allowed) + " or stricter";
  rule.pass_verb = "mode";
  // "Or stricter": no bit outside the allowed mode may be set, so 0600
  // passes a 0644 rule.
  rule.failure =
      [allowed](const HostFileStat& file) -> std::optional<std::string> {
    if ((file.mode & ~allowed & 07777U) == 0) {
      return std::nullopt;
    }
    return DescribePath(file) + " is mode " + FormatMode(file.mode);
  };
  return JudgeFiles(host, target, rule);
}

}  // namespace dce
