#pragma once

#include <prometheus/collectable.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "collectors/result.h"
#include "collectors/snapshot.h"
#include "exporter/exposition_cache.h"
#include "exporter/listen_address.h"

namespace httplib {
class Server;
}

namespace dce {

/// The media type of the Prometheus text exposition format 0.0.4.
inline constexpr std::string_view kExpositionContentType =
    "text/plain; version=0.0.4; charset=utf-8";

/// Serializes metric families in the text exposition format, independent of
/// the process's global locale.
std::string SerializeExposition(const prometheus::Collectable& collectable);

/// Serves the metrics endpoint, a landing page, `/-/healthy` and `/-/ready`
/// with cpp-httplib. Responses are compressed with gzip when the client
/// accepts it. A scrape sends the cached rendering of the current snapshot,
/// compressed once per rendering, and renders only when it is out of date.
///
/// Bind() then Serve() from one thread; Stop() from any thread.
class HttpServer {
 public:
  /// `expositions` and `store` must outlive the server.
  HttpServer(ExpositionCache& expositions, const SnapshotStore& store,
             std::string telemetry_path);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Opens the listening socket and returns the address bound: the host
  /// chosen for an empty one, and the port chosen for port 0.
  Result<ListenAddress> Bind(const ListenAddress& address);

  /// Sets what `POST /-/reload` runs: it returns the error of an invalid
  /// configuration, which the response then carries with status 500.
  /// Without a handler the endpoint returns 404. Thread-safe.
  void SetReloadHandler(std::function<std::optional<Error>()> reload);

  /// Handles requests until Stop() is called.
  void Serve();

  /// Makes Serve() return. Thread-safe.
  void Stop();

 private:
  void RegisterRoutes();

  ExpositionCache& expositions_;
  const SnapshotStore& store_;
  std::string telemetry_path_;
  std::unique_ptr<httplib::Server> server_;
  std::mutex reload_mutex_;
  std::function<std::optional<Error>()> reload_;
};

}  // namespace dce
