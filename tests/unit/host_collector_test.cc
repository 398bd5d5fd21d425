// Host checks judged from fixture trees built in a temporary directory: a
// rootfs with the host's files and a procfs with fake processes. Owners
// are set with chown, so the tests that need other owners skip without
// root.

#include "collectors/host_collector.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>

#include "collectors/report.h"
#include "collectors/snapshot_collector.h"
#include "collectors/utf8.h"
#include "exporter/http_server.h"

namespace dce {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace fs = std::filesystem;

// A temporary rootfs and procfs, removed when the test ends.
class HostTree {
 public:
  HostTree() {
    std::string pattern =
        (fs::temp_directory_path() / "host-tree-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed";
    }
    base_ = pattern;
    // mkdtemp makes the directory 0700, which would hide the tree from
    // the unprivileged user of the permission tests.
    fs::permissions(base_, fs::perms(0755));
    fs::create_directories(base_ / "rootfs");
    fs::create_directories(base_ / "proc");
    // Without a mount table 1.1.1 would always be unknown.
    WriteProc("1/mountinfo", "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n");
    Write("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
    Write("/etc/group", "root:x:0:\n");
  }
  ~HostTree() {
    for (const int listener : sockets_) {
      close(listener);
    }
    std::error_code ignored;
    fs::remove_all(base_, ignored);
  }
  HostTree(const HostTree&) = delete;
  HostTree& operator=(const HostTree&) = delete;

  std::string Local(const std::string& host_path) const {
    return (base_ / "rootfs").string() + host_path;
  }

  // Writes a host file with `mode`, creating missing directories.
  void Write(const std::string& host_path, const std::string& text,
             mode_t mode = 0644) {
    fs::create_directories(fs::path(Local(host_path)).parent_path());
    std::ofstream(Local(host_path)) << text;
    chmod(Local(host_path).c_str(), mode);
  }

  void Mkdir(const std::string& host_path, mode_t mode = 0755) {
    fs::create_directories(Local(host_path));
    chmod(Local(host_path).c_str(), mode);
  }

  void Remove(const std::string& host_path) { fs::remove(Local(host_path)); }

  // Makes a FIFO that nothing writes to: opening it for reading without
  // O_NONBLOCK waits for a writer forever.
  void MakeFifo(const std::string& local_path, mode_t mode = 0644) {
    fs::create_directories(fs::path(local_path).parent_path());
    ASSERT_EQ(mkfifo(local_path.c_str(), mode), 0) << local_path;
    ASSERT_EQ(chmod(local_path.c_str(), mode), 0) << local_path;
    fifos_.push_back(local_path);
  }

  // Makes a listening unix socket; the descriptor stays open until the
  // tree is removed.
  void MakeSocket(const std::string& host_path) {
    fs::create_directories(fs::path(Local(host_path)).parent_path());
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string local = Local(host_path);
    ASSERT_LT(local.size(), sizeof address.sun_path) << local;
    std::memcpy(address.sun_path, local.c_str(), local.size() + 1);
    const int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener, 0);
    sockets_.push_back(listener);
    ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&address),
                   sizeof address),
              0)
        << std::strerror(errno);
    ASSERT_EQ(listen(listener, 1), 0);
  }

  void Link(const std::string& host_path, const std::string& target) {
    fs::create_directories(fs::path(Local(host_path)).parent_path());
    fs::create_symlink(target, Local(host_path));
  }

  void Chown(const std::string& host_path, uid_t uid, gid_t gid) {
    ASSERT_EQ(lchown(Local(host_path).c_str(), uid, gid), 0) << host_path;
  }

  void WriteProc(const std::string& relative, const std::string& text) {
    const fs::path path = base_ / "proc" / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }

  // Adds a process named dockerd with these arguments.
  void AddDockerd(const std::string& pid,
                  const std::vector<std::string>& arguments) {
    WriteProc(pid + "/comm", "dockerd\n");
    std::string cmdline = "/usr/bin/dockerd";
    cmdline += '\0';
    for (const auto& argument : arguments) {
      cmdline += argument;
      cmdline += '\0';
    }
    WriteProc(pid + "/cmdline", cmdline);
  }

  HostCollectorOptions Options() const {
    return {(base_ / "rootfs").string(), (base_ / "proc").string(), ""};
  }

  HostRecord Collect(const nlohmann::json* info = nullptr) const {
    return CollectHost(Options(), info);
  }

  // Runs `function` on another thread and fails the test when that takes
  // longer than a few seconds. A read blocked on a FIFO would otherwise
  // hang the test, so each FIFO of the tree is then opened for writing and
  // closed again, which ends a blocked open(2) or read(2).
  template <typename Function>
  auto WithinTimeLimit(Function function) {
    constexpr std::chrono::seconds kTimeLimit{10};
    auto running = std::async(std::launch::async, function);
    if (running.wait_for(kTimeLimit) != std::future_status::ready) {
      ADD_FAILURE() << "still running after " << kTimeLimit.count()
                    << " s: a read blocks on a FIFO";
      while (running.wait_for(std::chrono::milliseconds(100)) !=
             std::future_status::ready) {
        for (const auto& fifo : fifos_) {
          const int writer = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
          if (writer >= 0) {
            close(writer);
          }
        }
      }
    }
    return running.get();
  }

  HostRecord CollectWithinTimeLimit(const nlohmann::json* info = nullptr) {
    return WithinTimeLimit([this, info] { return Collect(info); });
  }

 private:
  fs::path base_;
  std::vector<std::string> fifos_;
  std::vector<int> sockets_;
};

