// The event stream's parsing and classification, and EngineClient::Stream
// against an httplib server on loopback that streams like `GET /events`.
// The tests with a real engine's stream are in
// tests/integration/engine_events_test.sh.
#include "collectors/engine_events.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "collectors/engine_client.h"

namespace dce {
namespace {

TEST(ParseEngineEvent, ReadsContainerEvent) {
  const auto event = ParseEngineEvent(
      R"({"status":"start","id":"abc","Type":"container","Action":"start",
          "Actor":{"ID":"abc","Attributes":{"name":"web"}},
          "scope":"local","time":1700000000,"timeNano":1700000000123456789})");
  ASSERT_TRUE(event) << event.error().message;
  EXPECT_EQ(event.value().type, "container");
  EXPECT_EQ(event.value().action, "start");
  EXPECT_EQ(event.value().actor_id, "abc");
  EXPECT_EQ(event.value().time_nano, 1700000000123456789);
}

TEST(ParseEngineEvent, DropsDetailAfterColon) {
  const auto health = ParseEngineEvent(
      R"({"Type":"container","Action":"health_status: unhealthy",
          "Actor":{"ID":"abc"}})");
  ASSERT_TRUE(health);
  EXPECT_EQ(health.value().action, "health_status");

  const auto exec = ParseEngineEvent(
      R"({"Type":"container","Action":"exec_start: sh -c 'echo secret'",
          "Actor":{"ID":"abc"}})");
  ASSERT_TRUE(exec);
  EXPECT_EQ(exec.value().action, "exec_start");
}

TEST(ParseEngineEvent, ReadsNetworkConnectContainer) {
  const auto event = ParseEngineEvent(
      R"({"Type":"network","Action":"connect",
          "Actor":{"ID":"net1","Attributes":{"container":"abc",
                                             "name":"bridge"}}})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event.value().actor_id, "net1");
  EXPECT_EQ(event.value().container_id, "abc");
}

TEST(ParseEngineEvent, RejectsWhatIsNotAnEvent) {
  EXPECT_FALSE(ParseEngineEvent("not json"));
  EXPECT_FALSE(ParseEngineEvent("[]"));
  EXPECT_FALSE(ParseEngineEvent("\"start\""));
  EXPECT_FALSE(ParseEngineEvent(R"({"Type":"container"})"));
  EXPECT_FALSE(ParseEngineEvent(R"({"Type":null,"Action":null})"));
  EXPECT_FALSE(ParseEngineEvent(R"({"Type":1,"Action":"start"})"));
}

TEST(ParseEngineEvent, ToleratesOddActorAndTime) {
  const auto event = ParseEngineEvent(
      R"({"Type":"container","Action":"start","Actor":"abc",
          "timeNano":"soon"})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event.value().actor_id, "");
  EXPECT_EQ(event.value().time_nano, 0);
}

EngineEvent Event(std::string type, std::string action,
                  std::string actor_id = "abc", std::string container_id = "") {
  return {std::move(type), std::move(action), std::move(actor_id),
          std::move(container_id), 0};
}

TEST(ClassifyEngineEvent, ContainerChangesInspectThatContainer) {
  for (const char* action : {"create", "start", "die", "destroy", "rename",
                             "update", "health_status", "pause"}) {
    const auto impact = ClassifyEngineEvent(Event("container", action));
    EXPECT_EQ(impact.kind, EventImpact::Kind::kContainer) << action;
    EXPECT_EQ(impact.container_id, "abc") << action;
  }
}

TEST(ClassifyEngineEvent, IgnoresExecAndAttach) {
  for (const char* action :
       {"exec_create", "exec_start", "exec_die", "attach", "resize", "top"}) {
    EXPECT_EQ(ClassifyEngineEvent(Event("container", action)).kind,
              EventImpact::Kind::kNone)
        << action;
  }
  EXPECT_EQ(ClassifyEngineEvent(Event("container", "start", "")).kind,
            EventImpact::Kind::kNone)
      << "an event without an actor names no container";
}

