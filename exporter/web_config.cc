#include "exporter/web_config.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace dce {
namespace {

constexpr std::array<std::pair<std::string_view, ClientAuthType>, 5>
    kClientAuthTypes = {{
        {"NoClientCert", ClientAuthType::kNoClientCert},
        {"RequestClientCert", ClientAuthType::kRequestClientCert},
        {"RequireAnyClientCert", ClientAuthType::kRequireAnyClientCert},
        {"VerifyClientCertIfGiven", ClientAuthType::kVerifyClientCertIfGiven},
        {"RequireAndVerifyClientCert",
         ClientAuthType::kRequireAndVerifyClientCert},
    }};

// Keys of the exporter-toolkit schema that this exporter does not
// implement. They get their own message, since they are not typing errors.
constexpr std::array<std::string_view, 7> kUnsupportedTlsKeys = {
    "cert",
    "key",
    "client_allowed_sans",
    "max_version",
    "cipher_suites",
    "curve_preferences",
    "prefer_server_cipher_suites"};

// The response headers that the file may set, with the values allowed
// where the header has a fixed set of them. Names and values are compared
// case-sensitively. This is the list of the Prometheus exporter-toolkit
// (extraHTTPHeaders in web/handler.go), so that one file serves both.
// Other headers would let the file override what the server itself sends,
// such as Content-Type or WWW-Authenticate.
struct AllowedHeader {
  std::string_view name;
  std::vector<std::string_view> values;
};

const std::vector<AllowedHeader>& AllowedHeaders() {
  static const std::vector<AllowedHeader> headers = {
      {"Content-Security-Policy", {}},
      {"Strict-Transport-Security", {}},
      {"X-Content-Type-Options", {"nosniff"}},
      {"X-Frame-Options", {"deny", "sameorigin"}},
      {"X-XSS-Protection", {}},
  };
  return headers;
}

// The error raised by the helpers below, turned into a Result at the top.
struct WebConfigError {
  std::string message;
};

std::string Location(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) {
    return path;
  }
  return path + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1);
}

std::string Quoted(std::string_view text) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive)
  // about "\"" + std::string(text) at -O3.
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted += '"';
  quoted += text;
  quoted += '"';
  return quoted;
}

// A bcrypt hash as crypt(3) writes it: `$2b$`, a two-digit cost, `$`, and
// 53 characters of salt and digest.
bool IsBcryptHash(std::string_view hash) {
  constexpr std::size_t kBcryptLength = 60;
  if (hash.size() != kBcryptLength) {
    return false;
  }
  const bool known_prefix = hash.starts_with("$2a$") ||
                            hash.starts_with("$2b$") ||
                            hash.starts_with("$2y$");
  return known_prefix && std::isdigit(static_cast<unsigned char>(hash[4])) &&
         std::isdigit(static_cast<unsigned char>(hash[5])) && hash[6] == '$';
}

class Parser {
 public:
  explicit Parser(std::string path) : path_(std::move(path)) {}

  WebConfig Parse(const YAML::Node& root) const;

 private:
  [[noreturn]] void Fail(const YAML::Node& node,
                         const std::string& message) const {
    throw WebConfigError{Location(path_, node.Mark()) + ": " + message};
  }

  // Returns the entries of `map`, whose keys must each appear once and be
  // in `allowed` or in `unsupported`. Keys in `unsupported` belong to the
  // format but are not implemented. The caller rejects them with its own
  // message, so the list of keys to use leaves them out.
  std::vector<std::pair<YAML::Node, YAML::Node>> Entries(
      const YAML::Node& map, const std::vector<std::string_view>& allowed,
      const std::string& where,
      const std::vector<std::string_view>& unsupported = {}) const;
  std::string Scalar(const YAML::Node& key, const YAML::Node& value,
                     const std::string& name) const;
  std::string ReadableFile(const YAML::Node& key, const YAML::Node& value,
                           const std::string& name) const;

  TlsServerConfig ParseTls(const YAML::Node& node) const;
  void ParseUsers(const YAML::Node& node, WebConfig& config) const;
  void ParseHttpServerConfig(const YAML::Node& node, WebConfig& config) const;

  std::string path_;
};

std::vector<std::pair<YAML::Node, YAML::Node>> Parser::Entries(
    const YAML::Node& map, const std::vector<std::string_view>& allowed,
    const std::string& where,
    const std::vector<std::string_view>& unsupported) const {
  std::string names;
  for (const auto name : allowed) {
    names += names.empty() ? "" : ", ";
    names += name;
  }
  if (!map.IsMap()) {
    Fail(map, where + " must be a mapping of keys to values, such as " +
                  std::string(allowed.front()) + ": ...");
  }
  std::vector<std::pair<YAML::Node, YAML::Node>> entries;
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      Fail(key,
           "keys in " + where + " must be plain names; use one of " + names);
    }
    const std::string& name = key.Scalar();
    const bool known =
        std::find(allowed.begin(), allowed.end(), name) != allowed.end() ||
        std::find(unsupported.begin(), unsupported.end(), name) !=
            unsupported.end();
    if (!known) {
      Fail(key, "unknown key " + Quoted(name) + " in " + where +
                    "; use one of " + names);
    }
    if (!seen.insert(name).second) {
      Fail(key, "duplicate key " + Quoted(name) + " in " + where +
                    "; give each key once");
    }
    entries.emplace_back(key, entry.second);
  }
  return entries;
}

