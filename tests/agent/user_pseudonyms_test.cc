#include "agent/user_pseudonyms.h"

#include <gtest/gtest.h>

namespace vigie::agent {
namespace {

TEST(UserPseudonymsTest, StableForOneKeyAndCaseInsensitive) {
  const UserPseudonyms users("key-1");
  EXPECT_EQ(users.Of("Alice"), users.Of("alice"));
  EXPECT_NE(users.Of("alice"), users.Of("bob"));
  EXPECT_EQ(users.Of("alice").size(), 18u);
  EXPECT_EQ(users.Of("alice").substr(0, 2), "u-");
}

TEST(UserPseudonymsTest, AnotherKeyGivesUnlinkablePseudonyms) {
  EXPECT_NE(UserPseudonyms("key-1").Of("alice"), UserPseudonyms("key-2").Of("alice"));
  EXPECT_EQ(UserPseudonyms("key-1").Of("alice").find("alice"), std::string::npos);
}

}  // namespace
}  // namespace vigie::agent
