#include "exporter/listen_address.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

TEST(ListenAddress, ParsesAllInterfaces) {
  const auto address = ParseListenAddress(":9795");
  ASSERT_TRUE(address.ok()) << address.error().message;
  EXPECT_EQ(address.value().host, "");
  EXPECT_EQ(address.value().port, 9795);
}

TEST(ListenAddress, ParsesHostAndIpv6) {
  EXPECT_EQ(ParseListenAddress("127.0.0.1:80").value().host, "127.0.0.1");
  EXPECT_EQ(ParseListenAddress("localhost:0").value().port, 0);
  const auto ipv6 = ParseListenAddress("[::1]:9795");
  ASSERT_TRUE(ipv6.ok());
  EXPECT_EQ(ipv6.value().host, "::1");
  EXPECT_EQ(FormatListenAddress(ipv6.value()), "[::1]:9795");
}

TEST(ListenAddress, RejectsMalformedAddresses) {
  for (const char* text : {"", "9795", "nonsense", ":", ":abc", ":-1", ":65536",
                           "::1:9795", "[::1:9795", "host:80x"}) {
    const auto address = ParseListenAddress(text);
    ASSERT_FALSE(address.ok()) << text;
    EXPECT_NE(address.error().message.find("--web.listen-address"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace dce
