#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

using Check = CheckResult (*)(const ContainerContext&);

nlohmann::json Parse(const std::string& text) {
  return nlohmann::json::parse(text);
}

// Runs `check` on an inspect document alone, with the default settings.
CheckResult RunOnInspect(Check check, const std::string& inspect_text) {
  const CheckSettings settings;
  const auto inspect = Parse(inspect_text);
  return check({.inspect = inspect, .settings = settings});
}

// Returns an inspect document whose only mount is a bind mount of `source`.
std::string BindMount(const std::string& source, bool read_write) {
  return R"({"Mounts": [{"Type": "bind", "Source": ")" + source +
         R"(", "Destination": "/mnt/host", "Mode": "", "RW": )" +
         (read_write ? "true" : "false") + R"(, "Propagation": "rprivate"}]})";
}

// ---------------------------------------------------------------------------
// 5.6 sensitive_mounts

TEST(SensitiveMountsCheck, ReadWriteEtcFails) {
  const auto result =
      RunOnInspect(CheckSensitiveMounts, BindMount("/etc", true));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "bind mount of /etc is read-write");
}

TEST(SensitiveMountsCheck, EtcdDataDoesNotMatchEtc) {
  // docker-bench-security matches by substring and flags this mount.
  const auto result =
      RunOnInspect(CheckSensitiveMounts, BindMount("/etcd-data", true));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "no sensitive host path is bind-mounted read-write");
}

TEST(SensitiveMountsCheck, TrailingSlashMatchesEtc) {
  const auto result =
      RunOnInspect(CheckSensitiveMounts, BindMount("/etc/", true));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "bind mount of /etc/ is read-write");
}

TEST(SensitiveMountsCheck, SubdirectoryDoesNotMatch) {
  EXPECT_EQ(RunOnInspect(CheckSensitiveMounts, BindMount("/etc/docker", true))
                .outcome,
            Outcome::kPass);
}

TEST(SensitiveMountsCheck, RootMatchesOnlyRoot) {
  struct Case {
    const char* source;
    Outcome expected;
  };
  const Case cases[] = {
      {"/", Outcome::kFail},          {"//", Outcome::kFail},
      {"/srv", Outcome::kPass},       {"/home/user", Outcome::kPass},
      {"/usr", Outcome::kFail},       {"/usr/local/data", Outcome::kPass},
      {"/proc", Outcome::kFail},      {"/sys/", Outcome::kFail},
      {"/bootstrap", Outcome::kPass},
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(
        RunOnInspect(CheckSensitiveMounts, BindMount(test_case.source, true))
            .outcome,
        test_case.expected)
        << test_case.source;
  }
}

TEST(SensitiveMountsCheck, ReadOnlyBindPasses) {
  EXPECT_EQ(
      RunOnInspect(CheckSensitiveMounts, BindMount("/etc", false)).outcome,
      Outcome::kPass);
}

TEST(SensitiveMountsCheck, VolumeNeverMatches) {
  // Type decides, so a volume whose Source is /etc is skipped.
  const auto result = RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Type": "volume", "Name": "etc", "Source": "/etc", "Destination": "/etc",
       "Driver": "local", "Mode": "z", "RW": true, "Propagation": ""},
      {"Type": "tmpfs", "Source": "", "Destination": "/tmp", "Mode": "",
       "RW": true, "Propagation": ""}]})");
  EXPECT_EQ(result.outcome, Outcome::kPass);
}

TEST(SensitiveMountsCheck, JudgesHostSideNotContainerSide) {
  // The Powerpipe mod matches Destination, so it flags this safe mount and
  // misses a bind of /etc at /config.
  EXPECT_EQ(RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Type": "bind", "Source": "/srv/config", "Destination": "/etc",
       "RW": true, "Propagation": "rprivate"}]})")
                .outcome,
            Outcome::kPass);
  EXPECT_EQ(RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Type": "bind", "Source": "/etc", "Destination": "/config",
       "RW": true, "Propagation": "rprivate"}]})")
                .outcome,
            Outcome::kFail);
}

TEST(SensitiveMountsCheck, ConfiguredPathsReplaceDefaults) {
  CheckSettings settings;
  settings.sensitive_paths = {"/srv/secrets/"};
  const auto secrets = Parse(BindMount("/srv/secrets", true));
  const auto etc = Parse(BindMount("/etc", true));
  EXPECT_EQ(
      CheckSensitiveMounts({.inspect = secrets, .settings = settings}).outcome,
      Outcome::kFail);
  EXPECT_EQ(
      CheckSensitiveMounts({.inspect = etc, .settings = settings}).outcome,
      Outcome::kPass);
}

TEST(SensitiveMountsCheck, SeveralFailuresAreCounted) {
  const auto result = RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Type": "bind", "Source": "/etc", "Destination": "/a", "RW": true},
      {"Type": "bind", "Source": "/sys", "Destination": "/b", "RW": true}]})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "bind mount of /etc is read-write (and 1 more)");
}

TEST(SensitiveMountsCheck, MissingRwIsUnknown) {
  const auto result = RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Type": "bind", "Source": "/etc", "Destination": "/host-etc"}]})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Mounts[0].RW is missing");
}

TEST(SensitiveMountsCheck, TypeNeededOnlyForSensitiveSource) {
  const auto sensitive = RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Source": "/etc", "Destination": "/host-etc", "RW": true}]})");
  EXPECT_EQ(sensitive.outcome, Outcome::kUnknown);
  EXPECT_EQ(sensitive.reason, "Mounts[0].Type is missing");

  const auto other = RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Source": "/srv/data", "Destination": "/data", "RW": true}]})");
  EXPECT_EQ(other.outcome, Outcome::kPass);
}

TEST(SensitiveMountsCheck, FailureOutweighsUnknownEntry) {
  const auto result = RunOnInspect(CheckSensitiveMounts, R"({"Mounts": [
      {"Type": "bind", "Destination": "/x", "RW": true},
      {"Type": "bind", "Source": "/dev", "Destination": "/dev",
       "RW": true}]})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "bind mount of /dev is read-write");
}

TEST(SensitiveMountsCheck, UnreadableMountsAreUnknown) {
  const auto missing = RunOnInspect(CheckSensitiveMounts, R"({"Id": "a"})");
  EXPECT_EQ(missing.outcome, Outcome::kUnknown);
  EXPECT_EQ(missing.reason, "Mounts is missing");

  const auto null = RunOnInspect(CheckSensitiveMounts, R"({"Mounts": null})");
  EXPECT_EQ(null.outcome, Outcome::kUnknown);
  EXPECT_EQ(null.reason, "Mounts is null, expected an array");

  const auto entry =
      RunOnInspect(CheckSensitiveMounts, R"({"Mounts": ["/etc"]})");
  EXPECT_EQ(entry.outcome, Outcome::kUnknown);
  EXPECT_EQ(entry.reason, "Mounts[0] is string, expected an object");

  const auto source = RunOnInspect(
      CheckSensitiveMounts,
      R"({"Mounts": [{"Type": "bind", "Source": 1, "RW": true}]})");
  EXPECT_EQ(source.outcome, Outcome::kUnknown);
  EXPECT_EQ(source.reason, "Mounts[0].Source is number, expected a string");
}

TEST(SensitiveMountsCheck, NoMountsPasses) {
  EXPECT_EQ(RunOnInspect(CheckSensitiveMounts, R"({"Mounts": []})").outcome,
            Outcome::kPass);
}

// ---------------------------------------------------------------------------
// 5.7 sshd_running

constexpr const char* kRunning = R"({"State": {"Status": "running",
                                               "Running": true}})";

