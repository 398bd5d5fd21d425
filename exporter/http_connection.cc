// cpp-httplib 0.11 applies its read timeout to each read, so a client that
// sends its headers a byte at a time, each byte within the timeout, keeps a
// worker thread for as long as it likes. No hook of the library receives
// an accepted socket before its request is read: set_socket_options
// applies to the listening socket only, the task queue receives an opaque
// function, and the pre-routing handler runs after the headers. What it does
// offer is the virtual process_and_close_socket(), which a subclass may
// override, and the protected process_request(), which parses one request
// from any httplib::Stream and runs the handlers. The servers below replace
// the first and keep the second: they read each connection through
// ConnectionStream, whose reads end at the request's deadline and after its
// header byte budget. This replaces httplib's own socket and TLS stream
// classes, which its header does not declare, with the code in this file.
#include "exporter/http_connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>

namespace dce {
namespace {

using Clock = std::chrono::steady_clock;

// How often a connection waiting for its next request checks whether the
// server is stopping.
constexpr std::chrono::milliseconds kStopCheckInterval{100};

// The timeouts of httplib::Server, which its set_*_timeout() methods set.
struct ConnectionSettings {
  std::chrono::microseconds read_timeout;
  std::chrono::microseconds write_timeout;
  std::chrono::seconds keep_alive_timeout;
  std::size_t keep_alive_max_count;
};

// The cause of cutting off a connection while its request is being read.
enum class ReadFailure {
  kNone,
  kHeaderDeadline,
  kReadTimeout,
  kHeadersTooLarge,
};

// The outcome of a TLS handshake.
enum class HandshakeResult {
  kDone,
  // The client closed the connection during the handshake: not counted.
  kClosed,
  kTimedOut,
  kFailed,
  // The client sent a plain HTTP request. It counts as failed and gets a
  // 400 response in plain HTTP that names the mistake.
  kPlainHttp,
};

// The response to plain HTTP on the TLS port. Its wording is that of Go's
// net/http, which most Prometheus exporters are built on.
constexpr std::string_view kPlainHttpResponse =
    "HTTP/1.0 400 Bad Request\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Connection: close\r\n"
    "\r\n"
    "Client sent an HTTP request to an HTTPS server.\n";

// One connection's socket, read through a buffer, optionally through TLS.
// The socket is non-blocking and every wait is a poll() with a timeout:
// the read timeout for each read, cut short by the deadline of the request
// being read, and the write timeout for each write.
class ConnectionStream : public httplib::Stream {
 public:
  ConnectionStream(int socket, SSL* ssl, const ConnectionSettings& settings,
                   const ConnectionPolicy& policy)
      : socket_(socket), ssl_(ssl), settings_(settings), policy_(policy) {}

  bool is_readable() const override {
    return Buffered() > 0 ||
           WaitFor(POLLIN, Clock::now() + settings_.read_timeout);
  }

  bool is_writable() const override {
    return WaitFor(POLLOUT, Clock::now() + settings_.write_timeout);
  }

  ssize_t read(char* data, std::size_t size) override;
  ssize_t write(const char* data, std::size_t size) override;

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(getpeername, ip, port);
  }

  void get_local_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(getsockname, ip, port);
  }

  socket_t socket() const override { return socket_; }

  // Waits up to `idle_timeout` for the first byte of a request, and returns
  // false when none arrives or `stopping` becomes true.
  bool WaitForRequest(std::chrono::seconds idle_timeout,
                      const std::function<bool()>& stopping) const;

  // Starts reading a request's line and headers, due by `deadline`.
  void BeginHeaders(Clock::time_point deadline) {
    deadline_ = deadline;
    reading_headers_ = true;
    header_bytes_ = 0;
  }

  // Lifts the deadline and the byte budget once the headers are read.
  void EndHeaders() { reading_headers_ = false; }

  ReadFailure Failure() const { return failure_; }

  // Runs the server side of the TLS handshake within the deadline set by
  // BeginHeaders(); `error` receives OpenSSL's reason when it fails.
  HandshakeResult AcceptTls(std::string& error);

 private:
  std::size_t Buffered() const { return buffer_end_ - buffer_begin_; }

  // Receives into the buffer: returns the bytes received, 0 at the end of
  // the stream, or -1 with `wait` set to the poll() events to wait for, or
  // to 0 for an error.
  ssize_t Receive(short& wait);
  ssize_t Send(const char* data, std::size_t size, short& wait);

  // Waits for `events` until `until`; false on a timeout.
  bool WaitFor(short events, Clock::time_point until) const;

  // Waits for `events` before the next read, and records why when the wait
  // times out.
  bool WaitToRead(short events);

  // Records why the request is cut off and reports it at once, before
  // httplib sends its 400 response.
  void Fail(ReadFailure failure);