std::string Parser::Scalar(const YAML::Node& key, const YAML::Node& value,
                           const std::string& name) const {
  if (value.IsNull()) {
    Fail(key, name + " has no value; give one or remove the key");
  }
  if (!value.IsScalar()) {
    Fail(value, name + " must be a single value, not a list or mapping");
  }
  return value.Scalar();
}

// Resolves a path against the file's directory, as exporter-toolkit does,
// and checks that the process can read it now. The content is checked when
// the server loads it.
std::string Parser::ReadableFile(const YAML::Node& key, const YAML::Node& value,
                                 const std::string& name) const {
  const std::filesystem::path written = Scalar(key, value, name);
  if (written.empty()) {
    Fail(value, name + " is empty; give the path of a PEM file");
  }
  std::filesystem::path resolved = written;
  if (written.is_relative()) {
    resolved = std::filesystem::path(path_).parent_path() / written;
  }
  std::error_code error;
  if (std::filesystem::is_directory(resolved, error)) {
    Fail(value, name + " " + Quoted(resolved.string()) +
                    " is a directory; give the path of a PEM file");
  }
  if (access(resolved.c_str(), R_OK) != 0) {
    Fail(value, name + " " + Quoted(resolved.string()) +
                    " cannot be read: " + std::strerror(errno) +
                    "; give the path of a PEM file that this user can read");
  }
  return resolved.string();
}

TlsServerConfig Parser::ParseTls(const YAML::Node& node) const {
  const std::vector<std::string_view> allowed = {
      "cert_file", "key_file", "client_ca_file", "client_auth_type",
      "min_version"};
  const std::vector<std::string_view> unsupported(kUnsupportedTlsKeys.begin(),
                                                  kUnsupportedTlsKeys.end());

  TlsServerConfig tls;
  YAML::Node client_auth_node;
  for (const auto& [key, value] :
       Entries(node, allowed, "tls_server_config", unsupported)) {
    const std::string& name = key.Scalar();
    const std::string qualified = "tls_server_config." + name;
    if (std::find(kUnsupportedTlsKeys.begin(), kUnsupportedTlsKeys.end(),
                  name) != kUnsupportedTlsKeys.end()) {
      Fail(key, qualified +
                    " is not supported by this exporter; remove it (use "
                    "cert_file, key_file, client_ca_file, client_auth_type "
                    "and min_version)");
    }
    if (name == "cert_file") {
      tls.cert_file = ReadableFile(key, value, qualified);
    } else if (name == "key_file") {
      tls.key_file = ReadableFile(key, value, qualified);
    } else if (name == "client_ca_file") {
      tls.client_ca_file = ReadableFile(key, value, qualified);
    } else if (name == "client_auth_type") {
      const std::string text = Scalar(key, value, qualified);
      const auto* found = std::find_if(
          kClientAuthTypes.begin(), kClientAuthTypes.end(),
          [&text](const auto& entry) { return entry.first == text; });
      if (found == kClientAuthTypes.end()) {
        Fail(value, "invalid " + qualified + " " + Quoted(text) +
                        "; use NoClientCert, RequestClientCert, "
                        "RequireAnyClientCert, VerifyClientCertIfGiven or "
                        "RequireAndVerifyClientCert");
      }
      tls.client_auth_type = found->second;
      client_auth_node = value;
    } else if (name == "min_version") {
      const std::string text = Scalar(key, value, qualified);
      if (text == "TLS12") {
        tls.min_version = TlsVersion::kTls12;
      } else if (text == "TLS13") {
        tls.min_version = TlsVersion::kTls13;
      } else {
        Fail(value, "invalid " + qualified + " " + Quoted(text) +
                        "; use TLS12 or TLS13 (TLS 1.0 and 1.1 are not "
                        "accepted)");
      }
    }
  }

  if (tls.cert_file.empty() || tls.key_file.empty()) {
    Fail(node,
         "tls_server_config needs both cert_file and key_file; add the "
         "missing one, or remove tls_server_config to serve plain HTTP");
  }
  const bool verifies =
      tls.client_auth_type == ClientAuthType::kVerifyClientCertIfGiven ||
      tls.client_auth_type == ClientAuthType::kRequireAndVerifyClientCert;
  if (verifies && tls.client_ca_file.empty()) {
    Fail(client_auth_node,
         "client_auth_type " +
             std::string(ClientAuthTypeName(tls.client_auth_type)) +
             " verifies client certificates, which needs client_ca_file; "
             "add client_ca_file with the CA that signs them");
  }
  if (!verifies && !tls.client_ca_file.empty()) {
    Fail(node, "client_ca_file is set, but client_auth_type " +
                   std::string(ClientAuthTypeName(tls.client_auth_type)) +
                   " does not verify client certificates; set client_auth_type "
                   "to RequireAndVerifyClientCert, or remove client_ca_file");
  }
  return tls;
}

