#include <gtest/gtest.h>

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "collectors/container_checks.h"

namespace dce {
namespace {

using CheckFunction = CheckResult (*)(const ContainerContext&);

// The documents of one container, parsed from JSON text. A document that is
// never set stays null in the context, as when the exporter did not fetch it.
class Container {
 public:
  explicit Container(const char* inspect)
      : inspect_(nlohmann::json::parse(inspect)) {}

  Container& WithInfo(const char* text) {
    info_ = nlohmann::json::parse(text);
    return *this;
  }

  Container& WithService(const char* text) {
    service_ = nlohmann::json::parse(text);
    return *this;
  }

  Container& WithExecs(std::initializer_list<const char*> texts) {
    execs_.emplace();
    for (const char* text : texts) {
      execs_->push_back(nlohmann::json::parse(text));
    }
    return *this;
  }

  Container& WithDaemonNoNewPrivileges(bool enforced) {
    settings_.daemon_no_new_privileges = enforced;
    return *this;
  }

  CheckResult Run(CheckFunction check) const {
    const ContainerContext context{
        .inspect = inspect_,
        .info = info_ ? &*info_ : nullptr,
        .execs = execs_ ? &*execs_ : nullptr,
        .service = service_ ? &*service_ : nullptr,
        .settings = settings_,
    };
    return check(context);
  }

 private:
  nlohmann::json inspect_;
  std::optional<nlohmann::json> info_;
  std::optional<nlohmann::json> service_;
  std::optional<std::vector<nlohmann::json>> execs_;
  CheckSettings settings_;
};

// `/info` documents of hosts with and without the Linux security modules.
constexpr const char* kApparmorInfo =
    R"({"SecurityOptions": ["name=apparmor", "name=seccomp,profile=builtin",
                            "name=cgroupns"]})";
constexpr const char* kSelinuxInfo =
    R"({"SecurityOptions": ["name=seccomp,profile=builtin", "name=selinux",
                            "name=cgroupns"]})";
constexpr const char* kPlainInfo =
    R"({"SecurityOptions": ["name=seccomp,profile=builtin",
                            "name=cgroupns"]})";

// --- 5.2 AppArmor profile -------------------------------------------------

TEST(ApparmorCheck, DockerDefaultPasses) {
  const auto result = Container(R"({"AppArmorProfile": "docker-default"})")
                          .WithInfo(kApparmorInfo)
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "AppArmorProfile is docker-default");
}

TEST(ApparmorCheck, UnconfinedFails) {
  // The Powerpipe mod passes this profile.
  const auto result = Container(R"({"AppArmorProfile": "unconfined"})")
                          .WithInfo(kApparmorInfo)
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "AppArmorProfile is unconfined");
}

TEST(ApparmorCheck, EmptyProfileFails) {
  const auto result = Container(R"({"AppArmorProfile": ""})")
                          .WithInfo(kApparmorInfo)
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "AppArmorProfile is empty");
}

TEST(ApparmorCheck, HostWithoutApparmorIsNotApplicable) {
  // Other checkers fail every container on such a host.
  const auto result = Container(R"({"AppArmorProfile": ""})")
                          .WithInfo(kSelinuxInfo)
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "/info: SecurityOptions has no name=apparmor");
}

TEST(ApparmorCheck, EmptySecurityOptionsNotApplicable) {
  for (const char* info :
       {R"({"SecurityOptions": null})", R"({"SecurityOptions": []})"}) {
    EXPECT_EQ(Container(R"({"AppArmorProfile": ""})")
                  .WithInfo(info)
                  .Run(CheckApparmorProfile)
                  .outcome,
              Outcome::kNotApplicable)
        << info;
  }
}

TEST(ApparmorCheck, OnlyNamePairCounts) {
  for (const char* info :
       {R"({"SecurityOptions": ["name=apparmorx"]})",
        R"({"SecurityOptions": ["name=seccomp,profile=apparmor"]})",
        R"({"SecurityOptions": ["apparmor"]})"}) {
    EXPECT_EQ(Container(R"({"AppArmorProfile": ""})")
                  .WithInfo(info)
                  .Run(CheckApparmorProfile)
                  .outcome,
              Outcome::kNotApplicable)
        << info;
  }
}

TEST(ApparmorCheck, NamePairInAnyPosition) {
  const auto result =
      Container(R"({"AppArmorProfile": "unconfined"})")
          .WithInfo(R"({"SecurityOptions": ["profile=x,name=apparmor"]})")
          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

TEST(ApparmorCheck, MissingInfoIsUnknown) {
  const auto result = Container(R"({"AppArmorProfile": "docker-default"})")
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "the /info document is not available");
}

TEST(ApparmorCheck, MissingSecurityOptionsIsUnknown) {
  const auto result = Container(R"({"AppArmorProfile": "docker-default"})")
                          .WithInfo(R"({"Driver": "overlay2"})")
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "/info: SecurityOptions is missing");
}

TEST(ApparmorCheck, WrongTypeSecurityOptionsIsUnknown) {
  const auto as_string =
      Container(R"({"AppArmorProfile": "docker-default"})")
          .WithInfo(R"({"SecurityOptions": "name=apparmor"})")
          .Run(CheckApparmorProfile);
  EXPECT_EQ(as_string.outcome, Outcome::kUnknown);
  EXPECT_EQ(as_string.reason,
            "/info: SecurityOptions is string, expected an array");

  const auto with_number =
      Container(R"({"AppArmorProfile": "docker-default"})")
          .WithInfo(R"({"SecurityOptions": ["name=apparmor", 7]})")
          .Run(CheckApparmorProfile);
  EXPECT_EQ(with_number.outcome, Outcome::kUnknown);
  EXPECT_EQ(with_number.reason,
            "/info: SecurityOptions[1] is number, expected a string");
}

TEST(ApparmorCheck, MissingProfileIsUnknown) {
  const auto result = Container(R"({"Id": "c3d4"})")
                          .WithInfo(kApparmorInfo)
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "AppArmorProfile is missing");
}

TEST(ApparmorCheck, NullProfileIsUnknown) {
  const auto result = Container(R"({"AppArmorProfile": null})")
                          .WithInfo(kApparmorInfo)
                          .Run(CheckApparmorProfile);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "AppArmorProfile is null, expected a string");
}

// --- 5.3 SELinux options --------------------------------------------------

TEST(SelinuxCheck, HostWithoutSelinuxIsNotApplicable) {
  const auto result = Container(R"({"HostConfig": {"SecurityOpt": null}})")
                          .WithInfo(kApparmorInfo)
                          .Run(CheckSelinuxOptions);
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "/info: SecurityOptions has no name=selinux");
}

TEST(SelinuxCheck, HostWithNeitherModuleIsNotApplicable) {
  // The test machines' kernel has neither module, as many hosts do.
  const auto selinux = Container(R"({"HostConfig": {"SecurityOpt": null}})")
                           .WithInfo(kPlainInfo)
                           .Run(CheckSelinuxOptions);
  EXPECT_EQ(selinux.outcome, Outcome::kNotApplicable);
  const auto apparmor = Container(R"({"AppArmorProfile": ""})")
                            .WithInfo(kPlainInfo)
                            .Run(CheckApparmorProfile);
  EXPECT_EQ(apparmor.outcome, Outcome::kNotApplicable);
}

TEST(SelinuxCheck, NoLabelOptionFails) {
  for (const char* document :
       {R"({"HostConfig": {"SecurityOpt": null}})",
        R"({"HostConfig": {"SecurityOpt": []}})",
        R"({"HostConfig": {"SecurityOpt": ["no-new-privileges:true"]}})"}) {
    const auto result =
        Container(document).WithInfo(kSelinuxInfo).Run(CheckSelinuxOptions);
    EXPECT_EQ(result.outcome, Outcome::kFail) << document;
    EXPECT_EQ(result.reason, "HostConfig.SecurityOpt has no label option")
        << document;
  }
}

TEST(SelinuxCheck, LabelOptionPasses) {
  const auto result =
      Container(
          R"({"HostConfig": {"SecurityOpt": ["label=type:svirt_apache_t"]}})")
          .WithInfo(kSelinuxInfo)
          .Run(CheckSelinuxOptions);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "HostConfig.SecurityOpt contains label=type:svirt_apache_t");
}