  void AddressOf(int (*query)(int, sockaddr*, socklen_t*), std::string& ip,
                 int& port) const;

  int socket_;
  SSL* ssl_;
  ConnectionSettings settings_;
  const ConnectionPolicy& policy_;
  std::array<char, 4096> buffer_{};
  std::size_t buffer_begin_ = 0;
  std::size_t buffer_end_ = 0;
  bool reading_headers_ = false;
  Clock::time_point deadline_;
  std::size_t header_bytes_ = 0;
  ReadFailure failure_ = ReadFailure::kNone;
};

ssize_t ConnectionStream::read(char* data, std::size_t size) {
  if (failure_ != ReadFailure::kNone) {
    return -1;
  }
  // Checked here too, because a client that keeps a byte ready for each
  // read never makes the reads below wait.
  if (reading_headers_ && Clock::now() >= deadline_) {
    Fail(ReadFailure::kHeaderDeadline);
    return -1;
  }
  while (Buffered() == 0) {
    short wait = 0;
    const ssize_t received = Receive(wait);
    if (received >= 0) {
      if (received == 0) {
        return 0;
      }
      break;
    }
    if (wait == 0 || !WaitToRead(wait)) {
      return -1;
    }
  }

  const std::size_t count = std::min(size, Buffered());
  if (reading_headers_) {
    header_bytes_ += count;
    if (header_bytes_ > policy_.max_header_bytes) {
      Fail(ReadFailure::kHeadersTooLarge);
      return -1;
    }
  }
  std::memcpy(data, buffer_.data() + buffer_begin_, count);
  buffer_begin_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t ConnectionStream::write(const char* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const auto until = Clock::now() + settings_.write_timeout;
  for (;;) {
    short wait = 0;
    const ssize_t sent = Send(data, size, wait);
    if (sent > 0) {
      return sent;
    }
    if (wait == 0 || !WaitFor(wait, until)) {
      return -1;
    }
  }
}

ssize_t ConnectionStream::Receive(short& wait) {
  buffer_begin_ = 0;
  buffer_end_ = 0;
  if (ssl_ == nullptr) {
    for (;;) {
      const ssize_t received =
          recv(socket_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
      if (received >= 0) {
        buffer_end_ = static_cast<std::size_t>(received);
        return received;
      }
      if (errno == EINTR) {
        continue;
      }
      wait = errno == EAGAIN || errno == EWOULDBLOCK ? POLLIN : 0;
      return -1;
    }
  }

  ERR_clear_error();
  const int received =
      SSL_read(ssl_, buffer_.data(), static_cast<int>(buffer_.size()));
  if (received > 0) {
    buffer_end_ = static_cast<std::size_t>(received);
    return received;
  }
  switch (SSL_get_error(ssl_, received)) {
    case SSL_ERROR_WANT_READ:
      wait = POLLIN;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      wait = POLLOUT;
      return -1;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      ERR_clear_error();
      wait = 0;
      return -1;
  }
}

ssize_t ConnectionStream::Send(const char* data, std::size_t size,
                               short& wait) {
  if (ssl_ == nullptr) {
    for (;;) {
      const ssize_t sent =
          send(socket_, data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (sent >= 0) {
        return sent;
      }
      if (errno == EINTR) {
        continue;
      }
      wait = errno == EAGAIN || errno == EWOULDBLOCK ? POLLOUT : 0;
      return -1;
    }
  }

  // SSL_write must be retried with the same arguments after WANT_READ or
  // WANT_WRITE, which the loop in write() does.
  ERR_clear_error();
  const int sent = SSL_write(
      ssl_, data, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
  if (sent > 0) {
    return sent;
  }
  switch (SSL_get_error(ssl_, sent)) {
    case SSL_ERROR_WANT_READ:
      wait = POLLIN;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      wait = POLLOUT;
      return -1;
    default:
      ERR_clear_error();
      wait = 0;
      return -1;
  }
}

bool ConnectionStream::WaitFor(short events, Clock::time_point until) const {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - Clock::now());
    if (left.count() <= 0) {
      return false;
    }
    pollfd entry{socket_, events, 0};
    const int ready = poll(
        &entry, 1,
        static_cast<int>(std::min<std::int64_t>(left.count() + 1, INT_MAX)));
    if (ready > 0) {
      // POLLERR and POLLHUP count as ready, so that the next read or write
      // reports the error.
      return true;
    }
    if (ready < 0 && errno != EINTR) {
      return false;
    }
  }
}

bool ConnectionStream::WaitToRead(short events) {
  auto until = Clock::now() + settings_.read_timeout;
  const bool deadline_first = reading_headers_ && deadline_ < until;
  if (deadline_first) {
    until = deadline_;
  }
  if (WaitFor(events, until)) {
    return true;
  }
  if (reading_headers_) {
    Fail(deadline_first ? ReadFailure::kHeaderDeadline
                        : ReadFailure::kReadTimeout);
  }
  return false;
}

bool ConnectionStream::WaitForRequest(
    std::chrono::seconds idle_timeout,
    const std::function<bool()>& stopping) const {
  if (Buffered() > 0 || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) {
    return true;
  }
  const auto until = Clock::now() + idle_timeout;
  while (!stopping()) {
    const auto now = Clock::now();
    if (now >= until) {
      return false;
    }
    const auto slice =
        std::min<Clock::duration>(until - now, kStopCheckInterval);
    if (WaitFor(POLLIN, now + slice)) {
      return true;
    }
  }
  return false;
}

HandshakeResult ConnectionStream::AcceptTls(std::string& error) {
  for (;;) {
    ERR_clear_error();
    const int accepted = SSL_accept(ssl_);
    if (accepted == 1) {
      return HandshakeResult::kDone;
    }
    const int code = SSL_get_error(ssl_, accepted);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
      if (WaitToRead(code == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)) {
        continue;
      }
      return HandshakeResult::kTimedOut;
    }

    const unsigned long reason = ERR_peek_error();
    ERR_clear_error();
    // OpenSSL 3 reports a client that closes during the handshake as an
    // SSL error too. It is not counted, as a bare connect and close is not.
    if (code != SSL_ERROR_SSL ||
        ERR_GET_REASON(reason) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
      return HandshakeResult::kClosed;
    }
    const char* text = ERR_reason_error_string(reason);
    error = text != nullptr ? text : "unknown OpenSSL error";
    if (ERR_GET_REASON(reason) == SSL_R_HTTP_REQUEST) {
      return HandshakeResult::kPlainHttp;
    }
    return HandshakeResult::kFailed;
  }
}

void ConnectionStream::AddressOf(int (*query)(int, sockaddr*, socklen_t*),
                                 std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (query(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return;
  }
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host.data(),
                  host.size(), service.data(), service.size(),
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return;
  }
  ip = host.data();
  port = std::atoi(service.data());
}

std::string PeerOf(const ConnectionStream& stream) {
  std::string ip;
  int port = 0;
  stream.get_remote_ip_and_port(ip, port);
  return ip;
}

void ConnectionStream::Fail(ReadFailure failure) {
  failure_ = failure;
  if (!policy_.on_rejected) {
    return;
  }
  const std::string peer = PeerOf(*this);
  switch (failure) {
    case ReadFailure::kNone:
      return;
    case ReadFailure::kHeaderDeadline:
      policy_.on_rejected("timeout", peer,
                          "request line and headers not complete within " +
                              std::to_string(policy_.header_deadline.count()) +
                              " ms");
      return;
    case ReadFailure::kReadTimeout:
      policy_.on_rejected(
          "timeout", peer,
          "no byte of the request line or headers for " +
              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                 settings_.read_timeout)
                                 .count()) +
              " s");
      return;
    case ReadFailure::kHeadersTooLarge:
      policy_.on_rejected("headers_too_large", peer,
                          "request line and headers larger than " +
                              std::to_string(policy_.max_header_bytes) +
                              " bytes");
      return;
  }
}

