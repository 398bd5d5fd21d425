// The inventory against a fake engine: an httplib server on loopback that
// responds like the Docker API. A real engine cannot be made to remove a
// container exactly between the list and the inspection, or to send broken
// documents, so these cases need the fake. The tests with a real engine are
// under tests/integration.
#include "collectors/inventory.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "collectors/check_catalogue.h"

namespace dce {
namespace {

constexpr char kVersion141[] =
    R"({"Version": "20.10.24", "ApiVersion": "1.41", "Os": "linux",
        "Arch": "amd64"})";

std::string InspectDocument(const std::string& id, const std::string& name,
                            bool readonly) {
  return R"({"Id": ")" + id + R"(", "Name": "/)" + name +
         R"(", "Config": {"Image": "busybox"}, "State": {"Status": "running"},
            "HostConfig": {"ReadonlyRootfs": )" +
         (readonly ? "true" : "false") + "}}";
}

class FakeEngine {
 public:
  FakeEngine() {
    server_.Get("/version", [this](const httplib::Request& request,
                                   httplib::Response& response) {
      Record(request);
      std::lock_guard lock(mutex_);
      response.set_content(version_, "application/json");
    });
    server_.Get(
        R"(/v([0-9.]+)/containers/json)",
        [this](const httplib::Request& request, httplib::Response& response) {
          Record(request);
          std::lock_guard lock(mutex_);
          response.set_content(list_, "application/json");
        });
    server_.Get(
        R"(/v([0-9.]+)/containers/([^/]+)/json)",
        [this](const httplib::Request& request, httplib::Response& response) {
          Record(request);
          const int in_flight = ++inspects_in_flight_;
          int seen = max_inspects_in_flight_.load();
          while (
              in_flight > seen &&
              !max_inspects_in_flight_.compare_exchange_weak(seen, in_flight)) {
          }
          std::this_thread::sleep_for(inspect_delay_);
          --inspects_in_flight_;

          std::lock_guard lock(mutex_);
          const auto found = inspects_.find(request.matches[2]);
          if (found == inspects_.end()) {
            response.status = 404;
            response.set_content(R"({"message": "No such container"})",
                                 "application/json");
            return;
          }
          response.set_content(found->second, "application/json");
        });
    server_.Get(R"(/v([0-9.]+)/info)", [this](const httplib::Request& request,
                                              httplib::Response& response) {
      Record(request);
      response.set_content(R"({"SecurityOptions": ["name=seccomp"]})",
                           "application/json");
    });
    server_.Get(
        R"(/v([0-9.]+)/networks)",
        [this](const httplib::Request& request, httplib::Response& response) {
          Record(request);
          response.set_content("[]", "application/json");
        });
    server_.Get(
        R"(/v([0-9.]+)/images/json)",
        [this](const httplib::Request& request, httplib::Response& response) {
          Record(request);
          response.set_content("[]", "application/json");
        });
    server_.set_error_handler([this](const httplib::Request& request,
                                     httplib::Response&) { Record(request); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() has no effect before the listen loop runs, so the destructor
    // could wait forever unless the loop is known to be running.
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~FakeEngine() {
    server_.stop();
    thread_.join();
  }

  EngineAddress Address() const {
    return ParseEngineAddress("tcp://127.0.0.1:" + std::to_string(port_))
        .value();
  }

  void SetVersion(std::string body) {
    std::lock_guard lock(mutex_);
    version_ = std::move(body);
  }
  void SetList(std::string body) {
    std::lock_guard lock(mutex_);
    list_ = std::move(body);
  }
  void SetInspect(const std::string& id, std::string body) {
    std::lock_guard lock(mutex_);
    inspects_[id] = std::move(body);
  }
  void RemoveInspect(const std::string& id) {
    std::lock_guard lock(mutex_);
    inspects_.erase(id);
  }
  void ClearPaths() {
    std::lock_guard lock(mutex_);
    paths_.clear();
  }
  void SetInspectDelay(std::chrono::milliseconds delay) {
    inspect_delay_ = delay;
  }

  std::set<std::string> Methods() {
    std::lock_guard lock(mutex_);
    return methods_;
  }
  std::vector<std::string> Paths() {
    std::lock_guard lock(mutex_);
    return paths_;
  }
  int MaxInspectsInFlight() const { return max_inspects_in_flight_; }

 private:
  void Record(const httplib::Request& request) {
    std::lock_guard lock(mutex_);
    methods_.insert(request.method);
    paths_.push_back(request.path);
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  std::string version_ = kVersion141;
  std::string list_ = "[]";
  std::map<std::string, std::string> inspects_;
  std::set<std::string> methods_;
  std::vector<std::string> paths_;
  std::atomic<int> inspects_in_flight_{0};
  std::atomic<int> max_inspects_in_flight_{0};
  std::chrono::milliseconds inspect_delay_{0};
};

class InventoryTest : public ::testing::Test {
 protected:
  Inventory MakeInventory(
      std::chrono::milliseconds stale_after = std::chrono::minutes(5),
      int max_concurrent_requests = 4) {
    InventoryOptions options;
    options.address = engine_.Address();
    options.timeout = std::chrono::seconds(5);
    options.stale_after = stale_after;
    options.max_concurrent_requests = max_concurrent_requests;
    return Inventory(options, store_);
  }

  std::vector<std::string> Names() {
    std::vector<std::string> names;
    for (const auto& container : store_.Current()->containers) {
      names.push_back(container.name);
    }
    return names;
  }

  FakeEngine engine_;
  SnapshotStore store_;
};

TEST_F(InventoryTest, EvaluatesListedContainers) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]},
                      {"Id": "b2", "Names": ["/db"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  engine_.SetInspect("b2", InspectDocument("b2", "db", false));
  auto inventory = MakeInventory();

  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.up);
  EXPECT_TRUE(report.failures.empty());
  const auto snapshot = store_.Current();
  EXPECT_TRUE(snapshot->up);
  EXPECT_TRUE(snapshot->ready);
  ASSERT_EQ(snapshot->containers.size(), 2u);
  EXPECT_EQ(snapshot->containers[0].name, "db");
  EXPECT_EQ(snapshot->containers[0].rootfs_readonly.outcome, Outcome::kFail);
  EXPECT_EQ(snapshot->containers[0].image, "busybox");
  EXPECT_EQ(snapshot->containers[0].state, "running");
  EXPECT_EQ(snapshot->containers[1].name, "web");
  EXPECT_EQ(snapshot->containers[1].rootfs_readonly.outcome, Outcome::kPass);
  EXPECT_GT(snapshot->last_success_timestamp_seconds, 0);
  ASSERT_TRUE(snapshot->engine.has_value());
  EXPECT_EQ(snapshot->engine->api_version, "1.41");
}

TEST_F(InventoryTest, EvaluatesEveryCheck) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  auto inventory = MakeInventory();
  static_cast<void>(inventory.Refresh());

  const auto snapshot = store_.Current();
  ASSERT_EQ(snapshot->containers.size(), 1u);
  const auto& results = snapshot->containers[0].results;
  ASSERT_EQ(results.size(), ContainerChecks().size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (ContainerChecks()[i].info.key == "rootfs_readonly") {
      EXPECT_EQ(results[i].outcome, Outcome::kPass);
    }
  }
  EXPECT_EQ(snapshot->engine_results.size(), EngineChecks().size());
}

TEST_F(InventoryTest, SendsOnlyGetRequests) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  auto inventory = MakeInventory();
  static_cast<void>(inventory.Refresh());
  EXPECT_EQ(engine_.Methods(), std::set<std::string>{"GET"});
}

