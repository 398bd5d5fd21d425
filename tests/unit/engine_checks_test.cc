#include "collectors/engine_checks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace dce {
namespace {

using EngineCheck = CheckResult (*)(const EngineContext&);

nlohmann::json Parse(const char* text) { return nlohmann::json::parse(text); }

CheckResult Judge(EngineCheck check, const nlohmann::json& info,
                  const CheckSettings& settings = CheckSettings{}) {
  return check(EngineContext{.info = &info, .settings = settings});
}

CheckResult JudgeNetworks(EngineCheck check, const nlohmann::json& info,
                          const nlohmann::json& networks) {
  const CheckSettings settings;
  return check(EngineContext{
      .info = &info, .networks = &networks, .settings = settings});
}

// Every check that reads /info, with its name for failure messages.
struct NamedCheck {
  const char* name;
  EngineCheck check;
};
constexpr NamedCheck kInfoChecks[] = {
    {"rootless", CheckRootless},
    {"insecure_registries", CheckInsecureRegistries},
    {"aufs", CheckAufs},
    {"userns_remap", CheckUsernsRemap},
    {"authz_plugin", CheckAuthzPlugin},
    {"remote_logging", CheckRemoteLogging},
    {"live_restore", CheckLiveRestore},
    {"experimental", CheckExperimental},
    {"swarm_disabled", CheckSwarmDisabled},
    {"overlay_encrypted", CheckOverlayEncrypted},
    {"autolock", CheckAutolock},
    {"node_cert_expiry", CheckNodeCertExpiry},
};

// `GET /info` of Docker 20.10.24 (API 1.41) started with
// `--bridge=none --iptables=false`, trimmed to the fields around the ones
// the checks read.
constexpr const char* kDocker20Info = R"({
  "ID": "PE5A:AUPO:TM7Z:HIGA:AFOK:GZ5H:MA7O:CV2D:5MT7:ISLP:UEGI:NOQ6",
  "Containers": 0,
  "Driver": "overlay2",
  "DriverStatus": [["Backing Filesystem", "extfs"],
                   ["Supports d_type", "true"]],
  "Plugins": {
    "Volume": ["local"],
    "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
    "Authorization": null,
    "Log": ["awslogs", "fluentd", "gcplogs", "gelf", "journald",
            "json-file", "local", "logentries", "splunk", "syslog"]
  },
  "LoggingDriver": "json-file",
  "CgroupDriver": "cgroupfs",
  "CgroupVersion": "1",
  "RegistryConfig": {
    "AllowNondistributableArtifactsCIDRs": [],
    "AllowNondistributableArtifactsHostnames": [],
    "InsecureRegistryCIDRs": ["127.0.0.0/8"],
    "IndexConfigs": {
      "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true,
                    "Official": true}
    },
    "Mirrors": []
  },
  "ExperimentalBuild": false,
  "ServerVersion": "20.10.24+dfsg1",
  "Swarm": {
    "NodeID": "",
    "NodeAddr": "",
    "LocalNodeState": "inactive",
    "ControlAvailable": false,
    "Error": "",
    "RemoteManagers": null
  },
  "LiveRestoreEnabled": false,
  "SecurityOptions": ["name=seccomp,profile=default"],
  "Warnings": null
})";

// `GET /networks` of the same engine: without a default bridge.
constexpr const char* kDocker20Networks = R"([
  {"Name": "none", "Id": "96e6", "Scope": "local", "Driver": "null",
   "Options": {}, "Labels": {}},
  {"Name": "host", "Id": "cbad", "Scope": "local", "Driver": "host",
   "Options": {}, "Labels": {}}
])";

// `GET /info` shaped like that of a rootless Docker 28 engine with the
// containerd image store, journald logging and live restore.
constexpr const char* kDocker28Info = R"({
  "ID": "0c6a9b7e-4d0e-4f43-9d8c-6b1d1e8c2f31",
  "Containers": 4,
  "Driver": "overlayfs",
  "DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]],
  "Plugins": {
    "Volume": ["local"],
    "Network": ["bridge", "host", "ipvlan", "macvlan", "null", "overlay"],
    "Authorization": null,
    "Log": ["awslogs", "fluentd", "gcplogs", "gelf", "journald",
            "json-file", "local", "splunk", "syslog"]
  },
  "LoggingDriver": "journald",
  "CgroupDriver": "systemd",
  "CgroupVersion": "2",
  "RegistryConfig": {
    "InsecureRegistryCIDRs": ["::1/128", "127.0.0.0/8"],
    "IndexConfigs": {
      "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true,
                    "Official": true}
    },
    "Mirrors": null
  },
  "ExperimentalBuild": false,
  "ServerVersion": "28.3.2",
  "Swarm": {
    "NodeID": "",
    "NodeAddr": "",
    "LocalNodeState": "inactive",
    "ControlAvailable": false,
    "Error": "",
    "RemoteManagers": null
  },
  "LiveRestoreEnabled": true,
  "SecurityOptions": ["name=seccomp,profile=builtin", "name=rootless",
                      "name=cgroupns"],
  "CDISpecDirs": ["/etc/cdi", "/var/run/cdi"],
  "Containerd": {
    "Address": "/run/user/1000/docker/containerd/containerd.sock",
    "Namespaces": {"Containers": "moby", "Plugins": "plugins.moby"}
  },
  "FirewallBackend": {"Driver": "iptables"},
  "Warnings": null
})";

// `GET /networks` of a default Docker 28 engine.
constexpr const char* kDocker28Networks = R"([
  {"Name": "bridge", "Id": "a1b2", "Scope": "local", "Driver": "bridge",
   "EnableIPv4": true, "EnableIPv6": false,
   "Options": {
     "com.docker.network.bridge.default_bridge": "true",
     "com.docker.network.bridge.enable_icc": "true",
     "com.docker.network.bridge.enable_ip_masquerade": "true",
     "com.docker.network.bridge.host_binding_ipv4": "0.0.0.0",
     "com.docker.network.bridge.name": "docker0",
     "com.docker.network.driver.mtu": "1500"
   },
   "Labels": {}},
  {"Name": "host", "Id": "c3d4", "Scope": "local", "Driver": "host",
   "Options": {}, "Labels": {}},
  {"Name": "none", "Id": "e5f6", "Scope": "local", "Driver": "null",
   "Options": {}, "Labels": {}}
])";

