#include "exporter/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <prometheus/counter.h>
#include <prometheus/text_serializer.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <locale>
#include <sstream>

#include "collectors/report.h"
#include "exporter/http_connection.h"
#include "exporter/logging.h"

namespace dce {
namespace {

constexpr std::size_t kMinWorkerThreads = 32;
constexpr std::size_t kSpareWorkerThreads = 8;
constexpr std::size_t kMaxBodyBytes = 4096;
// Each read of a request and each write of a response must complete within
// these, or httplib closes the connection.
constexpr std::chrono::seconds kReadTimeout{5};
constexpr std::chrono::seconds kWriteTimeout{10};
constexpr std::chrono::seconds kKeepAliveTimeout{5};
// A request line and its headers together must fit in this many bytes.
constexpr std::size_t kMaxHeaderBytes = std::size_t{32} * 1024;
// Rejections of one reason are logged at most once per this interval.
constexpr std::chrono::seconds kRejectionLogInterval{10};
constexpr std::chrono::seconds kWebConfigCheckInterval{1};
constexpr std::string_view kTextPlain = "text/plain; charset=utf-8";

// A place among the requests being handled, released at destruction.
class RequestSlot {
 public:
  RequestSlot(std::atomic<int>& in_flight, int limit)
      : in_flight_(in_flight), limited_(limit > 0) {
    if (limited_) {
      acquired_ = in_flight_.fetch_add(1) < limit;
    }
  }
  ~RequestSlot() {
    if (limited_) {
      in_flight_.fetch_sub(1);
    }
  }
  RequestSlot(const RequestSlot&) = delete;
  RequestSlot& operator=(const RequestSlot&) = delete;

  bool Acquired() const { return acquired_; }

