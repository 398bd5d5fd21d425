#include <malloc.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stop_token>
#include <thread>

#include "collectors/inventory.h"
#include "collectors/snapshot_collector.h"
#include "exporter/build_info.h"
#include "exporter/check_command.h"
#include "exporter/config_reloader.h"
#include "exporter/duration.h"
#include "exporter/event_loop.h"
#include "exporter/flags.h"
#include "exporter/http_server.h"
#include "exporter/logging.h"
#include "exporter/refresh_loop.h"

namespace {

// Allocations from this size up are mapped on their own (M_MMAP_THRESHOLD).
constexpr int kMmapThresholdBytes = 1 << 20;

std::optional<std::string> Environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    return std::nullopt;
  }
  return std::string(value);
}

// Waits for SIGINT or SIGTERM, which every thread has blocked, and returns
// its name. Reloads the configuration file, if one was given, at each SIGHUP
// meanwhile.
std::string WaitForStopSignal(const sigset_t& signals,
                              dce::ConfigReloader& reloader,
                              bool has_config_file) {
  while (true) {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    if (signal_number == SIGHUP && !has_config_file) {
      dce::Log(dce::LogLevel::kWarn,
               "SIGHUP ignored: there is no configuration file to reload; "
               "start with --config.file to use reloads",
               {{"signal", "SIGHUP"}});
      continue;
    }
    if (signal_number == SIGHUP) {
      dce::Log(dce::LogLevel::kInfo, "reloading the configuration",
               {{"signal", "SIGHUP"}});
      static_cast<void>(reloader.Reload());
      continue;
    }
    return signal_number == SIGINT ? "SIGINT" : "SIGTERM";
  }
}

}  // namespace

