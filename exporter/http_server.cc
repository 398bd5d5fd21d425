#include "exporter/http_server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <prometheus/text_serializer.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <locale>
#include <sstream>

#include "collectors/report.h"

namespace dce {
namespace {

constexpr std::size_t kWorkerThreads = 32;

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

HttpServer::HttpServer(ExpositionCache& expositions, const SnapshotStore& store,
                       std::string telemetry_path)
    : expositions_(expositions),
      store_(store),
      telemetry_path_(std::move(telemetry_path)),
      server_(std::make_unique<httplib::Server>()) {
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
  // Without it, Nagle's algorithm holds a body shorter than one segment
  // until the client acknowledges the headers, which a client that delays
  // its acknowledgements does 40 ms later on Linux. Accepted sockets
  // inherit the option from the listening one.
  server_->set_tcp_nodelay(true);
  // No endpoint reads a request body, not even POST /-/reload. Without a
  // limit httplib reads any body into memory before it responds.
  server_->set_payload_max_length(4096);
  // Each connection occupies a worker while it is open, so httplib's default
  // of 8 workers let 8 idle or slow clients stall every scrape.
  // NOTE: more such clients still stall the server; connection limits and
  // timeouts per client are not implemented yet.
  server_->new_task_queue = [] {
    return new httplib::ThreadPool(kWorkerThreads);
  };
  RegisterRoutes();
}

HttpServer::~HttpServer() = default;

void HttpServer::RegisterRoutes() {
  // httplib serves HEAD with the GET handler's headers, so Prometheus'
  // and load balancers' HEAD probes work too.
  server_->Get(telemetry_path_, [this](const httplib::Request& request,
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
  });

  server_->Get("/",
               [this](const httplib::Request&, httplib::Response& response) {
                 response.set_content(LandingPage(telemetry_path_),
                                      "text/html; charset=utf-8");
               });

  server_->Get("/api/v1/report", [this](const httplib::Request&,
                                        httplib::Response& response) {
    // Names and reasons come from the engine and may hold invalid UTF-8,
    // which is replaced so that the document stays valid JSON.
    response.set_content(
        BuildReport(*store_.Current())
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        "application/json");
  });

  // The handler takes a content reader that it never calls, so httplib does
  // not read a body first. Without it, a POST without Content-Length, as
  // `curl -X POST` sends, would be read until the client closes.
  server_->Post(
      "/-/reload", [this](const httplib::Request&, httplib::Response& response,
                          const httplib::ContentReader&) {
        std::function<std::optional<Error>()> reload;
        {
          std::lock_guard lock(reload_mutex_);
          reload = reload_;
        }
        if (!reload) {
          response.status = 404;
          response.set_content("no configuration to reload\n",
                               "text/plain; charset=utf-8");
          return;
        }
        const auto error = reload();
        if (error) {
          response.status = 500;
          response.set_content(
              "failed to reload the configuration: " + error->message + "\n",
              "text/plain; charset=utf-8");
          return;
        }
        response.set_content("configuration reloaded\n",
                             "text/plain; charset=utf-8");
      });

  server_->Get("/-/healthy",
               [](const httplib::Request&, httplib::Response& response) {
                 response.set_content("Healthy\n", "text/plain; charset=utf-8");
               });

  server_->Get(
      "/-/ready", [this](const httplib::Request&, httplib::Response& response) {
        if (store_.Current()->ready) {
          response.set_content("Ready\n", "text/plain; charset=utf-8");
          return;
        }
        response.status = 503;
        response.set_content("Not ready: no refresh has succeeded yet\n",
                             "text/plain; charset=utf-8");
      });
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