// Reads one request after another from `stream`, as httplib's own server
// loop does. It stops when the client closes, a request fails or requests
// the close, the keep-alive count is used up or the server stops. `process` is
// the server's process_request(), and `ssl` is set on each request.
using ProcessRequest = std::function<bool(
    httplib::Stream& stream, bool close_connection, bool& connection_closed,
    const std::function<void(httplib::Request&)>& setup_request)>;

bool ServeRequests(ConnectionStream& stream, const ConnectionSettings& settings,
                   const ConnectionPolicy& policy,
                   const std::function<bool()>& stopping,
                   Clock::time_point first_deadline, const SSL* ssl,
                   const ProcessRequest& process) {
  bool result = false;
  std::optional<Clock::time_point> deadline = first_deadline;
  for (std::size_t left = settings.keep_alive_max_count; left > 0; --left) {
    if (stopping() ||
        !stream.WaitForRequest(settings.keep_alive_timeout, stopping)) {
      break;
    }
    stream.BeginHeaders(
        deadline.value_or(Clock::now() + policy.header_deadline));
    deadline.reset();

    bool headers_read = false;
    bool connection_closed = false;
    result = process(stream, left == 1, connection_closed,
                     [&](httplib::Request& request) {
                       stream.EndHeaders();
                       request.ssl = ssl;
                       headers_read = true;
                       if (policy.on_headers_read) {
                         policy.on_headers_read();
                       }
                     });
    if (headers_read && policy.on_request_done) {
      policy.on_request_done();
    }

    if (stream.Failure() != ReadFailure::kNone) {
      return false;
    }
    if (!result || connection_closed) {
      break;
    }
  }
  return result;
}