// `GET /info` of Podman 4's Docker-compatible API for a rootless user. The
// handler fills Docker's structure but leaves LoggingDriver empty, reports
// ExperimentalBuild as true and LiveRestoreEnabled as false, and never sets
// Plugins.Authorization.
constexpr const char* kPodmanInfo = R"({
  "ID": "6f3c1a52-0a8e-4a7d-a0d7-2f4b8f1c9e10",
  "Containers": 2,
  "Driver": "overlay",
  "DriverStatus": [["Backing Filesystem", "btrfs"],
                   ["Native Overlay Diff", "false"]],
  "Plugins": {
    "Volume": ["local"],
    "Network": ["bridge", "macvlan", "ipvlan"],
    "Authorization": null,
    "Log": ["k8s-file", "none", "passthrough", "journald"]
  },
  "LoggingDriver": "",
  "CgroupDriver": "systemd",
  "RegistryConfig": {
    "AllowNondistributableArtifactsCIDRs": [],
    "AllowNondistributableArtifactsHostnames": [],
    "InsecureRegistryCIDRs": [],
    "IndexConfigs": {
      "docker.io": {"Name": "docker.io", "Mirrors": [], "Secure": true,
                    "Official": false}
    },
    "Mirrors": []
  },
  "ExperimentalBuild": true,
  "ServerVersion": "4.9.3",
  "Swarm": {
    "NodeID": "",
    "NodeAddr": "",
    "LocalNodeState": "inactive",
    "ControlAvailable": false,
    "Error": "",
    "RemoteManagers": null
  },
  "LiveRestoreEnabled": false,
  "SecurityOptions": ["name=seccomp,profile=default", "name=rootless",
                      "name=selinux"],
  "ProductLicense": "Apache-2.0",
  "Rootless": true,
  "Warnings": []
})";

// `GET /networks` of the same Podman: its default network is `podman`.
constexpr const char* kPodmanNetworks = R"([
  {"Name": "podman", "Id": "2f25", "Scope": "local", "Driver": "bridge",
   "Options": {}, "Labels": {}}
])";

// `GET /info` shaped like that of a manager made by `docker swarm init`,
// trimmed to the Swarm member.
constexpr const char* kManagerInfo = R"({
  "Swarm": {
    "NodeID": "r5b2k1x3",
    "NodeAddr": "192.0.2.10",
    "LocalNodeState": "active",
    "ControlAvailable": true,
    "Error": "",
    "RemoteManagers": [{"NodeID": "r5b2k1x3", "Addr": "192.0.2.10:2377"}],
    "Nodes": 3,
    "Managers": 1,
    "Cluster": {
      "ID": "m2c9",
      "Version": {"Index": 10},
      "Spec": {
        "Name": "default",
        "Labels": {},
        "Orchestration": {"TaskHistoryRetentionLimit": 5},
        "Raft": {"SnapshotInterval": 10000, "KeepOldSnapshots": 0,
                 "LogEntriesForSlowFollowers": 500, "ElectionTick": 10,
                 "HeartbeatTick": 1},
        "Dispatcher": {"HeartbeatPeriod": 5000000000},
        "CAConfig": {"NodeCertExpiry": 7776000000000000},
        "TaskDefaults": {},
        "EncryptionConfig": {"AutoLockManagers": false}
      },
      "RootRotationInProgress": false,
      "DefaultAddrPool": ["10.0.0.0/8"],
      "SubnetSize": 24,
      "DataPathPort": 4789
    }
  }
})";

// `GET /info` of a swarm worker, which has no Cluster member.
constexpr const char* kWorkerInfo = R"({
  "Swarm": {
    "NodeID": "w7q4n8d2",
    "NodeAddr": "192.0.2.11",
    "LocalNodeState": "active",
    "ControlAvailable": false,
    "Error": "",
    "RemoteManagers": [{"NodeID": "r5b2k1x3", "Addr": "192.0.2.10:2377"}]
  }
})";

// `GET /networks` of a swarm manager with the default ingress network, an
// encrypted overlay network and the local networks swarm adds.
constexpr const char* kSwarmNetworks = R"([
  {"Name": "bridge", "Driver": "bridge", "Scope": "local",
   "Options": {"com.docker.network.bridge.enable_icc": "true"}},
  {"Name": "docker_gwbridge", "Driver": "bridge", "Scope": "local",
   "Options": {"com.docker.network.bridge.enable_icc": "false"}},
  {"Name": "ingress", "Driver": "overlay", "Scope": "swarm", "Ingress": true,
   "Options": {"com.docker.network.driver.overlay.vxlanid_list": "4096"}},
  {"Name": "backend", "Driver": "overlay", "Scope": "swarm",
   "Options": {"com.docker.network.driver.overlay.vxlanid_list": "4097",
               "encrypted": ""}}
])";

nlohmann::json InfoWithSwarmState(const char* state) {
  auto info = Parse(kDocker20Info);
  info["Swarm"]["LocalNodeState"] = state;
  return info;
}

// --- Checks that share their preconditions ---

TEST(EngineChecks, NullInfoIsUnknown) {
  const CheckSettings settings;
  const auto networks = Parse(kSwarmNetworks);
  for (const auto& named : kInfoChecks) {
    const auto result = named.check(EngineContext{
        .info = nullptr, .networks = &networks, .settings = settings});
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << named.name;
    EXPECT_EQ(result.reason, "the /info document is not available")
        << named.name;
  }
}

TEST(EngineChecks, EmptyInfoIsUnknown) {
  const auto info = Parse("{}");
  const auto networks = Parse(kSwarmNetworks);
  for (const auto& named : kInfoChecks) {
    EXPECT_EQ(JudgeNetworks(named.check, info, networks).outcome,
              Outcome::kUnknown)
        << named.name;
  }
}

TEST(EngineChecks, InfoOfWrongTypeIsUnknown) {
  const auto networks = Parse(kSwarmNetworks);
  for (const char* document : {"null", "[]", R"("info")", "42"}) {
    const auto info = Parse(document);
    for (const auto& named : kInfoChecks) {
      EXPECT_EQ(JudgeNetworks(named.check, info, networks).outcome,
                Outcome::kUnknown)
          << named.name << " on " << document;
    }
  }
}

// --- 2.1 rootless ---

TEST(RootlessCheck, RootlessOptionPasses) {
  const auto result = Judge(CheckRootless, Parse(kDocker28Info));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "SecurityOptions contains name=rootless");
}

TEST(RootlessCheck, NoRootlessOptionFails) {
  const auto result = Judge(CheckRootless, Parse(kDocker20Info));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "SecurityOptions has no name=rootless");
}