// Returns `GET /containers/{id}/top` as Docker's ps -ef fills it, one
// process per command.
std::string DockerTop(const std::vector<std::string>& commands) {
  std::string processes;
  for (const auto& command : commands) {
    if (!processes.empty()) {
      processes += ",";
    }
    processes += R"(["root", "1", "0", "0", "10:00", "?", "00:00:00", ")" +
                 command + R"("])";
  }
  return R"({"Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME",
                        "CMD"], "Processes": [)" +
         processes + "]}";
}

CheckResult RunSshd(const std::string& inspect_text,
                    const std::string* top_text) {
  const CheckSettings settings;
  const auto inspect = Parse(inspect_text);
  const nlohmann::json top = top_text == nullptr ? nullptr : Parse(*top_text);
  return CheckSshdRunning({.inspect = inspect,
                           .top = top_text == nullptr ? nullptr : &top,
                           .settings = settings});
}

TEST(SshdCheck, DaemonCommandFails) {
  const std::string top = DockerTop({"/usr/sbin/sshd -D"});
  const auto result = RunSshd(kRunning, &top);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, R"(process "/usr/sbin/sshd -D" is sshd)");
}

TEST(SshdCheck, RewrittenProcessTitlesFail) {
  // sshd rewrites its process title so that the first word is "sshd:",
  // which counts as sshd.
  for (const char* command :
       {"sshd: root@pts/0", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100",
        "sshd", "  /usr/sbin/sshd\\t-D"}) {
    const std::string top = DockerTop({"nginx: master process", command});
    EXPECT_EQ(RunSshd(kRunning, &top).outcome, Outcome::kFail) << command;
  }
}

TEST(SshdCheck, OtherProgramsPass) {
  // Only the program's base name counts, not its directory or arguments.
  for (const char* command :
       {"/usr/bin/ssh-agent", "ssh user@example.com", "/bin/sh -c echo sshd",
        "/opt/sshd/bin/server", "/usr/sbin/sshd.sh", ""}) {
    const std::string top = DockerTop({command});
    const auto result = RunSshd(kRunning, &top);
    EXPECT_EQ(result.outcome, Outcome::kPass) << command;
    EXPECT_EQ(result.reason, "no sshd process runs") << command;
  }
}

TEST(SshdCheck, PodmanCommandColumnIsRead) {
  const std::string top = R"({"Titles": ["USER", "PID", "PPID", "%CPU",
      "ELAPSED", "TTY", "TIME", "COMMAND"],
      "Processes": [["root", "1", "0", "0.000", "2m3s", "?", "0s",
                     "/usr/sbin/sshd -D"]]})";
  EXPECT_EQ(RunSshd(kRunning, &top).outcome, Outcome::kFail);
}

TEST(SshdCheck, StoppedIsNotApplicable) {
  const auto result = RunSshd(R"({"State": {"Status": "exited",
                                            "Running": false}})",
                              nullptr);
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "State.Running is false");
}

TEST(SshdCheck, StatusReplacesMissingRunningFlag) {
  const auto exited = RunSshd(R"({"State": {"Status": "exited"}})", nullptr);
  EXPECT_EQ(exited.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(exited.reason, "State.Status is exited");

  const std::string top = DockerTop({"/usr/sbin/sshd -D"});
  EXPECT_EQ(RunSshd(R"({"State": {"Status": "running"}})", &top).outcome,
            Outcome::kFail);
}

TEST(SshdCheck, MissingStateIsUnknown) {
  const auto result = RunSshd(R"({"State": {}})", nullptr);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "State.Running and State.Status are missing or invalid");
}

TEST(SshdCheck, TopNotFetchedIsUnknown) {
  const auto result = RunSshd(kRunning, nullptr);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "the process list (GET /containers/{id}/top) was not fetched");
}

TEST(SshdCheck, MissingCommandColumnIsUnknown) {
  // Windows containers list processes without a command line.
  const std::string top = R"({"Titles": ["Name", "PID", "CPU",
      "Private Working Set"], "Processes": [["sshd.exe", "4", "0", "1MB"]]})";
  const auto result = RunSshd(kRunning, &top);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "top Titles has no CMD or COMMAND column");
}

TEST(SshdCheck, MalformedRowIsUnknownUnlessSshdRuns) {
  const std::string short_row = R"({"Titles": ["PID", "CMD"],
      "Processes": [["1"], ["2", "nginx"]]})";
  const auto unknown = RunSshd(kRunning, &short_row);
  EXPECT_EQ(unknown.outcome, Outcome::kUnknown);
  EXPECT_EQ(unknown.reason,
            "top Processes[0] has no command string in column 1");

  const std::string with_sshd = R"({"Titles": ["PID", "CMD"],
      "Processes": [["1"], ["2", "/usr/sbin/sshd -D"]]})";
  EXPECT_EQ(RunSshd(kRunning, &with_sshd).outcome, Outcome::kFail);
}

TEST(SshdCheck, NullProcessesIsUnknown) {
  const std::string top = R"({"Titles": ["PID", "CMD"], "Processes": null})";
  const auto result = RunSshd(kRunning, &top);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "top Processes is null, expected an array");
}

// ---------------------------------------------------------------------------
// 5.8 privileged_ports and 5.14 ports_bound_to_interface

// Returns an inspect document of a stopped container whose only configured
// binding publishes 80/tcp at `host_ip`:`host_port`.
std::string StoppedWithBinding(const std::string& host_ip,
                               const std::string& host_port) {
  return R"({"State": {"Status": "exited", "Running": false},
             "HostConfig": {"NetworkMode": "bridge", "PortBindings":
               {"80/tcp": [{"HostIp": ")" +
         host_ip + R"(", "HostPort": ")" + host_port + R"("}]}},
             "NetworkSettings": {"Ports": {}}})";
}

TEST(PrivilegedPortsCheck, PortBelow1024Fails) {
  const auto result =
      RunOnInspect(CheckPrivilegedPorts, StoppedWithBinding("", "80"));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "80/tcp is published on host port 80");
}

TEST(PrivilegedPortsCheck, HostPortValues) {
  struct Case {
    const char* host_port;
    Outcome expected;
  };
  const Case cases[] = {
      // Empty and 0 ask for an ephemeral port, which is never privileged.
      {"", Outcome::kPass},
      {"0", Outcome::kPass},
      {"1", Outcome::kFail},
      {"1023", Outcome::kFail},
      {"1024", Outcome::kPass},
      {"8080", Outcome::kPass},
      // A range binds its first free port, which may be its start.
      {"1000-1100", Outcome::kFail},
      {"8000-8010", Outcome::kPass},
      {"http", Outcome::kUnknown},
      {"80-", Outcome::kUnknown},
      {"70000", Outcome::kUnknown},
      {"-80", Outcome::kUnknown},
      {" 80", Outcome::kUnknown},
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(RunOnInspect(CheckPrivilegedPorts,
                           StoppedWithBinding("", test_case.host_port))
                  .outcome,
              test_case.expected)
        << '"' << test_case.host_port << '"';
  }
}

TEST(PrivilegedPortsCheck, InvalidHostPortNamesValue) {
  const auto result =
      RunOnInspect(CheckPrivilegedPorts, StoppedWithBinding("", "http"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            R"(HostConfig.PortBindings["80/tcp"][0].HostPort is "http", )"
            "expected a port number or range");
}

TEST(PrivilegedPortsCheck, NumericHostPortIsUnknown) {
  const auto result = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": false},
      "HostConfig": {"NetworkMode": "bridge",
                     "PortBindings": {"80/tcp": [{"HostIp": "",
                                                  "HostPort": 80}]}}})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            R"(HostConfig.PortBindings["80/tcp"][0].HostPort is number, )"
            "expected a string");
}