 private:
  std::atomic<int>& in_flight_;
  bool limited_;
  bool acquired_ = true;
};

// The place among --web.max-requests of the request that this worker thread
// serves. The connection loop takes it when the request's headers are read
// and gives it back when the response is written. The handlers, which
// httplib calls in between on the same thread, check it.
thread_local std::optional<RequestSlot> current_request_slot;

bool CurrentRequestHasSlot() {
  return !current_request_slot || current_request_slot->Acquired();
}

// Identifies a file's content without reading it; empty when it is gone.
std::string FileVersion(const std::string& path) {
  struct stat status {};
  if (stat(path.c_str(), &status) != 0) {
    return "";
  }
  return std::to_string(status.st_mtim.tv_sec) + "." +
         std::to_string(status.st_mtim.tv_nsec) + "/" +
         std::to_string(status.st_size) + "/" + std::to_string(status.st_ino);
}

std::string LandingPage(const std::string& telemetry_path) {
  return "<!DOCTYPE html>\n"
         "<html lang=\"en\">\n"
         "<head><meta charset=\"utf-8\">"
         "<title>Docker Compliance Exporter</title></head>\n"
         "<body>\n"
         "<h1>Docker Compliance Exporter</h1>\n"
         "<p>Exports how the containers of a Docker engine measure up "
         "against the CIS Docker Benchmark.</p>\n"
         "<ul>\n"
         "<li><a href=\"" +
         telemetry_path + "\">Metrics</a></li>\n" +
         "<li><a href=\"/api/v1/report\">Report: every check's outcome "
         "and reason</a></li>\n"
         "<li><a href=\"/-/healthy\">Health</a></li>\n"
         "<li><a href=\"/-/ready\">Readiness</a></li>\n"
         "</ul>\n"
         "</body>\n"
         "</html>\n";
}

// Sends `body`, which `exposition` owns, without copying it. cpp-httplib
// 0.11 sends a content provider of known length as it is, without
// compressing it, so `body` may already be compressed.
void SetSharedBody(httplib::Response& response,
                   const std::shared_ptr<const Exposition>& exposition,
                   const std::string& body) {
  // httplib 0.11 sends a provider of length 0 without a Content-Length, so
  // the client would wait for a body until its read timeout.
  if (body.empty()) {
    response.set_content(body, std::string(kExpositionContentType));
    return;
  }
  response.set_content_provider(
      body.size(), std::string(kExpositionContentType),
      // The copy of `exposition` keeps `body` alive until httplib has
      // written the response and destroys the provider.
      [exposition, &body](std::size_t offset, std::size_t length,
                          httplib::DataSink& sink) {
        return sink.write(body.data() + offset, length);
      });
}

}  // namespace

std::string SerializeExposition(const prometheus::Collectable& collectable) {
  std::ostringstream stream;
  // The serializer writes numbers through the stream, which would otherwise
  // use the global locale's decimal separator.
  stream.imbue(std::locale::classic());
  prometheus::TextSerializer().Serialize(stream, collectable.Collect());
  // Moves the buffer out instead of copying megabytes of text.
  return std::move(stream).str();
}

Result<std::unique_ptr<HttpServer>> HttpServer::Create(
    ExpositionCache& expositions, const SnapshotStore& store,
    HttpServerOptions options, RejectedRequestCounter& rejected) {
  std::unique_ptr<HttpServer> server(
      new HttpServer(expositions, store, std::move(options), rejected));
  auto state = server->BuildWebState(server->options_.web_config);
  if (!state) {
    return state.error();
  }
  server->web_state_ = std::move(state).value();
  server->last_web_config_check_ = std::chrono::steady_clock::now();
  if (server->options_.web_config_file) {
    server->web_config_version_ =
        FileVersion(*server->options_.web_config_file);
  }

  HttpServer* raw = server.get();
  ConnectionPolicy policy;
  policy.header_deadline = raw->options_.header_deadline;
  policy.max_header_bytes = kMaxHeaderBytes;
  policy.on_headers_read = [raw] {
    current_request_slot.emplace(raw->requests_in_flight_,
                                 raw->options_.max_requests);
  };
  policy.on_request_done = [] { current_request_slot.reset(); };
  policy.on_rejected = [raw](std::string_view reason, const std::string& peer,
                             const std::string& detail) {
    raw->Reject(reason, peer, detail);
  };
  if (server->options_.web_config.tls) {
    raw->tls_hooks_.current_context = [raw] {
      return raw->CurrentWebState()->tls_context;
    };
    raw->server_ = std::make_unique<DeadlineSslServer>(
        [raw](SSL_CTX& context) {
          InstallTlsHooks(context, raw->tls_hooks_);
          return true;
        },
        std::move(policy));
  } else {
    server->server_ = std::make_unique<DeadlineServer>(std::move(policy));
  }
  server->ConfigureServer();
  server->RegisterRoutes();
  return server;
}

HttpServer::HttpServer(ExpositionCache& expositions, const SnapshotStore& store,
                       HttpServerOptions options,
                       RejectedRequestCounter& rejected)
    : expositions_(expositions),
      store_(store),
      options_(std::move(options)),
      rejected_(rejected) {}

void HttpServer::ConfigureServer() {
  // httplib's default options include SO_REUSEPORT, which would let a second
  // exporter bind the same port and take half of the scrapes silently.
  server_->set_socket_options([](int socket) {
    const int yes = 1;
    const int no = 0;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    // Lets "::" accept IPv4 too, whatever net.ipv6.bindv6only is set to. It
    // fails harmlessly on IPv4 sockets.
    setsockopt(socket, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
  });
  // Without it, Nagle's algorithm delays a body shorter than one segment
  // until the client acknowledges the headers. A client that delays its
  // acknowledgements sends one 40 ms later on Linux. Accepted sockets
  // inherit the option from the listening one.
  server_->set_tcp_nodelay(true);
  // No endpoint reads a request body, not even POST /-/reload. Without a
  // limit httplib reads any body into memory before it responds.
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_read_timeout(kReadTimeout);
  server_->set_write_timeout(kWriteTimeout);
  server_->set_keep_alive_timeout(kKeepAliveTimeout.count());

  // Each connection occupies a worker while it is open, so httplib's default
  // of 8 workers let 8 idle or slow clients stall every scrape. There are
  // more workers than --web.max-requests, so that the requests beyond the
  // limit get their 503 at once instead of waiting for a worker.
  // NOTE: a client that sends its headers a byte at a time keeps a worker
  // until the header deadline (see http_connection.cc). More such clients
  // than workers, reconnecting at each deadline, still delay scrapes by up
  // to that deadline.
  const std::size_t workers = std::max<std::size_t>(
      kMinWorkerThreads,
      static_cast<std::size_t>(options_.max_requests) + kSpareWorkerThreads);
  server_->new_task_queue = [workers] {
    return new httplib::ThreadPool(workers);
  };

  server_->set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        return CheckRequest(request, response)
                   ? httplib::Server::HandlerResponse::Unhandled
                   : httplib::Server::HandlerResponse::Handled;
      });
}

