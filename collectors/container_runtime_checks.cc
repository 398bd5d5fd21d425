// Container checks on what runs in a container: an sshd process, the
// health check, and whether the image's tag still names the image it runs.

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

using nlohmann::json;

// Whether `Config.Healthcheck.Test` is ["NONE"], which disables the health
// check that the image defines.
bool IsHealthcheckDisabled(const json& document) {
  const json* test = FindPath(document, "Config.Healthcheck.Test");
  return test != nullptr && test->is_array() && !test->empty() &&
         test->front() == "NONE";
}

// Judges `Config.Healthcheck` of a container or image document. `prefix`
// names the document in reasons ("" for the container, "image " for the
// image). After the engine merges the image's settings into a container's,
// an absent health check or an empty `Test` means that none runs.
CheckResult JudgeHealthcheckConfig(const json& document,
                                   const std::string& prefix) {
  const auto config = FindTyped(document, "Config", FieldType::kObject, prefix);
  if (!config) {
    return Unknown(config.error());
  }

  const auto healthcheck = config.value()->find("Healthcheck");
  if (healthcheck == config.value()->end()) {
    return {Outcome::kFail, prefix + "Config.Healthcheck is missing"};
  }
  if (healthcheck->is_null()) {
    return {Outcome::kFail, prefix + "Config.Healthcheck is null"};
  }
  if (!healthcheck->is_object()) {
    return {Outcome::kUnknown, TypeMismatch(prefix + "Config.Healthcheck",
                                            *healthcheck, FieldType::kObject)};
  }

  const std::string test_name = prefix + "Config.Healthcheck.Test";
  const auto test = healthcheck->find("Test");
  if (test == healthcheck->end()) {
    return {Outcome::kFail, test_name + " is missing"};
  }
  if (test->is_null() || (test->is_array() && test->empty())) {
    return {Outcome::kFail, test_name + " is " + test->dump()};
  }
  if (!test->is_array()) {
    return {Outcome::kUnknown,
            TypeMismatch(test_name, *test, FieldType::kArray)};
  }

  const json& kind = test->front();
  if (!kind.is_string()) {
    return {Outcome::kUnknown,
            TypeMismatch(test_name + "[0]", kind, FieldType::kString)};
  }
  const std::string& kind_name = kind.get_ref<const std::string&>();
  if (IsHealthcheckDisabled(document)) {
    return {Outcome::kFail, test_name + " is " + test->dump()};
  }
  if (kind_name == "CMD" || kind_name == "CMD-SHELL") {
    return {Outcome::kPass, test_name + " starts with " + kind_name};
  }
  return {Outcome::kUnknown, test_name + " starts with " + kind_name +
                                 ", expected CMD, CMD-SHELL or NONE"};
}

// Whether a process command line runs sshd: the base name of its first word
// is `sshd`. sshd rewrites its process title to forms such as
// "sshd: root@pts/0", so a trailing colon is ignored.
bool IsSshdCommand(std::string_view command) {
  constexpr std::string_view kBlanks = " \t";
  const auto start = command.find_first_not_of(kBlanks);
  if (start == std::string_view::npos) {
    return false;
  }
  command.remove_prefix(start);

  std::string_view program =
      BaseName(command.substr(0, command.find_first_of(kBlanks)));
  if (program.ends_with(':')) {
    program.remove_suffix(1);
  }
  return program == "sshd";
}

// Returns an image id without its "sha256:" prefix, because engines differ
// in whether they write it.
std::string_view WithoutDigestAlgorithm(std::string_view id) {
  constexpr std::string_view kAlgorithm = "sha256:";
  if (id.starts_with(kAlgorithm)) {
    id.remove_prefix(kAlgorithm.size());
  }
  return id;
}

// Returns the 12-digit id that `docker ps` shows.
std::string ShortImageId(std::string_view id) {
  return std::string(WithoutDigestAlgorithm(id).substr(0, 12));
}

// Whether `Config.Image` names the image by id, such as "sha256:4f2a…" or
// an id prefix such as "4f2a9c1d", rather than by a tag.
bool IsImageIdReference(std::string_view reference, std::string_view image_id) {
  if (reference.starts_with("sha256:")) {
    return true;
  }
  return !reference.empty() &&
         WithoutDigestAlgorithm(image_id).starts_with(reference);
}

}  // namespace