const CheckResult& ResultOf(const HostRecord& record, std::string_view key) {
  const auto checks = HostChecks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].info.key == key) {
      return record.results.at(i);
    }
  }
  ADD_FAILURE() << "no host check " << key;
  static const CheckResult none;
  return none;
}

void ExpectOutcome(const HostRecord& record, std::string_view key,
                   Outcome outcome) {
  const CheckResult& result = ResultOf(record, key);
  EXPECT_EQ(result.outcome, outcome)
      << key << ": " << OutcomeName(result.outcome) << ", " << result.reason;
}

bool IsRoot() { return geteuid() == 0; }

// The exit status and output of a shell command run on `input`.
struct CommandRun {
  int status = -1;
  std::string output;
};

// Runs `command` through the shell with `input` on its standard input, and
// collects its standard output and error.
CommandRun RunWithInput(const std::string& command, const std::string& input) {
  const fs::path directory = fs::temp_directory_path();
  const std::string stem =
      (directory / ("dce-run-" + std::to_string(getpid()))).string();
  std::ofstream(stem + ".in", std::ios::binary) << input;
  CommandRun run;
  const int status = std::system(
      (command + " <" + stem + ".in >" + stem + ".out 2>&1").c_str());
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream output(stem + ".out", std::ios::binary);
  run.output.assign(std::istreambuf_iterator<char>(output),
                    std::istreambuf_iterator<char>());
  fs::remove(stem + ".in");
  fs::remove(stem + ".out");
  return run;
}

bool HasCommand(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

TEST(HostCatalogue, KeysAreUniqueAndCoverSections1To3) {
  std::set<std::string_view> keys;
  for (const auto& check : HostChecks()) {
    EXPECT_TRUE(keys.insert(check.info.key).second) << check.info.key;
    EXPECT_THAT(
        std::string(check.info.cis_id),
        ::testing::AnyOf(StartsWith("1."), StartsWith("2."), StartsWith("3.")));
  }
  // 1.1.1, sixteen audit checks, six daemon checks, 24 file checks.
  EXPECT_EQ(keys.size(), 47U);
}

TEST(HostFileMode, StricterModePasses) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", "{}", 0600);
  const auto record = tree.Collect();
  ExpectOutcome(record, "daemon_json_mode", Outcome::kPass);
  EXPECT_EQ(ResultOf(record, "daemon_json_mode").reason,
            "/etc/docker/daemon.json is mode 0644 or stricter");
  EXPECT_EQ(record.file_modes.at("/etc/docker/daemon.json"), 0600U);
}

TEST(HostFileMode, LooserModeFailsWithReason) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", "{}", 0666);
  const auto record = tree.Collect();
  ExpectOutcome(record, "daemon_json_mode", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "daemon_json_mode").reason,
            "/etc/docker/daemon.json is mode 0666, expected 0644 or stricter");
}

TEST(HostFileMode, SetuidBitOutsideRuleFails) {
  HostTree tree;
  tree.Mkdir("/etc/docker", 02755);
  ExpectOutcome(tree.Collect(), "etc_docker_mode", Outcome::kFail);
}

TEST(HostFileMode, MissingFileIsNotApplicable) {
  HostTree tree;
  const auto record = tree.Collect();
  ExpectOutcome(record, "etc_default_docker_mode", Outcome::kNotApplicable);
  ExpectOutcome(record, "etc_sysconfig_docker_owner", Outcome::kNotApplicable);
  ExpectOutcome(record, "containerd_sock_mode", Outcome::kNotApplicable);
  EXPECT_EQ(ResultOf(record, "etc_default_docker_mode").reason,
            "/etc/default/docker does not exist on the host");
}

TEST(HostFileMode, AbsoluteLinkResolvesInsideRootfs) {
  HostTree tree;
  // /srv/docker/daemon.json exists in the fixture only, so following the
  // link outside the rootfs would find nothing.
  tree.Write("/srv/docker/daemon.json", "{}", 0600);
  tree.Link("/etc/docker/daemon.json", "/srv/docker/daemon.json");
  const auto record = tree.Collect();
  ExpectOutcome(record, "daemon_json_mode", Outcome::kPass);
  EXPECT_THAT(ResultOf(record, "daemon_json_mode").reason,
              HasSubstr("a link to /srv/docker/daemon.json"));
}

TEST(HostFileMode, RelativeLinkAndDotDotStayInsideRootfs) {
  HostTree tree;
  tree.Write("/opt/sock", "", 0666);
  // Far more ".." than the fixture is deep: the root stops them.
  tree.Link("/var/run/docker.sock", "../../../../../../../opt/sock");
  const auto record = tree.Collect();
  ExpectOutcome(record, "docker_sock_mode", Outcome::kFail);
  EXPECT_THAT(ResultOf(record, "docker_sock_mode").reason,
              HasSubstr("a link to /opt/sock"));
}

