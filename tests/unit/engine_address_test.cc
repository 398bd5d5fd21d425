#include "collectors/engine_address.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

TEST(EngineAddress, ParsesUnixSocket) {
  const auto address = ParseEngineAddress("unix:///var/run/docker.sock");
  ASSERT_TRUE(address.ok()) << address.error().message;
  EXPECT_EQ(address.value().transport, EngineAddress::Transport::kUnix);
  EXPECT_EQ(address.value().socket_path, "/var/run/docker.sock");
  EXPECT_EQ(address.value().original, "unix:///var/run/docker.sock");
}

TEST(EngineAddress, ParsesTcpWithPort) {
  const auto address = ParseEngineAddress("tcp://127.0.0.1:2376");
  ASSERT_TRUE(address.ok()) << address.error().message;
  EXPECT_EQ(address.value().transport, EngineAddress::Transport::kTcp);
  EXPECT_EQ(address.value().base_url, "http://127.0.0.1:2376");
}

TEST(EngineAddress, AddsDefaultPortToTcp) {
  EXPECT_EQ(ParseEngineAddress("tcp://localhost").value().base_url,
            "http://localhost:2375");
  EXPECT_EQ(ParseEngineAddress("tcp://[::1]").value().base_url,
            "http://[::1]:2375");
  EXPECT_EQ(ParseEngineAddress("tcp://[::1]:2376/").value().base_url,
            "http://[::1]:2376");
}

TEST(EngineAddress, RejectsOtherSchemesAndRelativePaths) {
  for (const char* text :
       {"", "/var/run/docker.sock", "ftp://x", "ssh://user@host",
        "npipe:////./pipe/docker_engine", "unix://relative.sock", "unix://",
        "tcp://", "tcp://host:2375/path"}) {
    const auto address = ParseEngineAddress(text);
    ASSERT_FALSE(address.ok()) << text;
    EXPECT_NE(address.error().message.find("unix://"), std::string::npos)
        << "the error should show the accepted forms";
  }
}

TEST(EngineAddress, RejectsInvalidTcpPortsAndCredentials) {
  for (const char* text :
       {"tcp://127.0.0.1:99999", "tcp://127.0.0.1:0",
        "tcp://127.0.0.1:", "tcp://127.0.0.1:http", "tcp://::1:2375",
        "tcp://user:secret@127.0.0.1:2375"}) {
    EXPECT_FALSE(ParseEngineAddress(text).ok()) << text;
  }
}

TEST(EngineAddress, RejectsSocketPathTooLongForSockaddr) {
  const std::string longest = "/" + std::string(106, 'a');
  EXPECT_TRUE(ParseEngineAddress("unix://" + longest).ok());
  EXPECT_FALSE(ParseEngineAddress("unix://" + longest + "a").ok());
}

TEST(ParseEngineAddress, TlsUsesHttpsAndTheTlsPort) {
  const EngineTls tls{"/certs/ca.pem", "", ""};
  const auto address = ParseEngineAddress("tcp://localhost", tls);
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address.value().base_url, "https://localhost:2376");
  ASSERT_TRUE(address.value().tls.has_value());
  EXPECT_EQ(address.value().tls->ca_file, "/certs/ca.pem");
  EXPECT_EQ(ParseEngineAddress("tcp://localhost:2377", tls).value().base_url,
            "https://localhost:2377");
  EXPECT_FALSE(ParseEngineAddress("unix:///run/docker.sock", tls).value().tls);
}

}  // namespace
}  // namespace dce
