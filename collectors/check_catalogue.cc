#include "collectors/check_catalogue.h"

#include <array>

#include "collectors/container_checks.h"
#include "collectors/engine_checks.h"

namespace dce {
namespace {

CheckResult CheckRootfsReadonlyInContext(const ContainerContext& context) {
  return CheckRootfsReadonly(context.inspect);
}

constexpr std::string_view kAutomated = "automated";
constexpr std::string_view kManual = "manual";

// NOTE: titles, levels and assessments are transcribed from the CIS Docker
// Benchmark v1.6.0 and not yet compared line by line with the published
// document.
constexpr std::array kContainerChecks = {
    ContainerCheck{{"non_root_user", "4.1",
                    "Ensure that a user for the container has been created", 1,
                    kAutomated},
                   &CheckNonRootUser},
    ContainerCheck{{"healthcheck_defined", "4.6",
                    "Ensure that HEALTHCHECK instructions have been added to "
                    "container images",
                    1, kAutomated},
                   &CheckHealthcheckDefined},
    ContainerCheck{{"apparmor_profile", "5.2",
                    "Ensure that, if applicable, an AppArmor Profile is "
                    "enabled",
                    1, kAutomated},
                   &CheckApparmorProfile},
    ContainerCheck{{"selinux_options", "5.3",
                    "Ensure that, if applicable, SELinux security options are "
                    "set",
                    2, kAutomated},
                   &CheckSelinuxOptions},
    ContainerCheck{{"capabilities_restricted", "5.4",
                    "Ensure that Linux kernel capabilities are restricted "
                    "within containers",
                    1, kAutomated},
                   &CheckCapabilitiesRestricted},
    ContainerCheck{
        {"privileged", "5.5", "Ensure that privileged containers are not used",
         1, kAutomated},
        &CheckPrivileged},
    ContainerCheck{{"sensitive_mounts", "5.6",
                    "Ensure sensitive host system directories are not mounted "
                    "on containers",
                    1, kAutomated},
                   &CheckSensitiveMounts},
    ContainerCheck{{"sshd_running", "5.7",
                    "Ensure sshd is not run within containers", 1, kAutomated},
                   &CheckSshdRunning},
    ContainerCheck{{"privileged_ports", "5.8",
                    "Ensure privileged ports are not mapped within containers",
                    1, kAutomated},
                   &CheckPrivilegedPorts},
    ContainerCheck{{"host_network", "5.10",
                    "Ensure that the host's network namespace is not shared", 1,
                    kAutomated},
                   &CheckHostNetwork},
    ContainerCheck{{"memory_limited", "5.11",
                    "Ensure that the memory usage for containers is limited", 1,
                    kAutomated},
                   &CheckMemoryLimited},
    ContainerCheck{{"cpu_limited", "5.12",
                    "Ensure that CPU priority is set appropriately on "
                    "containers",
                    1, kAutomated},
                   &CheckCpuLimited},
    ContainerCheck{{"rootfs_readonly", "5.13",
                    "Ensure that the container's root filesystem is mounted as "
                    "read only",
                    1, kAutomated},
                   &CheckRootfsReadonlyInContext},
    ContainerCheck{{"ports_bound_to_interface", "5.14",
                    "Ensure that incoming container traffic is bound to a "
                    "specific host interface",
                    1, kAutomated},
                   &CheckPortsBoundToInterface},
    ContainerCheck{{"restart_policy", "5.15",
                    "Ensure that the 'on-failure' container restart policy is "
                    "set to '5'",
                    1, kAutomated},
                   &CheckRestartPolicy},
    ContainerCheck{{"host_pid", "5.16",
                    "Ensure that the host's process namespace is not shared", 1,
                    kAutomated},
                   &CheckHostPid},
    ContainerCheck{
        {"host_ipc", "5.17",
         "Ensure that the host's IPC namespace is not shared", 1, kAutomated},
        &CheckHostIpc},
    ContainerCheck{{"host_devices", "5.18",
                    "Ensure that host devices are not directly exposed to "
                    "containers",
                    1, kManual},
                   &CheckHostDevices},
    ContainerCheck{
        {"mount_propagation", "5.20",
         "Ensure mount propagation mode is not set to shared", 1, kAutomated},
        &CheckMountPropagation},
    ContainerCheck{
        {"host_uts", "5.21",
         "Ensure that the host's UTS namespace is not shared", 1, kAutomated},
        &CheckHostUts},
    ContainerCheck{
        {"seccomp_enabled", "5.22",
         "Ensure the default seccomp profile is not Disabled", 1, kAutomated},
        &CheckSeccompEnabled},
    ContainerCheck{{"exec_privileged", "5.23",
                    "Ensure that docker exec commands are not used with the "
                    "privileged option",
                    2, kAutomated},
                   &CheckExecPrivileged},
    ContainerCheck{{"exec_as_root", "5.24",
                    "Ensure that docker exec commands are not used with the "
                    "user=root option",
                    2, kManual},
                   &CheckExecAsRoot},
    ContainerCheck{{"cgroup_parent", "5.25",
                    "Ensure that cgroup usage is confirmed", 1, kAutomated},
                   &CheckCgroupParent},
    ContainerCheck{{"no_new_privileges", "5.26",
                    "Ensure that the container is restricted from acquiring "
                    "additional privileges",
                    1, kAutomated},
                   &CheckNoNewPrivileges},
    ContainerCheck{
        {"health_checked", "5.27",
         "Ensure that container health is checked at runtime", 1, kAutomated},
        &CheckHealthChecked},
    ContainerCheck{{"image_current", "5.28",
                    "Ensure that Docker commands always make use of the latest "
                    "version of their image",
                    1, kManual},
                   &CheckImageCurrent},
    ContainerCheck{{"pids_limited", "5.29",
                    "Ensure that the PIDs cgroup limit is used", 1, kAutomated},
                   &CheckPidsLimited},
    ContainerCheck{{"default_bridge", "5.30",
                    "Ensure that Docker's default bridge \"docker0\" is not "
                    "used",
                    2, kManual},
                   &CheckDefaultBridge},
    ContainerCheck{{"host_userns", "5.31",
                    "Ensure that the host's user namespaces are not shared", 1,
                    kAutomated},
                   &CheckHostUserns},
    ContainerCheck{{"docker_socket_mounted", "5.32",
                    "Ensure that the Docker socket is not mounted inside any "
                    "containers",
                    1, kAutomated},
                   &CheckDockerSocketMounted},
};

constexpr std::array kEngineChecks = {
    EngineCheck{
        {"rootless", "2.1",
         "Run the Docker daemon as a non-root user, if possible", 1, kManual},
        &CheckRootless},
    EngineCheck{{"icc_disabled", "2.2",
                 "Ensure network traffic is restricted between containers on "
                 "the default bridge",
                 1, kAutomated},
                &CheckIccDisabled},
    EngineCheck{{"insecure_registries", "2.5",
                 "Ensure insecure registries are not used", 1, kAutomated},
                &CheckInsecureRegistries},
    EngineCheck{{"aufs", "2.6", "Ensure aufs storage driver is not used", 1,
                 kAutomated},
                &CheckAufs},
    EngineCheck{
        {"userns_remap", "2.9", "Enable user namespace support", 2, kAutomated},
        &CheckUsernsRemap},
    EngineCheck{{"authz_plugin", "2.12",
                 "Ensure that authorization for Docker client commands is "
                 "enabled",
                 2, kAutomated},
                &CheckAuthzPlugin},
    EngineCheck{
        {"remote_logging", "2.13",
         "Ensure centralized and remote logging is configured", 2, kAutomated},
        &CheckRemoteLogging},
    EngineCheck{{"live_restore", "2.15", "Ensure live restore is enabled", 1,
                 kAutomated},
                &CheckLiveRestore},
    EngineCheck{{"experimental", "2.18",
                 "Ensure that experimental features are not implemented in "
                 "production",
                 1, kAutomated},
                &CheckExperimental},
    EngineCheck{
        {"swarm_disabled", "5.1",
         "Ensure swarm mode is not Enabled, if not needed", 1, kAutomated},
        &CheckSwarmDisabled},
    EngineCheck{{"overlay_encrypted", "7.3",
                 "Ensure that all Docker swarm overlay networks are encrypted",
                 1, kAutomated},
                &CheckOverlayEncrypted},
    EngineCheck{
        {"autolock", "7.5",
         "Ensure that swarm manager is run in auto-lock mode", 1, kAutomated},
        &CheckAutolock},
    EngineCheck{{"node_cert_expiry", "7.7",
                 "Ensure that node certificates are rotated as appropriate", 1,
                 kManual},
                &CheckNodeCertExpiry},
};

}  // namespace

std::span<const ContainerCheck> ContainerChecks() { return kContainerChecks; }

std::span<const EngineCheck> EngineChecks() { return kEngineChecks; }

}  // namespace dce
