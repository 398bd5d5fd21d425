#include "exporter/web_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace dce {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kHash =
    "$2y$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW";

// A directory holding web.yml's neighbours cert.pem, key.pem and ca.pem,
// whose content the parser does not read.
class WebConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        (fs::temp_directory_path() / "web-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    for (const char* name : {"cert.pem", "key.pem", "ca.pem"}) {
      std::ofstream(directory_ / name) << "PEM\n";
    }
    fs::create_directory(directory_ / "subdirectory");
  }

  void TearDown() override { fs::remove_all(directory_); }

  Result<WebConfig> Parse(const std::string& text) const {
    return ParseWebConfig(text, Path());
  }

  std::string ErrorOf(const std::string& text) const {
    const auto parsed = Parse(text);
    if (parsed) {
      return "(no error)";
    }
    return parsed.error().message;
  }

  std::string Path() const { return (directory_ / "web.yml").string(); }

  fs::path directory_;
};

TEST_F(WebConfigTest, EmptyFileChangesNothing) {
  const auto parsed = Parse("");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_FALSE(parsed.value().tls);
  EXPECT_TRUE(parsed.value().basic_auth_users.empty());
  EXPECT_TRUE(parsed.value().headers.empty());
}

TEST_F(WebConfigTest, FullFileParses) {
  const auto parsed = Parse(
      "tls_server_config:\n"
      "  cert_file: cert.pem\n"
      "  key_file: " +
      (directory_ / "key.pem").string() +
      "\n"
      "  client_ca_file: ca.pem\n"
      "  client_auth_type: RequireAndVerifyClientCert\n"
      "  min_version: TLS13\n"
      "basic_auth_users:\n"
      "  prometheus: " +
      kHash +
      "\n"
      "http_server_config:\n"
      "  headers:\n"
      "    X-Frame-Options: deny\n"
      "    Strict-Transport-Security: max-age=31536000\n");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const WebConfig& config = parsed.value();
  ASSERT_TRUE(config.tls);
  EXPECT_EQ(config.tls->cert_file, (directory_ / "cert.pem").string());
  EXPECT_EQ(config.tls->key_file, (directory_ / "key.pem").string());
  EXPECT_EQ(config.tls->client_ca_file, (directory_ / "ca.pem").string());
  EXPECT_EQ(config.tls->client_auth_type,
            ClientAuthType::kRequireAndVerifyClientCert);
  EXPECT_EQ(config.tls->min_version, TlsVersion::kTls13);
  ASSERT_EQ(config.basic_auth_users.size(), 1U);
  EXPECT_EQ(config.basic_auth_users.at("prometheus"), kHash);
  ASSERT_EQ(config.headers.size(), 2U);
  EXPECT_EQ(config.headers[0].first, "X-Frame-Options");
  EXPECT_EQ(config.headers[0].second, "deny");
  EXPECT_EQ(config.headers[1].first, "Strict-Transport-Security");
}

TEST_F(WebConfigTest, TlsDefaults) {
  const auto parsed =
      Parse("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_TRUE(parsed.value().tls);
  EXPECT_EQ(parsed.value().tls->client_auth_type,
            ClientAuthType::kNoClientCert);
  EXPECT_EQ(parsed.value().tls->min_version, TlsVersion::kTls12);
  EXPECT_TRUE(parsed.value().tls->client_ca_file.empty());
}

TEST_F(WebConfigTest, EveryClientAuthTypeParses) {
  for (const auto type :
       {ClientAuthType::kNoClientCert, ClientAuthType::kRequestClientCert,
        ClientAuthType::kRequireAnyClientCert,
        ClientAuthType::kVerifyClientCertIfGiven,
        ClientAuthType::kRequireAndVerifyClientCert}) {
    const bool verifies = type == ClientAuthType::kVerifyClientCertIfGiven ||
                          type == ClientAuthType::kRequireAndVerifyClientCert;
    const auto parsed = Parse(
        "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n" +
        std::string(verifies ? "  client_ca_file: ca.pem\n" : "") +
        "  client_auth_type: " + std::string(ClientAuthTypeName(type)) + "\n");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed.value().tls->client_auth_type, type);
  }
}

struct ErrorCase {
  const char* name;
  const char* text;
  const char* message;
};