TEST(ClassifyEngineEvent, NetworkConnectInspectsTheContainer) {
  const auto impact =
      ClassifyEngineEvent(Event("network", "connect", "net1", "abc"));
  EXPECT_EQ(impact.kind, EventImpact::Kind::kContainer);
  EXPECT_EQ(impact.container_id, "abc");
  EXPECT_EQ(ClassifyEngineEvent(Event("network", "disconnect", "net1")).kind,
            EventImpact::Kind::kNone);
}

TEST(ClassifyEngineEvent, EngineWideChanges) {
  EXPECT_EQ(ClassifyEngineEvent(Event("network", "create")).kind,
            EventImpact::Kind::kFull);
  EXPECT_EQ(ClassifyEngineEvent(Event("daemon", "reload")).kind,
            EventImpact::Kind::kFull);
  EXPECT_EQ(ClassifyEngineEvent(Event("service", "update")).kind,
            EventImpact::Kind::kFull);
  EXPECT_EQ(ClassifyEngineEvent(Event("image", "delete")).kind,
            EventImpact::Kind::kEngine);
  EXPECT_EQ(ClassifyEngineEvent(Event("volume", "mount")).kind,
            EventImpact::Kind::kNone);
  EXPECT_EQ(ClassifyEngineEvent(Event("plugin", "enable")).kind,
            EventImpact::Kind::kNone);
}

TEST(CountedEventAction, UnknownActionsCountAsOther) {
  EXPECT_EQ(CountedEventAction("start"), "start");
  EXPECT_EQ(CountedEventAction("health_status"), "health_status");
  EXPECT_EQ(CountedEventAction("exec_start"), "other");
  EXPECT_EQ(CountedEventAction("\"}\n"), "other");
}

TEST(EventStreamFilter, DecodesToTheTypesClassified) {
  EXPECT_EQ(httplib::detail::decode_url(EventStreamFilter(), false),
            R"({"type":["container","network","image","daemon","service",)"
            R"("node"]})");
}

TEST(EventLineSplitter, JoinsLinesAcrossChunks) {
  EventLineSplitter splitter;
  auto first = splitter.Append("{\"a\":1}\n{\"b\"");
  ASSERT_TRUE(first);
  EXPECT_EQ(first.value(), std::vector<std::string>{"{\"a\":1}"});
  auto second = splitter.Append(":2}\r\n\n{\"c\":3}\n");
  ASSERT_TRUE(second);
  EXPECT_EQ(second.value(),
            (std::vector<std::string>{"{\"b\":2}", "{\"c\":3}"}));
}

TEST(EventLineSplitter, RejectsOverlongLine) {
  EventLineSplitter splitter;
  const std::string chunk(std::size_t{64} * 1024, 'x');
  Result<std::vector<std::string>> result = std::vector<std::string>{};
  std::size_t appended = 0;
  while (result && appended <= EventLineSplitter::kMaxLineBytes) {
    result = splitter.Append(chunk);
    appended += chunk.size();
  }
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("longer than"), std::string::npos);

  const auto after = splitter.Append("{}\n");
  ASSERT_TRUE(after) << "the splitter starts over after an error";
  EXPECT_EQ(after.value(), std::vector<std::string>{"{}"});
}

TEST(EventStreamStatus, CountsByActionAndFailures) {
  EventStreamStatus status;
  status.SetConnected(true);
  status.CountEvent("start");
  status.CountEvent("start");
  status.CountEvent("exec_start");
  status.CountFailure();
  const auto counts = status.Read();
  EXPECT_TRUE(counts.connected);
  EXPECT_EQ(counts.events.at("start"), 2u);
  EXPECT_EQ(counts.events.at("other"), 1u);
  EXPECT_EQ(counts.failures, 1u);
}