TEST(SelinuxCheck, ColonFormLabelPasses) {
  const auto result =
      Container(
          R"({"HostConfig": {"SecurityOpt": ["label:level:s0:c100,c200"]}})")
          .WithInfo(kSelinuxInfo)
          .Run(CheckSelinuxOptions);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "HostConfig.SecurityOpt contains label:level:s0:c100,c200");
}

TEST(SelinuxCheck, LabelDisableFails) {
  for (const char* option : {"label=disable", "label:disable"}) {
    const std::string document =
        std::string(R"({"HostConfig": {"SecurityOpt": [")") + option +
        R"("]}})";
    const auto result = Container(document.c_str())
                            .WithInfo(kSelinuxInfo)
                            .Run(CheckSelinuxOptions);
    EXPECT_EQ(result.outcome, Outcome::kFail) << option;
    EXPECT_EQ(result.reason,
              std::string("HostConfig.SecurityOpt contains ") + option);
  }
}

TEST(SelinuxCheck, BareDisableFails) {
  // dockerd reads a bare `disable` entry as `label=disable`.
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": ["label=type:svirt_t",
                                                  "disable"]}})")
          .WithInfo(kSelinuxInfo)
          .Run(CheckSelinuxOptions);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.SecurityOpt contains disable");
}

TEST(SelinuxCheck, DisableOverridesOtherLabels) {
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": ["label=type:svirt_t",
                                                  "label=disable"]}})")
          .WithInfo(kSelinuxInfo)
          .Run(CheckSelinuxOptions);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.SecurityOpt contains label=disable");
}

TEST(SelinuxCheck, MissingSecurityOptIsUnknown) {
  const auto result = Container(R"({"HostConfig": {}})")
                          .WithInfo(kSelinuxInfo)
                          .Run(CheckSelinuxOptions);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.SecurityOpt is missing");
}

TEST(SelinuxCheck, WrongTypeSecurityOptIsUnknown) {
  for (const char* document :
       {R"({"HostConfig": {"SecurityOpt": "label=type:svirt_t"}})",
        R"({"HostConfig": {"SecurityOpt": [42]}})",
        R"({"HostConfig": {"SecurityOpt": {"label": "disable"}}})"}) {
    EXPECT_EQ(Container(document)
                  .WithInfo(kSelinuxInfo)
                  .Run(CheckSelinuxOptions)
                  .outcome,
              Outcome::kUnknown)
        << document;
  }
}

TEST(SelinuxCheck, MissingInfoIsUnknown) {
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": ["label=disable"]}})")
          .Run(CheckSelinuxOptions);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "the /info document is not available");
}

// --- 5.4 capabilities -----------------------------------------------------

TEST(CapabilitiesCheck, NullOrEmptyCapAddPasses) {
  for (const char* document : {R"({"HostConfig": {"CapAdd": null}})",
                               R"({"HostConfig": {"CapAdd": []}})"}) {
    const auto result = Container(document).Run(CheckCapabilitiesRestricted);
    EXPECT_EQ(result.outcome, Outcome::kPass) << document;
    EXPECT_EQ(result.reason, "HostConfig.CapAdd is empty") << document;
  }
}

TEST(CapabilitiesCheck, EachDefaultCapabilityPasses) {
  for (const char* capability :
       {"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
        "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
        "SYS_CHROOT", "KILL", "AUDIT_WRITE"}) {
    const std::string document =
        std::string(R"({"HostConfig": {"CapAdd": [")") + capability + R"("]}})";
    const auto result =
        Container(document.c_str()).Run(CheckCapabilitiesRestricted);
    EXPECT_EQ(result.outcome, Outcome::kPass) << capability;
    EXPECT_EQ(result.reason,
              "HostConfig.CapAdd contains only capabilities of the default "
              "set")
        << capability;
  }
}

TEST(CapabilitiesCheck, SysAdminFails) {
  const auto result = Container(R"({"HostConfig": {"CapAdd": ["SYS_ADMIN"]}})")
                          .Run(CheckCapabilitiesRestricted);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "HostConfig.CapAdd contains SYS_ADMIN, outside the default set");
}

TEST(CapabilitiesCheck, LowerCaseAndPrefixAreNormalised) {
  for (const char* capability :
       {"sys_admin", "CAP_SYS_ADMIN", "cap_sys_admin", "Cap_Sys_Admin"}) {
    const std::string document =
        std::string(R"({"HostConfig": {"CapAdd": [")") + capability + R"("]}})";
    const auto result =
        Container(document.c_str()).Run(CheckCapabilitiesRestricted);
    EXPECT_EQ(result.outcome, Outcome::kFail) << capability;
    EXPECT_EQ(result.reason,
              "HostConfig.CapAdd contains SYS_ADMIN, outside the default set")
        << capability;
  }
}

TEST(CapabilitiesCheck, NormalisedDefaultCapabilitiesPass) {
  const auto result =
      Container(R"({"HostConfig": {"CapAdd": ["cap_chown", "Kill",
                                             "CAP_NET_BIND_SERVICE"]}})")
          .Run(CheckCapabilitiesRestricted);
  EXPECT_EQ(result.outcome, Outcome::kPass);
}

TEST(CapabilitiesCheck, AllFails) {
  for (const char* capability : {"ALL", "all", "CAP_ALL"}) {
    const std::string document =
        std::string(R"({"HostConfig": {"CapAdd": ["CHOWN", ")") + capability +
        R"("]}})";
    const auto result =
        Container(document.c_str()).Run(CheckCapabilitiesRestricted);
    EXPECT_EQ(result.outcome, Outcome::kFail) << capability;
    EXPECT_EQ(result.reason, "HostConfig.CapAdd contains ALL") << capability;
  }
}

TEST(CapabilitiesCheck, ReasonNamesEveryAddedCapability) {
  const auto result =
      Container(R"({"HostConfig": {"CapAdd": ["NET_ADMIN", "CHOWN",
                                             "sys_ptrace", "SYS_MODULE"]}})")
          .Run(CheckCapabilitiesRestricted);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "HostConfig.CapAdd contains NET_ADMIN, SYS_PTRACE and SYS_MODULE, "
            "outside the default set");
}

TEST(CapabilitiesCheck, MissingCapAddIsUnknown) {
  const auto result = Container(R"({"HostConfig": {"CapDrop": ["ALL"]}})")
                          .Run(CheckCapabilitiesRestricted);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.CapAdd is missing");
}

TEST(CapabilitiesCheck, WrongTypeIsUnknown) {
  for (const char* document :
       {R"({"HostConfig": {"CapAdd": "SYS_ADMIN"}})",
        R"({"HostConfig": {"CapAdd": {"SYS_ADMIN": true}}})",
        R"({"HostConfig": {"CapAdd": ["CHOWN", null]}})"}) {
    EXPECT_EQ(Container(document).Run(CheckCapabilitiesRestricted).outcome,
              Outcome::kUnknown)
        << document;
  }
}

TEST(CapabilitiesCheck, WrongTypeEntryIsNamed) {
  const auto result = Container(R"({"HostConfig": {"CapAdd": ["CHOWN", 12]}})")
                          .Run(CheckCapabilitiesRestricted);
  EXPECT_EQ(result.reason, "HostConfig.CapAdd[1] is number, expected a string");
}

// --- 5.5 privileged -------------------------------------------------------

TEST(PrivilegedCheck, TrueFails) {
  const auto result =
      Container(R"({"HostConfig": {"Privileged": true}})").Run(CheckPrivileged);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.Privileged is true");
}

TEST(PrivilegedCheck, FalsePasses) {
  const auto result = Container(R"({"HostConfig": {"Privileged": false}})")
                          .Run(CheckPrivileged);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.Privileged is false");
}

TEST(PrivilegedCheck, MissingFieldIsUnknown) {
  const auto result = Container(R"({"HostConfig": {}})").Run(CheckPrivileged);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.Privileged is missing");
}

TEST(PrivilegedCheck, WrongTypeIsUnknown) {
  for (const char* document : {R"({"HostConfig": {"Privileged": "false"}})",
                               R"({"HostConfig": {"Privileged": 0}})",
                               R"({"HostConfig": {"Privileged": null}})"}) {
    EXPECT_EQ(Container(document).Run(CheckPrivileged).outcome,
              Outcome::kUnknown)
        << document;
  }
}

