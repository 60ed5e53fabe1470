#include "common/crypto.h"

#include <gtest/gtest.h>

namespace vigie {
namespace {

TEST(CryptoTest, Sha256OfKnownInput) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// RFC 4231, test case 2.
TEST(CryptoTest, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, RandomHexHasTheAskedSizeAndVaries) {
  auto first = RandomHex(16);
  auto second = RandomHex(16);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->size(), 32u);
  EXPECT_NE(*first, *second);
}

}  // namespace
}  // namespace vigie
