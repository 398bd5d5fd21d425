// Container checks on resource limits and restarts: memory, CPU, PIDs,
// the cgroup parent and the restart policy.

#include <cstdint>
#include <string>
#include <string_view>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

using nlohmann::json;

// The maximum restart count that CIS Docker Benchmark 5.15 allows.
constexpr std::int64_t kMaxRestartAttempts = 5;

// Judges a restart limit in which 0 means unlimited. `policy` describes
// the policy, as in "HostConfig.RestartPolicy is on-failure", and
// `count_name` names the limit field.
CheckResult JudgeRestartLimit(const std::string& policy,
                              std::string_view count_name,
                              std::int64_t attempts) {
  const std::string limit = policy + " with " + std::string(count_name) + " " +
                            std::to_string(attempts);
  if (attempts < 0) {
    return {Outcome::kUnknown, limit + ", expected 0 or more"};
  }
  if (attempts == 0) {
    return {Outcome::kFail, limit + ", which is unlimited"};
  }
  if (attempts > kMaxRestartAttempts) {
    return {Outcome::kFail,
            limit + ", more than " + std::to_string(kMaxRestartAttempts)};
  }
  return {Outcome::kPass, limit};
}

// Judges a swarm task by its service's restart policy, because swarm, not
// the container's own policy, restarts the task.
CheckResult JudgeServiceRestartPolicy(const ContainerContext& context) {
  if (context.service == nullptr) {
    return {Outcome::kUnknown,
            "the container is a swarm task and its service document is not "
            "available"};
  }

  // Docker leaves the policy out of the spec when the service was created
  // without restart flags, and swarm then restarts on any exit without a
  // limit.
  const auto* restart_policy =
      FindPath(*context.service, "Spec.TaskTemplate.RestartPolicy");
  const auto* task_template = FindPath(*context.service, "Spec.TaskTemplate");
  if (task_template != nullptr && task_template->is_object() &&
      (restart_policy == nullptr || restart_policy->is_null())) {
    return {Outcome::kFail,
            "service: Spec.TaskTemplate.RestartPolicy is not set, so swarm "
            "restarts the task on any exit without a limit"};
  }

  constexpr std::string_view kSource = "service";
  // Condition is left out when it is empty, and swarm then uses `any`.
  std::string condition_text = "any";
  if (restart_policy == nullptr || !restart_policy->is_object() ||
      restart_policy->contains("Condition")) {
    const auto condition = ReadString(
        *context.service, "Spec.TaskTemplate.RestartPolicy.Condition", kSource);
    if (!condition.value) {
      return condition.unknown;
    }
    condition_text = *condition.value;
  }
  const std::string policy =
      "service: Spec.TaskTemplate.RestartPolicy is " + Show(condition_text);
  if (condition_text == "none") {
    return {Outcome::kPass, policy};
  }
  if (condition_text != "on-failure" && condition_text != "any") {
    return {Outcome::kUnknown, policy + ", not a known condition"};
  }

  // MaxAttempts is left out when it is 0, which means no limit.
  if (restart_policy != nullptr && restart_policy->is_object() &&
      !restart_policy->contains("MaxAttempts")) {
    return JudgeRestartLimit(policy, "MaxAttempts", 0);
  }
  const auto attempts = ReadInteger(
      *context.service, "Spec.TaskTemplate.RestartPolicy.MaxAttempts", kSource);
  if (!attempts.value) {
    return attempts.unknown;
  }
  return JudgeRestartLimit(policy, "MaxAttempts", *attempts.value);
}

CheckResult JudgeContainerRestartPolicy(const json& inspect) {
  const auto name = ReadString(inspect, "HostConfig.RestartPolicy.Name");
  if (!name.value) {
    return name.unknown;
  }
  const std::string policy = "HostConfig.RestartPolicy is " + Show(*name.value);

  // moby's RestartPolicy.IsNone reads an empty name as `no`.
  if (name.value->empty() || *name.value == "no") {
    return {Outcome::kPass, policy};
  }
  if (*name.value == "always" || *name.value == "unless-stopped") {
    return {Outcome::kFail, policy};
  }
  if (*name.value != "on-failure") {
    return {Outcome::kUnknown, policy + ", not a known policy"};
  }

  const auto count =
      ReadInteger(inspect, "HostConfig.RestartPolicy.MaximumRetryCount");
  if (!count.value) {
    return count.unknown;
  }
  return JudgeRestartLimit(policy, "MaximumRetryCount", *count.value);
}

}  // namespace

