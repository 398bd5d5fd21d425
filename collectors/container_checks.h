#pragma once

#include "collectors/check_context.h"
#include "collectors/checks.h"

namespace dce {

// One function per container check of the CIS Docker Benchmark v1.6.0,
// named after the check's key. Each is pure: it reads the documents in the
// context and returns an outcome with a reason naming the deciding value.

// Configuration and privileges, in container_config_checks.cc.
CheckResult CheckApparmorProfile(const ContainerContext& context);  // 5.2
CheckResult CheckSelinuxOptions(const ContainerContext& context);   // 5.3
CheckResult CheckCapabilitiesRestricted(const ContainerContext& context);
CheckResult CheckPrivileged(const ContainerContext& context);       // 5.5
CheckResult CheckMemoryLimited(const ContainerContext& context);    // 5.11
CheckResult CheckCpuLimited(const ContainerContext& context);       // 5.12
CheckResult CheckRestartPolicy(const ContainerContext& context);    // 5.15
CheckResult CheckSeccompEnabled(const ContainerContext& context);   // 5.22
CheckResult CheckExecPrivileged(const ContainerContext& context);   // 5.23
CheckResult CheckExecAsRoot(const ContainerContext& context);       // 5.24
CheckResult CheckCgroupParent(const ContainerContext& context);     // 5.25
CheckResult CheckNoNewPrivileges(const ContainerContext& context);  // 5.26
CheckResult CheckPidsLimited(const ContainerContext& context);      // 5.29
CheckResult CheckHostUserns(const ContainerContext& context);       // 5.31
CheckResult CheckNonRootUser(const ContainerContext& context);      // 4.1

// Exposure to the host and the network, in container_exposure_checks.cc.
CheckResult CheckSensitiveMounts(const ContainerContext& context);  // 5.6
CheckResult CheckSshdRunning(const ContainerContext& context);      // 5.7
CheckResult CheckPrivilegedPorts(const ContainerContext& context);  // 5.8
CheckResult CheckHostNetwork(const ContainerContext& context);      // 5.10
CheckResult CheckPortsBoundToInterface(const ContainerContext& context);
CheckResult CheckHostPid(const ContainerContext& context);              // 5.16
CheckResult CheckHostIpc(const ContainerContext& context);              // 5.17
CheckResult CheckHostDevices(const ContainerContext& context);          // 5.18
CheckResult CheckMountPropagation(const ContainerContext& context);     // 5.20
CheckResult CheckHostUts(const ContainerContext& context);              // 5.21
CheckResult CheckHealthChecked(const ContainerContext& context);        // 5.27
CheckResult CheckImageCurrent(const ContainerContext& context);         // 5.28
CheckResult CheckDefaultBridge(const ContainerContext& context);        // 5.30
CheckResult CheckDockerSocketMounted(const ContainerContext& context);  // 5.32
CheckResult CheckHealthcheckDefined(const ContainerContext& context);   // 4.6

}  // namespace dce
