#include "exporter/exposition_cache.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "collectors/snapshot_collector.h"
#include "exporter/http_server.h"
#include "tests/unit/gunzip.h"

namespace dce {
namespace {

const BuildInfo kBuildInfo{"0.1.0", "abc123", "gcc 12"};

std::shared_ptr<const Snapshot> SnapshotOf(int containers) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->up = true;
  snapshot->ready = true;
  for (int i = 0; i < containers; ++i) {
    ContainerRecord record;
    record.id = "id-" + std::to_string(i);
    record.name = "web-" + std::to_string(i);
    record.rootfs_readonly = {i % 2 == 0 ? Outcome::kPass : Outcome::kFail, ""};
    snapshot->containers.push_back(std::move(record));
  }
  return snapshot;
}

class ExpositionCacheTest : public ::testing::Test {
 protected:
  SnapshotStore store_;
  EventStreamStatus events_;
  SnapshotCollector collector_{store_, kBuildInfo, &events_};
  ExpositionCache cache_{store_, [this] { return collector_.Render(); },
                         [this] { return FormatEventCounts(events_.Read()); }};
};

TEST_F(ExpositionCacheTest, CachedTextEqualsFreshRender) {
  store_.Publish(SnapshotOf(3));
  const auto exposition = cache_.Current();
  EXPECT_EQ(exposition->Text(), collector_.Render());
  EXPECT_NE(exposition->Text().find("docker_container_info{"),
            std::string::npos);
}

TEST_F(ExpositionCacheTest, SameSnapshotReturnsSameRendering) {
  store_.Publish(SnapshotOf(3));
  const auto first = cache_.Current();
  const auto second = cache_.Current();
  EXPECT_EQ(first.get(), second.get());
  EXPECT_EQ(cache_.RenderCount(), 1u);
}

TEST_F(ExpositionCacheTest, NewSnapshotRendersAgain) {
  store_.Publish(SnapshotOf(1));
  const auto before = cache_.Current();
  store_.Publish(SnapshotOf(2));
  const auto after = cache_.Current();
  EXPECT_NE(before.get(), after.get());
  EXPECT_EQ(cache_.RenderCount(), 2u);
  EXPECT_EQ(after->Text(), collector_.Render());
  EXPECT_NE(after->Text().find("name=\"web-1\""), std::string::npos);
}

TEST_F(ExpositionCacheTest, EventCountChangeRendersAgain) {
  store_.Publish(SnapshotOf(1));
  const auto before = cache_.Current();
  events_.CountEvent("start");
  const auto after = cache_.Current();
  EXPECT_NE(before.get(), after.get());
  EXPECT_EQ(cache_.RenderCount(), 2u);
  EXPECT_NE(after->Text().find("docker_compliance_events_total{action=\"start"
                               "\"} 1"),
            std::string::npos);
  EXPECT_EQ(after->Text(), collector_.Render());
}

TEST_F(ExpositionCacheTest, ReplacedRenderingIsFreed) {
  store_.Publish(SnapshotOf(2));
  std::weak_ptr<const Exposition> old = cache_.Current();
  EXPECT_FALSE(old.expired());
  store_.Publish(SnapshotOf(2));
  const auto current = cache_.Current();
  EXPECT_TRUE(old.expired());
}

TEST_F(ExpositionCacheTest, ReplacedSnapshotIsNotKeptAlive) {
  auto snapshot = SnapshotOf(2);
  const std::weak_ptr<const Snapshot> old = snapshot;
  store_.Publish(std::move(snapshot));
  const auto rendered = cache_.Current();
  store_.Publish(SnapshotOf(1));
  EXPECT_TRUE(old.expired());
}

TEST_F(ExpositionCacheTest, GzipInflatesToText) {
  store_.Publish(SnapshotOf(50));
  const auto exposition = cache_.Current();
  const std::string& first = exposition->Gzip();
  const std::string& second = exposition->Gzip();
  EXPECT_EQ(&first, &second);
  EXPECT_LT(first.size(), exposition->Text().size());
  EXPECT_EQ(Gunzip(first), exposition->Text());
}

// Renders one line with a value the test sets. While the gate is closed,
// Render() waits in the middle of a rendering until the test opens it.
class GatedRenderer {
 public:
  std::string Render() const {
    std::unique_lock lock(mutex_);
    ++render_calls_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return gate_open_; });
    return "test_value " + std::to_string(value_) + "\n";
  }

  void SetValue(int value) {
    std::lock_guard lock(mutex_);
    value_ = value;
  }

  void SetGateOpen(bool open) {
    std::lock_guard lock(mutex_);
    gate_open_ = open;
    changed_.notify_all();
  }

  void WaitForRenderCalls(int calls) const {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this, calls] { return render_calls_ >= calls; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable int render_calls_ = 0;
  bool gate_open_ = true;
  int value_ = 0;
};

TEST(ExpositionCache, ScrapeDuringRenderGetsPrevious) {
  SnapshotStore store;
  GatedRenderer gated;
  ExpositionCache cache(
      store, [&gated] { return gated.Render(); }, [] { return std::string(); });
  gated.SetValue(1);
  store.Publish(SnapshotOf(1));
  const auto first = cache.Current();

  gated.SetGateOpen(false);
  gated.SetValue(2);
  store.Publish(SnapshotOf(1));
  std::shared_ptr<const Exposition> second;
  std::thread renderer([&cache, &second] { second = cache.Current(); });
  gated.WaitForRenderCalls(2);

  const auto during = cache.Current();
  EXPECT_EQ(during.get(), first.get());

  gated.SetGateOpen(true);
  renderer.join();
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second.get(), first.get());
  EXPECT_NE(second->Text().find("test_value 2"), std::string::npos);
  EXPECT_EQ(cache.Current().get(), second.get());
  EXPECT_EQ(cache.RenderCount(), 2u);
}

TEST(ExpositionCache, FirstScrapesWaitForFirstRender) {
  SnapshotStore store;
  GatedRenderer gated;
  ExpositionCache cache(
      store, [&gated] { return gated.Render(); }, [] { return std::string(); });
  gated.SetGateOpen(false);
  gated.SetValue(3);
  std::shared_ptr<const Exposition> rendered;
  std::thread renderer([&cache, &rendered] { rendered = cache.Current(); });
  gated.WaitForRenderCalls(1);

  std::shared_ptr<const Exposition> waited;
  std::thread waiter([&cache, &waited] { waited = cache.Current(); });
  gated.SetGateOpen(true);
  renderer.join();
  waiter.join();
  ASSERT_NE(waited, nullptr);
  EXPECT_EQ(waited.get(), rendered.get());
  EXPECT_NE(waited->Text().find("test_value 3"), std::string::npos);
  EXPECT_EQ(cache.RenderCount(), 1u);
}

TEST(GzipCompress, EmptyTextRoundTrips) {
  EXPECT_EQ(Gunzip(GzipCompress("")), "");
}

// Random bytes do not compress, so the output outgrows its first buffer,
// sized for text, several times.
TEST(GzipCompress, IncompressibleTextRoundTrips) {
  std::string text(200000, '\0');
  std::uint32_t state = 12345;
  for (auto& byte : text) {
    state = state * 1664525u + 1013904223u;
    byte = static_cast<char>(state >> 24);
  }
  const std::string compressed = GzipCompress(text);
  EXPECT_GT(compressed.size(), text.size());
  EXPECT_EQ(Gunzip(compressed), text);
}

}  // namespace
}  // namespace dce