TEST(RootlessCheck, MatchesNameComponentExactly) {
  for (const char* document :
       {R"({"SecurityOptions": ["name=rootlessx"]})",
        R"({"SecurityOptions": ["name=root"]})",
        R"({"SecurityOptions": ["rootless"]})",
        R"({"SecurityOptions": ["name=seccomp,profile=rootless"]})",
        R"({"SecurityOptions": ["xname=rootless"]})"}) {
    EXPECT_EQ(Judge(CheckRootless, Parse(document)).outcome, Outcome::kFail)
        << document;
  }
}

TEST(RootlessCheck, OptionWithFurtherComponentsPasses) {
  const auto info =
      Parse(R"({"SecurityOptions": ["name=rootless,mode=user"]})");
  EXPECT_EQ(Judge(CheckRootless, info).outcome, Outcome::kPass);
}

TEST(RootlessCheck, NullOptionsFail) {
  // Go writes a nil list as null, so the engine has no security options.
  const auto result =
      Judge(CheckRootless, Parse(R"({"SecurityOptions": null})"));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "SecurityOptions has no name=rootless");
}

TEST(RootlessCheck, MissingOptionsIsUnknown) {
  const auto result = Judge(CheckRootless, Parse(R"({"Driver": "overlay2"})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "SecurityOptions is missing");
}

TEST(RootlessCheck, WrongTypeIsUnknown) {
  const auto result =
      Judge(CheckRootless, Parse(R"({"SecurityOptions": "name=rootless"})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "SecurityOptions is string, expected an array");
}

TEST(RootlessCheck, NonStringEntryIsUnknown) {
  const auto result = Judge(
      CheckRootless, Parse(R"({"SecurityOptions": ["name=seccomp", 7]})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "SecurityOptions contains number, expected strings");
}

TEST(RootlessCheck, MatchWinsOverNonStringEntry) {
  const auto info = Parse(R"({"SecurityOptions": [null, "name=rootless"]})");
  EXPECT_EQ(Judge(CheckRootless, info).outcome, Outcome::kPass);
}

// --- 2.2 icc_disabled ---

TEST(IccDisabledCheck, FalsePasses) {
  const auto networks = Parse(R"([{"Name": "bridge", "Driver": "bridge",
      "Options": {"com.docker.network.bridge.enable_icc": "false"}}])");
  const auto result =
      JudgeNetworks(CheckIccDisabled, Parse(kDocker20Info), networks);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "com.docker.network.bridge.enable_icc is false");
}

TEST(IccDisabledCheck, DefaultBridgeFails) {
  const auto result = JudgeNetworks(CheckIccDisabled, Parse(kDocker28Info),
                                    Parse(kDocker28Networks));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "com.docker.network.bridge.enable_icc is true");
}

TEST(IccDisabledCheck, AbsentOptionFails) {
  // The bridge driver enables inter-container communication by default.
  const auto networks = Parse(
      R"([{"Name": "bridge", "Driver": "bridge", "Options": {"x": "y"}}])");
  const auto result =
      JudgeNetworks(CheckIccDisabled, Parse(kDocker20Info), networks);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "com.docker.network.bridge.enable_icc is not set on network "
            "bridge");
}

TEST(IccDisabledCheck, NullOptionsFail) {
  const auto networks =
      Parse(R"([{"Name": "bridge", "Driver": "bridge", "Options": null}])");
  EXPECT_EQ(
      JudgeNetworks(CheckIccDisabled, Parse(kDocker20Info), networks).outcome,
      Outcome::kFail);
}

TEST(IccDisabledCheck, OnlyNetworkNamedBridgeCounts) {
  // docker_gwbridge disables ICC, but the default bridge does not.
  const auto result = JudgeNetworks(CheckIccDisabled, Parse(kManagerInfo),
                                    Parse(kSwarmNetworks));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "com.docker.network.bridge.enable_icc is true");
}

TEST(IccDisabledCheck, NoBridgeNetworkIsNotApplicable) {
  const auto result = JudgeNetworks(CheckIccDisabled, Parse(kDocker20Info),
                                    Parse(kDocker20Networks));
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "no network is named bridge");
}

TEST(IccDisabledCheck, PodmanNetworkIsNotApplicable) {
  EXPECT_EQ(JudgeNetworks(CheckIccDisabled, Parse(kPodmanInfo),
                          Parse(kPodmanNetworks))
                .outcome,
            Outcome::kNotApplicable);
}

TEST(IccDisabledCheck, EmptyNetworkListIsNotApplicable) {
  EXPECT_EQ(JudgeNetworks(CheckIccDisabled, Parse(kDocker20Info), Parse("[]"))
                .outcome,
            Outcome::kNotApplicable);
}

TEST(IccDisabledCheck, NullNetworksIsUnknown) {
  const auto info = Parse(kDocker20Info);
  const auto result = Judge(CheckIccDisabled, info);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "the /networks document is not available");
}

TEST(IccDisabledCheck, NetworksOfWrongTypeIsUnknown) {
  const auto result =
      JudgeNetworks(CheckIccDisabled, Parse(kDocker20Info), Parse("{}"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "the /networks document is object, expected an array");
}

TEST(IccDisabledCheck, NeedsNoInfo) {
  const CheckSettings settings;
  const auto networks = Parse(kDocker28Networks);
  const auto result = CheckIccDisabled(
      EngineContext{.networks = &networks, .settings = settings});
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

TEST(IccDisabledCheck, UnreadableEntriesAreUnknown) {
  const auto info = Parse(kDocker20Info);
  for (const char* networks :
       {R"([{"Name": "bridge", "Driver": "bridge"}])",
        R"([{"Name": "bridge", "Options": ["enable_icc"]}])",
        R"([{"Name": "bridge", "Options":
             {"com.docker.network.bridge.enable_icc": false}}])",
        R"([{"Driver": "bridge"}])", R"([{"Name": 5}])", R"(["bridge"])"}) {
    EXPECT_EQ(JudgeNetworks(CheckIccDisabled, info, Parse(networks)).outcome,
              Outcome::kUnknown)
        << networks;
  }
}

TEST(IccDisabledCheck, BridgeFoundPastUnreadableEntry) {
  const auto networks = Parse(R"([{"Id": "x"}, {"Name": "bridge",
      "Options": {"com.docker.network.bridge.enable_icc": "false"}}])");
  EXPECT_EQ(
      JudgeNetworks(CheckIccDisabled, Parse(kDocker20Info), networks).outcome,
      Outcome::kPass);
}

// --- 2.5 insecure_registries ---