TEST(HostFileMode, LinkLoopIsUnknown) {
  HostTree tree;
  tree.Link("/etc/default/docker", "/etc/default/loop");
  tree.Link("/etc/default/loop", "/etc/default/docker");
  const auto record = tree.Collect();
  ExpectOutcome(record, "etc_default_docker_mode", Outcome::kUnknown);
  EXPECT_THAT(ResultOf(record, "etc_default_docker_mode").reason,
              HasSubstr("too many symbolic links"));
}

TEST(HostFileOwner, NamesComeFromHostPasswd) {
  if (!IsRoot()) {
    GTEST_SKIP() << "chown needs root";
  }
  HostTree tree;
  // Ids that the test machine's own files are unlikely to name alike.
  tree.Write("/etc/passwd",
             "root:x:0:0::/root:/bin/sh\nhostalice:x:45101:45101::/:/bin/sh\n");
  tree.Write("/etc/group", "root:x:0:\nhostdocker:x:45102:\n");
  tree.Write("/etc/docker/daemon.json", "{}");
  tree.Chown("/etc/docker/daemon.json", 45101, 45102);
  const auto record = tree.Collect();
  ExpectOutcome(record, "daemon_json_owner", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "daemon_json_owner").reason,
            "/etc/docker/daemon.json is owned by hostalice:hostdocker, "
            "expected root:root");
}

TEST(HostFileOwner, SocketGroupFromHostGroupFile) {
  if (!IsRoot()) {
    GTEST_SKIP() << "chown needs root";
  }
  HostTree tree;
  tree.Write("/etc/group", "root:x:0:\ndocker:x:45103:alice\n");
  tree.Write("/run/docker.sock", "", 0660);
  tree.Chown("/run/docker.sock", 0, 45103);
  tree.Link("/var/run", "/run");
  const auto record = tree.Collect();
  ExpectOutcome(record, "docker_sock_owner", Outcome::kPass);
  ExpectOutcome(record, "docker_sock_mode", Outcome::kPass);
  EXPECT_THAT(*record.docker_group_members, ElementsAre("alice"));

  // The same gid under another name is not the docker group.
  tree.Write("/etc/group", "root:x:0:\nother:x:45103:\ndocker:x:45104:\n");
  const auto renamed = tree.Collect();
  ExpectOutcome(renamed, "docker_sock_owner", Outcome::kFail);
  EXPECT_THAT(ResultOf(renamed, "docker_sock_owner").reason,
              HasSubstr("owned by root:other, expected root:docker"));
}

TEST(HostFileOwner, UnreadableGroupFileIsUnknown) {
  HostTree tree;
  // A directory cannot be read as a file.
  tree.Remove("/etc/group");
  tree.Mkdir("/etc/group");
  tree.Write("/var/run/docker.sock", "", 0660);
  const auto record = tree.Collect();
  ExpectOutcome(record, "docker_sock_owner", Outcome::kUnknown);
  EXPECT_FALSE(record.docker_group_members.has_value());
  // root:root needs no names: root is uid and gid 0.
  ExpectOutcome(record, "etc_docker_owner", Outcome::kNotApplicable);
}

TEST(HostFileOwner, RootOwnedPasses) {
  if (!IsRoot()) {
    GTEST_SKIP() << "files of a non-root user are not owned by root";
  }
  HostTree tree;
  tree.Mkdir("/etc/docker", 0755);
  const auto record = tree.Collect();
  ExpectOutcome(record, "etc_docker_owner", Outcome::kPass);
  ExpectOutcome(record, "etc_docker_mode", Outcome::kPass);
}

TEST(HostUnitFiles, EachSystemdDirectoryIsSearched) {
  for (const std::string directory :
       {"/etc/systemd/system", "/run/systemd/system",
        "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
        "/lib/systemd/system"}) {
    HostTree tree;
    tree.Write(directory + "/docker.service", "[Service]\n", 0664);
    tree.Write(directory + "/docker.socket", "[Socket]\n", 0600);
    const auto record = tree.Collect();
    ExpectOutcome(record, "service_file_mode", Outcome::kFail);
    EXPECT_THAT(ResultOf(record, "service_file_mode").reason,
                StartsWith(directory + "/docker.service is mode 0664"));
    ExpectOutcome(record, "socket_file_mode", Outcome::kPass);
  }
}

TEST(HostUnitFiles, HighestPrecedenceCopyIsJudged) {
  HostTree tree;
  tree.Write("/lib/systemd/system/docker.service", "", 0666);
  tree.Write("/etc/systemd/system/docker.service", "", 0644);
  const auto record = tree.Collect();
  ExpectOutcome(record, "service_file_mode", Outcome::kPass);
  EXPECT_THAT(ResultOf(record, "service_file_mode").reason,
              StartsWith("/etc/systemd/system/docker.service"));
}

TEST(HostUnitFiles, MaskedOrMissingUnitIsNotApplicable) {
  HostTree tree;
  tree.Link("/etc/systemd/system/docker.service", "/dev/null");
  tree.Write("/lib/systemd/system/docker.service", "", 0666);
  const auto record = tree.Collect();
  ExpectOutcome(record, "service_file_mode", Outcome::kNotApplicable);
  EXPECT_EQ(ResultOf(record, "service_file_mode").reason,
            "docker.service is masked");
  ExpectOutcome(record, "socket_file_owner", Outcome::kNotApplicable);
}

