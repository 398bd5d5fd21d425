#include "exporter/refresh_loop.h"

#include <gtest/gtest.h>

#include <thread>

#include "exporter/event_loop.h"

namespace dce {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(RefreshRequests, TimesOutWithNothingPending) {
  RefreshRequests requests;
  const std::stop_source stop;
  const auto pending = requests.WaitAndTake(
      stop.get_token(), steady_clock::now() + milliseconds(20),
      milliseconds(0));
  EXPECT_TRUE(pending.IsEmpty());
}

TEST(RefreshRequests, TakesEverythingPendingOnce) {
  RefreshRequests requests;
  requests.AddContainer("a");
  requests.AddContainer("b");
  requests.AddContainer("a");
  requests.AddEngine();
  const std::stop_source stop;
  const auto deadline = steady_clock::now() + std::chrono::hours(1);

  const auto pending =
      requests.WaitAndTake(stop.get_token(), deadline, milliseconds(0));
  EXPECT_EQ(pending.container_ids, (std::set<std::string>{"a", "b"}));
  EXPECT_TRUE(pending.engine);
  EXPECT_FALSE(pending.full);

  requests.AddFull();
  const auto next =
      requests.WaitAndTake(stop.get_token(), deadline, milliseconds(0));
  EXPECT_TRUE(next.full);
  EXPECT_TRUE(next.container_ids.empty());
}

TEST(RefreshRequests, WakesForWorkFromAnotherThread) {
  RefreshRequests requests;
  const std::stop_source stop;
  std::thread producer([&] {
    std::this_thread::sleep_for(milliseconds(20));
    requests.AddContainer("late");
  });
  const auto pending = requests.WaitAndTake(
      stop.get_token(), steady_clock::now() + std::chrono::hours(1),
      milliseconds(10));
  producer.join();
  EXPECT_EQ(pending.container_ids, std::set<std::string>{"late"});
}

TEST(RefreshRequests, SettleCollectsABurst) {
  RefreshRequests requests;
  const std::stop_source stop;
  requests.AddContainer("first");
  std::thread producer([&] {
    std::this_thread::sleep_for(milliseconds(5));
    requests.AddContainer("second");
  });
  const auto pending = requests.WaitAndTake(
      stop.get_token(), steady_clock::now() + std::chrono::hours(1),
      milliseconds(500));
  producer.join();
  EXPECT_EQ(pending.container_ids, (std::set<std::string>{"first", "second"}));
}

TEST(RefreshRequests, StopEndsTheWait) {
  RefreshRequests requests;
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(20));
    stop.request_stop();
  });
  const auto pending = requests.WaitAndTake(
      stop.get_token(), steady_clock::now() + std::chrono::hours(1),
      milliseconds(0));
  stopper.join();
  EXPECT_TRUE(pending.IsEmpty());
}

TEST(FormatEventTime, WritesSecondsWithNineDecimals) {
  EXPECT_EQ(FormatEventTime(1700000000123456789), "1700000000.123456789");
  EXPECT_EQ(FormatEventTime(1700000000000000005), "1700000000.000000005");
  EXPECT_EQ(FormatEventTime(0), "0.000000000");
}

}  // namespace
}  // namespace dce