TEST(PrivilegedCheck, MissingHostConfigIsNamed) {
  const auto missing = Container(R"({"Id": "abc"})").Run(CheckPrivileged);
  EXPECT_EQ(missing.outcome, Outcome::kUnknown);
  EXPECT_EQ(missing.reason, "HostConfig is missing");

  const auto wrong_type =
      Container(R"({"HostConfig": "privileged"})").Run(CheckPrivileged);
  EXPECT_EQ(wrong_type.outcome, Outcome::kUnknown);
  EXPECT_EQ(wrong_type.reason, "HostConfig is string, expected an object");
}

// --- 5.11 memory ----------------------------------------------------------

TEST(MemoryCheck, ZeroFails) {
  const auto result =
      Container(R"({"HostConfig": {"Memory": 0}})").Run(CheckMemoryLimited);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.Memory is 0, no memory limit");
}

TEST(MemoryCheck, LimitPasses) {
  const auto result = Container(R"({"HostConfig": {"Memory": 536870912}})")
                          .Run(CheckMemoryLimited);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.Memory is 536870912");
}

TEST(MemoryCheck, MissingFieldIsUnknown) {
  const auto result =
      Container(R"({"HostConfig": {"MemorySwap": 0}})").Run(CheckMemoryLimited);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.Memory is missing");
}

TEST(MemoryCheck, WrongTypeIsUnknown) {
  for (const char* document : {R"({"HostConfig": {"Memory": null}})",
                               R"({"HostConfig": {"Memory": "512m"}})",
                               R"({"HostConfig": {"Memory": 1.5}})",
                               R"({"HostConfig": {"Memory": true}})"}) {
    EXPECT_EQ(Container(document).Run(CheckMemoryLimited).outcome,
              Outcome::kUnknown)
        << document;
  }
}

TEST(MemoryCheck, FloatReasonNamesExpectedType) {
  const auto result =
      Container(R"({"HostConfig": {"Memory": 1.5}})").Run(CheckMemoryLimited);
  EXPECT_EQ(result.reason, "HostConfig.Memory is number, expected an integer");
}

TEST(MemoryCheck, NegativeIsUnknown) {
  const auto result =
      Container(R"({"HostConfig": {"Memory": -1}})").Run(CheckMemoryLimited);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "HostConfig.Memory is -1, expected 0 or a byte count");
}

TEST(MemoryCheck, BeyondInt64IsUnknown) {
  const auto result =
      Container(R"({"HostConfig": {"Memory": 18446744073709551615}})")
          .Run(CheckMemoryLimited);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.Memory is out of the int64 range");
}

// --- 5.12 CPU -------------------------------------------------------------

TEST(CpuCheck, NoLimitFails) {
  const auto result = Container(R"({"HostConfig": {"CpuShares": 0,
                                    "NanoCpus": 0, "CpuQuota": 0}})")
                          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "no CPU limit: HostConfig.CpuShares is 0, NanoCpus is 0 and "
            "CpuQuota is 0");
}

TEST(CpuCheck, DefaultWeightFails) {
  const auto result = Container(R"({"HostConfig": {"CpuShares": 1024,
                                    "NanoCpus": 0, "CpuQuota": 0}})")
                          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "no CPU limit: HostConfig.CpuShares is 1024, NanoCpus is 0 and "
            "CpuQuota is 0");
}

TEST(CpuCheck, OtherSharesPass) {
  const auto result = Container(R"({"HostConfig": {"CpuShares": 512,
                                    "NanoCpus": 0, "CpuQuota": 0}})")
                          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.CpuShares is 512");
}

TEST(CpuCheck, CpusFlagOnlyPasses) {
  // `docker run --cpus 1.5` sets only NanoCpus; the Powerpipe mod misses it.
  const auto result = Container(R"({"HostConfig": {"CpuShares": 0,
                                    "NanoCpus": 1500000000, "CpuQuota": 0}})")
                          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.NanoCpus is 1500000000");
}

TEST(CpuCheck, QuotaPasses) {
  const auto result = Container(R"({"HostConfig": {"CpuShares": 0,
                                    "NanoCpus": 0, "CpuQuota": 50000}})")
                          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.CpuQuota is 50000");
}

TEST(CpuCheck, NegativeValuesAreNoLimit) {
  const auto result = Container(R"({"HostConfig": {"CpuShares": -2,
                                    "NanoCpus": 0, "CpuQuota": -1}})")
                          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

TEST(CpuCheck, MissingFieldWithoutLimitIsUnknown) {
  // The missing field might hold the only limit.
  const auto result =
      Container(R"({"HostConfig": {"CpuShares": 0, "CpuQuota": 0}})")
          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.NanoCpus is missing");
}

TEST(CpuCheck, MissingFieldBesideLimitPasses) {
  const auto result =
      Container(R"({"HostConfig": {"CpuShares": 512}})").Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kPass);
}

TEST(CpuCheck, WrongTypeWithoutLimitIsUnknown) {
  const auto result = Container(R"({"HostConfig": {"CpuShares": 0,
                                    "NanoCpus": "1.5", "CpuQuota": 0}})")
                          .Run(CheckCpuLimited);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "HostConfig.NanoCpus is string, expected an integer");
}

// --- 5.15 restart policy --------------------------------------------------

TEST(RestartPolicyCheck, NoPasses) {
  const auto result =
      Container(R"({"Config": {"Labels": {}}, "HostConfig": {"RestartPolicy":
                      {"Name": "no", "MaximumRetryCount": 0}}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.RestartPolicy is no");
}

TEST(RestartPolicyCheck, EmptyNamePasses) {
  const auto result =
      Container(R"({"Config": {"Labels": null}, "HostConfig": {"RestartPolicy":
                      {"Name": "", "MaximumRetryCount": 0}}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.RestartPolicy is empty");
}

TEST(RestartPolicyCheck, AlwaysAndUnlessStoppedFail) {
  for (const char* name : {"always", "unless-stopped"}) {
    const std::string document =
        std::string(R"({"Config": {"Labels": {}}, "HostConfig":
                       {"RestartPolicy": {"Name": ")") +
        name + R"(", "MaximumRetryCount": 0}}})";
    const auto result = Container(document.c_str()).Run(CheckRestartPolicy);
    EXPECT_EQ(result.outcome, Outcome::kFail) << name;
    EXPECT_EQ(result.reason,
              std::string("HostConfig.RestartPolicy is ") + name);
  }
}

TEST(RestartPolicyCheck, OnFailureByRetryCount) {
  struct Case {
    int retries;
    Outcome expected;
    const char* reason;
  };
  const Case cases[] = {
      {0, Outcome::kFail,
       "HostConfig.RestartPolicy is on-failure with MaximumRetryCount 0, "
       "which is unlimited"},
      {1, Outcome::kPass,
       "HostConfig.RestartPolicy is on-failure with MaximumRetryCount 1"},
      {5, Outcome::kPass,
       "HostConfig.RestartPolicy is on-failure with MaximumRetryCount 5"},
      {6, Outcome::kFail,
       "HostConfig.RestartPolicy is on-failure with MaximumRetryCount 6, "
       "more than 5"},
      {-1, Outcome::kUnknown,
       "HostConfig.RestartPolicy is on-failure with MaximumRetryCount -1, "
       "expected 0 or more"},
  };
  for (const auto& test_case : cases) {
    const std::string document =
        R"({"Config": {"Labels": {}}, "HostConfig": {"RestartPolicy":
            {"Name": "on-failure", "MaximumRetryCount": )" +
        std::to_string(test_case.retries) + "}}}";
    const auto result = Container(document.c_str()).Run(CheckRestartPolicy);
    EXPECT_EQ(result.outcome, test_case.expected) << test_case.retries;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.retries;
  }
}

TEST(RestartPolicyCheck, OnFailureWithoutCountIsUnknown) {
  const auto result = Container(R"({"Config": {"Labels": {}},
                    "HostConfig": {"RestartPolicy": {"Name": "on-failure"}}})")
                          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "HostConfig.RestartPolicy.MaximumRetryCount is missing");
}

TEST(RestartPolicyCheck, UnknownNameIsUnknown) {
  const auto result = Container(R"({"Config": {"Labels": {}},
                    "HostConfig": {"RestartPolicy": {"Name": "sometimes"}}})")
                          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "HostConfig.RestartPolicy is sometimes, not a known policy");
}