// Every validation error that does not name a path of the test directory,
// with the position it names and its full text. "web.yml" stands for the
// file's full path.
const ErrorCase kErrorCases[] = {
    {"InvalidYaml", "tls_server_config: [\n",
     "web.yml:2:1: invalid YAML: end of sequence flow not found"},
    {"TopLevelNotMapping", "- a\n",
     "web.yml:1:1: the file must be a mapping of sections such as "
     "tls_server_config: and basic_auth_users:"},
    {"UnknownTopLevelKey", "tls_config:\n  cert_file: a\n",
     "web.yml:1:1: unknown key \"tls_config\" in the top level; use one of "
     "tls_server_config, basic_auth_users, http_server_config"},
    {"DuplicateTopLevelKey", "basic_auth_users: {}\nbasic_auth_users: {}\n",
     "web.yml:2:1: duplicate key \"basic_auth_users\" in the top level; give "
     "each key once"},
    {"TlsNotMapping", "tls_server_config: yes\n",
     "web.yml:1:20: tls_server_config must be a mapping of keys to values, "
     "such as cert_file: ..."},
    {"UnknownTlsKey",
     "tls_server_config:\n  cert_file: cert.pem\n  certfile: cert.pem\n",
     "web.yml:3:3: unknown key \"certfile\" in tls_server_config; use one of "
     "cert_file, key_file, client_ca_file, client_auth_type, min_version"},
    {"UnsupportedTlsKey", "tls_server_config:\n  cipher_suites: [a]\n",
     "web.yml:2:3: tls_server_config.cipher_suites is not supported by this "
     "exporter; remove it (use cert_file, key_file, client_ca_file, "
     "client_auth_type and min_version)"},
    {"MissingKeyFile", "tls_server_config:\n  cert_file: cert.pem\n",
     "web.yml:2:3: tls_server_config needs both cert_file and key_file; add "
     "the missing one, or remove tls_server_config to serve plain HTTP"},
    {"CertFileWithoutValue",
     "tls_server_config:\n  cert_file:\n  key_file: key.pem\n",
     "web.yml:2:3: tls_server_config.cert_file has no value; give one or "
     "remove the key"},
    {"CertFileList", "tls_server_config:\n  cert_file: [a, b]\n",
     "web.yml:2:14: tls_server_config.cert_file must be a single value, not "
     "a list or mapping"},
    {"CertFileEmpty", "tls_server_config:\n  cert_file: \"\"\n",
     "web.yml:2:14: tls_server_config.cert_file is empty; give the path of a "
     "PEM file"},
    {"InvalidClientAuthType",
     "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
     "  client_auth_type: RequireClientCert\n",
     "web.yml:4:21: invalid tls_server_config.client_auth_type "
     "\"RequireClientCert\"; use NoClientCert, RequestClientCert, "
     "RequireAnyClientCert, VerifyClientCertIfGiven or "
     "RequireAndVerifyClientCert"},
    {"VerificationWithoutCa",
     "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
     "  client_auth_type: RequireAndVerifyClientCert\n",
     "web.yml:4:21: client_auth_type RequireAndVerifyClientCert verifies "
     "client certificates, which needs client_ca_file; add client_ca_file "
     "with the CA that signs them"},
    {"CaWithoutVerification",
     "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
     "  client_ca_file: ca.pem\n",
     "web.yml:2:3: client_ca_file is set, but client_auth_type NoClientCert "
     "does not verify client certificates; set client_auth_type to "
     "RequireAndVerifyClientCert, or remove client_ca_file"},
    {"OldMinVersion",
     "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
     "  min_version: TLS11\n",
     "web.yml:4:16: invalid tls_server_config.min_version \"TLS11\"; use "
     "TLS12 or TLS13 (TLS 1.0 and 1.1 are not accepted)"},
    {"UsersNotMapping", "basic_auth_users: [prometheus]\n",
     "web.yml:1:19: basic_auth_users must be a mapping of user names to "
     "bcrypt hashes, such as prometheus: $2y$10$..."},
    {"UserNameNotScalar", "basic_auth_users:\n  [a]: b\n",
     "web.yml:2:3: each user name in basic_auth_users must be a non-empty "
     "plain name"},
    {"UserNameWithColon", "basic_auth_users:\n  \"a:b\": x\n",
     "web.yml:2:3: user name \"a:b\" in basic_auth_users contains \":\", "
     "which basic authentication cannot carry; choose a name without it"},
    {"DuplicateUser",
     "basic_auth_users:\n"
     "  a: $2y$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW\n"
     "  a: $2y$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW\n",
     "web.yml:3:3: duplicate user \"a\" in basic_auth_users; give each user "
     "once"},
    {"UserWithoutHash", "basic_auth_users:\n  prometheus:\n",
     "web.yml:2:3: the password hash of user \"prometheus\" has no value; "
     "give one or remove the key"},
    {"PlainPassword", "basic_auth_users:\n  prometheus: hunter2\n",
     "web.yml:2:15: the password hash of user \"prometheus\" is not a bcrypt "
     "hash; create one with `htpasswd -nbB USER PASSWORD` (Debian package "
     "apache2-utils) and copy the part after the colon"},
    {"Sha512Hash",
     "basic_auth_users:\n  prometheus: $6$salt$0123456789012345678901234567"
     "8901234567890123456789012\n",
     "web.yml:2:15: the password hash of user \"prometheus\" is not a bcrypt "
     "hash; create one with `htpasswd -nbB USER PASSWORD` (Debian package "
     "apache2-utils) and copy the part after the colon"},
    {"UnknownHttpServerKey", "http_server_config:\n  header: {}\n",
     "web.yml:2:3: unknown key \"header\" in http_server_config; use one of "
     "headers"},
    {"Http2", "http_server_config:\n  http2: false\n",
     "web.yml:2:3: http_server_config.http2 is not supported: this exporter "
     "serves HTTP/1.1 only; remove the key"},
    {"ReservedHeader",
     "http_server_config:\n  headers:\n    Content-Type: text/html\n",
     "web.yml:3:5: unknown key \"Content-Type\" in "
     "http_server_config.headers; use one of Content-Security-Policy, "
     "Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, "
     "X-XSS-Protection"},
    {"AuthenticateHeader",
     "http_server_config:\n  headers:\n    WWW-Authenticate: Basic\n",
     "web.yml:3:5: unknown key \"WWW-Authenticate\" in "
     "http_server_config.headers; use one of Content-Security-Policy, "
     "Strict-Transport-Security, X-Content-Type-Options, X-Frame-Options, "
     "X-XSS-Protection"},
    {"InvalidFrameOptions",
     "http_server_config:\n  headers:\n    X-Frame-Options: allow\n",
     "web.yml:3:22: invalid value \"allow\" for header X-Frame-Options; use "
     "deny or sameorigin"},
    {"InvalidContentTypeOptions",
     "http_server_config:\n  headers:\n    X-Content-Type-Options: sniff\n",
     "web.yml:3:29: invalid value \"sniff\" for header "
     "X-Content-Type-Options; use nosniff"},
    {"HeaderLineBreak",
     "http_server_config:\n  headers:\n"
     "    Content-Security-Policy: \"a\\r\\nSet-Cookie: b\"\n",
     "web.yml:3:30: the value of header Content-Security-Policy contains a "
     "line break; write it on one line"},
    {"HeaderList",
     "http_server_config:\n  headers:\n    X-XSS-Protection: [a]\n",
     "web.yml:3:23: header X-XSS-Protection must be a single value, not a "
     "list or mapping"},
};