TEST(InsecureRegistriesCheck, LoopbackRangesPass) {
  // Every engine lists 127.0.0.0/8 by default, so a checker that fails on
  // any entry fails every default daemon.
  const auto result = Judge(CheckInsecureRegistries, Parse(kDocker20Info));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "every registry index is secure, and InsecureRegistryCIDRs "
            "contains only the built-in loopback ranges");
}

TEST(InsecureRegistriesCheck, Ipv6LoopbackRangePasses) {
  EXPECT_EQ(Judge(CheckInsecureRegistries, Parse(kDocker28Info)).outcome,
            Outcome::kPass);
}

TEST(InsecureRegistriesCheck, EmptyRangesPass) {
  EXPECT_EQ(Judge(CheckInsecureRegistries, Parse(kPodmanInfo)).outcome,
            Outcome::kPass);
}

TEST(InsecureRegistriesCheck, InsecureIndexFails) {
  auto info = Parse(kDocker20Info);
  info["RegistryConfig"]["IndexConfigs"]["myreg:5000"] = Parse(
      R"({"Name": "myreg:5000", "Mirrors": [], "Secure": false,
          "Official": false})");
  const auto result = Judge(CheckInsecureRegistries, info);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "registry index myreg:5000 is not secure");
}

TEST(InsecureRegistriesCheck, NamesEveryInsecureIndex) {
  auto info = Parse(kDocker20Info);
  info["RegistryConfig"]["IndexConfigs"]["a.example:5000"]["Secure"] = false;
  info["RegistryConfig"]["IndexConfigs"]["b.example"]["Secure"] = false;
  const auto result = Judge(CheckInsecureRegistries, info);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "registry indexes a.example:5000, b.example are not secure");
}

TEST(InsecureRegistriesCheck, NonLoopbackRangeFails) {
  auto info = Parse(kDocker28Info);
  info["RegistryConfig"]["InsecureRegistryCIDRs"] =
      Parse(R"(["10.0.0.0/8", "::1/128", "127.0.0.0/8"])");
  const auto result = Judge(CheckInsecureRegistries, info);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "InsecureRegistryCIDRs contains 10.0.0.0/8");
}

TEST(InsecureRegistriesCheck, NarrowerLoopbackRangeFails) {
  // Only the ranges the engine adds itself are exempt: a range the
  // operator added was configured, even inside loopback.
  auto info = Parse(kDocker20Info);
  info["RegistryConfig"]["InsecureRegistryCIDRs"] =
      Parse(R"(["127.0.0.0/8", "127.0.0.1/32"])");
  const auto result = Judge(CheckInsecureRegistries, info);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "InsecureRegistryCIDRs contains 127.0.0.1/32");
}

TEST(InsecureRegistriesCheck, NamesIndexesAndRanges) {
  auto info = Parse(kDocker20Info);
  info["RegistryConfig"]["IndexConfigs"]["myreg:5000"]["Secure"] = false;
  info["RegistryConfig"]["InsecureRegistryCIDRs"] =
      Parse(R"(["127.0.0.0/8", "10.0.0.0/8", "fd00::/8"])");
  const auto result = Judge(CheckInsecureRegistries, info);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "registry index myreg:5000 is not secure and "
            "InsecureRegistryCIDRs contains 10.0.0.0/8, fd00::/8");
}

TEST(InsecureRegistriesCheck, PodmanInsecureRegistryFails) {
  // Podman reports a registry marked `insecure = true` in registries.conf.
  auto info = Parse(kPodmanInfo);
  info["RegistryConfig"]["IndexConfigs"]["registry.lab.internal"] = Parse(
      R"({"Name": "registry.lab.internal", "Mirrors": [], "Secure": false,
          "Official": false})");
  EXPECT_EQ(Judge(CheckInsecureRegistries, info).outcome, Outcome::kFail);
}

TEST(InsecureRegistriesCheck, NullListsPass) {
  const auto info = Parse(
      R"({"RegistryConfig": {"IndexConfigs": null,
                             "InsecureRegistryCIDRs": null}})");
  EXPECT_EQ(Judge(CheckInsecureRegistries, info).outcome, Outcome::kPass);
}

TEST(InsecureRegistriesCheck, MissingFieldsAreUnknown) {
  struct Case {
    const char* document;
    const char* reason;
  };
  const Case cases[] = {
      {R"({})", "RegistryConfig.IndexConfigs is missing"},
      {R"({"RegistryConfig": null})", "RegistryConfig.IndexConfigs is missing"},
      {R"({"RegistryConfig": {"InsecureRegistryCIDRs": []}})",
       "RegistryConfig.IndexConfigs is missing"},
      {R"({"RegistryConfig": {"IndexConfigs": {}}})",
       "RegistryConfig.InsecureRegistryCIDRs is missing"},
      {R"({"RegistryConfig": {"IndexConfigs": {"docker.io": {}},
                              "InsecureRegistryCIDRs": []}})",
       "Secure of registry index docker.io is missing"},
      {R"({"RegistryConfig": {"IndexConfigs": {"docker.io": {"Secure": 1}},
                              "InsecureRegistryCIDRs": []}})",
       "Secure of registry index docker.io is number, expected a boolean"},
      {R"({"RegistryConfig": {"IndexConfigs": [],
                              "InsecureRegistryCIDRs": []}})",
       "RegistryConfig.IndexConfigs is array, expected an object"},
      {R"({"RegistryConfig": {"IndexConfigs": {},
                              "InsecureRegistryCIDRs": "127.0.0.0/8"}})",
       "RegistryConfig.InsecureRegistryCIDRs is string, expected an array"},
      {R"({"RegistryConfig": {"IndexConfigs": {},
                              "InsecureRegistryCIDRs": [{"IP": "::1"}]}})",
       "InsecureRegistryCIDRs contains object, expected strings"},
  };
  for (const auto& test_case : cases) {
    const auto result =
        Judge(CheckInsecureRegistries, Parse(test_case.document));
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.document;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.document;
  }
}

TEST(InsecureRegistriesCheck, FailWinsOverUnreadableEntry) {
  const auto info = Parse(
      R"({"RegistryConfig": {"IndexConfigs": {"docker.io": {}},
                             "InsecureRegistryCIDRs": ["192.168.0.0/16"]}})");
  const auto result = Judge(CheckInsecureRegistries, info);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "InsecureRegistryCIDRs contains 192.168.0.0/16");
}

// --- 2.6 aufs ---