TEST_F(InventoryTest, ContainerRemovedBeforeInspectIsSkipped) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]},
                      {"Id": "gone", "Names": ["/gone"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  auto inventory = MakeInventory();

  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.up);
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(Names(), std::vector<std::string>{"web"});
  EXPECT_EQ(store_.Current()->refresh_failures.at("inspect"), 0u);
}

TEST_F(InventoryTest, BadInspectDocumentKeepsLastRecord) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  auto inventory = MakeInventory();
  static_cast<void>(inventory.Refresh());

  engine_.SetInspect("a1", "{\"Id\": \"a1\", truncated");
  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.up);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].message.find("a1"), std::string::npos);
  EXPECT_EQ(store_.Current()->refresh_failures.at("inspect"), 1u);
  ASSERT_EQ(Names(), std::vector<std::string>{"web"});
  EXPECT_EQ(store_.Current()->containers[0].rootfs_readonly.outcome,
            Outcome::kPass);
}

TEST_F(InventoryTest, BadInspectOfNewContainerCounted) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", "[]");
  auto inventory = MakeInventory();
  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.up);
  EXPECT_TRUE(Names().empty());
  EXPECT_EQ(store_.Current()->refresh_failures.at("inspect"), 1u);
}

TEST_F(InventoryTest, BadListKeepsContainersUntilStale) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  auto inventory = MakeInventory(std::chrono::minutes(5));
  static_cast<void>(inventory.Refresh());

  engine_.SetList(R"({"message": "not a list"})");
  const auto report = inventory.Refresh();
  EXPECT_FALSE(report.up);
  const auto snapshot = store_.Current();
  EXPECT_FALSE(snapshot->up);
  EXPECT_TRUE(snapshot->ready);
  EXPECT_EQ(snapshot->refresh_failures.at("list"), 1u);
  EXPECT_EQ(Names(), std::vector<std::string>{"web"});
  EXPECT_TRUE(snapshot->engine.has_value());
}

