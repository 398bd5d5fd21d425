#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "collectors/result.h"

namespace dce {

/// The files for TLS to a `tcp://` engine, as the docker CLI finds them in
/// DOCKER_CERT_PATH. The engine's certificate is always verified.
struct EngineTls {
  /// The certificate authority that signed the engine's certificate.
  std::string ca_file;

  /// The client certificate and its key; both empty to present none.
  std::string cert_file;
  std::string key_file;
};

/// The address of the Docker engine's API, as the docker CLI spells it in
/// DOCKER_HOST: `unix:///var/run/docker.sock` or `tcp://host:port`.
struct EngineAddress {
  enum class Transport { kUnix, kTcp };

  Transport transport = Transport::kUnix;

  /// The socket's file system path; empty for TCP.
  std::string socket_path;

  /// The URL prefix that request paths are appended to: `http://docker` for
  /// a unix socket, where curl ignores the host name, or `http://host:port`
  /// (`https://` with TLS).
  std::string base_url;

  /// Set for a `tcp://` engine reached over TLS.
  std::optional<EngineTls> tls;

  /// The address as the user wrote it, for logs and errors.
  std::string original;
};

/// The engine address that the docker CLI uses when DOCKER_HOST is unset.
inline constexpr std::string_view kDefaultEngineAddress =
    "unix:///var/run/docker.sock";

/// Parses a DOCKER_HOST-style address. `tcp://host` without a port gets the
/// engine's plain-HTTP port, 2375, or its TLS port, 2376, when `tls` is set.
/// `tls` has no effect on a unix socket, as with the docker CLI.
Result<EngineAddress> ParseEngineAddress(std::string_view text,
                                         std::optional<EngineTls> tls = {});

}  // namespace dce