TEST(HostCertsD, EveryFileIsJudged) {
  HostTree tree;
  tree.Write("/etc/docker/certs.d/registry.example:5000/ca.crt", "", 0444);
  tree.Write("/etc/docker/certs.d/registry.example:5000/client.cert", "", 0400);
  ExpectOutcome(tree.Collect(), "certs_d_mode", Outcome::kPass);

  tree.Write("/etc/docker/certs.d/other.example/ca.crt", "", 0644);
  const auto record = tree.Collect();
  ExpectOutcome(record, "certs_d_mode", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "certs_d_mode").reason,
            "/etc/docker/certs.d/other.example/ca.crt is mode 0644, expected "
            "0444 or stricter");
}

TEST(HostCertsD, EmptyDirectoryIsNotApplicable) {
  HostTree tree;
  tree.Mkdir("/etc/docker/certs.d");
  ExpectOutcome(tree.Collect(), "certs_d_owner", Outcome::kNotApplicable);
}

TEST(HostTlsFiles, NamedInDaemonJson) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json",
             R"({"tlscacert": "/etc/docker/tls/ca.pem",
                 "tlscert": "/etc/docker/tls/cert.pem",
                 "tlskey": "/etc/docker/tls/key.pem"})");
  tree.Write("/etc/docker/tls/ca.pem", "", 0444);
  tree.Write("/etc/docker/tls/cert.pem", "", 0644);
  tree.Write("/etc/docker/tls/key.pem", "", 0400);
  tree.AddDockerd("100", {"-H", "fd://"});
  const auto record = tree.Collect();
  ExpectOutcome(record, "tls_ca_mode", Outcome::kPass);
  ExpectOutcome(record, "tls_cert_mode", Outcome::kFail);
  ExpectOutcome(record, "tls_key_mode", Outcome::kPass);
}

TEST(HostTlsFiles, NotSetIsNotApplicable) {
  HostTree tree;
  tree.AddDockerd("100", {"-H", "fd://"});
  const auto record = tree.Collect();
  ExpectOutcome(record, "tls_key_owner", Outcome::kNotApplicable);
  EXPECT_EQ(ResultOf(record, "tls_key_owner").reason, "tlskey is not set");
}

TEST(HostDaemon, InvalidJsonIsUnknownWithReason) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", "{\"log-level\": \"debug\",");
  tree.AddDockerd("100", {});
  const auto record = tree.Collect();
  for (const auto* key :
       {"log_level", "iptables", "tcp_tls", "daemon_cgroup_parent",
        "daemon_no_new_privileges", "userland_proxy"}) {
    ExpectOutcome(record, key, Outcome::kUnknown);
    EXPECT_EQ(ResultOf(record, key).reason,
              "/etc/docker/daemon.json is not valid JSON");
  }
  // The file's own mode is still judged.
  ExpectOutcome(record, "daemon_json_mode", Outcome::kPass);
  EXPECT_FALSE(record.daemon_no_new_privileges.has_value());
}

TEST(HostDaemon, UnreadableDaemonJsonIsUnknown) {
  HostTree tree;
  tree.Mkdir("/etc/docker/daemon.json");
  tree.AddDockerd("100", {});
  const auto record = tree.Collect();
  ExpectOutcome(record, "log_level", Outcome::kUnknown);
  EXPECT_EQ(ResultOf(record, "log_level").reason,
            "/etc/docker/daemon.json is a directory, not a regular file");
}

TEST(HostDaemon, UnreadableAsOtherUserIsUnknownNotFail) {
  if (!IsRoot()) {
    GTEST_SKIP() << "switching to another user needs root";
  }
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", "{\"log-level\": \"debug\"}", 0600);
  tree.Write("/etc/audit/audit.rules", "-w /etc/docker -k docker\n", 0600);
  tree.Mkdir("/etc/docker", 0755);
  tree.AddDockerd("100", {});
  // The effective user changes for the whole process; no other thread
  // runs during the test.
  ASSERT_EQ(seteuid(65534), 0);
  const auto record = tree.Collect();
  ASSERT_EQ(seteuid(0), 0);
  ExpectOutcome(record, "log_level", Outcome::kUnknown);
  EXPECT_THAT(ResultOf(record, "log_level").reason,
              HasSubstr("Permission denied"));
  ExpectOutcome(record, "audit_etc_docker", Outcome::kUnknown);
  // stat needs no read permission, so the mode is still judged.
  ExpectOutcome(record, "daemon_json_mode", Outcome::kPass);
}