TEST(PrivilegedPortsCheck, HostNetworkWithPortsIsNotApplicable) {
  const auto result = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": true},
      "HostConfig": {"NetworkMode": "host",
                     "PortBindings": {"80/tcp": [{"HostIp": "",
                                                  "HostPort": "80"}]}},
      "NetworkSettings": {"Ports": {}}})");
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "HostConfig.NetworkMode is host");
}

TEST(PrivilegedPortsCheck, NoPublishedPortsIsNotApplicable) {
  for (const char* document : {
           R"({"State": {"Running": false},
               "HostConfig": {"NetworkMode": "bridge", "PortBindings": {}}})",
           R"({"State": {"Running": false},
               "HostConfig": {"NetworkMode": "bridge", "PortBindings": null}})",
           // An exposed port that is not published has a null list.
           R"({"State": {"Running": true},
               "HostConfig": {"NetworkMode": "bridge", "PortBindings": {}},
               "NetworkSettings": {"Ports": {"80/tcp": null}}})",
           R"({"State": {"Running": true},
               "HostConfig": {"NetworkMode": "bridge", "PortBindings": null},
               "NetworkSettings": {"Ports": null}})",
       }) {
    const auto result = RunOnInspect(CheckPrivilegedPorts, document);
    EXPECT_EQ(result.outcome, Outcome::kNotApplicable) << document;
    EXPECT_EQ(result.reason, "no ports are published") << document;
  }
}

TEST(PrivilegedPortsCheck, LiveBindingOfRunningContainerCounts) {
  // --publish-all leaves PortBindings empty, so only the live map shows the
  // port.
  const auto result = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": true},
      "HostConfig": {"NetworkMode": "bridge", "PortBindings": {},
                     "PublishAllPorts": true},
      "NetworkSettings": {"Ports": {"443/tcp": [
          {"HostIp": "0.0.0.0", "HostPort": "443"},
          {"HostIp": "::", "HostPort": "443"}]}}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "443/tcp is published on host port 443");
}

TEST(PrivilegedPortsCheck, LiveMapOfStoppedContainerIsIgnored) {
  const auto result = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": false},
      "HostConfig": {"NetworkMode": "bridge", "PortBindings": {}},
      "NetworkSettings": {"Ports": {"80/tcp": [
          {"HostIp": "0.0.0.0", "HostPort": "80"}]}}})");
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
}

TEST(PrivilegedPortsCheck, MissingFieldsAreUnknown) {
  const auto network_mode = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": false}, "HostConfig": {"PortBindings": {}}})");
  EXPECT_EQ(network_mode.outcome, Outcome::kUnknown);
  EXPECT_EQ(network_mode.reason, "HostConfig.NetworkMode is missing");

  const auto bindings = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": false}, "HostConfig": {"NetworkMode": "bridge"}})");
  EXPECT_EQ(bindings.outcome, Outcome::kUnknown);
  EXPECT_EQ(bindings.reason, "HostConfig.PortBindings is missing");

  const auto live = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": true},
      "HostConfig": {"NetworkMode": "bridge", "PortBindings": {}},
      "NetworkSettings": {}})");
  EXPECT_EQ(live.outcome, Outcome::kUnknown);
  EXPECT_EQ(live.reason, "NetworkSettings.Ports is missing");

  const auto list = RunOnInspect(CheckPrivilegedPorts, R"({
      "State": {"Running": false},
      "HostConfig": {"NetworkMode": "bridge",
                     "PortBindings": {"80/tcp": "8080"}}})");
  EXPECT_EQ(list.outcome, Outcome::kUnknown);
  EXPECT_EQ(
      list.reason,
      R"(HostConfig.PortBindings["80/tcp"] is string, expected an array)");
}

TEST(PrivilegedPortsCheck, UnknownStateKeepsConfiguredFailure) {
  const auto failing = RunOnInspect(CheckPrivilegedPorts, R"({
      "HostConfig": {"NetworkMode": "bridge",
                     "PortBindings": {"22/tcp": [{"HostIp": "",
                                                  "HostPort": "22"}]}}})");
  EXPECT_EQ(failing.outcome, Outcome::kFail);

  const auto passing = RunOnInspect(CheckPrivilegedPorts, R"({
      "HostConfig": {"NetworkMode": "bridge",
                     "PortBindings": {"22/tcp": [{"HostIp": "",
                                                  "HostPort": "2222"}]}}})");
  EXPECT_EQ(passing.outcome, Outcome::kUnknown);
}

TEST(PortsBoundToInterfaceCheck, HostAddresses) {
  struct Case {
    const char* host_ip;
    Outcome expected;
  };
  const Case cases[] = {
      {"", Outcome::kFail},
      {"0.0.0.0", Outcome::kFail},
      // docker-bench-security misses the IPv6 wildcard.
      {"::", Outcome::kFail},
      {"0:0:0:0:0:0:0:0", Outcome::kFail},
      {"127.0.0.1", Outcome::kPass},
      {"::1", Outcome::kPass},
      {"192.168.1.10", Outcome::kPass},
      {"fd00::10", Outcome::kPass},
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(RunOnInspect(CheckPortsBoundToInterface,
                           StoppedWithBinding(test_case.host_ip, "8080"))
                  .outcome,
              test_case.expected)
        << '"' << test_case.host_ip << '"';
  }
}

TEST(PortsBoundToInterfaceCheck, ReasonsNameTheAddress) {
  const auto empty =
      RunOnInspect(CheckPortsBoundToInterface, StoppedWithBinding("", "8080"));
  EXPECT_EQ(empty.reason,
            "80/tcp is published on every interface (HostIp is empty)");

  const auto ipv6 = RunOnInspect(CheckPortsBoundToInterface,
                                 StoppedWithBinding("::", "8080"));
  EXPECT_EQ(ipv6.reason, "80/tcp is published on the wildcard address ::");

  const auto loopback = RunOnInspect(CheckPortsBoundToInterface,
                                     StoppedWithBinding("127.0.0.1", "8080"));
  EXPECT_EQ(loopback.reason,
            "every published port is bound to a specific host address");
}

TEST(PortsBoundToInterfaceCheck, EachLiveAddressFamilyCounts) {
  const auto both = RunOnInspect(CheckPortsBoundToInterface, R"({
      "State": {"Running": true},
      "HostConfig": {"NetworkMode": "bridge", "PortBindings": {}},
      "NetworkSettings": {"Ports": {"80/tcp": [
          {"HostIp": "0.0.0.0", "HostPort": "32768"},
          {"HostIp": "::", "HostPort": "32768"}]}}})");
  EXPECT_EQ(both.outcome, Outcome::kFail);
  EXPECT_EQ(both.reason,
            "80/tcp is published on the wildcard address 0.0.0.0 (and 1 more)");

  const auto ipv6_only = RunOnInspect(CheckPortsBoundToInterface, R"({
      "State": {"Running": true},
      "HostConfig": {"NetworkMode": "bridge", "PortBindings": {}},
      "NetworkSettings": {"Ports": {"80/tcp": [
          {"HostIp": "127.0.0.1", "HostPort": "8080"},
          {"HostIp": "::", "HostPort": "8080"}]}}})");
  EXPECT_EQ(ipv6_only.outcome, Outcome::kFail);
  EXPECT_EQ(ipv6_only.reason, "80/tcp is published on the wildcard address ::");
}

TEST(PortsBoundToInterfaceCheck, NoPublishedPortsIsNotApplicable) {
  const auto result = RunOnInspect(CheckPortsBoundToInterface, R"({
      "State": {"Running": true},
      "HostConfig": {"NetworkMode": "bridge", "PortBindings": null},
      "NetworkSettings": {"Ports": {"80/tcp": null}}})");
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "no ports are published");
}

