#include "collector/users.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collector/store.h"
#include "collector/test_reports.h"
#include "collector/user_commands.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using testing::At;
using ::testing::HasSubstr;
using testing::kNowSeconds;

constexpr const char* kPassword = "un mot de passe long";

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto users = UserDirectory::Open(dir_ / "collector.db");
    ASSERT_TRUE(users.ok()) << users.status().message();
    users_.emplace(std::move(users).value());
  }

  static User Make(std::string name, Role role, std::string ministry = "") {
    User user;
    user.name = std::move(name);
    user.role = role;
    user.ministry = std::move(ministry);
    return user;
  }

  testing::TempDir dir_;
  std::optional<UserDirectory> users_;
};

TEST_F(UsersTest, AuthenticatesWithThePasswordOnly) {
  ASSERT_TRUE(users_->Add(Make("alice", Role::kMinistry, "MI"), kPassword, At(kNowSeconds)).ok());
  auto good = users_->Authenticate("alice", kPassword);
  ASSERT_TRUE(good.ok());
  ASSERT_TRUE(good->has_value());
  EXPECT_EQ((*good)->role, Role::kMinistry);
  EXPECT_EQ((*good)->ministry, "MI");
  auto wrong = users_->Authenticate("alice", "un autre mot de passe");
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->has_value());
  auto unknown = users_->Authenticate("bob", kPassword);
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
}

TEST_F(UsersTest, StoresOnlyAnArgon2idHash) {
  ASSERT_TRUE(users_->Add(Make("alice", Role::kAdmin), kPassword, At(kNowSeconds)).ok());
  sqlite::Database::Options options;
  options.read_only = true;
  auto db = sqlite::Database::Open(dir_ / "collector.db", options, StoreMigrations());
  ASSERT_TRUE(db.ok());
  auto query = db->Prepare("SELECT password_hash FROM users");
  ASSERT_TRUE(query.ok());
  ASSERT_TRUE(*query->Step());
  EXPECT_THAT(query->ColumnText(0), HasSubstr("$argon2id$"));
  EXPECT_THAT(query->ColumnText(0), ::testing::Not(HasSubstr(kPassword)));
}

TEST_F(UsersTest, RefusesBadAccounts) {
  EXPECT_THAT(users_->Add(Make("Alice Martin", Role::kAdmin), kPassword, At(kNowSeconds)).message(),
              HasSubstr("must be 1 to 64 characters"));
  EXPECT_THAT(users_->Add(Make("alice", Role::kAdmin), "court", At(kNowSeconds)).message(),
              HasSubstr("at least 12 characters"));
  EXPECT_THAT(users_->Add(Make("alice", Role::kMinistry), kPassword, At(kNowSeconds)).message(),
              HasSubstr("needs --ministry"));
  EXPECT_THAT(users_->Add(Make("alice", Role::kInterministerial, "MI"), kPassword, At(kNowSeconds))
                  .message(),
              HasSubstr("only a ministry account"));
  ASSERT_TRUE(users_->Add(Make("alice", Role::kAdmin), kPassword, At(kNowSeconds)).ok());
  const Status again = users_->Add(Make("alice", Role::kAdmin), kPassword, At(kNowSeconds));
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
}

TEST_F(UsersTest, CommandsCheckRoleAndMinistry) {
  const MinistryList& ministries = MinistryList::BuiltIn();
  auto bad_role = AddUser(*users_, {"alice", "chef", ""}, ministries, kPassword, At(kNowSeconds));
  EXPECT_THAT(bad_role.status().message(), HasSubstr("'chef' is not a role"));
  auto bad_ministry =
      AddUser(*users_, {"alice", "ministry", "NOPE"}, ministries, kPassword, At(kNowSeconds));
  EXPECT_EQ(bad_ministry.status().code(), StatusCode::kNotFound);
  auto added =
      AddUser(*users_, {"alice", "ministry", "MI"}, ministries, kPassword, At(kNowSeconds));
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_THAT(*added, HasSubstr("alice"));
  auto list = ListUsers(*users_);
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(*list, HasSubstr("ministry (MI)"));
  EXPECT_EQ(RemoveUser(*users_, "bob").status().code(), StatusCode::kNotFound);
}

TEST_F(UsersTest, ReadsThePasswordFromAPipe) {
  const std::string path = dir_.Write("password", "un mot de passe long\nreste\n");
  std::FILE* in = std::fopen(path.c_str(), "r");
  ASSERT_NE(in, nullptr);
  auto password = ReadPassword(in);
  std::fclose(in);
  ASSERT_TRUE(password.ok());
  EXPECT_EQ(*password, kPassword);
  const std::string empty = dir_.Write("empty", "");
  std::FILE* none = std::fopen(empty.c_str(), "r");
  ASSERT_NE(none, nullptr);
  EXPECT_THAT(ReadPassword(none).status().message(), HasSubstr("no password given"));
  std::fclose(none);
}

TEST_F(UsersTest, TokensActAsTheirUserUntilRevokedOrRemoved) {
  ASSERT_TRUE(users_->Add(Make("robot", Role::kMinistry, "MI"), kPassword, At(kNowSeconds)).ok());
  EXPECT_EQ(users_->CreateToken("nobody", "x", At(kNowSeconds)).status().code(),
            StatusCode::kNotFound);
  auto token = users_->CreateToken("robot", "export nocturne", At(kNowSeconds));
  ASSERT_TRUE(token.ok());
  EXPECT_THAT(*token, ::testing::StartsWith("vigie_"));
  auto user = users_->AuthenticateToken(*token);
  ASSERT_TRUE(user.ok() && user->has_value());
  EXPECT_EQ((*user)->name, "robot");
  auto forged = users_->AuthenticateToken("vigie_" + std::string(64, '0'));
  ASSERT_TRUE(forged.ok());
  EXPECT_FALSE(forged->has_value());

  auto tokens = users_->ListTokens();
  ASSERT_TRUE(tokens.ok());
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ(tokens->front().label, "export nocturne");
  ASSERT_TRUE(users_->RevokeToken(tokens->front().id).ok());
  EXPECT_FALSE(users_->AuthenticateToken(*token)->has_value());
  EXPECT_EQ(users_->RevokeToken(tokens->front().id).code(), StatusCode::kNotFound);

  auto second = users_->CreateToken("robot", "autre", At(kNowSeconds));
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(users_->Remove("robot").ok());
  EXPECT_FALSE(users_->AuthenticateToken(*second)->has_value());
  EXPECT_EQ(users_->Remove("robot").code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace vigie::collector