class WebConfigErrorTest : public WebConfigTest,
                           public ::testing::WithParamInterface<ErrorCase> {};

TEST_P(WebConfigErrorTest, NamesPositionAndFix) {
  std::string expected = GetParam().message;
  expected.replace(0, std::string("web.yml").size(), Path());
  EXPECT_EQ(ErrorOf(GetParam().text), expected);
}

INSTANTIATE_TEST_SUITE_P(Errors, WebConfigErrorTest,
                         ::testing::ValuesIn(kErrorCases),
                         [](const auto& test_case) {
                           return test_case.param.name;
                         });

// A response header in http_server_config.headers, and a value for it.
struct HeaderCase {
  const char* name;
  const char* value;
};

std::string HeaderFile(const HeaderCase& header) {
  return std::string("http_server_config:\n  headers:\n    ") + header.name +
         ": \"" + header.value + "\"\n";
}

// The headers and values that the exporter-toolkit accepts.
class AcceptedHeaderTest : public WebConfigTest,
                           public ::testing::WithParamInterface<HeaderCase> {};

TEST_P(AcceptedHeaderTest, IsKept) {
  const auto parsed = Parse(HeaderFile(GetParam()));
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed.value().headers.size(), 1U);
  EXPECT_EQ(parsed.value().headers[0].first, GetParam().name);
  EXPECT_EQ(parsed.value().headers[0].second, GetParam().value);
}