TEST(RestartPolicyCheck, MissingPolicyIsUnknown) {
  const auto result =
      Container(R"({"Config": {"Labels": {}}, "HostConfig": {}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.RestartPolicy is missing");
}

TEST(RestartPolicyCheck, WrongTypeIsUnknown) {
  for (const char* document :
       {R"({"Config": {"Labels": {}}, "HostConfig": {"RestartPolicy": "no"}})",
        R"({"Config": {"Labels": {}},
            "HostConfig": {"RestartPolicy": {"Name": null}}})",
        R"({"Config": {"Labels": {}}, "HostConfig": {"RestartPolicy":
            {"Name": "on-failure", "MaximumRetryCount": "3"}}})"}) {
    EXPECT_EQ(Container(document).Run(CheckRestartPolicy).outcome,
              Outcome::kUnknown)
        << document;
  }
}

TEST(RestartPolicyCheck, UnreadableLabelsAreUnknown) {
  // Without labels a swarm task cannot be recognised, and a swarm task's own
  // restart policy is not the one swarm applies.
  const auto missing =
      Container(R"({"Config": {}, "HostConfig": {"RestartPolicy":
                    {"Name": "no", "MaximumRetryCount": 0}}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(missing.outcome, Outcome::kUnknown);
  EXPECT_EQ(missing.reason, "Config.Labels is missing");

  const auto wrong_type =
      Container(R"({"Config": {"Labels": ["a=b"]}, "HostConfig":
                    {"RestartPolicy": {"Name": "no",
                                       "MaximumRetryCount": 0}}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(wrong_type.outcome, Outcome::kUnknown);
  EXPECT_EQ(wrong_type.reason, "Config.Labels is array, expected an object");
}

constexpr const char* kSwarmTask =
    R"({"Config": {"Labels": {
          "com.docker.swarm.service.id": "kqk0l6w3c4xuoj2kiiu9u5v2d",
          "com.docker.swarm.task.id": "p9t2n0rj5kgh2cb1rd0pnu3h9"}},
        "HostConfig": {"RestartPolicy": {"Name": "no",
                                         "MaximumRetryCount": 0}}})";

TEST(RestartPolicyCheck, SwarmTaskOnWorkerIsUnknown) {
  // The task's own policy is `no`, but swarm restarts it by the service's
  // policy.
  const auto result = Container(kSwarmTask).Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "the container is a swarm task and its service document is not "
            "available");
}

TEST(RestartPolicyCheck, SwarmDefaultPolicyFails) {
  const auto result =
      Container(kSwarmTask)
          .WithService(R"({"ID": "kqk0l6w3c4xuoj2kiiu9u5v2d", "Spec": {
              "Name": "web", "TaskTemplate": {"RestartPolicy": {
                "Condition": "any", "Delay": 5000000000,
                "MaxAttempts": 0}}}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "service: Spec.TaskTemplate.RestartPolicy is any with MaxAttempts "
            "0, which is unlimited");
}

TEST(RestartPolicyCheck, SwarmOmittedFieldsUseSwarmDefaults) {
  // Docker leaves out the policy, an empty condition and a zero limit, and
  // swarm then restarts on any exit without a limit.
  struct Case {
    const char* service;
    Outcome expected;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"Spec": {"TaskTemplate": {}}})", Outcome::kFail,
       "service: Spec.TaskTemplate.RestartPolicy is not set, so swarm "
       "restarts the task on any exit without a limit"},
      {R"({"Spec": {"TaskTemplate": {"RestartPolicy": null}}})", Outcome::kFail,
       "service: Spec.TaskTemplate.RestartPolicy is not set, so swarm "
       "restarts the task on any exit without a limit"},
      {R"({"Spec": {"TaskTemplate": {"RestartPolicy":
            {"Condition": "any"}}}})",
       Outcome::kFail,
       "service: Spec.TaskTemplate.RestartPolicy is any with MaxAttempts 0, "
       "which is unlimited"},
      {R"({"Spec": {"TaskTemplate": {"RestartPolicy": {"MaxAttempts": 3}}}})",
       Outcome::kPass, nullptr},
  };
  for (const auto& test_case : cases) {
    const auto result = Container(kSwarmTask)
                            .WithService(test_case.service)
                            .Run(CheckRestartPolicy);
    EXPECT_EQ(result.outcome, test_case.expected) << test_case.service;
    if (test_case.reason != nullptr) {
      EXPECT_EQ(result.reason, test_case.reason) << test_case.service;
    }
  }
}

TEST(RestartPolicyCheck, SwarmPolicies) {
  struct Case {
    const char* condition;
    int max_attempts;
    Outcome expected;
  };
  const Case cases[] = {
      {"none", 0, Outcome::kPass},       {"none", 9, Outcome::kPass},
      {"on-failure", 0, Outcome::kFail}, {"on-failure", 3, Outcome::kPass},
      {"on-failure", 6, Outcome::kFail}, {"any", 1, Outcome::kPass},
      {"any", 5, Outcome::kPass},        {"any", 6, Outcome::kFail},
  };
  for (const auto& test_case : cases) {
    const std::string service =
        std::string(R"({"Spec": {"TaskTemplate": {"RestartPolicy":
                        {"Condition": ")") +
        test_case.condition + R"(", "MaxAttempts": )" +
        std::to_string(test_case.max_attempts) + "}}}}";
    EXPECT_EQ(Container(kSwarmTask)
                  .WithService(service.c_str())
                  .Run(CheckRestartPolicy)
                  .outcome,
              test_case.expected)
        << test_case.condition << " " << test_case.max_attempts;
  }
}

TEST(RestartPolicyCheck, SwarmConditionNoneReason) {
  const auto result =
      Container(kSwarmTask)
          .WithService(R"({"Spec": {"TaskTemplate": {"RestartPolicy":
                           {"Condition": "none", "MaxAttempts": 0}}}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.reason, "service: Spec.TaskTemplate.RestartPolicy is none");
}

TEST(RestartPolicyCheck, SwarmTaskIgnoresOwnPolicy) {
  const auto result =
      Container(R"({"Config": {"Labels": {
                      "com.docker.swarm.service.id": "kqk0l6w3c4xu"}},
                    "HostConfig": {"RestartPolicy": {"Name": "always"}}})")
          .WithService(R"({"Spec": {"TaskTemplate": {"RestartPolicy":
                           {"Condition": "on-failure", "MaxAttempts": 3}}}})")
          .Run(CheckRestartPolicy);
  EXPECT_EQ(result.outcome, Outcome::kPass);
}

TEST(RestartPolicyCheck, SwarmMissingFieldsAreUnknown) {
  struct Case {
    const char* service;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"Spec": {"TaskTemplate": {"RestartPolicy":
            {"Condition": "sometimes", "MaxAttempts": 3}}}})",
       "service: Spec.TaskTemplate.RestartPolicy is sometimes, not a known "
       "condition"},
      {R"({"Spec": {"TaskTemplate": {"RestartPolicy":
            {"Condition": "any", "MaxAttempts": "3"}}}})",
       "service: Spec.TaskTemplate.RestartPolicy.MaxAttempts is string, "
       "expected an integer"},
      {R"({"ID": "kqk0l6w3c4xu"})", "service: Spec is missing"},
  };
  for (const auto& test_case : cases) {
    const auto result = Container(kSwarmTask)
                            .WithService(test_case.service)
                            .Run(CheckRestartPolicy);
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.service;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.service;
  }
}

// --- 5.22 seccomp ---------------------------------------------------------

TEST(SeccompCheck, DefaultProfilePasses) {
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": null, "Privileged": false}})")
          .Run(CheckSeccompEnabled);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason,
            "HostConfig.SecurityOpt does not disable seccomp and "
            "HostConfig.Privileged is false");
}

TEST(SeccompCheck, EqualsFormUnconfinedFails) {
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": ["seccomp=unconfined"],
                                   "Privileged": false}})")
          .Run(CheckSeccompEnabled);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "HostConfig.SecurityOpt contains seccomp=unconfined");
}

