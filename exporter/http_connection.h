#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace dce {

/// Bounds on reading a request that cpp-httplib 0.11 does not apply, and
/// the callbacks that report each connection's requests to the server. The
/// callbacks run on the worker thread that serves the connection.
struct ConnectionPolicy {
  /// Time allowed for a request line and its headers, counted from the
  /// accept for the first request on a connection (the TLS handshake
  /// included) and from the request's first byte for later ones.
  std::chrono::milliseconds header_deadline{10000};
  /// Bytes allowed for a request line and its headers together.
  std::size_t max_header_bytes = std::size_t{32} * 1024;
  /// Called when a request's headers are read, before its handler runs.
  std::function<void()> on_headers_read;
  /// Called after the response to a request whose headers were read.
  std::function<void()> on_request_done;
  /// Called for a connection cut off by these bounds or by a failed TLS
  /// handshake, with a `reason` label of the rejection counter.
  std::function<void(std::string_view reason, const std::string& peer,
                     const std::string& detail)>
      on_rejected;
};

/// An httplib server that bounds how long and how large each request's line
/// and headers may be, as set in ConnectionPolicy. Configure it as any
/// httplib::Server.
class DeadlineServer : public httplib::Server {
 public:
  explicit DeadlineServer(ConnectionPolicy policy);

 private:
  bool process_and_close_socket(socket_t sock) override;

  ConnectionPolicy policy_;
};

/// The TLS counterpart of DeadlineServer. It also reports failed TLS
/// handshakes, plain HTTP sent to it among them, to `on_rejected`.
class DeadlineSslServer : public httplib::SSLServer {
 public:
  DeadlineSslServer(const std::function<bool(SSL_CTX& context)>& setup_context,
                    ConnectionPolicy policy);

 private:
  bool process_and_close_socket(socket_t sock) override;

  ConnectionPolicy policy_;
};

}  // namespace dce