constexpr HeaderCase kAcceptedHeaders[] = {
    {"Content-Security-Policy", "default-src 'self'"},
    {"Strict-Transport-Security", "max-age=31536000"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "deny"},
    {"X-Frame-Options", "sameorigin"},
    {"X-XSS-Protection", "1; mode=block"},
};

INSTANTIATE_TEST_SUITE_P(Headers, AcceptedHeaderTest,
                         ::testing::ValuesIn(kAcceptedHeaders));

// Headers outside the exporter-toolkit's list, names in another case, and
// values outside a header's fixed set, which the toolkit compares
// case-sensitively too.
class RejectedHeaderTest : public WebConfigTest,
                           public ::testing::WithParamInterface<HeaderCase> {};

TEST_P(RejectedHeaderTest, IsAnError) {
  const auto parsed = Parse(HeaderFile(GetParam()));
  ASSERT_FALSE(parsed) << GetParam().name << ": " << GetParam().value;
  EXPECT_THAT(parsed.error().message, HasSubstr(GetParam().name));
}

constexpr HeaderCase kRejectedHeaders[] = {
    {"Access-Control-Allow-Origin", "*"},
    {"Cache-Control", "no-store"},
    {"Content-Type", "text/html"},
    {"Permissions-Policy", "camera=()"},
    {"Referrer-Policy", "no-referrer"},
    {"Server", "nginx"},
    {"Set-Cookie", "a=b"},
    {"WWW-Authenticate", "Basic"},
    {"x-frame-options", "deny"},
    {"content-security-policy", "default-src 'self'"},
    {"X-Frame-Options", "DENY"},
    {"X-Frame-Options", "allow-from https://example.com"},
    {"X-Content-Type-Options", "NoSniff"},
};

INSTANTIATE_TEST_SUITE_P(Headers, RejectedHeaderTest,
                         ::testing::ValuesIn(kRejectedHeaders));

TEST_F(WebConfigTest, MissingCertFileNamesPathAndFix) {
  const std::string message = ErrorOf(
      "tls_server_config:\n  cert_file: missing.pem\n  key_file: key.pem\n");
  EXPECT_EQ(message, Path() + ":2:14: tls_server_config.cert_file \"" +
                         (directory_ / "missing.pem").string() +
                         "\" cannot be read: No such file or directory; give "
                         "the path of a PEM file that this user can read");
}

TEST_F(WebConfigTest, DirectoryAsKeyFileIsRejected) {
  const std::string message = ErrorOf(
      "tls_server_config:\n  cert_file: cert.pem\n  key_file: subdirectory\n");
  EXPECT_EQ(message, Path() + ":3:13: tls_server_config.key_file \"" +
                         (directory_ / "subdirectory").string() +
                         "\" is a directory; give the path of a PEM file");
}

TEST_F(WebConfigTest, MissingCaFileIsRejected) {
  const std::string message = ErrorOf(
      "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
      "  client_ca_file: /nonexistent/ca.pem\n"
      "  client_auth_type: RequireAndVerifyClientCert\n");
  EXPECT_THAT(message, HasSubstr(":4:19: tls_server_config.client_ca_file "
                                 "\"/nonexistent/ca.pem\" cannot be read"));
}

TEST_F(WebConfigTest, ErrorNeverContainsHash) {
  const std::string message =
      ErrorOf("basic_auth_users:\n  prometheus: $2y$04$tooshort\n");
  EXPECT_THAT(message, HasSubstr("is not a bcrypt hash"));
  EXPECT_THAT(message, Not(HasSubstr("tooshort")));
}

TEST_F(WebConfigTest, LoadMissingFileNamesFlag) {
  const auto loaded = LoadWebConfig((directory_ / "absent.yml").string());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            (directory_ / "absent.yml").string() +
                ": cannot read the web configuration file: No such file or "
                "directory; check --web.config.file");
}

TEST_F(WebConfigTest, LoadReadsFile) {
  std::ofstream(Path()) << "basic_auth_users:\n  prometheus: " << kHash << "\n";
  const auto loaded = LoadWebConfig(Path());
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded.value().basic_auth_users.size(), 1U);
}

}  // namespace
}  // namespace dce