HttpServer::~HttpServer() = default;

httplib::Server::Handler HttpServer::Limited(httplib::Server::Handler handler) {
  return [this, handler = std::move(handler)](const httplib::Request& request,
                                              httplib::Response& response) {
    if (!CurrentRequestHasSlot()) {
      RejectOverLimit(request, response);
      return;
    }
    handler(request, response);
  };
}

void HttpServer::RejectOverLimit(const httplib::Request& request,
                                 httplib::Response& response) {
  response.status = 503;
  response.set_content(
      "Too many requests at once; the limit is --web.max-requests=" +
          std::to_string(options_.max_requests) + "\n",
      std::string(kTextPlain).c_str());
  Reject("limit", request.remote_addr, request.method + " " + request.path);
}

void HttpServer::RegisterRoutes() {
  // httplib serves HEAD with the GET handler's headers, so Prometheus'
  // and load balancers' HEAD probes work too.
  server_->Get(
      options_.telemetry_path, Limited([this](const httplib::Request& request,
                                              httplib::Response& response) {
        const auto exposition = expositions_.Current();
        // The body is compressed or not by the Accept-Encoding request header,
        // which caches must take into account.
        response.set_header("Vary", "Accept-Encoding");

        // cpp-httplib 0.11 sends brotli when the header contains "br" anywhere,
        // even next to gzip, and compresses the body itself for each request.
        // NOTE: brotli responses are not cached, so each costs a compression.
        const auto accepted = request.get_header_value("Accept-Encoding");
        if (accepted.find("br") != std::string::npos) {
          response.set_content(exposition->Text(),
                               std::string(kExpositionContentType));
          return;
        }
        if (accepted.find("gzip") != std::string::npos) {
          response.set_header("Content-Encoding", "gzip");
          SetSharedBody(response, exposition, exposition->Gzip());
          return;
        }
        SetSharedBody(response, exposition, exposition->Text());
      }));

  server_->Get("/", Limited([this](const httplib::Request&,
                                   httplib::Response& response) {
                 response.set_content(LandingPage(options_.telemetry_path),
                                      "text/html; charset=utf-8");
               }));

  server_->Get(
      "/api/v1/report",
      Limited([this](const httplib::Request&, httplib::Response& response) {
        // Names and reasons come from the engine and may hold
        // invalid UTF-8, which is replaced so that the document
        // stays valid JSON.
        response.set_content(
            BuildReport(*store_.Current())
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
            "application/json");
      }));

  // The handler takes a content reader that it never calls, so httplib does
  // not read a body first. Without it, a POST without Content-Length, as
  // `curl -X POST` sends, would be read until the client closes.
  server_->Post("/-/reload", [this](const httplib::Request& request,
                                    httplib::Response& response,
                                    const httplib::ContentReader&) {
    if (!CurrentRequestHasSlot()) {
      RejectOverLimit(request, response);
      return;
    }
    std::function<std::optional<Error>()> reload;
    {
      std::lock_guard lock(reload_mutex_);
      reload = reload_;
    }
    if (!reload) {
      response.status = 404;
      response.set_content(
          "no configuration file to reload: the exporter was started "
          "without --config.file\n",
          std::string(kTextPlain).c_str());
      return;
    }
    const auto error = reload();
    if (error) {
      response.status = 500;
      response.set_content(
          "failed to reload the configuration: " + error->message + "\n",
          std::string(kTextPlain).c_str());
      return;
    }
    response.set_content("configuration reloaded\n",
                         std::string(kTextPlain).c_str());
  });

  server_->Get(
      "/-/healthy",
      Limited([](const httplib::Request&, httplib::Response& response) {
        response.set_content("Healthy\n", std::string(kTextPlain).c_str());
      }));

  server_->Get(
      "/-/ready",
      Limited([this](const httplib::Request&, httplib::Response& response) {
        if (store_.Current()->ready) {
          response.set_content("Ready\n", std::string(kTextPlain).c_str());
          return;
        }
        response.status = 503;
        response.set_content("Not ready: no refresh has succeeded yet\n",
                             std::string(kTextPlain).c_str());
      }));
}