TEST(PortsBoundToInterfaceCheck, HostNetworkBindingsAreStillJudged) {
  // CIS makes no exception for host network mode here, unlike for
  // privileged ports.
  const auto result = RunOnInspect(CheckPortsBoundToInterface, R"({
      "State": {"Running": false},
      "HostConfig": {"NetworkMode": "host",
                     "PortBindings": {"80/tcp": [{"HostIp": "",
                                                  "HostPort": "80"}]}}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

TEST(PortsBoundToInterfaceCheck, MissingHostIpIsUnknown) {
  const auto result = RunOnInspect(CheckPortsBoundToInterface, R"({
      "State": {"Running": false},
      "HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": "8080"}]}}})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            R"(HostConfig.PortBindings["80/tcp"][0].HostIp is missing)");
}

TEST(PortsBoundToInterfaceCheck, BindingNotObjectIsUnknown) {
  const auto result = RunOnInspect(CheckPortsBoundToInterface, R"({
      "State": {"Running": false},
      "HostConfig": {"PortBindings": {"80/tcp": ["0.0.0.0:8080"]}}})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(
      result.reason,
      R"(HostConfig.PortBindings["80/tcp"][0] is string, expected an object)");
}

// ---------------------------------------------------------------------------
// 5.10 host_network, 5.16 host_pid, 5.17 host_ipc, 5.21 host_uts

struct NamespaceCheck {
  const char* field;
  Check check;
};

constexpr NamespaceCheck kNamespaceChecks[] = {
    {"NetworkMode", CheckHostNetwork},
    {"PidMode", CheckHostPid},
    {"IpcMode", CheckHostIpc},
    {"UTSMode", CheckHostUts},
};

std::string WithHostConfigField(const std::string& field,
                                const std::string& value_json) {
  return R"({"HostConfig": {")" + field + R"(": )" + value_json + "}}";
}

TEST(HostNamespaceChecks, HostModeFails) {
  for (const auto& namespace_check : kNamespaceChecks) {
    const auto result =
        RunOnInspect(namespace_check.check,
                     WithHostConfigField(namespace_check.field, R"("host")"));
    EXPECT_EQ(result.outcome, Outcome::kFail) << namespace_check.field;
    EXPECT_EQ(result.reason,
              std::string("HostConfig.") + namespace_check.field + " is host");
  }
}

TEST(HostNamespaceChecks, OtherModesPass) {
  for (const auto& namespace_check : kNamespaceChecks) {
    for (const char* mode :
         {R"("")", R"("private")", R"("default")", R"("bridge")",
          R"("shareable")", R"("container:4f2a9c")", R"("Host")"}) {
      EXPECT_EQ(RunOnInspect(namespace_check.check,
                             WithHostConfigField(namespace_check.field, mode))
                    .outcome,
                Outcome::kPass)
          << namespace_check.field << " " << mode;
    }
  }
}

TEST(HostNamespaceChecks, EmptyModeIsNamed) {
  const auto result =
      RunOnInspect(CheckHostPid, WithHostConfigField("PidMode", R"("")"));
  EXPECT_EQ(result.reason, "HostConfig.PidMode is empty");
}

TEST(HostNamespaceChecks, MissingOrWrongTypeIsUnknown) {
  for (const auto& namespace_check : kNamespaceChecks) {
    const auto missing =
        RunOnInspect(namespace_check.check, R"({"HostConfig": {}})");
    EXPECT_EQ(missing.outcome, Outcome::kUnknown) << namespace_check.field;
    EXPECT_EQ(missing.reason, std::string("HostConfig.") +
                                  namespace_check.field + " is missing");

    for (const char* value : {"null", "true", R"(["host"])"}) {
      EXPECT_EQ(RunOnInspect(namespace_check.check,
                             WithHostConfigField(namespace_check.field, value))
                    .outcome,
                Outcome::kUnknown)
          << namespace_check.field << " " << value;
    }
  }
}

TEST(HostNamespaceChecks, NamedDifferentlyIsUnknown) {
  // An engine that spells the field UtsMode reports no UTSMode.
  const auto result =
      RunOnInspect(CheckHostUts, R"({"HostConfig": {"UtsMode": "host"}})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.UTSMode is missing");
}

// ---------------------------------------------------------------------------
// 5.18 host_devices

TEST(HostDevicesCheck, MappedDeviceFails) {
  const auto result = RunOnInspect(CheckHostDevices, R"({"HostConfig": {
      "Devices": [{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse",
                   "CgroupPermissions": "rwm"},
                  {"PathOnHost": "/dev/kvm", "PathInContainer": "/dev/kvm",
                   "CgroupPermissions": "rwm"}]}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.Devices maps /dev/fuse (and 1 more)");
}

TEST(HostDevicesCheck, EntryWithoutPathStillFails) {
  const auto result =
      RunOnInspect(CheckHostDevices, R"({"HostConfig": {"Devices": [{}]}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.Devices maps entry 0");
}

TEST(HostDevicesCheck, NullPasses) {
  const auto result =
      RunOnInspect(CheckHostDevices, R"({"HostConfig": {"Devices": null}})");
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.Devices is null");
}

TEST(HostDevicesCheck, EmptyPasses) {
  const auto result =
      RunOnInspect(CheckHostDevices, R"({"HostConfig": {"Devices": []}})");
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.Devices is empty");
}

TEST(HostDevicesCheck, AbsentIsUnknown) {
  const auto result = RunOnInspect(CheckHostDevices, R"({"HostConfig": {}})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.Devices is missing");
}

TEST(HostDevicesCheck, WrongTypeIsUnknown) {
  const auto result = RunOnInspect(
      CheckHostDevices, R"({"HostConfig": {"Devices": "/dev/fuse"}})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.Devices is string, expected an array");
}

// ---------------------------------------------------------------------------
// 5.20 mount_propagation

std::string MountWithPropagation(const std::string& propagation) {
  return R"({"Mounts": [{"Type": "bind", "Source": "/mnt/data",
             "Destination": "/data", "RW": true, "Propagation": ")" +
         propagation + R"("}]})";
}

TEST(MountPropagationCheck, SharedModesFail) {
  // The Powerpipe mod catches shared but not rshared.
  for (const char* mode : {"shared", "rshared"}) {
    const auto result =
        RunOnInspect(CheckMountPropagation, MountWithPropagation(mode));
    EXPECT_EQ(result.outcome, Outcome::kFail) << mode;
    EXPECT_EQ(result.reason,
              std::string("mount at /data has ") + mode + " propagation");
  }
}

TEST(MountPropagationCheck, OtherModesPass) {
  for (const char* mode :
       {"rprivate", "private", "slave", "rslave", "", "Shared"}) {
    const auto result =
        RunOnInspect(CheckMountPropagation, MountWithPropagation(mode));
    EXPECT_EQ(result.outcome, Outcome::kPass) << mode;
    EXPECT_EQ(result.reason, "no mount has shared or rshared propagation")
        << mode;
  }
}

TEST(MountPropagationCheck, VolumeWithoutPropagationPasses) {
  EXPECT_EQ(RunOnInspect(CheckMountPropagation, R"({"Mounts": [
      {"Type": "volume", "Name": "data", "Destination": "/data",
       "RW": true}]})")
                .outcome,
            Outcome::kPass);
}

TEST(MountPropagationCheck, BindWithoutPropagationIsUnknown) {
  const auto result = RunOnInspect(CheckMountPropagation, R"({"Mounts": [
      {"Type": "bind", "Source": "/mnt", "Destination": "/mnt",
       "RW": true}]})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Mounts[0].Propagation is missing");
}

TEST(MountPropagationCheck, MountWithoutDestinationNamesField) {
  const auto result = RunOnInspect(CheckMountPropagation, R"({"Mounts": [
      {"Type": "bind", "Source": "/mnt", "Propagation": "rshared"}]})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Mounts[0].Propagation is rshared");
}