CheckResult CheckSshdRunning(const ContainerContext& context) {
  const auto state = ReadRunningState(context.inspect);
  if (!state) {
    return Unknown(state.error());
  }
  if (!state.value().running) {
    return {Outcome::kNotApplicable, state.value().evidence};
  }
  if (context.top == nullptr) {
    return {Outcome::kUnknown,
            "the process list (GET /containers/{id}/top) was not fetched"};
  }

  // Docker's ps output names the column CMD, Podman's COMMAND.
  const auto titles =
      FindTyped(*context.top, "Titles", FieldType::kArray, "top ");
  if (!titles) {
    return Unknown(titles.error());
  }
  const auto& title_list = *titles.value();
  const auto column = std::find_if(
      title_list.begin(), title_list.end(),
      [](const json& title) { return title == "CMD" || title == "COMMAND"; });
  if (column == title_list.end()) {
    return {Outcome::kUnknown, "top Titles has no CMD or COMMAND column"};
  }
  const auto index =
      static_cast<std::size_t>(std::distance(title_list.begin(), column));

  const auto processes =
      FindTyped(*context.top, "Processes", FieldType::kArray, "top ");
  if (!processes) {
    return Unknown(processes.error());
  }

  ItemVerdicts verdicts;
  for (std::size_t i = 0; i < processes.value()->size(); ++i) {
    const json& row = (*processes.value())[i];
    if (!row.is_array() || index >= row.size() || !row[index].is_string()) {
      verdicts.AddUnknown("top Processes[" + std::to_string(i) +
                          "] has no command string in column " +
                          std::to_string(index));
      continue;
    }
    const std::string& command = row[index].get_ref<const std::string&>();
    if (IsSshdCommand(command)) {
      verdicts.AddFailure("process \"" + command + "\" is sshd");
    }
  }

  if (auto verdict = verdicts.Verdict()) {
    return *verdict;
  }
  return {Outcome::kPass, "no sshd process runs"};
}

CheckResult CheckHealthChecked(const ContainerContext& context) {
  const auto state = ReadRunningState(context.inspect);
  if (!state) {
    return Unknown(state.error());
  }
  if (!state.value().running) {
    return {Outcome::kNotApplicable, state.value().evidence};
  }

  CheckResult configured = JudgeHealthcheckConfig(context.inspect, "");
  if (configured.outcome == Outcome::kPass) {
    return configured;
  }

  // An explicit NONE fails even when a status is reported, because some
  // Podman versions report one for a disabled check.
  if (IsHealthcheckDisabled(context.inspect)) {
    return configured;
  }

  // Docker reports `State.Health` only while a health check runs. Podman 4
  // reports an empty status for a container without one.
  const auto health_status =
      ReadStringOrError(context.inspect, "State.Health.Status");
  if (health_status && !health_status.value().empty() &&
      health_status.value() != "none") {
    return {Outcome::kPass, "State.Health.Status is " + health_status.value()};
  }
  return configured;
}

CheckResult CheckImageCurrent(const ContainerContext& context) {
  const auto image_id = ReadStringOrError(context.inspect, "Image");
  if (!image_id) {
    return Unknown(image_id.error());
  }
  const auto reference = ReadStringOrError(context.inspect, "Config.Image");
  if (!reference) {
    return Unknown(reference.error());
  }
  if (reference.value().empty()) {
    return {Outcome::kUnknown, "Config.Image is empty"};
  }

  // A container created from an image id has no tag that could move on.
  if (IsImageIdReference(reference.value(), image_id.value())) {
    return {Outcome::kNotApplicable,
            "Config.Image " + reference.value() + " is an image id"};
  }

  if (context.image_by_tag == nullptr) {
    return {Outcome::kUnknown, "the tag " + reference.value() +
                                   " no longer exists or was not fetched"};
  }
  const auto tag_image_id = ReadStringOrError(
      *context.image_by_tag, "Id", "image " + reference.value() + " ");
  if (!tag_image_id) {
    return Unknown(tag_image_id.error());
  }

  if (WithoutDigestAlgorithm(tag_image_id.value()) !=
      WithoutDigestAlgorithm(image_id.value())) {
    return {Outcome::kFail, "the tag " + reference.value() + " now names " +
                                ShortImageId(tag_image_id.value()) +
                                ", the container runs " +
                                ShortImageId(image_id.value())};
  }
  return {Outcome::kPass, "the tag " + reference.value() + " still names " +
                              ShortImageId(image_id.value())};
}

CheckResult CheckHealthcheckDefined(const ContainerContext& context) {
  if (context.image == nullptr) {
    return {Outcome::kUnknown,
            "the image document (GET /images/{id}/json) was not fetched"};
  }
  return JudgeHealthcheckConfig(*context.image, "image ");
}

}  // namespace dce