TEST(AufsCheck, OtherDriversPass) {
  for (const char* driver : {"overlay2", "overlayfs", "btrfs", "zfs", "vfs"}) {
    auto info = Parse(kDocker20Info);
    info["Driver"] = driver;
    const auto result = Judge(CheckAufs, info);
    EXPECT_EQ(result.outcome, Outcome::kPass) << driver;
    EXPECT_EQ(result.reason, std::string("Driver is ") + driver);
  }
}

TEST(AufsCheck, AufsFails) {
  const auto result = Judge(CheckAufs, Parse(R"({"Driver": "aufs"})"));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Driver is aufs");
}

TEST(AufsCheck, EmptyDriverIsUnknown) {
  const auto result = Judge(CheckAufs, Parse(R"({"Driver": ""})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Driver is empty");
}

TEST(AufsCheck, MissingOrWrongTypeIsUnknown) {
  for (const char* document :
       {R"({})", R"({"Driver": null})", R"({"Driver": ["aufs"]})"}) {
    EXPECT_EQ(Judge(CheckAufs, Parse(document)).outcome, Outcome::kUnknown)
        << document;
  }
}

// --- 2.9 userns_remap ---

TEST(UsernsRemapCheck, UsernsOptionPasses) {
  const auto info = Parse(
      R"({"SecurityOptions": ["name=apparmor", "name=seccomp,profile=builtin",
                              "name=userns"]})");
  const auto result = Judge(CheckUsernsRemap, info);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "SecurityOptions contains name=userns");
}

TEST(UsernsRemapCheck, DefaultEnginesFail) {
  for (const char* document : {kDocker20Info, kDocker28Info, kPodmanInfo}) {
    const auto result = Judge(CheckUsernsRemap, Parse(document));
    EXPECT_EQ(result.outcome, Outcome::kFail);
    EXPECT_EQ(result.reason, "SecurityOptions has no name=userns");
  }
}

TEST(UsernsRemapCheck, SimilarNamesDoNotMatch) {
  for (const char* document :
       {R"({"SecurityOptions": ["name=cgroupns"]})",
        R"({"SecurityOptions": ["name=userns-remap"]})",
        R"({"SecurityOptions": ["name=seccomp,profile=userns"]})"}) {
    EXPECT_EQ(Judge(CheckUsernsRemap, Parse(document)).outcome, Outcome::kFail)
        << document;
  }
}

TEST(UsernsRemapCheck, MissingOptionsIsUnknown) {
  EXPECT_EQ(Judge(CheckUsernsRemap, Parse("{}")).outcome, Outcome::kUnknown);
}

// --- 2.12 authz_plugin ---

TEST(AuthzPluginCheck, NullFails) {
  const auto result = Judge(CheckAuthzPlugin, Parse(kDocker20Info));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Plugins.Authorization is null");
}

TEST(AuthzPluginCheck, EmptyListFails) {
  const auto result =
      Judge(CheckAuthzPlugin, Parse(R"({"Plugins": {"Authorization": []}})"));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "Plugins.Authorization is empty");
}

TEST(AuthzPluginCheck, ConfiguredPluginPasses) {
  auto info = Parse(kDocker28Info);
  info["Plugins"]["Authorization"] = Parse(R"(["authz-broker"])");
  const auto result = Judge(CheckAuthzPlugin, info);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "Plugins.Authorization is authz-broker");
}

TEST(AuthzPluginCheck, NamesEveryPlugin) {
  const auto info = Parse(R"({"Plugins": {"Authorization":
                                 ["authz-broker", "opa-docker-authz"]}})");
  EXPECT_EQ(Judge(CheckAuthzPlugin, info).reason,
            "Plugins.Authorization is authz-broker, opa-docker-authz");
}

TEST(AuthzPluginCheck, MissingFieldIsUnknown) {
  struct Case {
    const char* document;
    const char* reason;
  };
  const Case cases[] = {
      {R"({})", "Plugins.Authorization is missing"},
      {R"({"Plugins": {"Volume": ["local"]}})",
       "Plugins.Authorization is missing"},
      {R"({"Plugins": null})", "Plugins.Authorization is missing"},
      {R"({"Plugins": {"Authorization": "authz-broker"}})",
       "Plugins.Authorization is string, expected an array"},
      {R"({"Plugins": {"Authorization": [{"Name": "authz-broker"}]}})",
       "Plugins.Authorization contains object, expected strings"},
  };
  for (const auto& test_case : cases) {
    const auto result = Judge(CheckAuthzPlugin, Parse(test_case.document));
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.document;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.document;
  }
}

// --- 2.13 remote_logging ---

TEST(RemoteLoggingCheck, HostOnlyDriversFail) {
  for (const char* driver : {"json-file", "local", "none"}) {
    auto info = Parse(kDocker20Info);
    info["LoggingDriver"] = driver;
    const auto result = Judge(CheckRemoteLogging, info);
    EXPECT_EQ(result.outcome, Outcome::kFail) << driver;
    EXPECT_EQ(result.reason, std::string("LoggingDriver is ") + driver);
  }
}

TEST(RemoteLoggingCheck, ForwardingDriversPass) {
  for (const char* driver :
       {"syslog", "journald", "fluentd", "gelf", "awslogs", "splunk"}) {
    auto info = Parse(kDocker20Info);
    info["LoggingDriver"] = driver;
    const auto result = Judge(CheckRemoteLogging, info);
    EXPECT_EQ(result.outcome, Outcome::kPass) << driver;
    EXPECT_EQ(result.reason, std::string("LoggingDriver is ") + driver);
  }
}

TEST(RemoteLoggingCheck, PodmanEmptyDriverIsUnknown) {
  // Podman's compatibility API sends an empty LoggingDriver.
  const auto result = Judge(CheckRemoteLogging, Parse(kPodmanInfo));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "LoggingDriver is empty");
}

TEST(RemoteLoggingCheck, MissingOrWrongTypeIsUnknown) {
  for (const char* document :
       {R"({})", R"({"LoggingDriver": null})", R"({"LoggingDriver": 1})"}) {
    EXPECT_EQ(Judge(CheckRemoteLogging, Parse(document)).outcome,
              Outcome::kUnknown)
        << document;
  }
}

// --- 2.15 live_restore ---

TEST(LiveRestoreCheck, EnabledPasses) {
  const auto result = Judge(CheckLiveRestore, Parse(kDocker28Info));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "LiveRestoreEnabled is true");
}

TEST(LiveRestoreCheck, DisabledFails) {
  const auto result = Judge(CheckLiveRestore, Parse(kDocker20Info));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "LiveRestoreEnabled is false");
}