TEST(MountPropagationCheck, MissingMountsIsUnknown) {
  EXPECT_EQ(RunOnInspect(CheckMountPropagation, R"({"Id": "a"})").outcome,
            Outcome::kUnknown);
}

// ---------------------------------------------------------------------------
// 5.27 health_checked

TEST(HealthCheckedCheck, RunningWithoutHealthcheckFails) {
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Status": "running", "Running": true},
      "Config": {"Image": "nginx:1.25"}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Config.Healthcheck is missing");
}

TEST(HealthCheckedCheck, NullHealthcheckFails) {
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Running": true}, "Config": {"Healthcheck": null}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Config.Healthcheck is null");
}

TEST(HealthCheckedCheck, DisabledWithNoneFails) {
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Running": true},
      "Config": {"Healthcheck": {"Test": ["NONE"]}}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, R"(Config.Healthcheck.Test is ["NONE"])");
}

TEST(HealthCheckedCheck, EmptyTestFails) {
  // Docker merges the image's test into an empty one at creation, so an
  // empty test left in the container means that no health check runs.
  for (const char* healthcheck : {R"({"Test": []})", R"({"Test": null})",
                                  R"({"Interval": 30000000000})"}) {
    EXPECT_EQ(RunOnInspect(CheckHealthChecked,
                           std::string(R"({"State": {"Running": true},
                                           "Config": {"Healthcheck": )") +
                               healthcheck + "}}")
                  .outcome,
              Outcome::kFail)
        << healthcheck;
  }
}

TEST(HealthCheckedCheck, ConfiguredCommandPasses) {
  for (const char* kind : {"CMD", "CMD-SHELL"}) {
    const auto result = RunOnInspect(
        CheckHealthChecked, std::string(R"({"State": {"Running": true},
                        "Config": {"Healthcheck": {"Test": [")") +
                                kind + R"(", "curl -f http://localhost/"]}}})");
    EXPECT_EQ(result.outcome, Outcome::kPass) << kind;
    EXPECT_EQ(result.reason,
              std::string("Config.Healthcheck.Test starts with ") + kind);
  }
}

TEST(HealthCheckedCheck, HealthStatusShowsCheckRuns) {
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Running": true,
                "Health": {"Status": "unhealthy", "FailingStreak": 3}},
      "Config": {}})");
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "State.Health.Status is unhealthy");
}

TEST(HealthCheckedCheck, EmptyHealthStatusFallsBackToConfig) {
  // Podman 4 reports an empty health status for a container without a check.
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Running": true,
                "Health": {"Status": "", "FailingStreak": 0, "Log": null}},
      "Config": {"Image": "docker.io/library/nginx:latest"}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Config.Healthcheck is missing");
}

TEST(HealthCheckedCheck, NoneOutweighsHealthStatus) {
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Running": true, "Health": {"Status": "starting"}},
      "Config": {"Healthcheck": {"Test": ["NONE"]}}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, R"(Config.Healthcheck.Test is ["NONE"])");
}

TEST(HealthCheckedCheck, HealthStatusWithoutConfigPasses) {
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Running": true, "Health": {"Status": "healthy"}}})");
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "State.Health.Status is healthy");
}

TEST(HealthCheckedCheck, StoppedIsNotApplicable) {
  const auto result = RunOnInspect(CheckHealthChecked, R"({
      "State": {"Status": "exited", "Running": false}, "Config": {}})");
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "State.Running is false");
}

TEST(HealthCheckedCheck, UnreadableFieldsAreUnknown) {
  struct Case {
    const char* document;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"State": {"Running": true}})", "Config is missing"},
      {R"({"State": {"Running": true}, "Config": {"Healthcheck": "curl"}})",
       "Config.Healthcheck is string, expected an object"},
      {R"({"State": {"Running": true},
           "Config": {"Healthcheck": {"Test": "curl -f localhost"}}})",
       "Config.Healthcheck.Test is string, expected an array"},
      {R"({"State": {"Running": true},
           "Config": {"Healthcheck": {"Test": [1]}}})",
       "Config.Healthcheck.Test[0] is number, expected a string"},
      {R"({"State": {"Running": true},
           "Config": {"Healthcheck": {"Test": ["HTTP", "/health"]}}})",
       "Config.Healthcheck.Test starts with HTTP, expected CMD, CMD-SHELL or "
       "NONE"},
  };
  for (const auto& test_case : cases) {
    const auto result = RunOnInspect(CheckHealthChecked, test_case.document);
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.document;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.document;
  }
}

// ---------------------------------------------------------------------------
// 5.28 image_current

constexpr const char* kImageId =
    "sha256:605c77e624ddb75e6110f997c58876baa13f8754486b461117934b24a9dc3a85";
constexpr const char* kNewerImageId =
    "sha256:a6bd71f48f6839d9faae1f29d3babef831e76bc213107682c5cc80f0cbb30866";

std::string ContainerFromImage(const std::string& image_id,
                               const std::string& reference) {
  return R"({"Image": ")" + image_id + R"(", "Config": {"Image": ")" +
         reference + R"("}})";
}

CheckResult RunImageCurrent(const std::string& inspect_text,
                            const std::string* tag_image_text) {
  const CheckSettings settings;
  const auto inspect = Parse(inspect_text);
  const nlohmann::json tag_image =
      tag_image_text == nullptr ? nullptr : Parse(*tag_image_text);
  return CheckImageCurrent(
      {.inspect = inspect,
       .image_by_tag = tag_image_text == nullptr ? nullptr : &tag_image,
       .settings = settings});
}

TEST(ImageCurrentCheck, SameImagePasses) {
  const std::string tag_image = std::string(R"({"Id": ")") + kImageId + "\"}";
  const auto result =
      RunImageCurrent(ContainerFromImage(kImageId, "nginx:1.21"), &tag_image);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "the tag nginx:1.21 still names 605c77e624dd");
}

TEST(ImageCurrentCheck, MovedTagFails) {
  const std::string tag_image =
      std::string(R"({"Id": ")") + kNewerImageId + "\"}";
  const auto result =
      RunImageCurrent(ContainerFromImage(kImageId, "nginx:1.21"), &tag_image);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "the tag nginx:1.21 now names a6bd71f48f68, the container runs "
            "605c77e624dd");
}

TEST(ImageCurrentCheck, MissingTagIsUnknown) {
  const auto result =
      RunImageCurrent(ContainerFromImage(kImageId, "nginx:1.21"), nullptr);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "the tag nginx:1.21 no longer exists or was not fetched");
}

TEST(ImageCurrentCheck, ImageIdReferenceIsNotApplicable) {
  for (const std::string& reference :
       {std::string(kImageId), std::string("605c77e624dd"),
        std::string("605c77e624ddb75e6110f997c58876baa13f8754486b461117934b24a"
                    "9dc3a85")}) {
    const auto result =
        RunImageCurrent(ContainerFromImage(kImageId, reference), nullptr);
    EXPECT_EQ(result.outcome, Outcome::kNotApplicable) << reference;
    EXPECT_EQ(result.reason, "Config.Image " + reference + " is an image id")
        << reference;
  }
}

TEST(ImageCurrentCheck, IdsCompareWithoutAlgorithmPrefix) {
  const std::string tag_image = std::string(R"({"Id": ")") + kImageId + "\"}";
  // podman inspect writes image ids without the sha256: prefix.
  const auto result = RunImageCurrent(
      ContainerFromImage(
          "605c77e624ddb75e6110f997c58876baa13f8754486b461117934b24a9dc3a85",
          "docker.io/library/nginx:1.21"),
      &tag_image);
  EXPECT_EQ(result.outcome, Outcome::kPass);
}