TEST(SeccompCheck, ColonFormUnconfinedFails) {
  // The Powerpipe mod misses this legacy form.
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": ["seccomp:unconfined"],
                                   "Privileged": false}})")
          .Run(CheckSeccompEnabled);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "HostConfig.SecurityOpt contains seccomp:unconfined");
}

TEST(SeccompCheck, CustomProfilePasses) {
  // The CLI sends a profile file's content inline.
  const auto result = Container(R"({"HostConfig": {"SecurityOpt":
                    ["seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\"}"],
                    "Privileged": false}})")
                          .Run(CheckSeccompEnabled);
  EXPECT_EQ(result.outcome, Outcome::kPass);
}

TEST(SeccompCheck, OtherUnconfinedOptionsPass) {
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": ["apparmor=unconfined",
                                                   "label=disable"],
                                   "Privileged": false}})")
          .Run(CheckSeccompEnabled);
  EXPECT_EQ(result.outcome, Outcome::kPass);
}

TEST(SeccompCheck, PrivilegedFails) {
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": null, "Privileged": true}})")
          .Run(CheckSeccompEnabled);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "HostConfig.Privileged is true, so seccomp is not applied");
}

TEST(SeccompCheck, EitherFailureDecidesAlone) {
  const auto unconfined =
      Container(R"({"HostConfig": {"SecurityOpt": ["seccomp=unconfined"]}})")
          .Run(CheckSeccompEnabled);
  EXPECT_EQ(unconfined.outcome, Outcome::kFail);

  const auto privileged = Container(R"({"HostConfig": {"Privileged": true}})")
                              .Run(CheckSeccompEnabled);
  EXPECT_EQ(privileged.outcome, Outcome::kFail);
}

TEST(SeccompCheck, MissingFieldIsUnknown) {
  const auto no_options = Container(R"({"HostConfig": {"Privileged": false}})")
                              .Run(CheckSeccompEnabled);
  EXPECT_EQ(no_options.outcome, Outcome::kUnknown);
  EXPECT_EQ(no_options.reason, "HostConfig.SecurityOpt is missing");

  const auto no_privileged =
      Container(R"({"HostConfig": {"SecurityOpt": null}})")
          .Run(CheckSeccompEnabled);
  EXPECT_EQ(no_privileged.outcome, Outcome::kUnknown);
  EXPECT_EQ(no_privileged.reason, "HostConfig.Privileged is missing");
}

TEST(SeccompCheck, WrongTypeIsUnknown) {
  for (const char* document :
       {R"({"HostConfig": {"SecurityOpt": "seccomp=unconfined",
                           "Privileged": false}})",
        R"({"HostConfig": {"SecurityOpt": [], "Privileged": "false"}})"}) {
    EXPECT_EQ(Container(document).Run(CheckSeccompEnabled).outcome,
              Outcome::kUnknown)
        << document;
  }
}

// --- 5.23 privileged exec instances ---------------------------------------

TEST(ExecPrivilegedCheck, NoExecIdsPasses) {
  for (const char* document : {R"({"ExecIDs": null})", R"({"ExecIDs": []})"}) {
    const auto result = Container(document).Run(CheckExecPrivileged);
    EXPECT_EQ(result.outcome, Outcome::kPass) << document;
    EXPECT_EQ(result.reason, "no retained exec instances") << document;
  }
}

TEST(ExecPrivilegedCheck, UnreadableExecIdsAreUnknown) {
  const auto missing = Container(R"({"Id": "abc"})").Run(CheckExecPrivileged);
  EXPECT_EQ(missing.outcome, Outcome::kUnknown);
  EXPECT_EQ(missing.reason, "ExecIDs is missing");

  const auto wrong_type =
      Container(R"({"ExecIDs": "8c1d"})").Run(CheckExecPrivileged);
  EXPECT_EQ(wrong_type.outcome, Outcome::kUnknown);
  EXPECT_EQ(wrong_type.reason, "ExecIDs is string, expected an array");
}

TEST(ExecPrivilegedCheck, UnfetchedExecsAreUnknown) {
  const auto result = Container(R"({"ExecIDs": ["8c1d2e3f4a5b6c7d"]})")
                          .Run(CheckExecPrivileged);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "ExecIDs is not empty but the exec documents are not available");
}

TEST(ExecPrivilegedCheck, PrivilegedExecFails) {
  const auto result =
      Container(R"({"ExecIDs": ["8c1d", "9e0f"]})")
          .WithExecs({R"({"ID": "8c1d2e3f4a5b6c7d8e9f", "ProcessConfig":
                          {"privileged": false, "tty": false}})",
                      R"({"ID": "9e0f1a2b3c4d5e6f7a8b", "ProcessConfig":
                          {"privileged": true, "user": "root"}})"})
          .Run(CheckExecPrivileged);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "exec 9e0f1a2b3c4d: ProcessConfig.privileged is true");
}

TEST(ExecPrivilegedCheck, UnprivilegedExecsPass) {
  const auto result = Container(R"({"ExecIDs": ["8c1d"]})")
                          .WithExecs({R"({"ID": "8c1d", "ProcessConfig":
                          {"privileged": false}})"})
                          .Run(CheckExecPrivileged);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "no retained exec instance is privileged");
}

TEST(ExecPrivilegedCheck, PrivilegedAfterUnreadableFails) {
  const auto result = Container(R"({"ExecIDs": ["8c1d", "9e0f"]})")
                          .WithExecs({R"({"ID": "8c1d"})",
                                      R"({"ID": "9e0f", "ProcessConfig":
                          {"privileged": true}})"})
                          .Run(CheckExecPrivileged);
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

TEST(ExecPrivilegedCheck, UnreadableExecIsUnknown) {
  struct Case {
    const char* exec;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"ID": "8c1d"})", "exec 8c1d: ProcessConfig is missing"},
      {R"({"ID": "8c1d", "ProcessConfig": {"tty": false}})",
       "exec 8c1d: ProcessConfig.privileged is missing"},
      {R"({"ID": "8c1d", "ProcessConfig": {"privileged": "true"}})",
       "exec 8c1d: ProcessConfig.privileged is string, expected a boolean"},
      {R"({"ProcessConfig": {"privileged": null}})",
       "exec #1: ProcessConfig.privileged is null, expected a boolean"},
  };
  for (const auto& test_case : cases) {
    const auto result = Container(R"({"ExecIDs": ["8c1d"]})")
                            .WithExecs({test_case.exec})
                            .Run(CheckExecPrivileged);
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.exec;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.exec;
  }
}

// --- 5.24 exec instances as root ------------------------------------------

TEST(ExecAsRootCheck, StoppedContainerIsNotApplicable) {
  const auto result =
      Container(R"({"State": {"Running": false}, "ExecIDs": ["8c1d"]})")
          .Run(CheckExecAsRoot);
  EXPECT_EQ(result.outcome, Outcome::kNotApplicable);
  EXPECT_EQ(result.reason, "State.Running is false");
}

TEST(ExecAsRootCheck, MissingStateIsUnknown) {
  const auto result = Container(R"({"ExecIDs": null})").Run(CheckExecAsRoot);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "State is missing");
}

TEST(ExecAsRootCheck, NoExecIdsPasses) {
  for (const char* document :
       {R"({"State": {"Running": true}, "ExecIDs": null})",
        R"({"State": {"Running": true}, "ExecIDs": []})"}) {
    const auto result = Container(document).Run(CheckExecAsRoot);
    EXPECT_EQ(result.outcome, Outcome::kPass) << document;
    EXPECT_EQ(result.reason, "no retained exec instances") << document;
  }
}

TEST(ExecAsRootCheck, UnfetchedExecsAreUnknown) {
  const auto result =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"]})")
          .Run(CheckExecAsRoot);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
}

TEST(ExecAsRootCheck, JudgesExplicitUsers) {
  struct Case {
    const char* user;
    Outcome expected;
  };
  const Case cases[] = {
      {"root", Outcome::kFail},      {"0", Outcome::kFail},
      {"0:0", Outcome::kFail},       {"root:root", Outcome::kFail},
      {"0:1000", Outcome::kFail},    {"nobody", Outcome::kPass},
      {"1000:1000", Outcome::kPass}, {"1000:0", Outcome::kPass},
      {"rootless", Outcome::kPass},
  };
  for (const auto& test_case : cases) {
    // The container's own user is root, so only the exec's user decides.
    const std::string exec =
        std::string(R"({"ID": "8c1d", "ProcessConfig": {"privileged": false,
                                                        "user": ")") +
        test_case.user + R"("}})";
    const auto result =
        Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                      "Config": {"User": ""}})")
            .WithExecs({exec.c_str()})
            .Run(CheckExecAsRoot);
    EXPECT_EQ(result.outcome, test_case.expected) << test_case.user;
  }
}