TEST(LiveRestoreCheck, MissingFieldIsUnknown) {
  const auto result = Judge(CheckLiveRestore, Parse(R"({"Driver": "x"})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "LiveRestoreEnabled is missing");
}

TEST(LiveRestoreCheck, WrongTypeIsUnknown) {
  const auto result =
      Judge(CheckLiveRestore, Parse(R"({"LiveRestoreEnabled": "true"})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "LiveRestoreEnabled is string, expected a boolean");
}

// --- 2.18 experimental ---

TEST(ExperimentalCheck, StableBuildPasses) {
  const auto result = Judge(CheckExperimental, Parse(kDocker20Info));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "ExperimentalBuild is false");
}

TEST(ExperimentalCheck, ExperimentalBuildFails) {
  // Podman's compatibility API always reports true.
  const auto result = Judge(CheckExperimental, Parse(kPodmanInfo));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "ExperimentalBuild is true");
}

TEST(ExperimentalCheck, MissingOrWrongTypeIsUnknown) {
  for (const char* document : {R"({})", R"({"ExperimentalBuild": null})",
                               R"({"ExperimentalBuild": 0})"}) {
    EXPECT_EQ(Judge(CheckExperimental, Parse(document)).outcome,
              Outcome::kUnknown)
        << document;
  }
}

// --- 5.1 swarm_disabled ---

TEST(SwarmDisabledCheck, InactivePasses) {
  const auto result = Judge(CheckSwarmDisabled, Parse(kDocker20Info));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "Swarm.LocalNodeState is inactive");
}

TEST(SwarmDisabledCheck, SwarmStatesFail) {
  for (const char* state : {"active", "pending", "error", "locked"}) {
    const auto result = Judge(CheckSwarmDisabled, InfoWithSwarmState(state));
    EXPECT_EQ(result.outcome, Outcome::kFail) << state;
    EXPECT_EQ(result.reason, std::string("Swarm.LocalNodeState is ") + state);
  }
}

TEST(SwarmDisabledCheck, EmptyStateIsUnknown) {
  const auto result = Judge(CheckSwarmDisabled, InfoWithSwarmState(""));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Swarm.LocalNodeState is empty");
}

TEST(SwarmDisabledCheck, AbsentStateIsUnknown) {
  for (const char* document :
       {R"({})", R"({"Swarm": {}})", R"({"Swarm": null})",
        R"({"Swarm": {"NodeID": "", "ControlAvailable": false}})"}) {
    const auto result = Judge(CheckSwarmDisabled, Parse(document));
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << document;
    EXPECT_EQ(result.reason, "Swarm.LocalNodeState is missing") << document;
  }
}

TEST(SwarmDisabledCheck, UnrecognizedStateIsUnknown) {
  const auto result = Judge(CheckSwarmDisabled, InfoWithSwarmState("joining"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "Swarm.LocalNodeState is joining, which is not a known state");
}

TEST(SwarmDisabledCheck, WrongTypeIsUnknown) {
  const auto result =
      Judge(CheckSwarmDisabled, Parse(R"({"Swarm": {"LocalNodeState": 1}})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Swarm.LocalNodeState is number, expected a string");
}

// --- 7.3 overlay_encrypted ---

TEST(OverlayEncryptedCheck, NotApplicableOutsideSwarm) {
  for (const char* state : {"inactive", "pending", "error", "locked"}) {
    const auto result =
        JudgeNetworks(CheckOverlayEncrypted, InfoWithSwarmState(state),
                      Parse(kSwarmNetworks));
    EXPECT_EQ(result.outcome, Outcome::kNotApplicable) << state;
    EXPECT_EQ(result.reason, std::string("Swarm.LocalNodeState is ") + state);
  }
}

TEST(OverlayEncryptedCheck, UnreadableStateIsUnknown) {
  for (const char* state : {"", "joining"}) {
    EXPECT_EQ(JudgeNetworks(CheckOverlayEncrypted, InfoWithSwarmState(state),
                            Parse(kSwarmNetworks))
                  .outcome,
              Outcome::kUnknown)
        << state;
  }
}

TEST(OverlayEncryptedCheck, UnencryptedIngressFails) {
  const auto result = JudgeNetworks(CheckOverlayEncrypted, Parse(kManagerInfo),
                                    Parse(kSwarmNetworks));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "overlay networks not encrypted: ingress");
}

TEST(OverlayEncryptedCheck, NamesEveryUnencryptedNetwork) {
  const auto networks = Parse(R"([
    {"Name": "ingress", "Driver": "overlay", "Options": {}},
    {"Name": "secure", "Driver": "overlay", "Options": {"encrypted": ""}},
    {"Name": "frontend", "Driver": "overlay", "Options": null}])");
  const auto result =
      JudgeNetworks(CheckOverlayEncrypted, Parse(kManagerInfo), networks);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "overlay networks not encrypted: ingress, frontend");
}

TEST(OverlayEncryptedCheck, EncryptedOverlaysPass) {
  const auto networks = Parse(R"([
    {"Name": "bridge", "Driver": "bridge", "Options": {}},
    {"Name": "ingress", "Driver": "overlay",
     "Options": {"com.docker.network.driver.overlay.vxlanid_list": "4096",
                 "encrypted": ""}},
    {"Name": "backend", "Driver": "overlay",
     "Options": {"encrypted": "true"}}])");
  const auto result =
      JudgeNetworks(CheckOverlayEncrypted, Parse(kManagerInfo), networks);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "overlay networks encrypted: ingress, backend");
}

TEST(OverlayEncryptedCheck, WorkerNetworksAreJudged) {
  const auto result = JudgeNetworks(CheckOverlayEncrypted, Parse(kWorkerInfo),
                                    Parse(kSwarmNetworks));
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

TEST(OverlayEncryptedCheck, NoOverlayNetworksPass) {
  const auto result = JudgeNetworks(CheckOverlayEncrypted, Parse(kManagerInfo),
                                    Parse(kDocker28Networks));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "no overlay networks");
}

TEST(OverlayEncryptedCheck, NullNetworksIsUnknown) {
  const auto result = Judge(CheckOverlayEncrypted, Parse(kManagerInfo));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "the /networks document is not available");
}