TEST(HostDaemon, CommandLineMergedWithDaemonJson) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json",
             R"({"iptables": false, "userland-proxy": false,
                 "no-new-privileges": true, "default-ulimits": {
                 "nofile": {"Name": "nofile", "Hard": 64, "Soft": 64}}})");
  tree.AddDockerd("4321", {"--log-level=debug", "-H", "tcp://0.0.0.0:2375",
                           "--cgroup-parent", "/custom"});
  const auto record = tree.Collect();
  ExpectOutcome(record, "log_level", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "log_level").reason,
            "--log-level is debug on the dockerd command line");
  ExpectOutcome(record, "iptables", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "iptables").reason,
            "iptables is false in daemon.json");
  ExpectOutcome(record, "tcp_tls", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "tcp_tls").reason,
            "the daemon listens on tcp://0.0.0.0:2375 without tlsverify, "
            "tlscacert, tlscert, tlskey");
  ExpectOutcome(record, "daemon_cgroup_parent", Outcome::kFail);
  ExpectOutcome(record, "daemon_no_new_privileges", Outcome::kPass);
  ExpectOutcome(record, "userland_proxy", Outcome::kPass);
  EXPECT_EQ(record.daemon_no_new_privileges, true);
  EXPECT_EQ(record.default_ulimits_set, true);
}

TEST(HostDaemon, DefaultsWhenNothingIsSet) {
  HostTree tree;
  tree.AddDockerd("100", {"-H", "fd://", "--containerd=/run/c.sock"});
  const auto record = tree.Collect();
  ExpectOutcome(record, "log_level", Outcome::kPass);
  ExpectOutcome(record, "iptables", Outcome::kPass);
  ExpectOutcome(record, "tcp_tls", Outcome::kNotApplicable);
  ExpectOutcome(record, "daemon_cgroup_parent", Outcome::kPass);
  ExpectOutcome(record, "daemon_no_new_privileges", Outcome::kFail);
  ExpectOutcome(record, "userland_proxy", Outcome::kFail);
  EXPECT_EQ(record.default_ulimits_set, false);
}

TEST(HostDaemon, TlsListenerWithEverySettingPasses) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json",
             R"({"hosts": ["unix:///var/run/docker.sock", "0.0.0.0:2376"],
                 "tlsverify": true, "tlscacert": "/ca.pem",
                 "tlscert": "/cert.pem", "tlskey": "/key.pem"})");
  tree.AddDockerd("100", {});
  ExpectOutcome(tree.Collect(), "tcp_tls", Outcome::kPass);
}

TEST(HostDaemon, FlagAndFileConflictIsReported) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", R"({"log-level": "info"})");
  tree.AddDockerd("100", {"--log-level", "info"});
  const auto record = tree.Collect();
  ExpectOutcome(record, "log_level", Outcome::kUnknown);
  EXPECT_EQ(ResultOf(record, "log_level").reason,
            "log-level is set both by --log-level and in "
            "/etc/docker/daemon.json, which dockerd rejects at startup; the "
            "value in use is not known");
}

TEST(HostDaemon, ConfigFileFlagIsFollowed) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", R"({"log-level": "debug"})");
  tree.Write("/srv/dockerd.json", R"({"log-level": "info"})", 0640);
  tree.AddDockerd("100", {"--config-file=/srv/dockerd.json"});
  const auto record = tree.Collect();
  ExpectOutcome(record, "log_level", Outcome::kPass);
  ExpectOutcome(record, "daemon_json_mode", Outcome::kPass);
  EXPECT_TRUE(record.file_modes.contains("/srv/dockerd.json"));
}

TEST(HostDaemon, WithoutProcessOnlyFileValuesAreKnown) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", R"({"userland-proxy": true})");
  const auto record = tree.Collect();
  // A flag cannot also set what daemon.json sets, so the file decides.
  ExpectOutcome(record, "userland_proxy", Outcome::kFail);
  ExpectOutcome(record, "log_level", Outcome::kUnknown);
  EXPECT_THAT(ResultOf(record, "log_level").reason,
              HasSubstr("no dockerd process is in"));
}

TEST(HostDaemon, PidfileOrSocketPicksAmongSeveral) {
  HostTree tree;
  tree.AddDockerd("200", {"-H", "unix:///a.sock", "--log-level=debug"});
  tree.AddDockerd("300", {"-H", "unix:///b.sock"});
  auto options = tree.Options();
  ExpectOutcome(CollectHost(options, nullptr), "log_level", Outcome::kUnknown);

  options.engine_socket_path = "/a.sock";
  ExpectOutcome(CollectHost(options, nullptr), "log_level", Outcome::kFail);
  options.engine_socket_path = "/b.sock";
  ExpectOutcome(CollectHost(options, nullptr), "log_level", Outcome::kPass);

  // A dockerd on other unix sockets only is another engine.
  options.engine_socket_path = "/c.sock";
  ExpectOutcome(CollectHost(options, nullptr), "log_level", Outcome::kUnknown);
  tree.AddDockerd("400", {"-H", "fd://", "--log-level=warn"});
  const auto systemd = CollectHost(options, nullptr);
  ExpectOutcome(systemd, "log_level", Outcome::kFail);
  EXPECT_EQ(ResultOf(systemd, "log_level").reason,
            "--log-level is warn on the dockerd command line");
  options.engine_socket_path = "/b.sock";

  // The pidfile wins over the socket.
  tree.Write("/var/run/docker.pid", "200\n");
  ExpectOutcome(CollectHost(options, nullptr), "log_level", Outcome::kFail);
}

