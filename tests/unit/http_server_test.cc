// The HTTP server on a real loopback socket, scraped by a real client.
#include "exporter/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "collectors/snapshot_collector.h"
#include "tests/unit/gunzip.h"

namespace dce {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(HttpServerOptions{}); }

  void Start(HttpServerOptions options) {
    if (server_) {
      TearDown();
    }
    expositions_ = std::make_unique<ExpositionCache>(
        store_, render_, [] { return std::string(); });
    auto created = HttpServer::Create(*expositions_, store_, std::move(options),
                                      rejected_);
    ASSERT_TRUE(created.ok()) << created.error().message;
    server_ = std::move(created).value();
    const auto bound = server_->Bind(ListenAddress{"127.0.0.1", 0});
    ASSERT_TRUE(bound.ok()) << bound.error().message;
    port_ = bound.value().port;
    thread_ = std::thread([this] { server_->Serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_decompress(false);
    // Serve() starts asynchronously, so wait until it responds.
    for (int attempt = 0; attempt < 100 && !client_->Get("/-/healthy");
         ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void TearDown() override {
    if (!server_) {
      return;
    }
    server_->Stop();
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  double Rejected(std::string_view reason) const {
    const auto families = rejected_.Collect();
    for (const auto& metric : families.at(0).metric) {
      if (metric.label.at(0).value == reason) {
        return metric.counter.value;
      }
    }
    return -1;
  }

  void PublishReady() {
    auto snapshot = std::make_shared<Snapshot>();
    snapshot->up = true;
    snapshot->ready = true;
    ContainerRecord record;
    record.name = "web";
    record.rootfs_readonly = {Outcome::kPass, ""};
    snapshot->containers.push_back(record);
    store_.Publish(std::move(snapshot));
  }

  SnapshotStore store_;
  SnapshotCollector collector_{store_, BuildInfo{"0.1.0", "abc", "gcc"}};
  std::function<std::string()> render_ = [this] { return collector_.Render(); };
  std::unique_ptr<ExpositionCache> expositions_;
  RejectedRequestCounter rejected_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpServerTest, MetricsHaveExpositionContentType) {
  PublishReady();
  const auto response = client_->Get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"),
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(
      response->body.find("docker_container_rootfs_readonly{name=\"web\"} 1"),
      std::string::npos);
}

TEST_F(HttpServerTest, MetricsAreGzippedWhenAccepted) {
  const auto plain = client_->Get("/metrics");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->has_header("Content-Encoding"));

  const auto gzipped = client_->Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(gzipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(gzipped->get_header_value("Vary"), "Accept-Encoding");
  ASSERT_GE(gzipped->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(gzipped->body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gzipped->body[1]), 0x8b);
}

TEST_F(HttpServerTest, GzipBodyInflatesToPlainBody) {
  PublishReady();
  const auto plain = client_->Get("/metrics");
  ASSERT_TRUE(plain);
  const auto gzipped = client_->Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(gzipped->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(gzipped->get_header_value("Content-Length"),
            std::to_string(gzipped->body.size()));
  EXPECT_EQ(Gunzip(gzipped->body), plain->body);
}

TEST_F(HttpServerTest, ScrapesOfOneSnapshotRenderOnce) {
  PublishReady();
  for (int scrape = 0; scrape < 3; ++scrape) {
    const auto response = client_->Get("/metrics");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
  }
  const auto gzipped = client_->Get("/metrics", {{"Accept-Encoding", "gzip"}});
  ASSERT_TRUE(gzipped);
  EXPECT_EQ(expositions_->RenderCount(), 1u);

  PublishReady();
  const auto after = client_->Get("/metrics");
  ASSERT_TRUE(after);
  EXPECT_EQ(expositions_->RenderCount(), 2u);
}

TEST_F(HttpServerTest, BrotliPreferredOverGzip) {
  PublishReady();
  const auto response =
      client_->Get("/metrics", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Encoding"), "br");
}

TEST_F(HttpServerTest, HeadOfMetricsHasLengthAndNoBody) {
  PublishReady();
  const auto plain = client_->Get("/metrics");
  ASSERT_TRUE(plain);
  const auto head = client_->Head("/metrics");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->get_header_value("Content-Length"),
            std::to_string(plain->body.size()));
  EXPECT_TRUE(head->body.empty());
}

TEST_F(HttpServerTest, ReadyOnlyAfterFirstSuccessfulRefresh) {
  const auto before = client_->Get("/-/ready");
  ASSERT_TRUE(before);
  EXPECT_EQ(before->status, 503);

  PublishReady();
  const auto after = client_->Get("/-/ready");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(HttpServerTest, HealthyAndLandingPage) {
  const auto healthy = client_->Get("/-/healthy");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200);

  const auto landing = client_->Get("/");
  ASSERT_TRUE(landing);
  EXPECT_EQ(landing->status, 200);
  EXPECT_NE(landing->body.find("href=\"/metrics\""), std::string::npos);
}

TEST_F(HttpServerTest, UnknownPathIsNotFound) {
  const auto response = client_->Get("/nothing-here");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
}

TEST_F(HttpServerTest, IdleConnectionsDoNotStallScrapes) {
  // Sixteen clients that keep their connections open after one request
  // each; httplib's default of 8 workers would leave none for the scrape.
  std::vector<std::unique_ptr<httplib::Client>> idle_clients;
  for (int i = 0; i < 16; ++i) {
    auto idle = std::make_unique<httplib::Client>("127.0.0.1", port_);
    idle->set_keep_alive(true);
    ASSERT_TRUE(idle->Get("/-/healthy"));
    idle_clients.push_back(std::move(idle));
  }

  httplib::Client scraper("127.0.0.1", port_);
  scraper.set_read_timeout(2, 0);
  scraper.set_connection_timeout(2, 0);
  const auto response = scraper.Get("/metrics");
  ASSERT_TRUE(response) << "the scrape timed out";
  EXPECT_EQ(response->status, 200);
}

TEST_F(HttpServerTest, RequestBodyIsRejectedUnread) {
  // No endpoint takes a body, and the method check rejects the request
  // before httplib reads one.
  const std::string body(std::size_t{8} * 1024, 'x');
  const auto response =
      client_->Post("/metrics", body, "application/octet-stream");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
}

TEST_F(HttpServerTest, SecondServerOnSamePortFails) {
  auto second = HttpServer::Create(*expositions_, store_, {}, rejected_);
  ASSERT_TRUE(second.ok());
  const auto bound = second.value()->Bind(ListenAddress{"127.0.0.1", port_});
  ASSERT_FALSE(bound.ok());
  EXPECT_NE(bound.error().message.find(std::to_string(port_)),
            std::string::npos);
  EXPECT_NE(bound.error().message.find("in use"), std::string::npos);
}

TEST_F(HttpServerTest, ReloadWithoutHandlerSaysNoFile) {
  const auto response = client_->Post("/-/reload");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body,
            "no configuration file to reload: the exporter was started "
            "without --config.file\n");
}

TEST_F(HttpServerTest, ReloadRunsHandler) {
  int calls = 0;
  server_->SetReloadHandler([&calls]() -> std::optional<Error> {
    ++calls;
    return std::nullopt;
  });
  const auto response = client_->Post("/-/reload");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(calls, 1);
}

TEST_F(HttpServerTest, FailedReloadReturnsError) {
  server_->SetReloadHandler([]() -> std::optional<Error> {
    return Error{"dce.yml:2:3: unknown key"};
  });
  const auto response = client_->Post("/-/reload");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body,
            "failed to reload the configuration: dce.yml:2:3: unknown key\n");
}

TEST_F(HttpServerTest, ReloadWithoutContentLengthAnswers) {
  server_->SetReloadHandler([]() -> std::optional<Error> { return {}; });
  // A raw request, because httplib's client always sends Content-Length.
  const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(socket, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(
      ::connect(socket, reinterpret_cast<sockaddr*>(&address), sizeof address),
      0);
  const std::string request =
      "POST /-/reload HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  ASSERT_EQ(::send(socket, request.data(), request.size(), 0),
            static_cast<ssize_t>(request.size()));
  // Waits at most 5 s: the server must answer without waiting for a body.
  timeval timeout{5, 0};
  setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  char buffer[256] = {};
  const ssize_t received = ::recv(socket, buffer, sizeof buffer - 1, 0);
  ::close(socket);
  ASSERT_GT(received, 0);
  EXPECT_TRUE(std::string(buffer).starts_with("HTTP/1.1 200"));
}

TEST_F(HttpServerTest, ReloadNeedsPost) {
  server_->SetReloadHandler([]() -> std::optional<Error> { return {}; });
  const auto response = client_->Get("/-/reload");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->get_header_value("Allow"), "POST");
}

TEST_F(HttpServerTest, PutIsMethodNotAllowed) {
  const auto response = client_->Put("/metrics", "x", "text/plain");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->get_header_value("Allow"), "GET, HEAD");
  EXPECT_EQ(Rejected("method"), 1);
}

TEST_F(HttpServerTest, PostToMetricsIsMethodNotAllowed) {
  const auto response = client_->Post("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
}

TEST_F(HttpServerTest, DeleteIsMethodNotAllowed) {
  const auto response = client_->Delete("/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 405);
}

TEST_F(HttpServerTest, HeadIsAllowed) {
  const auto response = client_->Head("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

// bcrypt of "secret" at cost 4.
constexpr const char* kSecretHash =
    "$2y$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW";

TEST_F(HttpServerTest, BasicAuthRejectsMissingCredentials) {
  HttpServerOptions options;
  options.web_config.basic_auth_users = {{"prometheus", kSecretHash}};
  Start(options);
  // Start() polls /-/healthy without credentials too.
  const double before = Rejected("unauthorized");
  const auto response = client_->Get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 401);
  EXPECT_EQ(response->get_header_value("WWW-Authenticate"), "Basic");
  EXPECT_EQ(Rejected("unauthorized"), before + 1);
}

TEST_F(HttpServerTest, BasicAuthRejectsWrongPassword) {
  HttpServerOptions options;
  options.web_config.basic_auth_users = {{"prometheus", kSecretHash}};
  Start(options);
  client_->set_basic_auth("prometheus", "wrong");
  const auto response = client_->Get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 401);
}

TEST_F(HttpServerTest, BasicAuthAcceptsRightPassword) {
  HttpServerOptions options;
  options.web_config.basic_auth_users = {{"prometheus", kSecretHash}};
  Start(options);
  const double before = Rejected("unauthorized");
  client_->set_basic_auth("prometheus", "secret");
  const auto response = client_->Get("/metrics");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(Rejected("unauthorized"), before);
}

TEST_F(HttpServerTest, ConfiguredHeadersAreSent) {
  HttpServerOptions options;
  options.web_config.headers = {{"X-Frame-Options", "deny"}};
  Start(options);
  const auto response = client_->Get("/-/healthy");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->get_header_value("X-Frame-Options"), "deny");
}

// A client on a raw loopback socket, for requests that httplib's client
// will not send.
class RawConnection {
 public:
  explicit RawConnection(int port)
      : socket_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(socket_, reinterpret_cast<sockaddr*>(&address),
                         sizeof address) == 0;
  }
  ~RawConnection() { close(socket_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool Connected() const { return connected_; }

  // Sends `text`; false once the server has closed the connection.
  bool Send(std::string_view text) {
    return send(socket_, text.data(), text.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(text.size());
  }

  // True when the server has closed its side: a read returns the end of
  // the stream or an error at once, after any response it sent.
  bool ClosedByServer() {
    std::array<char, 4096> buffer{};
    for (;;) {
      const ssize_t received =
          recv(socket_, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (received > 0) {
        continue;
      }
      return received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    }
  }

 private:
  int socket_;
  bool connected_ = false;
};

TEST_F(HttpServerTest, HeaderDripIsCutAtDeadline) {
  HttpServerOptions options;
  options.header_deadline = std::chrono::seconds(1);
  Start(options);

  // Each header line arrives well within the 5 s read timeout, so only the
  // deadline for the whole request ends the connection.
  RawConnection drip(port_);
  ASSERT_TRUE(drip.Connected());
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(drip.Send("GET /-/healthy HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
  bool closed = false;
  while (!closed &&
         std::chrono::steady_clock::now() - started < std::chrono::seconds(4)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    closed = !drip.Send("X-Drip: a\r\n") || drip.ClosedByServer();
  }
  const auto open_for = std::chrono::steady_clock::now() - started;

  EXPECT_TRUE(closed) << "the dripping client was still connected after 4 s";
  EXPECT_LT(open_for, std::chrono::milliseconds(2500));
  EXPECT_EQ(Rejected("timeout"), 1);
}

TEST_F(HttpServerTest, SilentClientIsNotCountedAsTimeout) {
  // A connection that sends nothing is closed after the keep-alive timeout,
  // as an idle one between requests is, without a rejection.
  RawConnection silent(port_);
  ASSERT_TRUE(silent.Connected());
  std::this_thread::sleep_for(std::chrono::milliseconds(5500));
  EXPECT_TRUE(silent.ClosedByServer());
  EXPECT_EQ(Rejected("timeout"), 0);
}

TEST_F(HttpServerTest, OversizedHeaderLineGets400) {
  const httplib::Headers oversized = {{"X-Large", std::string(9000, 'a')}};
  const auto rejected = client_->Get("/-/healthy", oversized);
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 400);

  const auto next = client_->Get("/-/healthy");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, HeadersOverBudgetAreRejected) {
  // Forty lines of 1,000 bytes each, every one under httplib's limit of
  // 8,192 bytes a line, and together over the 32 KiB budget.
  httplib::Headers many;
  for (int i = 0; i < 40; ++i) {
    many.emplace("X-Filler-" + std::to_string(i), std::string(1000, 'a'));
  }
  const auto rejected = client_->Get("/-/healthy", many);
  if (rejected) {
    EXPECT_EQ(rejected->status, 400);
  }
  EXPECT_EQ(Rejected("headers_too_large"), 1);

  const auto next = client_->Get("/-/healthy");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200);
}

TEST_F(HttpServerTest, HeadersWithinBudgetAreServed) {
  httplib::Headers many;
  for (int i = 0; i < 20; ++i) {
    many.emplace("X-Filler-" + std::to_string(i), std::string(1000, 'a'));
  }
  const auto response = client_->Get("/-/healthy", many);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(Rejected("headers_too_large"), 0);
}

// A renderer whose Render() waits until released, so that a scrape stays
// in flight.
class BlockingRenderer {
 public:
  std::string Render() const {
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return released_; });
    return {};
  }

  void WaitUntilEntered() const {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return entered_; });
  }

  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable bool entered_ = false;
  bool released_ = false;
};

TEST_F(HttpServerTest, RequestsBeyondLimitGet503) {
  BlockingRenderer blocking;
  render_ = [&blocking] { return blocking.Render(); };
  HttpServerOptions options;
  options.max_requests = 1;
  Start(options);

  std::thread first_scrape([this] {
    httplib::Client client("127.0.0.1", port_);
    const auto response = client.Get("/metrics");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
  });
  blocking.WaitUntilEntered();

  const auto second = client_->Get("/-/healthy");
  blocking.Release();
  first_scrape.join();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_EQ(Rejected("limit"), 1);

  // The slot is free again once the first scrape is done. The server gives
  // it back after writing the response, which the client may read first,
  // so the check allows it a moment.
  int third_status = 0;
  for (int attempt = 0; attempt < 100 && third_status != 200; ++attempt) {
    const auto third = client_->Get("/-/healthy");
    ASSERT_TRUE(third);
    third_status = third->status;
    if (third_status != 200) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  EXPECT_EQ(third_status, 200);
}

}  // namespace
}  // namespace dce