TEST(ExecAsRootCheck, RootReasonNamesExecAndUser) {
  const auto result =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                    "Config": {"User": "app"}})")
          .WithExecs({R"({"ID": "8c1d2e3f4a5b6c7d", "ProcessConfig":
                          {"user": "0:0"}})"})
          .Run(CheckExecAsRoot);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "exec 8c1d2e3f4a5b: ProcessConfig.user is 0:0");
}

TEST(ExecAsRootCheck, EmptyUserTakesContainerUser) {
  struct Case {
    const char* container_user;
    Outcome expected;
  };
  const Case cases[] = {
      {"", Outcome::kFail},     {"root", Outcome::kFail},
      {"0:0", Outcome::kFail},  {"nobody", Outcome::kPass},
      {"1000", Outcome::kPass},
  };
  for (const auto& test_case : cases) {
    const std::string document =
        std::string(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                        "Config": {"User": ")") +
        test_case.container_user + R"("}})";
    const auto result = Container(document.c_str())
                            .WithExecs({R"({"ID": "8c1d", "ProcessConfig":
                            {"privileged": false, "user": ""}})"})
                            .Run(CheckExecAsRoot);
    EXPECT_EQ(result.outcome, test_case.expected) << test_case.container_user;
  }
}

TEST(ExecAsRootCheck, EmptyUserReasonNamesContainerUser) {
  const auto result =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                    "Config": {"User": ""}})")
          .WithExecs({R"({"ID": "8c1d", "ProcessConfig": {"user": ""}})"})
          .Run(CheckExecAsRoot);
  EXPECT_EQ(result.reason,
            "exec 8c1d: ProcessConfig.user is empty and Config.User is empty");
}

TEST(ExecAsRootCheck, AbsentUserReadsAsEmpty) {
  // dockerd leaves `user` out of ProcessConfig when it is empty.
  const char* exec = R"({"ID": "8c1d", "ProcessConfig": {"arguments": [],
                          "entrypoint": "sh", "privileged": false,
                          "tty": true}})";
  const auto non_root =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                    "Config": {"User": "app"}})")
          .WithExecs({exec})
          .Run(CheckExecAsRoot);
  EXPECT_EQ(non_root.outcome, Outcome::kPass);

  const auto root =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                    "Config": {"User": ""}})")
          .WithExecs({exec})
          .Run(CheckExecAsRoot);
  EXPECT_EQ(root.outcome, Outcome::kFail);
}

TEST(ExecAsRootCheck, EmptyUserWithoutContainerUserIsUnknown) {
  const auto result =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                    "Config": {}})")
          .WithExecs({R"({"ID": "8c1d", "ProcessConfig": {"user": ""}})"})
          .Run(CheckExecAsRoot);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "Config.User is missing");
}

TEST(ExecAsRootCheck, ExplicitUserNeedsNoContainerUser) {
  const auto result =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"]})")
          .WithExecs({R"({"ID": "8c1d", "ProcessConfig": {"user": "nobody"}})"})
          .Run(CheckExecAsRoot);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "no retained exec instance runs as root");
}

TEST(ExecAsRootCheck, UnreadableExecIsUnknown) {
  struct Case {
    const char* exec;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"ID": "8c1d"})", "exec 8c1d: ProcessConfig is missing"},
      {R"({"ID": "8c1d", "ProcessConfig": null})",
       "exec 8c1d: ProcessConfig is null, expected an object"},
      {R"({"ID": "8c1d", "ProcessConfig": {"user": 0}})",
       "exec 8c1d: ProcessConfig.user is number, expected a string"},
  };
  for (const auto& test_case : cases) {
    const auto result =
        Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d"],
                      "Config": {"User": "app"}})")
            .WithExecs({test_case.exec})
            .Run(CheckExecAsRoot);
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.exec;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.exec;
  }
}

TEST(ExecAsRootCheck, RootExecAfterUnreadableFails) {
  const auto result =
      Container(R"({"State": {"Running": true}, "ExecIDs": ["8c1d", "9e0f"],
                    "Config": {"User": "app"}})")
          .WithExecs({R"({"ID": "8c1d"})",
                      R"({"ID": "9e0f", "ProcessConfig": {"user": "root"}})"})
          .Run(CheckExecAsRoot);
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

// --- 5.25 cgroup parent ---------------------------------------------------

TEST(CgroupParentCheck, EmptyPasses) {
  const auto result = Container(R"({"HostConfig": {"CgroupParent": ""}})")
                          .Run(CheckCgroupParent);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.CgroupParent is empty");
}

TEST(CgroupParentCheck, CustomParentFails) {
  const auto result =
      Container(R"({"HostConfig": {"CgroupParent": "/custom.slice"}})")
          .Run(CheckCgroupParent);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "HostConfig.CgroupParent is /custom.slice, not the default");
}

TEST(CgroupParentCheck, UnreadableFieldIsUnknown) {
  for (const char* document :
       {R"({"HostConfig": {}})", R"({"HostConfig": {"CgroupParent": null}})",
        R"({"HostConfig": {"CgroupParent": 0}})"}) {
    EXPECT_EQ(Container(document).Run(CheckCgroupParent).outcome,
              Outcome::kUnknown)
        << document;
  }
}

// --- 5.26 no-new-privileges -----------------------------------------------

TEST(NoNewPrivilegesCheck, TrueFormsPass) {
  for (const char* option :
       {"no-new-privileges", "no-new-privileges=true", "no-new-privileges:true",
        "no-new-privileges=1", "no-new-privileges=True"}) {
    const std::string document =
        std::string(R"({"HostConfig": {"SecurityOpt": ["label=disable", ")") +
        option + R"("]}})";
    const auto result = Container(document.c_str()).Run(CheckNoNewPrivileges);
    EXPECT_EQ(result.outcome, Outcome::kPass) << option;
    EXPECT_EQ(result.reason,
              std::string("HostConfig.SecurityOpt contains ") + option);
  }
}

TEST(NoNewPrivilegesCheck, NoOptionFails) {
  for (const char* document :
       {R"({"HostConfig": {"SecurityOpt": null}})",
        R"({"HostConfig": {"SecurityOpt": []}})",
        R"({"HostConfig": {"SecurityOpt": ["seccomp=unconfined"]}})"}) {
    const auto result = Container(document).Run(CheckNoNewPrivileges);
    EXPECT_EQ(result.outcome, Outcome::kFail) << document;
    EXPECT_EQ(result.reason,
              "HostConfig.SecurityOpt has no no-new-privileges option")
        << document;
  }
}

TEST(NoNewPrivilegesCheck, FalseFails) {
  for (const char* option :
       {"no-new-privileges=false", "no-new-privileges:false"}) {
    const std::string document =
        std::string(R"({"HostConfig": {"SecurityOpt": [")") + option +
        R"("]}})";
    const auto result = Container(document.c_str()).Run(CheckNoNewPrivileges);
    EXPECT_EQ(result.outcome, Outcome::kFail) << option;
    EXPECT_EQ(result.reason,
              std::string("HostConfig.SecurityOpt contains ") + option);
  }
}

TEST(NoNewPrivilegesCheck, LastEntryDecides) {
  const auto disabled_last =
      Container(R"({"HostConfig": {"SecurityOpt": ["no-new-privileges",
                                   "no-new-privileges=false"]}})")
          .Run(CheckNoNewPrivileges);
  EXPECT_EQ(disabled_last.outcome, Outcome::kFail);

  const auto enabled_last =
      Container(R"({"HostConfig": {"SecurityOpt": ["no-new-privileges=false",
                                   "no-new-privileges:true"]}})")
          .Run(CheckNoNewPrivileges);
  EXPECT_EQ(enabled_last.outcome, Outcome::kPass);
}

TEST(NoNewPrivilegesCheck, InvalidValueIsUnknown) {
  const auto result =
      Container(R"({"HostConfig": {"SecurityOpt": ["no-new-privileges=yes"]}})")
          .Run(CheckNoNewPrivileges);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "HostConfig.SecurityOpt contains no-new-privileges=yes, expected "
            "a boolean value");
}