ConnectionSettings SettingsOf(time_t read_sec, time_t read_usec,
                              time_t write_sec, time_t write_usec,
                              time_t keep_alive_sec, std::size_t max_count) {
  return ConnectionSettings{
      std::chrono::seconds(read_sec) + std::chrono::microseconds(read_usec),
      std::chrono::seconds(write_sec) + std::chrono::microseconds(write_usec),
      std::chrono::seconds(keep_alive_sec),
      std::max<std::size_t>(max_count, 1)};
}

void MakeNonBlocking(int socket) {
  const int flags = fcntl(socket, F_GETFL);
  if (flags >= 0) {
    fcntl(socket, F_SETFL, flags | O_NONBLOCK);
  }
}

void CloseConnection(int socket) {
  shutdown(socket, SHUT_RDWR);
  close(socket);
}

}  // namespace

DeadlineServer::DeadlineServer(ConnectionPolicy policy)
    : policy_(std::move(policy)) {}

bool DeadlineServer::process_and_close_socket(socket_t sock) {
  const auto accepted = Clock::now();
  const ConnectionSettings settings = SettingsOf(
      read_timeout_sec_, read_timeout_usec_, write_timeout_sec_,
      write_timeout_usec_, keep_alive_timeout_sec_, keep_alive_max_count_);
  MakeNonBlocking(sock);
  ConnectionStream stream(sock, nullptr, settings, policy_);

  const bool result = ServeRequests(
      stream, settings, policy_, [this] { return svr_sock_ == INVALID_SOCKET; },
      accepted + policy_.header_deadline, nullptr,
      [this](httplib::Stream& request_stream, bool close_connection,
             bool& connection_closed,
             const std::function<void(httplib::Request&)>& setup) {
        return process_request(request_stream, close_connection,
                               connection_closed, setup);
      });
  CloseConnection(sock);
  return result;
}

DeadlineSslServer::DeadlineSslServer(
    const std::function<bool(SSL_CTX& context)>& setup_context,
    ConnectionPolicy policy)
    : httplib::SSLServer(setup_context), policy_(std::move(policy)) {}

bool DeadlineSslServer::process_and_close_socket(socket_t sock) {
  const auto accepted = Clock::now();
  const ConnectionSettings settings = SettingsOf(
      read_timeout_sec_, read_timeout_usec_, write_timeout_sec_,
      write_timeout_usec_, keep_alive_timeout_sec_, keep_alive_max_count_);
  const std::function<bool()> stopping = [this] {
    return svr_sock_ == INVALID_SOCKET;
  };
  MakeNonBlocking(sock);

  SSL* ssl = SSL_new(ssl_context());
  if (ssl == nullptr || SSL_set_fd(ssl, sock) != 1) {
    SSL_free(ssl);
    CloseConnection(sock);
    return false;
  }
  ConnectionStream stream(sock, ssl, settings, policy_);

  // The handshake shares the first request's deadline, so that a client
  // cannot stretch the handshake instead of the headers. A client that sends
  // nothing is closed after the keep-alive timeout, as between requests.
  bool result = false;
  if (stream.WaitForRequest(settings.keep_alive_timeout, stopping)) {
    stream.BeginHeaders(accepted + policy_.header_deadline);
    std::string error;
    const HandshakeResult handshake = stream.AcceptTls(error);
    if (handshake == HandshakeResult::kDone) {
      stream.EndHeaders();
      result = ServeRequests(
          stream, settings, policy_, stopping,
          accepted + policy_.header_deadline, ssl,
          [this](httplib::Stream& request_stream, bool close_connection,
                 bool& connection_closed,
                 const std::function<void(httplib::Request&)>& setup) {
            return process_request(request_stream, close_connection,
                                   connection_closed, setup);
          });
    } else if (handshake == HandshakeResult::kFailed ||
               handshake == HandshakeResult::kPlainHttp) {
      if (handshake == HandshakeResult::kPlainHttp) {
        // Written straight to the socket, outside TLS, once: a client that
        // does not read it loses nothing it could use.
        static_cast<void>(send(sock, kPlainHttpResponse.data(),
                               kPlainHttpResponse.size(),
                               MSG_DONTWAIT | MSG_NOSIGNAL));
      }
      if (policy_.on_rejected) {
        policy_.on_rejected("tls", PeerOf(stream),
                            "TLS handshake failed: " + error);
      }
    }
  }

  // A close_notify after a clean end, sent without waiting for the reply.
  if (result) {
    ERR_clear_error();
    SSL_shutdown(ssl);
  }
  ERR_clear_error();
  SSL_free(ssl);
  CloseConnection(sock);
  return result;
}

}  // namespace dce