TEST(OverlayEncryptedCheck, UnreadableOverlayIsUnknown) {
  struct Case {
    const char* networks;
    const char* reason;
  };
  const Case cases[] = {
      {R"([{"Name": "ingress", "Driver": "overlay"}])",
       "Options of network ingress is missing"},
      {R"([{"Name": "ingress", "Driver": "overlay",
             "Options": ["encrypted"]}])",
       "Options of network ingress is array, expected an object"},
      {R"([{"Name": "ingress", "Options": {}}])",
       "a network's Driver is missing"},
      {R"([{"Driver": "overlay", "Options": {}}])",
       "a network's Name is missing"},
      {R"([{"Name": "ingress", "Driver": 1, "Options": {}}])",
       "a network's Driver is number, expected a string"},
  };
  for (const auto& test_case : cases) {
    const auto result = JudgeNetworks(
        CheckOverlayEncrypted, Parse(kManagerInfo), Parse(test_case.networks));
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.networks;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.networks;
  }
}

TEST(OverlayEncryptedCheck, FailWinsOverUnreadableNetwork) {
  const auto networks = Parse(R"([
    {"Name": "broken", "Driver": "overlay"},
    {"Name": "ingress", "Driver": "overlay", "Options": {}}])");
  const auto result =
      JudgeNetworks(CheckOverlayEncrypted, Parse(kManagerInfo), networks);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "overlay networks not encrypted: ingress");
}

// --- 7.5 autolock ---

TEST(AutolockCheck, EnabledPasses) {
  auto info = Parse(kManagerInfo);
  info["Swarm"]["Cluster"]["Spec"]["EncryptionConfig"]["AutoLockManagers"] =
      true;
  const auto result = Judge(CheckAutolock, info);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers is true");
}

TEST(AutolockCheck, DisabledFails) {
  const auto result = Judge(CheckAutolock, Parse(kManagerInfo));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers is false");
}

TEST(AutolockCheck, WorkerIsNotApplicable) {
  const auto result = Judge(CheckAutolock, Parse(kWorkerInfo));
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason,
            "Swarm.ControlAvailable is false, so the node is a swarm worker");
}

TEST(AutolockCheck, NotApplicableOutsideSwarm) {
  for (const char* state : {"inactive", "pending", "error", "locked"}) {
    const auto result = Judge(CheckAutolock, InfoWithSwarmState(state));
    EXPECT_EQ(result.outcome, Outcome::kNotApplicable) << state;
  }
}

TEST(AutolockCheck, UnreadableStateIsUnknown) {
  for (const char* state : {"", "joining"}) {
    EXPECT_EQ(Judge(CheckAutolock, InfoWithSwarmState(state)).outcome,
              Outcome::kUnknown)
        << state;
  }
  EXPECT_EQ(Judge(CheckAutolock, Parse(R"({"Swarm": {}})")).outcome,
            Outcome::kUnknown);
}

TEST(AutolockCheck, ManagerWithoutClusterIsUnknown) {
  auto info = Parse(kManagerInfo);
  info["Swarm"].erase("Cluster");
  const auto result = Judge(CheckAutolock, info);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster is missing, but Swarm.ControlAvailable is true");
}

TEST(AutolockCheck, NoClusterOrControlFieldIsUnknown) {
  auto info = Parse(kWorkerInfo);
  info["Swarm"].erase("ControlAvailable");
  const auto result = Judge(CheckAutolock, info);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Swarm.ControlAvailable is missing");
}

TEST(AutolockCheck, UnreadableClusterIsUnknown) {
  auto info = Parse(kManagerInfo);
  info["Swarm"]["Cluster"] = nullptr;
  const auto result = Judge(CheckAutolock, info);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Swarm.Cluster is null, expected an object");
}

TEST(AutolockCheck, MissingSettingIsUnknown) {
  auto info = Parse(kManagerInfo);
  info["Swarm"]["Cluster"]["Spec"].erase("EncryptionConfig");
  const auto result = Judge(CheckAutolock, info);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers is missing");
}

// --- 7.7 node_cert_expiry ---

constexpr std::int64_t kNanosecondsPerHour = 3'600'000'000'000;

nlohmann::json ManagerWithExpiry(const nlohmann::json& expiry) {
  auto info = Parse(kManagerInfo);
  info["Swarm"]["Cluster"]["Spec"]["CAConfig"]["NodeCertExpiry"] = expiry;
  return info;
}

TEST(NodeCertExpiryCheck, EngineDefaultPasses) {
  // The engine's default of 2160h equals the default maximum of 90 days.
  const auto result = Judge(CheckNodeCertExpiry, Parse(kManagerInfo));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is 2160h, the maximum "
            "is 2160h");
}

TEST(NodeCertExpiryCheck, ShorterPasses) {
  const auto result =
      Judge(CheckNodeCertExpiry, ManagerWithExpiry(720 * kNanosecondsPerHour));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is 720h, the maximum "
            "is 2160h");
}

TEST(NodeCertExpiryCheck, LongerFails) {
  const auto result =
      Judge(CheckNodeCertExpiry, ManagerWithExpiry(8760 * kNanosecondsPerHour));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is 8760h, the maximum "
            "is 2160h");
}

TEST(NodeCertExpiryCheck, OneNanosecondOverFails) {
  const auto result = Judge(CheckNodeCertExpiry,
                            ManagerWithExpiry(2160 * kNanosecondsPerHour + 1));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is 7776000000000001ns, "
            "the maximum is 2160h");
}

TEST(NodeCertExpiryCheck, ConfiguredMaximumApplies) {
  CheckSettings settings;
  settings.max_node_cert_expiry = std::chrono::hours(720);
  const auto at_maximum =
      Judge(CheckNodeCertExpiry, ManagerWithExpiry(720 * kNanosecondsPerHour),
            settings);
  EXPECT_EQ(at_maximum.outcome, Outcome::kPass);
  const auto engine_default =
      Judge(CheckNodeCertExpiry, Parse(kManagerInfo), settings);
  EXPECT_EQ(engine_default.outcome, Outcome::kFail);
  EXPECT_EQ(engine_default.reason,
            "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is 2160h, the maximum "
            "is 720h");
}

TEST(NodeCertExpiryCheck, MaximumInSecondsIsShownInSeconds) {
  CheckSettings settings;
  settings.max_node_cert_expiry = std::chrono::seconds(5400);
  const auto result = Judge(CheckNodeCertExpiry,
                            ManagerWithExpiry(kNanosecondsPerHour), settings);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is 1h, the maximum "
            "is 5400s");
}

TEST(NodeCertExpiryCheck, WorkerIsNotApplicable) {
  EXPECT_EQ(Judge(CheckNodeCertExpiry, Parse(kWorkerInfo)).outcome,
            Outcome::kNotApplicable);
}

