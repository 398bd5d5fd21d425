#pragma once

#include "collectors/check_context.h"
#include "collectors/checks.h"

namespace dce {

// One function per container check of the CIS Docker Benchmark v1.6.0,
// named after the check's key. Each is pure: it reads the documents in the
// context and returns an outcome with a reason naming the deciding value.

// Security options, in container_security_options_checks.cc.
CheckResult CheckApparmorProfile(const ContainerContext& context);  // 5.2
CheckResult CheckSelinuxOptions(const ContainerContext& context);   // 5.3
CheckResult CheckSeccompEnabled(const ContainerContext& context);   // 5.22
CheckResult CheckNoNewPrivileges(const ContainerContext& context);  // 5.26

// Privileges and users, in container_privilege_checks.cc.
CheckResult CheckCapabilitiesRestricted(const ContainerContext& context);
CheckResult CheckPrivileged(const ContainerContext& context);      // 5.5
CheckResult CheckExecPrivileged(const ContainerContext& context);  // 5.23
CheckResult CheckExecAsRoot(const ContainerContext& context);      // 5.24
CheckResult CheckHostUserns(const ContainerContext& context);      // 5.31
CheckResult CheckNonRootUser(const ContainerContext& context);     // 4.1

// Resource limits and restarts, in container_resource_checks.cc.
CheckResult CheckMemoryLimited(const ContainerContext& context);  // 5.11
CheckResult CheckCpuLimited(const ContainerContext& context);     // 5.12
CheckResult CheckRestartPolicy(const ContainerContext& context);  // 5.15
CheckResult CheckCgroupParent(const ContainerContext& context);   // 5.25
CheckResult CheckPidsLimited(const ContainerContext& context);    // 5.29

// Mounts and devices, in container_mount_checks.cc.
CheckResult CheckSensitiveMounts(const ContainerContext& context);      // 5.6
CheckResult CheckHostDevices(const ContainerContext& context);          // 5.18
CheckResult CheckMountPropagation(const ContainerContext& context);     // 5.20
CheckResult CheckDockerSocketMounted(const ContainerContext& context);  // 5.32

// Published ports and networks, in container_network_checks.cc.
CheckResult CheckPrivilegedPorts(const ContainerContext& context);  // 5.8
CheckResult CheckPortsBoundToInterface(const ContainerContext& context);
CheckResult CheckDefaultBridge(const ContainerContext& context);  // 5.30

// Host namespaces, in container_namespace_checks.cc.
CheckResult CheckHostNetwork(const ContainerContext& context);  // 5.10
CheckResult CheckHostPid(const ContainerContext& context);      // 5.16
CheckResult CheckHostIpc(const ContainerContext& context);      // 5.17
CheckResult CheckHostUts(const ContainerContext& context);      // 5.21

// Processes, health checks and images, in container_runtime_checks.cc.
CheckResult CheckSshdRunning(const ContainerContext& context);         // 5.7
CheckResult CheckHealthChecked(const ContainerContext& context);       // 5.27
CheckResult CheckImageCurrent(const ContainerContext& context);        // 5.28
CheckResult CheckHealthcheckDefined(const ContainerContext& context);  // 4.6

}  // namespace dce