TEST(HostAudit, WatchedPathsPassOthersFail) {
  HostTree tree;
  tree.Write("/usr/bin/dockerd", "", 0755);
  tree.Write("/usr/bin/runc", "", 0755);
  tree.Write("/usr/sbin/containerd", "", 0755);
  tree.Mkdir("/etc/docker");
  tree.Write("/etc/audit/audit.rules",
             "-w /usr/bin/dockerd -k docker\n-w /etc/docker -k docker\n");
  tree.Write("/etc/audit/rules.d/docker.rules",
             "-a always,exit -F path=/usr/bin/runc -F perm=x -k docker\n");
  tree.Write("/etc/audit/rules.d/ignored.conf", "-w /usr/sbin/containerd\n");
  const auto record = tree.Collect();
  ExpectOutcome(record, "audit_dockerd", Outcome::kPass);
  ExpectOutcome(record, "audit_runc", Outcome::kPass);
  ExpectOutcome(record, "audit_etc_docker", Outcome::kPass);
  ExpectOutcome(record, "audit_containerd", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "audit_containerd").reason,
            "no audit rule watches /usr/sbin/containerd");
  ExpectOutcome(record, "audit_containerd_shim", Outcome::kNotApplicable);
  ExpectOutcome(record, "audit_etc_default_docker", Outcome::kNotApplicable);
}

TEST(HostAudit, RuleThroughLinkedDirectoryMatches) {
  HostTree tree;
  // A merged /usr: /bin is a link to usr/bin, and the rule names /bin.
  tree.Write("/usr/bin/runc", "", 0755);
  tree.Link("/bin", "usr/bin");
  tree.Write("/etc/audit/audit.rules", "-w /bin/runc -p x\n");
  ExpectOutcome(tree.Collect(), "audit_runc", Outcome::kPass);
}

TEST(HostAudit, NoRulesFileFails) {
  HostTree tree;
  tree.Mkdir("/etc/docker");
  const auto record = tree.Collect();
  ExpectOutcome(record, "audit_etc_docker", Outcome::kFail);
  EXPECT_THAT(ResultOf(record, "audit_etc_docker").reason,
              StartsWith("no audit rules file exists"));
}

TEST(HostAudit, UnreadableRulesFileIsUnknown) {
  HostTree tree;
  tree.Mkdir("/etc/docker");
  tree.Mkdir("/etc/audit/audit.rules");
  ExpectOutcome(tree.Collect(), "audit_etc_docker", Outcome::kUnknown);
}

TEST(HostFifo, DaemonJsonFifoIsUnknown) {
  HostTree tree;
  tree.MakeFifo(tree.Local("/etc/docker/daemon.json"), 0666);
  tree.AddDockerd("100", {"--log-level=debug"});
  const auto record = tree.CollectWithinTimeLimit();
  for (const auto* key :
       {"log_level", "iptables", "tcp_tls", "daemon_cgroup_parent",
        "daemon_no_new_privileges", "userland_proxy"}) {
    ExpectOutcome(record, key, Outcome::kUnknown);
    EXPECT_EQ(ResultOf(record, key).reason,
              "/etc/docker/daemon.json is a FIFO, not a regular file");
  }
  // The owner and mode checks only stat the path, which a FIFO allows.
  ExpectOutcome(record, "daemon_json_mode", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "daemon_json_mode").reason,
            "/etc/docker/daemon.json is mode 0666, expected 0644 or "
            "stricter");
  ExpectOutcome(record, "audit_daemon_json", Outcome::kFail);
}

TEST(HostFifo, LinkToFifoIsUnknown) {
  HostTree tree;
  tree.MakeFifo(tree.Local("/srv/daemon.json"));
  tree.Link("/etc/docker/daemon.json", "/srv/daemon.json");
  tree.AddDockerd("100", {});
  const auto record = tree.CollectWithinTimeLimit();
  ExpectOutcome(record, "log_level", Outcome::kUnknown);
  EXPECT_EQ(ResultOf(record, "log_level").reason,
            "/etc/docker/daemon.json is a FIFO, not a regular file");
}

TEST(HostFifo, PasswdFifoMakesOwnerChecksUnknown) {
  if (!IsRoot()) {
    GTEST_SKIP() << "files of a non-root user are not owned by root";
  }
  HostTree tree;
  tree.Remove("/etc/passwd");
  tree.MakeFifo(tree.Local("/etc/passwd"));
  tree.Write("/etc/docker/daemon.json", "{}");
  tree.Chown("/etc/docker/daemon.json", 0, 4242);
  const auto record = tree.CollectWithinTimeLimit();
  ExpectOutcome(record, "docker_sock_owner", Outcome::kNotApplicable);
  ExpectOutcome(record, "daemon_json_owner", Outcome::kFail);
  EXPECT_FALSE(record.docker_group_members.has_value());
  // The group of a docker socket is looked up by name, which needs the
  // accounts.
  tree.MakeSocket("/var/run/docker.sock");
  const auto with_socket = tree.CollectWithinTimeLimit();
  ExpectOutcome(with_socket, "docker_sock_owner", Outcome::kUnknown);
  EXPECT_EQ(ResultOf(with_socket, "docker_sock_owner").reason,
            "/etc/passwd is a FIFO, not a regular file");
}