int main(int argc, char** argv) {
  using dce::Log;
  using dce::LogLevel;

  // glibc gives each thread that allocates its own arena, up to eight per
  // core, and keeps freed memory in each. With 32 HTTP workers and the
  // inspection workers that held 78 MiB RSS at 300 containers against
  // 29 MiB with two arenas, at the same refresh time (bench/). Set before
  // any thread starts; MALLOC_ARENA_MAX in the environment still overrides.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) {
    mallopt(M_ARENA_MAX, 2);
  }
  // glibc raises its mmap threshold each time a mapped block is freed, up
  // to 32 MiB, after which the megabytes of each exposition rendering and
  // engine response come from the arenas, whose freed memory often stays
  // resident. With the threshold fixed at 1 MiB they are mapped and
  // unmapped: at 1,000 containers the peak RSS under 16 scrapers fell from
  // 50.6 to 40.5 MiB in one bench/scale_bench.sh run on 2 cores.
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) {
    mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  }

  const dce::BuildInfo build_info = dce::CurrentBuildInfo();
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const dce::FlagEnvironment environment{
      Environment("DOCKER_HOST"), Environment("DOCKER_TLS_VERIFY"),
      Environment("DOCKER_CERT_PATH"), Environment("HOME")};
  auto parsed =
      dce::ParseFlags(arguments, environment, build_info, std::cout, std::cerr);
  if (!parsed.options) {
    return parsed.exit_code;
  }
  const dce::Options& options = *parsed.options;
  dce::ConfigureLogging(options.log_level, options.log_format);
  // An expired waiver is a warning, never a startup error, so that a dated
  // waiver cannot stop a restart.
  dce::LogExpiredWaivers(*options.policy, std::chrono::system_clock::now());
  dce::LogIdleHostWaivers(*options.policy, options.host.has_value());
  if (options.command == dce::Command::kCheck) {
    return dce::RunCheckCommand(
        options, std::cout,
        dce::ShouldColour(isatty(STDOUT_FILENO) != 0, Environment("NO_COLOR")),
        isatty(STDERR_FILENO) != 0 ? &std::cerr : nullptr);
  }

  // Block the stop signals before any thread starts, so that every thread
  // inherits the mask and only sigwait() below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A shell starts background jobs with SIGINT ignored, and an ignored
  // signal is discarded rather than left pending for sigwait().
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGHUP, SIG_DFL);
  // A client that closes its connection mid-response must not kill the
  // process.
  std::signal(SIGPIPE, SIG_IGN);

  dce::SnapshotStore store;
  dce::EventStreamStatus event_status;
  dce::InventoryOptions inventory_options;
  inventory_options.address = options.engine_address;
  inventory_options.timeout = options.engine_timeout;
  inventory_options.stale_after = options.stale_after;
  inventory_options.max_concurrent_requests = options.max_concurrent_requests;
  inventory_options.host = options.host;
  dce::Inventory inventory(inventory_options, store);
  inventory.SetPolicy(options.policy);
  dce::RefreshRequests refresh_requests;

  // A reload applies at once: the full refresh it requests evaluates every
  // container under the new policy, instead of at the next interval.
  dce::ConfigReloader reloader(
      arguments, environment, build_info, inventory, options,
      [&refresh_requests] { refresh_requests.AddFull(); });
  dce::RejectedRequestCounter rejected_requests;
  const dce::SnapshotCollector collector(store, build_info, &event_status,
                                         {&reloader, &rejected_requests});
  // Everything the exposition shows that can change without a new
  // snapshot: the event stream's counts, the reloader's families, whose
  // waiver states change when a waiver expires, and the rejected requests.
  dce::ExpositionCache expositions(
      store, [&collector] { return collector.Render(); },
      [&reloader, &event_status, &rejected_requests] {
        return dce::FormatEventCounts(event_status.Read()) + "\n" +
               dce::SerializeExposition(reloader) +
               dce::SerializeExposition(rejected_requests);
      });
  dce::HttpServerOptions server_options;
  server_options.telemetry_path = options.telemetry_path;
  server_options.web_config_file = options.web_config_file;
  server_options.web_config = options.web_config;
  server_options.max_requests = options.max_requests;
  auto created = dce::HttpServer::Create(expositions, store, server_options,
                                         rejected_requests);
  if (!created) {
    Log(LogLevel::kError, "cannot start", {{"err", created.error().message}});
    return dce::kExitInvalidUsage;
  }
  dce::HttpServer& server = *created.value();
  if (options.config_file) {
    server.SetReloadHandler([&reloader] { return reloader.Reload(); });
  }
  const auto bound = server.Bind(options.listen_address);
  if (!bound) {
    Log(LogLevel::kError, "cannot start", {{"err", bound.error().message}});
    return EXIT_FAILURE;
  }

  Log(LogLevel::kInfo, "starting docker_compliance_exporter",
      {{"version", build_info.version}, {"revision", build_info.revision}});
  Log(LogLevel::kInfo, "listening",
      {{"address", dce::FormatListenAddress(bound.value())},
       {"telemetry_path", options.telemetry_path},
       {"tls", options.web_config.tls ? "true" : "false"},
       {"basic_auth",
        options.web_config.basic_auth_users.empty() ? "false" : "true"},
       {"max_requests", std::to_string(options.max_requests)}});
  // The exporter only reads, and needs no more than access to the engine
  // socket, which membership of its group gives.
  if (geteuid() == 0) {
    Log(LogLevel::kWarn,
        "running as root, which the exporter does not need; run it as a "
        "user in the engine socket's group, see Security in README.md");
  }
  Log(LogLevel::kInfo, "watching engine",
      {{"address", options.engine_address.original},
       {"refresh_interval", dce::FormatDuration(options.refresh_interval)},
       {"stale_after", dce::FormatDuration(options.stale_after)}});
  if (options.host) {
    Log(LogLevel::kInfo, "reading host files",
        {{"rootfs", options.host->rootfs}, {"procfs", options.host->procfs}});
  }
  if (options.config_file) {
    Log(LogLevel::kInfo, "configuration loaded",
        {{"file", *options.config_file},
         {"waivers", std::to_string(options.policy->waivers.size())}});
  }

  std::jthread refresher([&](const std::stop_token& stop) {
    dce::RunRefreshLoop(inventory, options.refresh_interval, refresh_requests,
                        stop);
  });
  const dce::EventLoopOptions event_options{
      .address = options.engine_address,
      .connect_timeout = options.engine_timeout,
  };
  std::jthread event_follower([&](const std::stop_token& stop) {
    dce::RunEventLoop(event_options, refresh_requests, event_status, stop);
  });
  std::atomic<bool> serving_done{false};
  std::jthread http_thread([&] {
    server.Serve();
    serving_done = true;
  });

  const std::string signal_name = WaitForStopSignal(
      stop_signals, reloader, options.config_file.has_value());
  Log(LogLevel::kInfo, "stopping", {{"signal", signal_name}});

  // Stop() has no effect until Serve() has started its loop, so repeat it
  // until Serve() returns.
  while (!serving_done) {
    server.Stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  http_thread.join();
  // Cancelling the refresh in progress keeps the stop within about a
  // second, however many containers are left to inspect.
  inventory.Cancel();
  refresher.request_stop();
  event_follower.request_stop();
  refresher.join();
  event_follower.join();

  Log(LogLevel::kInfo, "stopped");
  return EXIT_SUCCESS;
}
