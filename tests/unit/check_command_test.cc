#include "exporter/check_command.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

namespace dce {
namespace {

TEST(TerminalProgress, RewritesOneLineAndClearsIt) {
  std::ostringstream terminal;
  TerminalProgress progress(terminal);
  progress.Update(1, 3);
  EXPECT_EQ(terminal.str(), "\r\x1b[Kinspected 1 of 3 containers");

  progress.Finish();
  EXPECT_EQ(terminal.str(), "\r\x1b[Kinspected 1 of 3 containers\r\x1b[K");
}

TEST(TerminalProgress, ThrottlesButShowsTheLast) {
  std::ostringstream terminal;
  TerminalProgress progress(terminal);
  progress.Update(1, 3);
  progress.Update(2, 3);
  progress.Update(3, 3);
  EXPECT_EQ(terminal.str(),
            "\r\x1b[Kinspected 1 of 3 containers"
            "\r\x1b[Kinspected 3 of 3 containers")
      << "the second update came within 100 ms and is left out; the last "
         "one is always written";
}

TEST(TerminalProgress, WritesNothingWithoutContainers) {
  std::ostringstream terminal;
  TerminalProgress progress(terminal);
  progress.Finish();
  EXPECT_EQ(terminal.str(), "");
}

}  // namespace
}  // namespace dce