bool HttpServer::CheckRequest(const httplib::Request& request,
                              httplib::Response& response) {
  const auto state = CurrentWebState();
  for (const auto& [name, value] : state->config->headers) {
    response.set_header(name, value);
  }

  if (state->authenticator && !state->authenticator->Authenticate(
                                  request.get_header_value("Authorization"))) {
    response.status = 401;
    response.set_header("WWW-Authenticate", "Basic");
    response.set_content("Unauthorized\n", std::string(kTextPlain).c_str());
    Reject("unauthorized", request.remote_addr,
           request.method + " " + request.path);
    return false;
  }

  const bool reload_path = request.path == "/-/reload";
  const bool allowed =
      reload_path ? request.method == "POST"
                  : request.method == "GET" || request.method == "HEAD";
  if (!allowed) {
    const std::string allow = reload_path ? "POST" : "GET, HEAD";
    response.status = 405;
    response.set_header("Allow", allow);
    response.set_content("Method not allowed; use " + allow + "\n",
                         std::string(kTextPlain).c_str());
    Reject("method", request.remote_addr, request.method + " " + request.path);
    return false;
  }
  return true;
}

void HttpServer::Reject(std::string_view reason,
                        const std::string& remote_address,
                        const std::string& detail) {
  rejected_.Add(reason);

  // A client that retries in a loop must not flood the log, so each reason
  // is logged at most once per interval, with the count left out since.
  const auto now = std::chrono::steady_clock::now();
  std::uint64_t unlogged = 0;
  {
    std::lock_guard lock(log_mutex_);
    const auto last = last_rejection_log_.find(reason);
    if (last != last_rejection_log_.end() &&
        now - last->second < kRejectionLogInterval) {
      ++unlogged_rejections_[std::string(reason)];
      return;
    }
    last_rejection_log_[std::string(reason)] = now;
    unlogged = std::exchange(unlogged_rejections_[std::string(reason)], 0);
  }
  Log(LogLevel::kWarn, "HTTP request rejected",
      {{"reason", std::string(reason)},
       {"remote_address", remote_address},
       {"request", detail},
       {"unlogged_since_last", std::to_string(unlogged)}});
}