TEST_F(InventoryTest, FailureAfterStalePeriodDropsContainers) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  auto inventory = MakeInventory(std::chrono::milliseconds(0));
  static_cast<void>(inventory.Refresh());
  ASSERT_EQ(Names().size(), 1u);

  engine_.SetList("not json");
  static_cast<void>(inventory.Refresh());
  EXPECT_TRUE(Names().empty());
  EXPECT_FALSE(store_.Current()->engine.has_value());
}

TEST_F(InventoryTest, OldEngineIsRejected) {
  engine_.SetVersion(R"({"Version": "19.03.15", "ApiVersion": "1.40"})");
  auto inventory = MakeInventory();
  const auto report = inventory.Refresh();
  EXPECT_FALSE(report.up);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].message.find("1.40"), std::string::npos);
  EXPECT_EQ(store_.Current()->refresh_failures.at("version"), 1u);
  EXPECT_FALSE(store_.Current()->ready);
  for (const auto& path : engine_.Paths()) {
    EXPECT_EQ(path, "/version") << "no other request after a rejection";
  }
}

TEST_F(InventoryTest, NewerEngineCappedAtNewestKnown) {
  engine_.SetVersion(R"({"Version": "28.2.2", "ApiVersion": "1.50"})");
  auto inventory = MakeInventory();
  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.up);
  EXPECT_EQ(report.api_version, "1.47");
  const auto paths = engine_.Paths();
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/v1.47/containers/json"),
            paths.end());
}

TEST_F(InventoryTest, UnreachableEngineCountsVersionFailure) {
  InventoryOptions options;
  options.address =
      ParseEngineAddress("unix:///nonexistent/docker.sock").value();
  options.timeout = std::chrono::seconds(1);
  Inventory inventory(options, store_);
  const auto report = inventory.Refresh();
  EXPECT_FALSE(report.up);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_NE(report.failures[0].message.find("unix:///nonexistent/docker.sock"),
            std::string::npos);
  EXPECT_NE(report.failures[0].message.find("No such file or directory"),
            std::string::npos)
      << report.failures[0].message;
  EXPECT_EQ(store_.Current()->refresh_failures.at("version"), 1u);
  EXPECT_EQ(store_.Current()->refresh_failures.at("list"), 0u);
}

TEST_F(InventoryTest, InspectConcurrencyIsBounded) {
  std::string list = "[";
  for (int i = 0; i < 12; ++i) {
    const std::string id = "c" + std::to_string(i);
    list += (i > 0 ? "," : "") + std::string(R"({"Id": ")") + id + "\"}";
    engine_.SetInspect(id, InspectDocument(id, id, true));
  }
  engine_.SetList(list + "]");
  engine_.SetInspectDelay(std::chrono::milliseconds(20));
  auto inventory = MakeInventory(std::chrono::minutes(5), 3);

  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.up);
  EXPECT_EQ(report.containers, 12u);
  EXPECT_LE(engine_.MaxInspectsInFlight(), 3);
  EXPECT_GE(engine_.MaxInspectsInFlight(), 2)
      << "inspections should overlap when concurrency allows";
}