TEST(NoNewPrivilegesCheck, DaemonSettingPasses) {
  for (const char* document :
       {R"({"HostConfig": {"SecurityOpt": null}})", R"({"HostConfig": {}})"}) {
    const auto result = Container(document).WithDaemonNoNewPrivileges(true).Run(
        CheckNoNewPrivileges);
    EXPECT_EQ(result.outcome, Outcome::kPass) << document;
    EXPECT_EQ(result.reason,
              "the daemon sets no-new-privileges for every container")
        << document;
  }
}

TEST(NoNewPrivilegesCheck, DaemonSettingOffJudgesContainer) {
  const auto result = Container(R"({"HostConfig": {"SecurityOpt": null}})")
                          .WithDaemonNoNewPrivileges(false)
                          .Run(CheckNoNewPrivileges);
  EXPECT_EQ(result.outcome, Outcome::kFail);
}

TEST(NoNewPrivilegesCheck, UnreadableSecurityOptIsUnknown) {
  for (const char* document :
       {R"({"HostConfig": {}})",
        R"({"HostConfig": {"SecurityOpt": "no-new-privileges"}})",
        R"({"HostConfig": {"SecurityOpt": [true]}})"}) {
    EXPECT_EQ(Container(document).Run(CheckNoNewPrivileges).outcome,
              Outcome::kUnknown)
        << document;
  }
}

// --- 5.29 PIDs limit ------------------------------------------------------

TEST(PidsLimitCheck, NullFails) {
  // The Powerpipe mod passes this value.
  const auto result =
      Container(R"({"HostConfig": {"PidsLimit": null}})").Run(CheckPidsLimited);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.PidsLimit is null, no PID limit");
}

TEST(PidsLimitCheck, UnlimitedValuesFail) {
  for (const int limit : {0, -1}) {
    const std::string document =
        R"({"HostConfig": {"PidsLimit": )" + std::to_string(limit) + "}}";
    const auto result = Container(document.c_str()).Run(CheckPidsLimited);
    EXPECT_EQ(result.outcome, Outcome::kFail) << limit;
    EXPECT_EQ(result.reason, "HostConfig.PidsLimit is " +
                                 std::to_string(limit) + ", no PID limit");
  }
}

TEST(PidsLimitCheck, PositiveLimitPasses) {
  const auto result =
      Container(R"({"HostConfig": {"PidsLimit": 100}})").Run(CheckPidsLimited);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "HostConfig.PidsLimit is 100");
}

TEST(PidsLimitCheck, AbsentFieldIsUnknown) {
  const auto result = Container(R"({"HostConfig": {}})").Run(CheckPidsLimited);
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.PidsLimit is missing");
}

TEST(PidsLimitCheck, WrongTypeIsUnknown) {
  for (const char* document : {R"({"HostConfig": {"PidsLimit": "100"}})",
                               R"({"HostConfig": {"PidsLimit": 1.5}})",
                               R"({"HostConfig": {"PidsLimit": false}})"}) {
    EXPECT_EQ(Container(document).Run(CheckPidsLimited).outcome,
              Outcome::kUnknown)
        << document;
  }
}

// --- 5.31 user namespace --------------------------------------------------

TEST(UsernsCheck, HostFails) {
  const auto result = Container(R"({"HostConfig": {"UsernsMode": "host"}})")
                          .Run(CheckHostUserns);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "HostConfig.UsernsMode is host");
}

TEST(UsernsCheck, OtherModesPass) {
  const auto empty =
      Container(R"({"HostConfig": {"UsernsMode": ""}})").Run(CheckHostUserns);
  EXPECT_EQ(empty.outcome, Outcome::kPass);
  EXPECT_EQ(empty.reason, "HostConfig.UsernsMode is empty");

  const auto isolated =
      Container(R"({"HostConfig": {"UsernsMode": "private"}})")
          .Run(CheckHostUserns);
  EXPECT_EQ(isolated.outcome, Outcome::kPass);
}

TEST(UsernsCheck, UnreadableFieldIsUnknown) {
  for (const char* document :
       {R"({"HostConfig": {}})", R"({"HostConfig": {"UsernsMode": null}})",
        R"({"HostConfig": {"UsernsMode": ["host"]}})"}) {
    EXPECT_EQ(Container(document).Run(CheckHostUserns).outcome,
              Outcome::kUnknown)
        << document;
  }
}

// --- 4.1 non-root user ----------------------------------------------------

TEST(NonRootUserCheck, RootUsersFail) {
  for (const char* user :
       {"root", "0", "0:0", "root:root", "0:1000", "root:wheel"}) {
    const std::string document =
        std::string(R"({"Config": {"User": ")") + user + R"("}})";
    const auto result = Container(document.c_str()).Run(CheckNonRootUser);
    EXPECT_EQ(result.outcome, Outcome::kFail) << user;
    EXPECT_EQ(result.reason, std::string("Config.User is ") + user);
  }
}

TEST(NonRootUserCheck, EmptyUserFails) {
  const auto result =
      Container(R"({"Config": {"User": ""}})").Run(CheckNonRootUser);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason,
            "Config.User is empty, so the container runs as root");
}

TEST(NonRootUserCheck, OtherUsersPass) {
  for (const char* user : {"nobody", "1000", "1000:1000", "app:0", "app:root",
                           "rootless", "00:1"}) {
    const std::string document =
        std::string(R"({"Config": {"User": ")") + user + R"("}})";
    const auto result = Container(document.c_str()).Run(CheckNonRootUser);
    EXPECT_EQ(result.outcome, Outcome::kPass) << user;
    EXPECT_EQ(result.reason, std::string("Config.User is ") + user);
  }
}

TEST(NonRootUserCheck, UnreadableFieldIsUnknown) {
  struct Case {
    const char* document;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"Id": "abc"})", "Config is missing"},
      {R"({"Config": null})", "Config is null, expected an object"},
      {R"({"Config": {}})", "Config.User is missing"},
      {R"({"Config": {"User": null}})",
       "Config.User is null, expected a string"},
      {R"({"Config": {"User": 0}})",
       "Config.User is number, expected a string"},
  };
  for (const auto& test_case : cases) {
    const auto result = Container(test_case.document).Run(CheckNonRootUser);
    EXPECT_EQ(result.outcome, Outcome::kUnknown) << test_case.document;
    EXPECT_EQ(result.reason, test_case.reason) << test_case.document;
  }
}

// --- documents from each engine family ------------------------------------

struct Expectation {
  const char* check_name;
  CheckFunction check;
  Outcome expected;
};

void ExpectOutcomes(const Container& container,
                    std::initializer_list<Expectation> expectations) {
  for (const auto& expectation : expectations) {
    const auto result = container.Run(expectation.check);
    EXPECT_EQ(result.outcome, expectation.expected)
        << expectation.check_name << ": " << result.reason;
  }
}

// Docker 20.10 (API 1.41) with `docker run nginx`: no limits or options, so
// the empty slices and unset pointers appear as null.
TEST(EngineDocuments, Docker2010DefaultContainer) {
  Container container(R"({
      "Id": "f37f9b1c0d2e", "Name": "/web", "AppArmorProfile": "docker-default",
      "ExecIDs": null,
      "State": {"Status": "running", "Running": true, "Paused": false},
      "Config": {"User": "", "Image": "nginx:1.21",
                 "Labels": {"maintainer": "NGINX Docker Maintainers"}},
      "HostConfig": {"CapAdd": null, "CapDrop": null, "CgroupParent": "",
                     "CpuShares": 0, "Memory": 0, "NanoCpus": 0,
                     "CpuQuota": 0, "PidsLimit": null, "Privileged": false,
                     "ReadonlyRootfs": false,
                     "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
                     "SecurityOpt": null, "UsernsMode": ""}})");
  container.WithInfo(
      R"({"SecurityOptions": ["name=apparmor",
                              "name=seccomp,profile=default"]})");
  ExpectOutcomes(
      container,
      {{"apparmor_profile", CheckApparmorProfile, Outcome::kPass},
       {"selinux_options", CheckSelinuxOptions, Outcome::kNotApplicable},
       {"capabilities_restricted", CheckCapabilitiesRestricted, Outcome::kPass},
       {"privileged", CheckPrivileged, Outcome::kPass},
       {"memory_limited", CheckMemoryLimited, Outcome::kFail},
       {"cpu_limited", CheckCpuLimited, Outcome::kFail},
       {"restart_policy", CheckRestartPolicy, Outcome::kPass},
       {"seccomp_enabled", CheckSeccompEnabled, Outcome::kPass},
       {"exec_privileged", CheckExecPrivileged, Outcome::kPass},
       {"exec_as_root", CheckExecAsRoot, Outcome::kPass},
       {"cgroup_parent", CheckCgroupParent, Outcome::kPass},
       {"no_new_privileges", CheckNoNewPrivileges, Outcome::kFail},
       {"pids_limited", CheckPidsLimited, Outcome::kFail},
       {"host_userns", CheckHostUserns, Outcome::kPass},
       {"non_root_user", CheckNonRootUser, Outcome::kFail}});
}

