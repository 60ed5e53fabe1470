#include "common/status.h"

#include <gtest/gtest.h>

namespace vigie {
namespace {

Status FailsWhen(bool fail) {
  if (fail) return InvalidArgument("bad");
  return Status::Ok();
}

Status Chain(bool fail) {
  VIGIE_RETURN_IF_ERROR(FailsWhen(fail));
  return NotFound("reached the end");
}

TEST(StatusTest, OkByDefault) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(Status().ToString(), "OK");
}

TEST(StatusTest, AnnotatePrefixesContext) {
  const Status status = NotFound("no such file").Annotate("reading /etc/x");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "reading /etc/x: no such file");
  EXPECT_EQ(status.ToString(), "NOT_FOUND: reading /etc/x: no such file");
  EXPECT_TRUE(Status::Ok().Annotate("ignored").ok());
}

TEST(StatusTest, ReturnIfErrorStopsAtFirstError) {
  EXPECT_EQ(Chain(true).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Chain(false).code(), StatusCode::kNotFound);
}

TEST(ResultTest, HoldsValueOrStatus) {
  Result<int> value = 42;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 42);
  EXPECT_TRUE(value.status().ok());

  Result<int> error = Unavailable("down");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(error.status().message(), "down");
}

}  // namespace
}  // namespace vigie