TEST(NodeCertExpiryCheck, NotApplicableOutsideSwarm) {
  for (const char* document : {kDocker20Info, kDocker28Info, kPodmanInfo}) {
    const auto result = Judge(CheckNodeCertExpiry, Parse(document));
    EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
    EXPECT_EQ(result.reason, "Swarm.LocalNodeState is inactive");
  }
}

TEST(NodeCertExpiryCheck, MissingExpiryIsUnknown) {
  auto info = Parse(kManagerInfo);
  info["Swarm"]["Cluster"]["Spec"]["CAConfig"].erase("NodeCertExpiry");
  const auto result = Judge(CheckNodeCertExpiry, info);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is missing");
}

TEST(NodeCertExpiryCheck, WrongTypeIsUnknown) {
  struct Case {
    nlohmann::json expiry;
    const char* reason;
  };
  const Case cases[] = {
      {"2160h",
       "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is string, expected an "
       "integer"},
      {7.776e15,
       "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is number, expected an "
       "integer"},
      {nullptr,
       "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is null, expected an "
       "integer"},
      {-kNanosecondsPerHour,
       "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is negative"},
      {Parse("18446744073709551615"),
       "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry is out of range"},
  };
  for (const auto& test_case : cases) {
    const auto result =
        Judge(CheckNodeCertExpiry, ManagerWithExpiry(test_case.expiry));
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.expiry;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.expiry;
  }
}

// --- Whole documents from each engine family ---

struct Expectation {
  const char* name;
  EngineCheck check;
  Outcome outcome;
};

void ExpectOutcomes(const char* info_text, const char* networks_text,
                    const std::vector<Expectation>& expectations) {
  const auto info = Parse(info_text);
  const auto networks = Parse(networks_text);
  for (const auto& expected : expectations) {
    const auto result = JudgeNetworks(expected.check, info, networks);
    EXPECT_EQ(result.outcome, expected.outcome)
        << expected.name << ": " << result.reason;
  }
}

TEST(EngineFamilies, Docker20Defaults) {
  ExpectOutcomes(
      kDocker20Info, kDocker20Networks,
      {
          {"rootless", CheckRootless, Outcome::kFail},
          {"icc_disabled", CheckIccDisabled, Outcome::kNotApplicable},
          {"insecure_registries", CheckInsecureRegistries, Outcome::kPass},
          {"aufs", CheckAufs, Outcome::kPass},
          {"userns_remap", CheckUsernsRemap, Outcome::kFail},
          {"authz_plugin", CheckAuthzPlugin, Outcome::kFail},
          {"remote_logging", CheckRemoteLogging, Outcome::kFail},
          {"live_restore", CheckLiveRestore, Outcome::kFail},
          {"experimental", CheckExperimental, Outcome::kPass},
          {"swarm_disabled", CheckSwarmDisabled, Outcome::kPass},
          {"overlay_encrypted", CheckOverlayEncrypted, Outcome::kNotApplicable},
          {"autolock", CheckAutolock, Outcome::kNotApplicable},
          {"node_cert_expiry", CheckNodeCertExpiry, Outcome::kNotApplicable},
      });
}

TEST(EngineFamilies, Docker28Rootless) {
  ExpectOutcomes(
      kDocker28Info, kDocker28Networks,
      {
          {"rootless", CheckRootless, Outcome::kPass},
          {"icc_disabled", CheckIccDisabled, Outcome::kFail},
          {"insecure_registries", CheckInsecureRegistries, Outcome::kPass},
          {"aufs", CheckAufs, Outcome::kPass},
          {"userns_remap", CheckUsernsRemap, Outcome::kFail},
          {"authz_plugin", CheckAuthzPlugin, Outcome::kFail},
          {"remote_logging", CheckRemoteLogging, Outcome::kPass},
          {"live_restore", CheckLiveRestore, Outcome::kPass},
          {"experimental", CheckExperimental, Outcome::kPass},
          {"swarm_disabled", CheckSwarmDisabled, Outcome::kPass},
          {"overlay_encrypted", CheckOverlayEncrypted, Outcome::kNotApplicable},
          {"autolock", CheckAutolock, Outcome::kNotApplicable},
          {"node_cert_expiry", CheckNodeCertExpiry, Outcome::kNotApplicable},
      });
}

TEST(EngineFamilies, PodmanCompatibilityApi) {
  ExpectOutcomes(
      kPodmanInfo, kPodmanNetworks,
      {
          {"rootless", CheckRootless, Outcome::kPass},
          {"icc_disabled", CheckIccDisabled, Outcome::kNotApplicable},
          {"insecure_registries", CheckInsecureRegistries, Outcome::kPass},
          {"aufs", CheckAufs, Outcome::kPass},
          {"userns_remap", CheckUsernsRemap, Outcome::kFail},
          {"authz_plugin", CheckAuthzPlugin, Outcome::kFail},
          {"remote_logging", CheckRemoteLogging, Outcome::kUnknown},
          {"live_restore", CheckLiveRestore, Outcome::kFail},
          {"experimental", CheckExperimental, Outcome::kFail},
          {"swarm_disabled", CheckSwarmDisabled, Outcome::kPass},
          {"overlay_encrypted", CheckOverlayEncrypted, Outcome::kNotApplicable},
          {"autolock", CheckAutolock, Outcome::kNotApplicable},
          {"node_cert_expiry", CheckNodeCertExpiry, Outcome::kNotApplicable},
      });
}

TEST(EngineFamilies, PodmanLibpodInfoIsUnknown) {
  // Podman's own `GET /libpod/info` names the same facts differently
  // (`host.security.rootless`, `store.graphDriverName`, lower-case
  // `plugins`). An exporter pointed at it must not pass anything.
  const auto info = Parse(R"({
    "host": {"arch": "amd64", "logDriver": "journald",
             "security": {"apparmorEnabled": false, "rootless": true,
                          "seccompEnabled": true, "selinuxEnabled": true}},
    "plugins": {"volume": ["local"], "network": ["bridge"],
                "log": ["k8s-file", "journald"], "authorization": null},
    "registries": {"search": ["docker.io"]},
    "store": {"graphDriverName": "overlay"},
    "version": {"APIVersion": "4.9.3", "Version": "4.9.3"}
  })");
  const auto networks = Parse(kPodmanNetworks);
  for (const auto& named : kInfoChecks) {
    const auto result = JudgeNetworks(named.check, info, networks);
    EXPECT_EQ(result.outcome, Outcome::kUnknown)
        << named.name << ": " << result.reason;
  }
}

}  // namespace
}  // namespace dce
