#pragma once

#include <prometheus/collectable.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/result.h"
#include "collectors/snapshot.h"
#include "exporter/basic_auth.h"
#include "exporter/exposition_cache.h"
#include "exporter/listen_address.h"
#include "exporter/tls_context.h"
#include "exporter/web_config.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace dce {

/// The media type of the Prometheus text exposition format 0.0.4.
inline constexpr std::string_view kExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

/// Serializes metric families in the text exposition format, independent of
/// the process's global locale.
std::string SerializeExposition(const prometheus::Collectable& collectable);

/// Settings of the HTTP server.
struct HttpServerOptions {
  std::string telemetry_path = "/metrics";
  /// `--web.config.file`, re-read when it changes; nullopt when not given.
  std::optional<std::string> web_config_file;
  /// The content of `web_config_file` at start.
  WebConfig web_config;
  /// Requests handled at once, each from the moment its headers are read
  /// until its response is written; more get 503. 0 means no limit.
  int max_requests = 40;
  /// Time allowed for a request line and its headers; the TLS handshake
  /// counts too for a connection's first request.
  std::chrono::milliseconds header_deadline{std::chrono::seconds(10)};
};

/// Counts the requests that the server rejects, by reason, as
/// `docker_compliance_http_requests_rejected_total`. Thread-safe.
class RejectedRequestCounter : public prometheus::Collectable {
 public:
  /// The reasons, as the `reason` label writes them.
  static constexpr std::array<std::string_view, 6> kReasons = {
      "headers_too_large", "limit", "method", "timeout", "tls", "unauthorized"};

  /// Adds one rejection for `reason`, one of kReasons.
  void Add(std::string_view reason);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::array<std::atomic<std::uint64_t>, kReasons.size()> counts_{};
};

/// Serves the metrics endpoint, a landing page, `/-/healthy` and `/-/ready`
/// with cpp-httplib. Responses are compressed with gzip when the client
/// accepts it. A scrape sends the cached rendering of the current snapshot,
/// compressed once per rendering, and renders only when it is out of date.
///
/// With a web configuration file it serves TLS and checks basic
/// authentication, and re-reads the file when it changes, at most once a
/// second. Only GET and HEAD are allowed, and POST on `/-/reload`.
///
/// Create() then Bind() then Serve() from one thread; Stop() from any
/// thread.
class HttpServer {
 public:
  /// Builds the server; `expositions`, `store` and `rejected` must outlive
  /// it. Fails when the TLS certificate or key of the web configuration
  /// cannot be loaded.
  static Result<std::unique_ptr<HttpServer>> Create(
      ExpositionCache& expositions, const SnapshotStore& store,
      HttpServerOptions options, RejectedRequestCounter& rejected);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Opens the listening socket and returns the address bound: the host
  /// chosen for an empty one, and the port chosen for port 0.
  Result<ListenAddress> Bind(const ListenAddress& address);

  /// Sets what `POST /-/reload` runs: it returns the error of an invalid
  /// configuration, which the response then carries with status 500.
  /// Without a handler, as without --config.file, the endpoint returns 404
  /// with a message that there is no configuration file. Thread-safe.
  void SetReloadHandler(std::function<std::optional<Error>()> reload);

  /// Handles requests until Stop() is called.
  void Serve();

  /// Makes Serve() return. Thread-safe.
  void Stop();

 private:
  // The web configuration in force, with what is derived from it.
  struct WebState {
    std::shared_ptr<const WebConfig> config;
    std::shared_ptr<const BasicAuthenticator> authenticator;
    SslContextPtr tls_context;
  };

  HttpServer(ExpositionCache& expositions, const SnapshotStore& store,
             HttpServerOptions options, RejectedRequestCounter& rejected);

  void ConfigureServer();
  void RegisterRoutes();
  std::function<void(const httplib::Request&, httplib::Response&)> Limited(
      std::function<void(const httplib::Request&, httplib::Response&)> handler);
  void RejectOverLimit(const httplib::Request& request,
                       httplib::Response& response);
  bool CheckRequest(const httplib::Request& request,
                    httplib::Response& response);
  void Reject(std::string_view reason, const std::string& remote_address,
              const std::string& detail);
  std::shared_ptr<const WebState> CurrentWebState();
  void ReloadWebConfigIfChanged();
  Result<std::shared_ptr<const WebState>> BuildWebState(WebConfig config);

  ExpositionCache& expositions_;
  const SnapshotStore& store_;
  HttpServerOptions options_;
  RejectedRequestCounter& rejected_;
  TlsHooks tls_hooks_;
  std::unique_ptr<httplib::Server> server_;
  std::atomic<int> requests_in_flight_{0};

  std::mutex reload_mutex_;
  std::function<std::optional<Error>()> reload_;

  /// Guards the members below.
  std::mutex web_state_mutex_;
  std::shared_ptr<const WebState> web_state_;
  std::chrono::steady_clock::time_point last_web_config_check_;
  /// Identifies the file content last read: modification time, size and
  /// inode, so that a file replaced by a rename is noticed too.
  std::string web_config_version_;

  /// Guards the rate limit of rejection log lines.
  std::mutex log_mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>>
      last_rejection_log_;
  std::map<std::string, std::uint64_t, std::less<>> unlogged_rejections_;
};

}  // namespace dce
