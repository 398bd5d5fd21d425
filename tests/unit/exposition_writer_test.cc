#include "collectors/exposition_writer.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/utf8.h"

namespace dce {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// The text prometheus-cpp's own serializer writes for `families`, which
// the writer must reproduce byte for byte.
std::string SerializedByPrometheusCpp(
    const std::vector<MetricFamily>& families) {
  std::ostringstream stream;
  prometheus::TextSerializer().Serialize(stream, families);
  return stream.str();
}

std::string WrittenByWriter(const std::vector<MetricFamily>& families) {
  std::string text;
  WriteFamilies(SourcesOf(families), text);
  return text;
}

ClientMetric Gauge(double value, std::vector<ClientMetric::Label> labels) {
  ClientMetric sample;
  sample.label = std::move(labels);
  sample.gauge.value = value;
  return sample;
}

TEST(ExpositionWriter, ValuesMatchPrometheusCpp) {
  MetricFamily family{"test_value", "A value.", MetricType::Gauge, {}};
  const double values[] = {0,
                           -0.0,
                           1,
                           -1,
                           2,
                           420,
                           0.25,
                           0.1,
                           1.0 / 3,
                           -2.5e-7,
                           1796400000.5,
                           999999999999999,
                           1e15,
                           1e16,
                           9007199254740993.0,
                           123456789012345678.0,
                           1e20,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity()};
  for (const double value : values) {
    family.metric.push_back(Gauge(value, {}));
  }
  EXPECT_EQ(WrittenByWriter({family}), SerializedByPrometheusCpp({family}));
}

TEST(ExpositionWriter, LabelEscapesMatchPrometheusCpp) {
  MetricFamily family{"test_info", "Labels.", MetricType::Gauge, {}};
  const std::string values[] = {
      "",
      "plain",
      "quote \" inside",
      "back\\slash",
      "new\nline",
      "tab\tand\rreturn",
      "\\\"\n\\n",
      "caf\xC3\xA9 \xF0\x9F\x90\xB3",
      std::string(20000, 'x') + "\"",
  };
  for (const auto& value : values) {
    family.metric.push_back(Gauge(1, {{"a", value}, {"b", "second"}}));
  }
  EXPECT_EQ(WrittenByWriter({family}), SerializedByPrometheusCpp({family}));
}

TEST(ExpositionWriter, CountersAndEmptyFamiliesMatchPrometheusCpp) {
  MetricFamily counter{"test_total", "Events.", MetricType::Counter, {}};
  ClientMetric sample;
  sample.label = {{"action", "start"}};
  sample.counter.value = 12;
  counter.metric.push_back(sample);
  const MetricFamily empty{"test_empty", "No samples.", MetricType::Gauge, {}};
  MetricFamily untyped{"test_untyped", "Untyped.", MetricType::Untyped, {}};
  ClientMetric untyped_sample;
  untyped_sample.untyped.value = 7;
  untyped.metric.push_back(untyped_sample);

  const std::vector<MetricFamily> families = {empty, counter, untyped};
  EXPECT_EQ(WrittenByWriter(families), SerializedByPrometheusCpp(families));
}

TEST(ExpositionWriter, WritesFamiliesInNameOrder) {
  const std::vector<MetricFamily> families = {
      {"b_metric", "B.", MetricType::Gauge, {Gauge(2, {})}},
      {"a_metric", "A.", MetricType::Gauge, {Gauge(1, {})}},
      {"c_metric", "C.", MetricType::Gauge, {Gauge(3, {})}},
  };
  const std::string text = WrittenByWriter(families);
  const auto a = text.find("a_metric 1\n");
  const auto b = text.find("b_metric 2\n");
  const auto c = text.find("c_metric 3\n");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
}

TEST(ExpositionWriter, EscapesHelpText) {
  std::string text;
  ExpositionWriter writer(text);
  writer.BeginFamily("test_value", "One\\two\nthree \"quoted\"",
                     MetricType::Gauge);
  EXPECT_EQ(text,
            "# HELP test_value One\\\\two\\nthree \"quoted\"\n"
            "# TYPE test_value gauge\n");
}

TEST(ExpositionWriter, WritesNanAsPrometheusSpellsIt) {
  std::string text;
  ExpositionWriter writer(text);
  writer.BeginFamily("test_value", "A value.", MetricType::Gauge);
  writer.Sample(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(text.substr(text.find("test_value NaN")), "test_value NaN\n");
}

TEST(ExpositionWriter, ReplacesInvalidUtf8InLabelValues) {
  std::string text;
  ExpositionWriter writer(text);
  writer.BeginFamily("test_info", "Labels.", MetricType::Gauge);
  writer.Sample({{"user", "bad\xFF\"name"}}, 1);
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_NE(text.find("test_info{user=\"bad\xEF\xBF\xBD\\\"name\"} 1\n"),
            std::string::npos)
      << text;
}

TEST(ExpositionWriter, RejectsSummaries) {
  std::string text;
  ExpositionWriter writer(text);
  EXPECT_THROW(writer.BeginFamily("test_summary", "S.", MetricType::Summary),
               std::invalid_argument);
  EXPECT_TRUE(text.empty());
}

}  // namespace
}  // namespace dce
