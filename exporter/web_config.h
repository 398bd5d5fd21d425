#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/result.h"

namespace dce {

/// Whether and how the server requests a TLS certificate from clients. The
/// names and meanings are those of Go's crypto/tls, which the Prometheus
/// exporter-toolkit's `client_auth_type` uses.
enum class ClientAuthType {
  kNoClientCert,
  kRequestClientCert,
  kRequireAnyClientCert,
  kVerifyClientCertIfGiven,
  kRequireAndVerifyClientCert,
};

/// The oldest TLS version the server accepts.
enum class TlsVersion { kTls12, kTls13 };

/// `tls_server_config` of a web configuration file. Paths are absolute, or
/// relative to the current directory: relative paths in the file are
/// resolved against the file's directory.
struct TlsServerConfig {
  std::string cert_file;
  std::string key_file;
  /// Empty when the file sets none.
  std::string client_ca_file;
  ClientAuthType client_auth_type = ClientAuthType::kNoClientCert;
  TlsVersion min_version = TlsVersion::kTls12;
};

/// The content of a `--web.config.file`, validated: the schema of the
/// Prometheus exporter-toolkit, without its keys that this exporter does
/// not implement.
struct WebConfig {
  /// nullopt serves plain HTTP.
  std::optional<TlsServerConfig> tls;
  /// bcrypt hashes by user name. Empty turns basic authentication off.
  std::map<std::string, std::string, std::less<>> basic_auth_users;
  /// Extra response headers, in the order of the file.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Parses and validates the text of a web configuration file. `path` names
/// the file in messages and is the base of relative certificate paths.
/// Checks that the certificate files are readable, without parsing them.
/// Every error reads `PATH:LINE:COLUMN: what is wrong; what to write
/// instead`, and never contains a password hash.
Result<WebConfig> ParseWebConfig(std::string_view text,
                                 const std::string& path);

/// Reads `path` and parses it with ParseWebConfig().
Result<WebConfig> LoadWebConfig(const std::string& path);

/// Names a ClientAuthType as the configuration file writes it.
std::string_view ClientAuthTypeName(ClientAuthType type);

}  // namespace dce