// A current engine (Docker 28) with limits, legacy colon-form options and
// one retained exec instance whose empty user dockerd left out.
TEST(EngineDocuments, CurrentDockerHardenedContainer) {
  Container container(R"({
      "Id": "a1b2c3d4e5f6", "Name": "/api", "AppArmorProfile": "docker-default",
      "ExecIDs": ["8c1d2e3f4a5b6c7d"],
      "State": {"Status": "running", "Running": true,
                "Health": {"Status": "healthy"}},
      "Config": {"User": "app", "Labels": {}},
      "HostConfig": {"Annotations": null, "CapAdd": ["NET_ADMIN"],
                     "CapDrop": ["ALL"], "CgroupParent": "",
                     "CgroupnsMode": "private", "CpuShares": 0,
                     "Memory": 268435456, "NanoCpus": 1500000000,
                     "CpuQuota": 0, "PidsLimit": 200, "Privileged": false,
                     "RestartPolicy": {"Name": "on-failure",
                                       "MaximumRetryCount": 3},
                     "SecurityOpt": ["no-new-privileges:true",
                                     "seccomp:unconfined"],
                     "UsernsMode": ""},
      "ImageManifestDescriptor": {"mediaType": "x"}})");
  container.WithInfo(kApparmorInfo)
      .WithExecs({R"({"ID": "8c1d2e3f4a5b6c7d", "Running": false,
                      "ExitCode": 0, "ContainerID": "a1b2c3d4e5f6",
                      "ProcessConfig": {"tty": false, "entrypoint": "sh",
                                        "arguments": ["-c", "id"],
                                        "privileged": false}})"});
  ExpectOutcomes(
      container,
      {{"apparmor_profile", CheckApparmorProfile, Outcome::kPass},
       {"selinux_options", CheckSelinuxOptions, Outcome::kNotApplicable},
       {"capabilities_restricted", CheckCapabilitiesRestricted, Outcome::kFail},
       {"privileged", CheckPrivileged, Outcome::kPass},
       {"memory_limited", CheckMemoryLimited, Outcome::kPass},
       {"cpu_limited", CheckCpuLimited, Outcome::kPass},
       {"restart_policy", CheckRestartPolicy, Outcome::kPass},
       {"seccomp_enabled", CheckSeccompEnabled, Outcome::kFail},
       {"exec_privileged", CheckExecPrivileged, Outcome::kPass},
       {"exec_as_root", CheckExecAsRoot, Outcome::kPass},
       {"cgroup_parent", CheckCgroupParent, Outcome::kPass},
       {"no_new_privileges", CheckNoNewPrivileges, Outcome::kPass},
       {"pids_limited", CheckPidsLimited, Outcome::kPass},
       {"host_userns", CheckHostUserns, Outcome::kPass},
       {"non_root_user", CheckNonRootUser, Outcome::kPass}});
}

// Podman's compatibility API on an SELinux host, with an exec instance in
// Podman's shape, which always carries `user`.
TEST(EngineDocuments, PodmanCompatibilityContainer) {
  Container container(R"({
      "Id": "c3d4e5f6a7b8", "Name": "db", "AppArmorProfile": "",
      "ExecIDs": ["5d6e7f"],
      "State": {"Status": "running", "Running": true},
      "Config": {"User": "postgres", "Labels": null},
      "HostConfig": {"CapAdd": [], "CgroupManager": "systemd",
                     "CgroupParent": "", "CpuShares": 0, "Memory": 0,
                     "NanoCpus": 0, "CpuQuota": 0, "PidsLimit": 2048,
                     "Privileged": false,
                     "RestartPolicy": {"Name": "", "MaximumRetryCount": 0},
                     "SecurityOpt": [], "UsernsMode": ""}})");
  container
      .WithInfo(R"({"SecurityOptions": ["name=seccomp,profile=default",
                                        "name=rootless", "name=selinux"]})")
      .WithExecs({R"({"ID": "5d6e7f", "Running": false, "Pid": 0,
                      "ProcessConfig": {"arguments": ["-l"],
                                        "entrypoint": "psql",
                                        "privileged": false, "tty": true,
                                        "user": ""}})"});
  ExpectOutcomes(
      container,
      {{"apparmor_profile", CheckApparmorProfile, Outcome::kNotApplicable},
       {"selinux_options", CheckSelinuxOptions, Outcome::kFail},
       {"capabilities_restricted", CheckCapabilitiesRestricted, Outcome::kPass},
       {"privileged", CheckPrivileged, Outcome::kPass},
       {"memory_limited", CheckMemoryLimited, Outcome::kFail},
       {"cpu_limited", CheckCpuLimited, Outcome::kFail},
       {"restart_policy", CheckRestartPolicy, Outcome::kPass},
       {"seccomp_enabled", CheckSeccompEnabled, Outcome::kPass},
       {"exec_privileged", CheckExecPrivileged, Outcome::kPass},
       {"exec_as_root", CheckExecAsRoot, Outcome::kPass},
       {"cgroup_parent", CheckCgroupParent, Outcome::kPass},
       {"no_new_privileges", CheckNoNewPrivileges, Outcome::kFail},
       {"pids_limited", CheckPidsLimited, Outcome::kPass},
       {"host_userns", CheckHostUserns, Outcome::kPass},
       {"non_root_user", CheckNonRootUser, Outcome::kPass}});
}

// A document from an engine that leaves out or renames the fields these
// checks read: every check that needs one is unknown, never pass. The
// lower-case names stand in for fields an engine spells differently.
TEST(EngineDocuments, MissingOrRenamedFieldsAreUnknown) {
  Container container(R"({
      "Id": "d4e5f6", "Name": "cache",
      "State": {"Status": "running", "Running": true},
      "Config": {"user": "", "labels": {}},
      "HostConfig": {"capAdd": null, "CgroupManager": "systemd",
                     "memory": 0, "CpuShares": 0, "pidsLimit": 100}})");
  container.WithInfo(R"({"Host": {"Security": {"apparmorEnabled": true}}})");
  ExpectOutcomes(
      container,
      {{"apparmor_profile", CheckApparmorProfile, Outcome::kUnknown},
       {"selinux_options", CheckSelinuxOptions, Outcome::kUnknown},
       {"capabilities_restricted", CheckCapabilitiesRestricted,
        Outcome::kUnknown},
       {"privileged", CheckPrivileged, Outcome::kUnknown},
       {"memory_limited", CheckMemoryLimited, Outcome::kUnknown},
       {"cpu_limited", CheckCpuLimited, Outcome::kUnknown},
       {"restart_policy", CheckRestartPolicy, Outcome::kUnknown},
       {"seccomp_enabled", CheckSeccompEnabled, Outcome::kUnknown},
       {"exec_privileged", CheckExecPrivileged, Outcome::kUnknown},
       {"exec_as_root", CheckExecAsRoot, Outcome::kUnknown},
       {"cgroup_parent", CheckCgroupParent, Outcome::kUnknown},
       {"no_new_privileges", CheckNoNewPrivileges, Outcome::kUnknown},
       {"pids_limited", CheckPidsLimited, Outcome::kUnknown},
       {"host_userns", CheckHostUserns, Outcome::kUnknown},
       {"non_root_user", CheckNonRootUser, Outcome::kUnknown}});
}

}  // namespace
}  // namespace dce