TEST(HostFifo, AuditRulesFifoIsUnknown) {
  HostTree tree;
  tree.Mkdir("/etc/docker");
  tree.Mkdir("/run/containerd");
  tree.Write("/etc/audit/audit.rules", "-w /run/containerd -k docker\n");
  tree.MakeFifo(tree.Local("/etc/audit/rules.d/docker.rules"));
  const auto record = tree.CollectWithinTimeLimit();
  // A rule in the readable file still counts, but the FIFO might have
  // held the rule that the other paths need.
  ExpectOutcome(record, "audit_run_containerd", Outcome::kPass);
  ExpectOutcome(record, "audit_etc_docker", Outcome::kUnknown);
  EXPECT_THAT(ResultOf(record, "audit_etc_docker").reason,
              HasSubstr("/etc/audit/rules.d/docker.rules is a FIFO, not a "
                        "regular file"));
}

TEST(HostFifo, PidfileFifoFallsBackToProcessTable) {
  HostTree tree;
  tree.MakeFifo(tree.Local("/var/run/docker.pid"));
  tree.AddDockerd("100", {"--log-level=debug"});
  const auto record = tree.CollectWithinTimeLimit();
  ExpectOutcome(record, "log_level", Outcome::kFail);
}

TEST(HostFifo, ProcfsFifosAreUnknownNotBlocking) {
  HostTree tree;
  tree.Mkdir("/var/lib/docker");
  const std::string procfs = tree.Options().procfs;
  fs::remove(procfs + "/1/mountinfo");
  tree.MakeFifo(procfs + "/1/mountinfo");
  tree.MakeFifo(procfs + "/100/comm");
  tree.AddDockerd("200", {"--log-level=debug"});
  const auto record = tree.CollectWithinTimeLimit();
  ExpectOutcome(record, "data_root_partition", Outcome::kUnknown);
  EXPECT_EQ(ResultOf(record, "data_root_partition").reason,
            procfs + "/1/mountinfo is a FIFO, not a regular file");
  // The process whose comm is a FIFO is not taken for a dockerd.
  ExpectOutcome(record, "log_level", Outcome::kFail);
}

TEST(HostFiles, ReadRejectsEveryKindButRegularFiles) {
  HostTree tree;
  tree.MakeFifo(tree.Local("/run/fifo"));
  tree.MakeSocket("/run/socket");
  tree.Mkdir("/run/directory");
  tree.Write("/run/regular", "text");
  const HostFiles files(tree.Options().rootfs);
  const std::pair<std::string, std::string> cases[] = {
      {"/run/fifo", "/run/fifo is a FIFO, not a regular file"},
      {"/run/socket", "/run/socket is a socket, not a regular file"},
      {"/run/directory", "/run/directory is a directory, not a regular file"},
  };
  for (const auto& test_case : cases) {
    const std::string& path = test_case.first;
    const auto text =
        tree.WithinTimeLimit([&files, &path] { return files.Read(path, 64); });
    ASSERT_FALSE(text.ok()) << path;
    EXPECT_EQ(text.error().message, test_case.second);
  }
  const auto regular = files.Read("/run/regular", 64);
  ASSERT_TRUE(regular.ok()) << regular.error().message;
  EXPECT_EQ(regular.value(), std::optional<std::string>("text"));
}

TEST(HostFiles, ReadRegularFileChecksTheOpenedFile) {
  HostTree tree;
  tree.MakeFifo(tree.Local("/run/fifo"));
  tree.Link("/run/link", "/run/fifo");
  const auto fifo = tree.WithinTimeLimit([&tree] {
    return ReadRegularFile(tree.Local("/run/fifo"), "/run/fifo", 64);
  });
  ASSERT_FALSE(fifo.ok());
  EXPECT_EQ(fifo.error().message, "/run/fifo is a FIFO, not a regular file");
  // A link at the last component is not followed: the collector resolves
  // links inside the rootfs itself, so one found here was swapped in.
  const auto link = ReadRegularFile(tree.Local("/run/link"), "/run/link", 64);
  ASSERT_FALSE(link.ok());
  EXPECT_THAT(link.error().message, HasSubstr("cannot open /run/link"));
}

TEST(HostFiles, ReadRegularFileTruncatesOrRejects) {
  HostTree tree;
  tree.Write("/big", std::string(20000, 'x'));
  const auto rejected = ReadRegularFile(tree.Local("/big"), "/big", 100);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().message,
            "cannot read /big on the host: it is larger than 100 bytes");
  const auto truncated =
      ReadRegularFile(tree.Local("/big"), "/big", 100, LargerFile::kTruncate);
  ASSERT_TRUE(truncated.ok());
  EXPECT_EQ(truncated.value(),
            std::optional<std::string>(std::string(100, 'x')));
  const auto missing = ReadRegularFile(tree.Local("/none"), "/none", 100);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());
}

TEST(HostDataRoot, MountPointPasses) {
  HostTree tree;
  tree.Mkdir("/srv/docker");
  tree.WriteProc("1/mountinfo",
                 "22 1 8:1 / / rw - ext4 /dev/sda1 rw\n"
                 "40 22 8:2 / /srv/docker rw - ext4 /dev/sda2 rw\n");
  const nlohmann::json info = {{"DockerRootDir", "/srv/docker"}};
  const auto record = tree.Collect(&info);
  ExpectOutcome(record, "data_root_partition", Outcome::kPass);
  ExpectOutcome(record, "audit_var_lib_docker", Outcome::kFail);
  EXPECT_EQ(ResultOf(record, "audit_var_lib_docker").reason,
            "no audit rules file exists (/etc/audit/audit.rules or "
            "/etc/audit/rules.d/*.rules), so nothing watches /srv/docker");
}