TEST(ImageCurrentCheck, UnreadableFieldsAreUnknown) {
  const std::string tag_image = std::string(R"({"Id": ")") + kImageId + "\"}";
  const std::string tag_image_without_id = R"({"RepoTags": ["nginx:1.21"]})";
  struct Case {
    std::string inspect;
    const std::string* tag_image;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"Config": {"Image": "nginx:1.21"}})", &tag_image,
       "Image is missing"},
      {std::string(R"({"Image": ")") + kImageId + R"(", "Config": {}})",
       &tag_image, "Config.Image is missing"},
      {ContainerFromImage(kImageId, ""), &tag_image, "Config.Image is empty"},
      {ContainerFromImage(kImageId, "nginx:1.21"), &tag_image_without_id,
       "image nginx:1.21 Id is missing"},
  };
  for (const auto& test_case : cases) {
    const auto result = RunImageCurrent(test_case.inspect, test_case.tag_image);
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.inspect;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.inspect;
  }
}

// ---------------------------------------------------------------------------
// 5.30 default_bridge

constexpr const char* kDockerNetworks = R"([
    {"Name": "bridge", "Id": "7e2b", "Driver": "bridge"},
    {"Name": "host", "Id": "a1c3", "Driver": "host"},
    {"Name": "none", "Id": "c9d0", "Driver": "null"},
    {"Name": "app_net", "Id": "f00d", "Driver": "bridge"}])";

CheckResult RunDefaultBridge(const std::string& inspect_text,
                             const char* networks_text) {
  const CheckSettings settings;
  const auto inspect = Parse(inspect_text);
  const nlohmann::json networks =
      networks_text == nullptr ? nullptr : Parse(networks_text);
  return CheckDefaultBridge(
      {.inspect = inspect,
       .networks = networks_text == nullptr ? nullptr : &networks,
       .settings = settings});
}

TEST(DefaultBridgeCheck, AttachedToBridgeFails) {
  const auto result = RunDefaultBridge(
      R"({"NetworkSettings": {"Networks": {"bridge": {"NetworkID": "7e2b"}}}})",
      kDockerNetworks);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "NetworkSettings.Networks contains bridge");
}

TEST(DefaultBridgeCheck, UserNetworkPasses) {
  const auto result = RunDefaultBridge(
      R"({"NetworkSettings": {"Networks": {"app_net": {"NetworkID": "f00d"}}}
          })",
      kDockerNetworks);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "NetworkSettings.Networks does not contain bridge");
}

TEST(DefaultBridgeCheck, NoBridgeNetworkIsNotApplicable) {
  // Podman names its default network podman.
  const auto result = RunDefaultBridge(
      R"({"NetworkSettings": {"Networks": {"podman": {}}}})",
      R"([{"Name": "podman", "Id": "2f25", "Driver": "bridge"}])");
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "the engine has no network named bridge");
}

TEST(DefaultBridgeCheck, NetworksNotFetchedIsUnknown) {
  const auto result = RunDefaultBridge(
      R"({"NetworkSettings": {"Networks": {"bridge": {}}}})", nullptr);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "the network list (GET /networks) was not fetched");
}

TEST(DefaultBridgeCheck, UnreadableNetworkListIsUnknown) {
  const auto object =
      RunDefaultBridge(R"({"NetworkSettings": {"Networks": {"bridge": {}}}})",
                       R"({"bridge": {}})");
  EXPECT_EQ(object.outcome, Outcome::kUnknown);
  EXPECT_EQ(object.reason, "GET /networks is object, expected an array");

  const auto unnamed =
      RunDefaultBridge(R"({"NetworkSettings": {"Networks": {"bridge": {}}}})",
                       R"([{"Name": "host"}, {"Id": "7e2b"}])");
  EXPECT_EQ(unnamed.outcome, Outcome::kUnknown);
  EXPECT_EQ(unnamed.reason, "GET /networks[1].Name is missing");
}

TEST(DefaultBridgeCheck, BridgeFoundDespiteUnnamedEntry) {
  EXPECT_EQ(
      RunDefaultBridge(R"({"NetworkSettings": {"Networks": {"bridge": {}}}})",
                       R"([{"Id": "x"}, {"Name": "bridge"}])")
          .outcome,
      Outcome::kFail);
}

TEST(DefaultBridgeCheck, UnreadableAttachmentsAreUnknown) {
  const auto missing =
      RunDefaultBridge(R"({"NetworkSettings": {}})", kDockerNetworks);
  EXPECT_EQ(missing.outcome, Outcome::kUnknown);
  EXPECT_EQ(missing.reason, "NetworkSettings.Networks is missing");

  const auto null = RunDefaultBridge(
      R"({"NetworkSettings": {"Networks": null}})", kDockerNetworks);
  EXPECT_EQ(null.outcome, Outcome::kUnknown);
  EXPECT_EQ(null.reason,
            "NetworkSettings.Networks is null, expected an object");
}

// ---------------------------------------------------------------------------
// 5.32 docker_socket_mounted

std::string MountOf(const std::string& source, const std::string& destination) {
  return R"({"Mounts": [{"Type": "bind", "Source": ")" + source +
         R"(", "Destination": ")" + destination +
         R"(", "RW": true, "Propagation": "rprivate"}]})";
}

TEST(DockerSocketCheck, DefaultSocketFails) {
  const auto result =
      RunOnInspect(CheckDockerSocketMounted,
                   MountOf("/var/run/docker.sock", "/var/run/docker.sock"));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Source /var/run/docker.sock is a Docker socket");
}

TEST(DockerSocketCheck, RootlessSocketFails) {
  EXPECT_EQ(RunOnInspect(CheckDockerSocketMounted,
                         MountOf("/run/user/1000/docker.sock", "/engine.sock"))
                .outcome,
            Outcome::kFail);
}

TEST(DockerSocketCheck, DestinationNamedDockerSockFails) {
  const auto result =
      RunOnInspect(CheckDockerSocketMounted,
                   MountOf("/run/podman/podman.sock", "/var/run/docker.sock"));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "Destination /var/run/docker.sock is a Docker socket");
}

TEST(DockerSocketCheck, EngineSocketAtNonDefaultPathFails) {
  CheckSettings settings;
  settings.engine_socket_path = "/run/podman/podman.sock";
  const auto inspect = Parse(MountOf("/run/podman/podman.sock", "/api.sock"));
  const auto result =
      CheckDockerSocketMounted({.inspect = inspect, .settings = settings});
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Source /run/podman/podman.sock is a Docker socket");

  // Without the setting, a socket of another name goes unnoticed.
  EXPECT_EQ(RunOnInspect(CheckDockerSocketMounted,
                         MountOf("/run/podman/podman.sock", "/api.sock"))
                .outcome,
            Outcome::kPass);
}

TEST(DockerSocketCheck, EmptySettingMatchesNoEmptySource) {
  // Docker reports tmpfs mounts with an empty Source.
  const auto result = RunOnInspect(CheckDockerSocketMounted, R"({"Mounts": [
      {"Type": "tmpfs", "Source": "", "Destination": "/tmp", "RW": true}]})");
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "no Docker socket is mounted");
}

TEST(DockerSocketCheck, SimilarNamesPass) {
  for (const char* source :
       {"/var/run/docker.sock.bak", "/var/run/docker", "/srv/docker.socket",
        "/srv/my-docker.sock", "/var/lib/docker"}) {
    EXPECT_EQ(RunOnInspect(CheckDockerSocketMounted, MountOf(source, "/data"))
                  .outcome,
              Outcome::kPass)
        << source;
  }
}