CheckResult CheckMemoryLimited(const ContainerContext& context) {
  const auto memory = ReadInteger(context.inspect, "HostConfig.Memory");
  if (!memory.value) {
    return memory.unknown;
  }
  const std::string reason =
      "HostConfig.Memory is " + std::to_string(*memory.value);
  if (*memory.value == 0) {
    return {Outcome::kFail, reason + ", no memory limit"};
  }
  if (*memory.value < 0) {
    return {Outcome::kUnknown, reason + ", expected 0 or a byte count"};
  }
  return {Outcome::kPass, reason};
}

CheckResult CheckCpuLimited(const ContainerContext& context) {
  const auto shares = ReadInteger(context.inspect, "HostConfig.CpuShares");
  const auto nano_cpus = ReadInteger(context.inspect, "HostConfig.NanoCpus");
  const auto quota = ReadInteger(context.inspect, "HostConfig.CpuQuota");

  // Shares of 0 mean unset and 1024 is the default weight, so neither limits
  // CPU. A negative value cannot limit it either.
  if (shares.value && *shares.value > 0 && *shares.value != 1024) {
    return {Outcome::kPass,
            "HostConfig.CpuShares is " + std::to_string(*shares.value)};
  }
  if (nano_cpus.value && *nano_cpus.value > 0) {
    return {Outcome::kPass,
            "HostConfig.NanoCpus is " + std::to_string(*nano_cpus.value)};
  }
  if (quota.value && *quota.value > 0) {
    return {Outcome::kPass,
            "HostConfig.CpuQuota is " + std::to_string(*quota.value)};
  }

  // A field that could not be read may hold the limit, so failing needs
  // all three.
  for (const auto* field : {&shares, &nano_cpus, &quota}) {
    if (!field->value) {
      return field->unknown;
    }
  }
  return {Outcome::kFail, "no CPU limit: HostConfig.CpuShares is " +
                              std::to_string(*shares.value) + ", NanoCpus is " +
                              std::to_string(*nano_cpus.value) +
                              " and CpuQuota is " +
                              std::to_string(*quota.value)};
}

CheckResult CheckRestartPolicy(const ContainerContext& context) {
  constexpr std::string_view kSwarmServiceLabel = "com.docker.swarm.service.id";

  // Labels decide which policy applies, so they must be readable. Go writes
  // a container without labels as null.
  CheckResult unknown;
  const json* labels =
      FindMember(context.inspect, "Config.Labels", {}, &unknown);
  if (labels == nullptr) {
    return unknown;
  }
  if (!labels->is_null() && !labels->is_object()) {
    return WrongType({}, "Config.Labels", *labels, "an object");
  }

  if (labels->is_object() && labels->contains(kSwarmServiceLabel)) {
    return JudgeServiceRestartPolicy(context);
  }
  return JudgeContainerRestartPolicy(context.inspect);
}

CheckResult CheckCgroupParent(const ContainerContext& context) {
  const auto parent = ReadString(context.inspect, "HostConfig.CgroupParent");
  if (!parent.value) {
    return parent.unknown;
  }
  const std::string reason =
      "HostConfig.CgroupParent is " + Show(*parent.value);
  if (!parent.value->empty()) {
    return {Outcome::kFail, reason + ", not the default"};
  }
  return {Outcome::kPass, reason};
}

CheckResult CheckPidsLimited(const ContainerContext& context) {
  // The engine writes null when no limit was set, so null fails. An absent
  // field is unknown.
  CheckResult unknown;
  const json* limit =
      FindMember(context.inspect, "HostConfig.PidsLimit", {}, &unknown);
  if (limit == nullptr) {
    return unknown;
  }
  if (limit->is_null()) {
    return {Outcome::kFail, "HostConfig.PidsLimit is null, no PID limit"};
  }

  const auto value = ReadInteger(context.inspect, "HostConfig.PidsLimit");
  if (!value.value) {
    return value.unknown;
  }
  const std::string reason =
      "HostConfig.PidsLimit is " + std::to_string(*value.value);

  // The API documents 0 and -1 as unlimited, and no other value below 1 can
  // limit the number of processes either.
  if (*value.value <= 0) {
    return {Outcome::kFail, reason + ", no PID limit"};
  }
  return {Outcome::kPass, reason};
}

}  // namespace dce