// Streams `lines` in separate chunks on GET /events, then ends the
// response; GET /broken returns 500.
class StreamingServer {
 public:
  explicit StreamingServer(std::vector<std::string> lines)
      : lines_(std::move(lines)) {
    server_.Get("/events", [this](const httplib::Request&,
                                  httplib::Response& response) {
      response.set_chunked_content_provider(
          "application/json", [this](std::size_t, httplib::DataSink& sink) {
            for (const auto& line : lines_) {
              const std::string text = line + "\n";
              sink.write(text.data(), text.size());
            }
            sink.done();
            return true;
          });
    });
    server_.Get(
        "/broken", [](const httplib::Request&, httplib::Response& response) {
          response.status = 500;
          response.set_content(R"({"message":"boom"})", "application/json");
        });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

  ~StreamingServer() {
    server_.stop();
    thread_.join();
  }

  EngineAddress Address() const {
    return ParseEngineAddress("tcp://127.0.0.1:" + std::to_string(port_))
        .value();
  }

 private:
  std::vector<std::string> lines_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
};

TEST(EngineClientStream, HandsOnChunksAndReportsTheEnd) {
  StreamingServer server({R"({"Type":"container","Action":"start"})",
                          R"({"Type":"container","Action":"die"})"});
  EngineClient client(server.Address(), std::chrono::seconds(5));
  long status_seen = 0;
  std::string body;
  const auto ended = client.Stream(
      "/events", [&](long status) { status_seen = status; },
      [&](std::string_view chunk) {
        body.append(chunk);
        return true;
      });
  EXPECT_EQ(status_seen, 200);
  EXPECT_EQ(body,
            "{\"Type\":\"container\",\"Action\":\"start\"}\n"
            "{\"Type\":\"container\",\"Action\":\"die\"}\n");
  ASSERT_FALSE(ended);
  EXPECT_NE(ended.error().message.find("closed the stream"), std::string::npos)
      << ended.error().message;
}

TEST(EngineClientStream, HandlerCanEndTheStream) {
  StreamingServer server({"{}", "{}", "{}"});
  EngineClient client(server.Address(), std::chrono::seconds(5));
  int chunks = 0;
  const auto ended = client.Stream(
      "/events", [](long) {},
      [&](std::string_view) {
        ++chunks;
        return false;
      });
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(ended.value(), 200);
  EXPECT_EQ(chunks, 1);
}

TEST(EngineClientStream, ErrorStatusIsNotHandedOn) {
  StreamingServer server({});
  EngineClient client(server.Address(), std::chrono::seconds(5));
  long status_seen = 0;
  bool chunk_seen = false;
  const auto ended = client.Stream(
      "/broken", [&](long status) { status_seen = status; },
      [&](std::string_view) {
        chunk_seen = true;
        return true;
      });
  EXPECT_EQ(status_seen, 500);
  EXPECT_FALSE(chunk_seen);
  ASSERT_FALSE(ended);
  EXPECT_NE(ended.error().message.find("HTTP 500"), std::string::npos);
  EXPECT_NE(ended.error().message.find("boom"), std::string::npos);
}

TEST(EngineClientStream, CancellationEndsAnIdleStream) {
  // A server that accepts and then sends headers but no event, like an
  // engine with nothing happening.
  httplib::Server server;
  std::atomic<bool> release{false};
  server.Get(
      "/events", [&](const httplib::Request&, httplib::Response& response) {
        response.set_chunked_content_provider(
            "application/json", [&](std::size_t, httplib::DataSink& sink) {
              while (!release) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
              }
              sink.done();
              return true;
            });
      });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  EngineClient client(
      ParseEngineAddress("tcp://127.0.0.1:" + std::to_string(port)).value(),
      std::chrono::seconds(5));
  std::atomic<bool> cancelled{false};
  client.SetCancellationFlag(&cancelled);
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancelled = true;
  });
  const auto ended = client.Stream(
      "/events", [](long) {}, [](std::string_view) { return true; });
  canceller.join();
  release = true;
  server.stop();
  thread.join();
  EXPECT_FALSE(ended);
}

}  // namespace
}  // namespace dce