TEST(DockerSocketCheck, MissingSourceFallsBackToDestination) {
  const auto missing = RunOnInspect(CheckDockerSocketMounted, R"({"Mounts": [
      {"Type": "bind", "Destination": "/data", "RW": true}]})");
  EXPECT_EQ(missing.outcome, Outcome::kUnknown);
  EXPECT_EQ(missing.reason, "Mounts[0].Source is missing");

  const auto destination =
      RunOnInspect(CheckDockerSocketMounted, R"({"Mounts": [
      {"Type": "bind", "Destination": "/var/run/docker.sock", "RW": true}]})");
  EXPECT_EQ(destination.outcome, Outcome::kFail);
}

TEST(DockerSocketCheck, MissingMountsIsUnknown) {
  const auto result =
      RunOnInspect(CheckDockerSocketMounted, R"({"HostConfig": {}})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Mounts is missing");
}

// ---------------------------------------------------------------------------
// 4.6 healthcheck_defined

CheckResult RunHealthcheckDefined(const char* image_text) {
  const CheckSettings settings;
  const auto inspect = Parse(R"({"Id": "c0ffee"})");
  const nlohmann::json image =
      image_text == nullptr ? nullptr : Parse(image_text);
  return CheckHealthcheckDefined(
      {.inspect = inspect,
       .image = image_text == nullptr ? nullptr : &image,
       .settings = settings});
}

TEST(HealthcheckDefinedCheck, ImageWithHealthcheckPasses) {
  const auto result = RunHealthcheckDefined(R"({"Id": "sha256:605c",
      "Config": {"Healthcheck": {"Test": ["CMD", "/healthz"],
                                 "Interval": 10000000000}}})");
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "image Config.Healthcheck.Test starts with CMD");
}

TEST(HealthcheckDefinedCheck, ImageWithoutHealthcheckFails) {
  // The Powerpipe mod states the reason the wrong way round for this case.
  const auto result = RunHealthcheckDefined(R"({"Id": "sha256:605c",
      "Config": {"Cmd": ["nginx", "-g", "daemon off;"]}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "image Config.Healthcheck is missing");
}

TEST(HealthcheckDefinedCheck, DisabledHealthcheckFails) {
  const auto result = RunHealthcheckDefined(R"({"Id": "sha256:605c",
      "Config": {"Healthcheck": {"Test": ["NONE"]}}})");
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, R"(image Config.Healthcheck.Test is ["NONE"])");
}

TEST(HealthcheckDefinedCheck, ImageNotFetchedIsUnknown) {
  const auto result = RunHealthcheckDefined(nullptr);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "the image document (GET /images/{id}/json) was not fetched");
}

TEST(HealthcheckDefinedCheck, ImageWithoutConfigIsUnknown) {
  const auto result = RunHealthcheckDefined(R"({"Id": "sha256:605c"})");
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "image Config is missing");
}

// ---------------------------------------------------------------------------
// Trimmed documents in the shape each engine family returns. The text
// "null" marks a document that was not fetched.
struct EngineDocuments {
  const char* engine;
  const char* inspect;
  const char* top;
  const char* networks;
  const char* image;
  const char* image_by_tag;
};

struct Expectation {
  const char* check_name;
  Check check;
  Outcome expected;
};

void ExpectOutcomes(const EngineDocuments& documents,
                    const std::vector<Expectation>& expectations) {
  CheckSettings settings;
  settings.engine_socket_path = "/var/run/docker.sock";
  const auto inspect = Parse(documents.inspect);
  const auto top = Parse(documents.top);
  const auto networks = Parse(documents.networks);
  const auto image = Parse(documents.image);
  const auto image_by_tag = Parse(documents.image_by_tag);
  const ContainerContext context{
      .inspect = inspect,
      .top = top.is_null() ? nullptr : &top,
      .image = image.is_null() ? nullptr : &image,
      .image_by_tag = image_by_tag.is_null() ? nullptr : &image_by_tag,
      .networks = &networks,
      .settings = settings};
  for (const auto& expectation : expectations) {
    const auto result = expectation.check(context);
    EXPECT_EQ(result.outcome, expectation.expected)
        << documents.engine << ", " << expectation.check_name << ": "
        << result.reason;
  }
}

TEST(EngineFamilies, Docker2010RunningWebServer) {
  const EngineDocuments documents = {
      "Docker 20.10, API 1.41",
      R"({"Id": "f37f", "Name": "/web",
          "Image": "sha256:605c77e624ddb75e6110f997c58876ba",
          "State": {"Status": "running", "Running": true, "Paused": false,
                    "Restarting": false, "Pid": 4242,
                    "Health": {"Status": "healthy", "FailingStreak": 0,
                               "Log": []}},
          "HostConfig": {"NetworkMode": "default", "PidMode": "",
                         "IpcMode": "private", "UTSMode": "", "Devices": [],
                         "PortBindings": {"80/tcp": [{"HostIp": "",
                                                      "HostPort": "8080"}]}},
          "Mounts": [
              {"Type": "bind", "Source": "/etc", "Destination": "/host-etc",
               "Mode": "ro", "RW": false, "Propagation": "rprivate"},
              {"Type": "volume", "Name": "html",
               "Source": "/var/lib/docker/volumes/html/_data",
               "Destination": "/usr/share/nginx/html", "Driver": "local",
               "Mode": "z", "RW": true, "Propagation": ""}],
          "Config": {"Image": "nginx:1.21",
                     "Healthcheck": {"Test": ["CMD-SHELL",
                                              "curl -f http://localhost/"],
                                     "Interval": 30000000000}},
          "NetworkSettings": {
              "Ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"},
                                   {"HostIp": "::", "HostPort": "8080"}]},
              "Networks": {"bridge": {"NetworkID": "7e2b"}}}})",
      R"({"Titles": ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"],
          "Processes": [
              ["root", "4242", "4221", "0", "10:00", "?", "00:00:00",
               "nginx: master process nginx -g daemon off;"],
              ["101", "4290", "4242", "0", "10:00", "?", "00:00:00",
               "nginx: worker process"]]})",
      R"([{"Name": "bridge", "Id": "7e2b", "Driver": "bridge"},
          {"Name": "host", "Id": "a1c3", "Driver": "host"},
          {"Name": "none", "Id": "c9d0", "Driver": "null"}])",
      R"({"Id": "sha256:605c77e624ddb75e6110f997c58876ba",
          "RepoTags": ["nginx:1.21"], "ContainerConfig": {"Image": ""},
          "Config": {"Cmd": ["nginx", "-g", "daemon off;"]}})",
      R"({"Id": "sha256:a6bd71f48f6839d9faae1f29d3babef8",
          "RepoTags": ["nginx:1.21"]})",
  };
  ExpectOutcomes(documents,
                 {
                     {"5.6", CheckSensitiveMounts, Outcome::kPass},
                     {"5.7", CheckSshdRunning, Outcome::kPass},
                     {"5.8", CheckPrivilegedPorts, Outcome::kPass},
                     {"5.10", CheckHostNetwork, Outcome::kPass},
                     {"5.14", CheckPortsBoundToInterface, Outcome::kFail},
                     {"5.16", CheckHostPid, Outcome::kPass},
                     {"5.17", CheckHostIpc, Outcome::kPass},
                     {"5.18", CheckHostDevices, Outcome::kPass},
                     {"5.20", CheckMountPropagation, Outcome::kPass},
                     {"5.21", CheckHostUts, Outcome::kPass},
                     {"5.27", CheckHealthChecked, Outcome::kPass},
                     {"5.28", CheckImageCurrent, Outcome::kFail},
                     {"5.30", CheckDefaultBridge, Outcome::kFail},
                     {"5.32", CheckDockerSocketMounted, Outcome::kPass},
                     {"4.6", CheckHealthcheckDefined, Outcome::kFail},
                 });
}

