#include "collector/failure_limiter.h"

#include <gtest/gtest.h>

namespace vigie::collector {
namespace {

using std::chrono::seconds;

TEST(FailureLimiterTest, BlocksAfterTheLimitUntilTheWindowMoves) {
  FailureLimiter::Options options;
  options.max_failures = 2;
  options.window = seconds(60);
  FailureLimiter limiter(options);
  const auto t0 = FailureLimiter::Clock::time_point{};
  limiter.RecordFailure("ipv4:10.0.0.1", t0);
  EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.1", t0 + seconds(1)));
  limiter.RecordFailure("ipv4:10.0.0.1", t0 + seconds(10));
  EXPECT_EQ(limiter.Blocked("ipv4:10.0.0.1", t0 + seconds(20)), seconds(40));
  EXPECT_FALSE(limiter.Blocked("ipv4:10.0.0.2", t0 + seconds(20)));
  EXPECT_EQ(limiter.Blocked("ipv4:10.0.0.1", t0 + seconds(61)), std::nullopt);
}

TEST(FailureLimiterTest, MemoryIsBounded) {
  FailureLimiter::Options options;
  options.max_failures = 1;
  options.max_peers = 2;
  FailureLimiter limiter(options);
  const auto t0 = FailureLimiter::Clock::time_point{};
  limiter.RecordFailure("a", t0);
  limiter.RecordFailure("b", t0);
  limiter.RecordFailure("c", t0);
  EXPECT_TRUE(limiter.Blocked("c", t0));
  EXPECT_FALSE(limiter.Blocked("a", t0));
}

TEST(FailureLimiterTest, PeerAddressDropsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:10.1.2.3:51234"), "ipv4:10.1.2.3");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:51234"), "ipv6:[::1]");
  EXPECT_EQ(PeerAddress("unix:"), "unix:");
}

}  // namespace
}  // namespace vigie::collector