std::shared_ptr<const HttpServer::WebState> HttpServer::CurrentWebState() {
  std::lock_guard lock(web_state_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (options_.web_config_file &&
      now - last_web_config_check_ >= kWebConfigCheckInterval) {
    last_web_config_check_ = now;
    ReloadWebConfigIfChanged();
  }
  return web_state_;
}

void HttpServer::ReloadWebConfigIfChanged() {
  const std::string& path = *options_.web_config_file;
  const std::string version = FileVersion(path);
  if (version == web_config_version_) {
    return;
  }
  // The version is recorded even when the file is invalid, so that one
  // invalid edit is logged once rather than every second.
  web_config_version_ = version;
  auto config = LoadWebConfig(path);
  if (!config) {
    Log(LogLevel::kError,
        "reloading the web configuration failed; keeping the running one",
        {{"err", config.error().message}});
    return;
  }
  auto state = BuildWebState(std::move(config).value());
  if (!state) {
    Log(LogLevel::kError,
        "reloading the web configuration failed; keeping the running one",
        {{"file", path}, {"err", state.error().message}});
    return;
  }
  web_state_ = std::move(state).value();
  Log(LogLevel::kInfo, "web configuration reloaded",
      {{"file", path},
       {"tls", web_state_->tls_context ? "true" : "false"},
       {"basic_auth_users",
        std::to_string(web_state_->config->basic_auth_users.size())}});
}

Result<std::shared_ptr<const HttpServer::WebState>> HttpServer::BuildWebState(
    WebConfig config) {
  auto state = std::make_shared<WebState>();
  // The server is created as plain HTTP or TLS once, at start.
  if (config.tls.has_value() != options_.web_config.tls.has_value()) {
    return Error{"tls_server_config was " +
                 std::string(config.tls ? "added" : "removed") +
                 "; switching between plain HTTP and TLS takes a restart"};
  }
  if (config.tls) {
    auto context = BuildServerContext(*config.tls);
    if (!context) {
      return context.error();
    }
    state->tls_context = std::move(context).value();
  }
  if (!config.basic_auth_users.empty()) {
    state->authenticator =
        std::make_shared<const BasicAuthenticator>(config.basic_auth_users);
  }
  state->config = std::make_shared<const WebConfig>(std::move(config));
  return std::shared_ptr<const WebState>(std::move(state));
}

void RejectedRequestCounter::Add(std::string_view reason) {
  const auto* found = std::find(kReasons.begin(), kReasons.end(), reason);
  if (found != kReasons.end()) {
    counts_.at(static_cast<std::size_t>(found - kReasons.begin()))
        .fetch_add(1, std::memory_order_relaxed);
  }
}

std::vector<prometheus::MetricFamily> RejectedRequestCounter::Collect() const {
  prometheus::MetricFamily family;
  family.name = "docker_compliance_http_requests_rejected_total";
  family.help =
      "HTTP requests and TLS handshakes rejected, by reason: "
      "headers_too_large (request line and headers over 32 KiB), limit "
      "(--web.max-requests reached), method (not allowed), timeout (request "
      "line and headers not received in time), tls (handshake failed) or "
      "unauthorized (basic authentication failed).";
  family.type = prometheus::MetricType::Counter;
  for (std::size_t i = 0; i < kReasons.size(); ++i) {
    prometheus::ClientMetric metric;
    metric.label.push_back({"reason", std::string(kReasons.at(i))});
    metric.counter.value =
        static_cast<double>(counts_.at(i).load(std::memory_order_relaxed));
    family.metric.push_back(std::move(metric));
  }
  return {family};
}

void HttpServer::SetReloadHandler(
    std::function<std::optional<Error>()> reload) {
  std::lock_guard lock(reload_mutex_);
  reload_ = std::move(reload);
}

Result<ListenAddress> HttpServer::Bind(const ListenAddress& address) {
  // An empty host means every interface: "::" for IPv6 and IPv4, or
  // "0.0.0.0" on hosts without IPv6.
  std::vector<std::string> hosts = {address.host};
  if (address.host.empty()) {
    hosts = {"::", "0.0.0.0"};
  }

  int saved_errno = 0;
  for (const auto& host : hosts) {
    errno = 0;
    if (address.port == 0) {
      const int port = server_->bind_to_any_port(host);
      if (port > 0) {
        return ListenAddress{host, port};
      }
    } else if (server_->bind_to_port(host, address.port)) {
      return ListenAddress{host, address.port};
    }
    saved_errno = errno;
  }

  std::string reason = saved_errno != 0 ? std::strerror(saved_errno)
                                        : "the address could not be bound";
  return Error{"cannot listen on " + FormatListenAddress(address) + ": " +
               reason + "; choose another --web.listen-address"};
}

void HttpServer::Serve() { server_->listen_after_bind(); }

void HttpServer::Stop() { server_->stop(); }

}  // namespace dce