TEST(EngineFamilies, CurrentDockerCreatedContainer) {
  const EngineDocuments documents = {
      "Docker 28, API 1.50",
      R"({"Id": "a1b2", "Name": "/agent",
          "Image": "sha256:a6bd71f48f6839d9faae1f29d3babef8",
          "State": {"Status": "created", "Running": false, "Paused": false},
          "HostConfig": {"NetworkMode": "app_net", "PidMode": "host",
                         "IpcMode": "private", "UTSMode": "", "Devices": null,
                         "PortBindings": {"5432/tcp": [{"HostIp": "127.0.0.1",
                                                        "HostPort": "5432"}]},
                         "Annotations": null, "CgroupnsMode": "private"},
          "Mounts": [
              {"Type": "bind", "Source": "/var/run/docker.sock",
               "Destination": "/var/run/docker.sock", "Mode": "",
               "RW": true, "Propagation": "rprivate"},
              {"Type": "bind", "Source": "/mnt/shared",
               "Destination": "/shared", "Mode": "", "RW": true,
               "Propagation": "rshared"}],
          "Config": {"Image": "registry.example.com/agent:2"},
          "NetworkSettings": {"Ports": {},
                              "Networks": {"app_net": {"NetworkID": "f00d"}}},
          "ImageManifestDescriptor": {
              "mediaType": "application/vnd.oci.image.manifest.v1+json"}})",
      "null",
      R"([{"Name": "bridge", "Id": "7e2b", "Driver": "bridge"},
          {"Name": "app_net", "Id": "f00d", "Driver": "bridge"}])",
      R"({"Id": "sha256:a6bd71f48f6839d9faae1f29d3babef8",
          "Config": {"Healthcheck": {"Test": ["CMD", "/agent", "health"]}}})",
      R"({"Id": "sha256:a6bd71f48f6839d9faae1f29d3babef8"})",
  };
  ExpectOutcomes(documents,
                 {
                     {"5.6", CheckSensitiveMounts, Outcome::kPass},
                     {"5.7", CheckSshdRunning, Outcome::kNotApplicable},
                     {"5.8", CheckPrivilegedPorts, Outcome::kPass},
                     {"5.10", CheckHostNetwork, Outcome::kPass},
                     {"5.14", CheckPortsBoundToInterface, Outcome::kPass},
                     {"5.16", CheckHostPid, Outcome::kFail},
                     {"5.17", CheckHostIpc, Outcome::kPass},
                     {"5.18", CheckHostDevices, Outcome::kPass},
                     {"5.20", CheckMountPropagation, Outcome::kFail},
                     {"5.21", CheckHostUts, Outcome::kPass},
                     {"5.27", CheckHealthChecked, Outcome::kNotApplicable},
                     {"5.28", CheckImageCurrent, Outcome::kPass},
                     {"5.30", CheckDefaultBridge, Outcome::kPass},
                     {"5.32", CheckDockerSocketMounted, Outcome::kFail},
                     {"4.6", CheckHealthcheckDefined, Outcome::kPass},
                 });
}

TEST(EngineFamilies, PodmanCompatibilityApi) {
  const EngineDocuments documents = {
      "Podman 4.3 compatibility API",
      R"({"Id": "c3d4", "Name": "ssh-box",
          "Image": "sha256:9c6f0724472873bb50a2ae67a9e7adcb",
          "State": {"Status": "running", "Running": true, "Paused": false,
                    "Health": {"Status": "", "FailingStreak": 0,
                               "Log": null}},
          "HostConfig": {"NetworkMode": "slirp4netns", "PidMode": "private",
                         "IpcMode": "shareable", "UTSMode": "private",
                         "Devices": [], "CgroupManager": "systemd",
                         "PortBindings": {"22/tcp": [{"HostIp": "",
                                                      "HostPort": "22"}]}},
          "Mounts": [{"Type": "bind", "Source": "/etc",
                      "Destination": "/host/etc", "Driver": "", "Mode": "",
                      "Options": ["rbind"], "RW": true,
                      "Propagation": "rprivate"}],
          "Config": {"Image": "docker.io/library/debian:bookworm"},
          "NetworkSettings": {
              "Ports": {"22/tcp": [{"HostIp": "", "HostPort": "22"}]},
              "Networks": {"slirp4netns": {}}}})",
      R"({"Titles": ["USER", "PID", "PPID", "%CPU", "ELAPSED", "TTY", "TIME",
                     "COMMAND"],
          "Processes": [["root", "1", "0", "0.000", "2m3.4s", "?", "0s",
                         "/usr/sbin/sshd -D"]]})",
      R"([{"Name": "podman", "Id": "2f25", "Driver": "bridge"}])",
      R"({"Id": "sha256:9c6f0724472873bb50a2ae67a9e7adcb",
          "Config": {"Cmd": ["bash"]}})",
      "null",
  };
  ExpectOutcomes(documents,
                 {
                     {"5.6", CheckSensitiveMounts, Outcome::kFail},
                     {"5.7", CheckSshdRunning, Outcome::kFail},
                     {"5.8", CheckPrivilegedPorts, Outcome::kFail},
                     {"5.10", CheckHostNetwork, Outcome::kPass},
                     {"5.14", CheckPortsBoundToInterface, Outcome::kFail},
                     {"5.16", CheckHostPid, Outcome::kPass},
                     {"5.17", CheckHostIpc, Outcome::kPass},
                     {"5.18", CheckHostDevices, Outcome::kPass},
                     {"5.20", CheckMountPropagation, Outcome::kPass},
                     {"5.21", CheckHostUts, Outcome::kPass},
                     {"5.27", CheckHealthChecked, Outcome::kFail},
                     {"5.30", CheckDefaultBridge, Outcome::kNotApplicable},
                     {"5.32", CheckDockerSocketMounted, Outcome::kPass},
                     {"4.6", CheckHealthcheckDefined, Outcome::kFail},
                 });
}

TEST(EngineFamilies, PodmanWithFieldsMissingIsUnknown) {
  // A compatibility layer that leaves out fields must not pass by default.
  const EngineDocuments documents = {
      "Podman compatibility API without RW, Propagation, Devices, UTSMode "
      "and NetworkSettings.Ports",
      R"({"Id": "e5f6", "Name": "db",
          "Image": "9c6f0724472873bb50a2ae67a9e7adcb",
          "State": {"Status": "running", "Running": true},
          "HostConfig": {"NetworkMode": "bridge", "PidMode": "private",
                         "IpcMode": "private",
                         "PortBindings": {"5432/tcp": [{"HostIp": "127.0.0.1",
                                                        "HostPort": "5432"}]}},
          "Mounts": [{"Type": "bind", "Source": "/etc",
                      "Destination": "/host/etc", "Options": ["rbind"]}],
          "Config": {"Image": "docker.io/library/postgres:16"},
          "NetworkSettings": {"Networks": {"podman": {}}}})",
      "null",
      R"([{"Name": "podman", "Id": "2f25", "Driver": "bridge"}])",
      R"({"Id": "sha256:9c6f"})",
      "null",
  };
  ExpectOutcomes(documents,
                 {
                     {"5.6", CheckSensitiveMounts, Outcome::kUnknown},
                     {"5.7", CheckSshdRunning, Outcome::kUnknown},
                     {"5.8", CheckPrivilegedPorts, Outcome::kUnknown},
                     {"5.14", CheckPortsBoundToInterface, Outcome::kUnknown},
                     {"5.18", CheckHostDevices, Outcome::kUnknown},
                     {"5.20", CheckMountPropagation, Outcome::kUnknown},
                     {"5.21", CheckHostUts, Outcome::kUnknown},
                     {"5.28", CheckImageCurrent, Outcome::kUnknown},
                     {"4.6", CheckHealthcheckDefined, Outcome::kUnknown},
                 });
}

}  // namespace
}  // namespace dce