TEST_F(InventoryTest, CancelStopsRefreshWithoutFailures) {
  std::string list = "[";
  for (int i = 0; i < 20; ++i) {
    const std::string id = "c" + std::to_string(i);
    list += (i > 0 ? "," : "") + std::string(R"({"Id": ")") + id + "\"}";
    engine_.SetInspect(id, InspectDocument(id, id, true));
  }
  engine_.SetList(list + "]");
  // Uncancelled, the refresh would take 20 x 300 ms on one connection.
  engine_.SetInspectDelay(std::chrono::milliseconds(300));
  auto inventory = MakeInventory(std::chrono::minutes(5), 1);

  std::thread canceller([&inventory] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    inventory.Cancel();
  });
  const auto report = inventory.Refresh();
  canceller.join();

  const auto paths = engine_.Paths();
  const auto inspects =
      std::count_if(paths.begin(), paths.end(), [](const std::string& path) {
        return path.starts_with("/v1.41/containers/c");
      });
  EXPECT_LT(inspects, 5);
  EXPECT_TRUE(report.failures.empty());
  for (const auto& [stage, count] : store_.Current()->refresh_failures) {
    EXPECT_EQ(count, 0u) << stage;
  }
}

TEST_F(InventoryTest, CancelAbortsRequestInFlight) {
  engine_.SetList(R"([{"Id": "slow"}])");
  engine_.SetInspect("slow", InspectDocument("slow", "slow", true));
  engine_.SetInspectDelay(std::chrono::seconds(4));
  auto inventory = MakeInventory();

  std::thread canceller([&inventory] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    inventory.Cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  static_cast<void>(inventory.Refresh());
  const auto elapsed = std::chrono::steady_clock::now() - started;
  canceller.join();

  // libcurl checks the flag about once a second; the margin is wide so
  // that only a request left to finish on its own fails this.
  EXPECT_LT(elapsed, std::chrono::milliseconds(3500));
}

TEST_F(InventoryTest, SharedImageIsFetchedOnce) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]},
                      {"Id": "b2", "Names": ["/db"]},
                      {"Id": "c3", "Names": ["/cache"]}])");
  for (const auto& [id, name] :
       {std::pair{"a1", "web"}, {"b2", "db"}, {"c3", "cache"}}) {
    engine_.SetInspect(id, InspectDocument(id, name, true));
  }
  auto inventory = MakeInventory();

  ASSERT_TRUE(inventory.Refresh().up);
  const auto paths = engine_.Paths();
  EXPECT_EQ(
      std::count(paths.begin(), paths.end(), "/v1.41/images/busybox/json"), 1);
}

TEST_F(InventoryTest, ReportsProgressOfEveryContainer) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]},
                      {"Id": "b2", "Names": ["/db"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  engine_.SetInspect("b2", InspectDocument("b2", "db", true));
  InventoryOptions options;
  options.address = engine_.Address();
  std::mutex mutex;
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  options.on_progress = [&](std::size_t evaluated, std::size_t listed) {
    std::lock_guard lock(mutex);
    calls.emplace_back(evaluated, listed);
  };
  Inventory inventory(options, store_);

  ASSERT_TRUE(inventory.Refresh().up);
  std::sort(calls.begin(), calls.end());
  EXPECT_EQ(calls,
            (std::vector<std::pair<std::size_t, std::size_t>>{{1, 2}, {2, 2}}));
}

TEST_F(InventoryTest, ContainerRenamedBeforeInspectTakesNewName) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/old"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "new", true));
  auto inventory = MakeInventory();

  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(Names(), std::vector<std::string>{"new"});
}

TEST_F(InventoryTest, ContainerRecreatedBeforeInspectIsSkipped) {
  // The list names the old container; by the time of the inspection it has
  // been removed and another created under the same name, which the next
  // refresh or its create event brings in.
  engine_.SetList(R"([{"Id": "old1", "Names": ["/web"]}])");
  engine_.SetInspect("new2", InspectDocument("new2", "web", true));
  auto inventory = MakeInventory();

  const auto report = inventory.Refresh();
  EXPECT_TRUE(report.failures.empty());
  EXPECT_TRUE(Names().empty());

  ASSERT_TRUE(inventory.RefreshContainers({"new2"}).up);
  EXPECT_EQ(Names(), std::vector<std::string>{"web"});
}