void Parser::ParseUsers(const YAML::Node& node, WebConfig& config) const {
  if (!node.IsMap()) {
    Fail(node,
         "basic_auth_users must be a mapping of user names to bcrypt "
         "hashes, such as prometheus: $2y$10$...");
  }
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    const YAML::Node& value = entry.second;
    if (!key.IsScalar() || key.Scalar().empty()) {
      Fail(key,
           "each user name in basic_auth_users must be a non-empty "
           "plain name");
    }
    const std::string& user = key.Scalar();
    if (user.find(':') != std::string::npos) {
      Fail(key, "user name " + Quoted(user) +
                    " in basic_auth_users contains \":\", which basic "
                    "authentication cannot carry; choose a name without it");
    }
    if (config.basic_auth_users.contains(user)) {
      Fail(key, "duplicate user " + Quoted(user) +
                    " in basic_auth_users; give each user once");
    }
    // The message names the user but never the value, which is a secret.
    const std::string name = "the password hash of user " + Quoted(user);
    const std::string hash = Scalar(key, value, name);
    if (!IsBcryptHash(hash)) {
      Fail(value, name +
                      " is not a bcrypt hash; create one with "
                      "`htpasswd -nbB USER PASSWORD` (Debian package "
                      "apache2-utils) and copy the part after the colon");
    }
    config.basic_auth_users.emplace(user, hash);
  }
}

void Parser::ParseHttpServerConfig(const YAML::Node& node,
                                   WebConfig& config) const {
  for (const auto& [key, value] :
       Entries(node, {"headers"}, "http_server_config", {"http2"})) {
    if (key.Scalar() == "http2") {
      Fail(key,
           "http_server_config.http2 is not supported: this exporter "
           "serves HTTP/1.1 only; remove the key");
    }
    if (value.IsNull()) {
      continue;
    }
    std::vector<std::string_view> names;
    for (const auto& header : AllowedHeaders()) {
      names.push_back(header.name);
    }
    for (const auto& [header_key, header_value] :
         Entries(value, names, "http_server_config.headers")) {
      const std::string& header = header_key.Scalar();
      const std::string text =
          Scalar(header_key, header_value, "header " + header);
      if (text.find_first_of("\r\n") != std::string::npos) {
        Fail(header_value, "the value of header " + header +
                               " contains a line break; write it on one "
                               "line");
      }
      const auto allowed =
          std::find_if(AllowedHeaders().begin(), AllowedHeaders().end(),
                       [&header](const AllowedHeader& entry) {
                         return entry.name == header;
                       });
      if (!allowed->values.empty() &&
          std::none_of(allowed->values.begin(), allowed->values.end(),
                       [&text](std::string_view candidate) {
                         return candidate == text;
                       })) {
        std::string choices;
        for (const auto candidate : allowed->values) {
          choices += choices.empty() ? "" : " or ";
          choices += candidate;
        }
        Fail(header_value, "invalid value " + Quoted(text) + " for header " +
                               header + "; use " + choices);
      }
      config.headers.emplace_back(header, text);
    }
  }
}

WebConfig Parser::Parse(const YAML::Node& root) const {
  WebConfig config;
  // An empty file is a valid configuration that changes nothing, as in
  // exporter-toolkit.
  if (root.IsNull()) {
    return config;
  }
  if (!root.IsMap()) {
    Fail(root,
         "the file must be a mapping of sections such as "
         "tls_server_config: and basic_auth_users:");
  }
  for (const auto& [key, value] :
       Entries(root,
               {"tls_server_config", "basic_auth_users", "http_server_config"},
               "the top level")) {
    const std::string& name = key.Scalar();
    if (value.IsNull()) {
      continue;
    }
    if (name == "tls_server_config") {
      config.tls = ParseTls(value);
    } else if (name == "basic_auth_users") {
      ParseUsers(value, config);
    } else {
      ParseHttpServerConfig(value, config);
    }
  }
  return config;
}

}  // namespace

Result<WebConfig> ParseWebConfig(std::string_view text,
                                 const std::string& path) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    return Parser(path).Parse(root);
  } catch (const WebConfigError& error) {
    return Error{error.message};
  } catch (const YAML::Exception& error) {
    return Error{Location(path, error.mark) + ": invalid YAML: " + error.msg};
  }
}

Result<WebConfig> LoadWebConfig(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Error{path + ": cannot read the web configuration file: " +
                 std::strerror(errno) + "; check --web.config.file"};
  }
  std::ostringstream text;
  text << file.rdbuf();
  return ParseWebConfig(text.str(), path);
}

std::string_view ClientAuthTypeName(ClientAuthType type) {
  for (const auto& [name, value] : kClientAuthTypes) {
    if (value == type) {
      return name;
    }
  }
  return "unknown";
}

}  // namespace dce