TEST(HostDataRoot, SharedPartitionFailsAndMissingIsNotApplicable) {
  HostTree tree;
  ExpectOutcome(tree.Collect(), "data_root_partition", Outcome::kNotApplicable);
  tree.Mkdir("/var/lib/docker");
  ExpectOutcome(tree.Collect(), "data_root_partition", Outcome::kFail);
}

TEST(HostReport, ReportAndMetricsIncludeHost) {
  HostTree tree;
  tree.Write("/etc/docker/daemon.json", "{}", 0666);
  Snapshot snapshot;
  snapshot.host = tree.Collect();
  const nlohmann::json report = BuildReport(snapshot);
  ASSERT_TRUE(report.contains("host"));
  bool found = false;
  for (const auto& check : report.at("host").at("checks")) {
    if (check.at("check") == "daemon_json_mode") {
      found = true;
      EXPECT_EQ(check.at("cis_id"), "3.18");
      EXPECT_EQ(check.at("outcome"), "fail");
      EXPECT_EQ(check.at("reason"),
                "/etc/docker/daemon.json is mode 0666, expected 0644 or "
                "stricter");
    }
  }
  EXPECT_TRUE(found);

  const std::string text = RenderExposition(snapshot, {"v", "r", "c"});
  EXPECT_THAT(text, HasSubstr("\ndocker_compliance_host_check_passed{"));
  EXPECT_THAT(text, HasSubstr("\ndocker_compliance_host_file_mode{path=\"/etc/"
                              "docker/daemon.json\"} 438\n"));
  EXPECT_THAT(text,
              HasSubstr("\ndocker_compliance_host_docker_group_members 0\n"));
  EXPECT_FALSE(BuildReport(Snapshot{}).contains("host"));
}

TEST(HostReport, NonUtf8NamesStayValidUtf8) {
  HostTree tree;
  // A Latin-1 user name and certificate file name, as an old host may
  // have: 0xE9 is "e" with an acute accent there, and never valid UTF-8
  // alone.
  tree.Write("/etc/passwd",
             "root:x:0:0:root:/root:/bin/sh\n"
             "b\xE9"
             "atrice:x:1000:1000::/home/b:/bin/sh\n");
  tree.Write("/etc/group",
             "root:x:0:\ndocker:x:4242:alice,b\xE9"
             "atrice\n");
  tree.Write("/etc/docker/certs.d/registry/ca\xFF.crt", "", 0666);
  if (IsRoot()) {
    tree.Chown("/etc/docker/certs.d/registry/ca\xFF.crt", 1000, 0);
  }
  Snapshot snapshot;
  snapshot.up = true;
  snapshot.host = tree.Collect();
  ASSERT_TRUE(snapshot.host->docker_group_members.has_value());

  SnapshotStore store;
  store.Publish(std::make_shared<const Snapshot>(snapshot));
  const std::string text = SnapshotCollector(store, {"v", "r", "c"}).Render();
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_THAT(text, HasSubstr("docker_compliance_host_docker_group_member_"
                              "info{user=\"b\xEF\xBF\xBD"
                              "atrice\"} 1"));
  EXPECT_THAT(text, HasSubstr("docker_compliance_host_file_mode{path=\"/etc/"
                              "docker/certs.d/registry/ca\xEF\xBF\xBD.crt\"} "
                              "438"));
  if (HasCommand("promtool")) {
    const CommandRun promtool = RunWithInput("promtool check metrics", text);
    EXPECT_EQ(promtool.status, 0) << promtool.output;
    EXPECT_EQ(promtool.output, "");
  } else {
    std::cerr << "promtool not found; the exposition was checked for UTF-8 "
                 "only\n";
  }

  const nlohmann::json report = BuildReport(snapshot);
  // The default error handler throws on invalid UTF-8.
  std::string json;
  ASSERT_NO_THROW(json = report.dump());
  EXPECT_TRUE(IsValidUtf8(json));
  std::map<std::string, std::string> reasons;
  for (const auto& check : report.at("host").at("checks")) {
    reasons[check.at("check").get<std::string>()] =
        check.at("reason").get<std::string>();
  }
  EXPECT_EQ(reasons["certs_d_mode"],
            "/etc/docker/certs.d/registry/ca\xEF\xBF\xBD.crt is mode 0666, "
            "expected 0444 or stricter");
  if (IsRoot()) {
    EXPECT_EQ(reasons["certs_d_owner"],
              "/etc/docker/certs.d/registry/ca\xEF\xBF\xBD.crt is owned by "
              "b\xEF\xBF\xBD"
              "atrice:root, expected root:root");
  }
  if (HasCommand("python3")) {
    const CommandRun python = RunWithInput(
        "python3 -c 'import json, sys; json.load(sys.stdin.buffer)'", json);
    EXPECT_EQ(python.status, 0) << python.output;
  }
}

}  // namespace
}  // namespace dce