TEST_F(InventoryTest, RefreshContainersInspectsOnlyThoseGiven) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]},
                      {"Id": "b2", "Names": ["/db"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", false));
  engine_.SetInspect("b2", InspectDocument("b2", "db", false));
  auto inventory = MakeInventory();
  ASSERT_TRUE(inventory.Refresh().up);
  engine_.ClearPaths();

  engine_.SetInspect("a1", InspectDocument("a1", "web", true));
  const auto report = inventory.RefreshContainers({"a1"});
  EXPECT_TRUE(report.up);
  EXPECT_TRUE(report.partial);
  EXPECT_TRUE(report.failures.empty());

  const auto paths = engine_.Paths();
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/v1.41/containers/a1/json"),
            1);
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/v1.41/containers/b2/json"),
            0);
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/v1.41/containers/json"), 0)
      << "a partial refresh does not list containers";
  const auto snapshot = store_.Current();
  ASSERT_EQ(snapshot->containers.size(), 2u);
  EXPECT_EQ(snapshot->containers[1].name, "web");
  EXPECT_EQ(snapshot->containers[1].rootfs_readonly.outcome, Outcome::kPass);
  EXPECT_EQ(snapshot->containers[0].rootfs_readonly.outcome, Outcome::kFail);
}

TEST_F(InventoryTest, RefreshContainersAddsNewAndDropsRemoved) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", false));
  auto inventory = MakeInventory();
  ASSERT_TRUE(inventory.Refresh().up);

  engine_.RemoveInspect("a1");
  engine_.SetInspect("c3", InspectDocument("c3", "cache", true));
  const auto report = inventory.RefreshContainers({"a1", "c3"});
  EXPECT_TRUE(report.failures.empty());
  EXPECT_EQ(Names(), std::vector<std::string>{"cache"});
}

TEST_F(InventoryTest, RefreshContainersKeepsRecordWhenInspectFails) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", false));
  auto inventory = MakeInventory();
  ASSERT_TRUE(inventory.Refresh().up);

  engine_.SetInspect("a1", "not json");
  const auto report = inventory.RefreshContainers({"a1"});
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].stage, "inspect");
  EXPECT_EQ(Names(), std::vector<std::string>{"web"});
  EXPECT_EQ(store_.Current()->refresh_failures.at("inspect"), 1u);
}

TEST_F(InventoryTest, RefreshContainersWaitsForFullRefresh) {
  engine_.SetInspect("a1", InspectDocument("a1", "web", false));
  auto inventory = MakeInventory();

  const auto report = inventory.RefreshContainers({"a1"});
  EXPECT_FALSE(report.up);
  EXPECT_TRUE(engine_.Paths().empty())
      << "without a negotiated API version nothing is requested";
  EXPECT_TRUE(store_.Current()->containers.empty());
}

TEST_F(InventoryTest, PartialRefreshKeepsFullRefreshDuration) {
  engine_.SetList(R"([{"Id": "a1", "Names": ["/web"]}])");
  engine_.SetInspect("a1", InspectDocument("a1", "web", false));
  engine_.SetInspectDelay(std::chrono::milliseconds(50));
  auto inventory = MakeInventory();
  ASSERT_TRUE(inventory.Refresh().up);
  const double full_seconds = store_.Current()->refresh_duration_seconds;
  ASSERT_GT(full_seconds, 0.04);

  engine_.SetInspectDelay(std::chrono::milliseconds(0));
  ASSERT_TRUE(inventory.RefreshContainers({"a1"}).up);
  EXPECT_EQ(store_.Current()->refresh_duration_seconds, full_seconds);
}

TEST(EscapePathSegment, KeepsIdsAndEscapesTheRest) {
  EXPECT_EQ(EscapePathSegment("f37f67802cd9"), "f37f67802cd9");
  EXPECT_EQ(EscapePathSegment("../x?y=1"), "..%2Fx%3Fy%3D1");
  EXPECT_EQ(EscapePathSegment("a b\xff"), "a%20b%FF");
}

}  // namespace
}  // namespace dce
