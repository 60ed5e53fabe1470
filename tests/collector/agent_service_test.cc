#include "collector/agent_service.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "collector/test_reports.h"
#include "common/wire.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

using ::testing::HasSubstr;

// The real service on a loopback port, with a real store on disk.
class AgentServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_.emplace(std::move(store).value());
    service_ = std::make_unique<AgentServiceImpl>(*store_, JudgingRules{},
                                                  [] { return testing::At(testing::kNowSeconds); });
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.SetMaxReceiveMessageSize(4 * 1024 * 1024);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    stub_ = v1::AgentService::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                          grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  grpc::Status Send(const v1::InventoryReport& report, v1::ReportResponse* response) {
    grpc::ClientContext context;
    v1::ReportRequest request;
    *request.mutable_report() = report;
    return stub_->Report(&context, request, response);
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
  std::unique_ptr<AgentServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AgentService::Stub> stub_;
};

TEST_F(AgentServiceTest, StoresAndEvaluatesAReport) {
  v1::ReportResponse response;
  const grpc::Status status = Send(ToProto(testing::ValidReport()), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.report_id(), testing::ValidReport().report_id);
  EXPECT_FALSE(response.duplicate());
  // The collector's own evaluation: an installed Teams client is to be reviewed.
  EXPECT_EQ(response.verdict().status(), v1::TO_REVIEW);
  EXPECT_EQ(*store_->CountReports(), 1);
}

TEST_F(AgentServiceTest, IgnoresTheAgentsVerdict) {
  InventoryReport report = testing::ValidReport();
  report.verdict = {VerdictStatus::kCompliant, {"trust me"}};
  v1::ReportResponse response;
  ASSERT_TRUE(Send(ToProto(report), &response).ok());
  EXPECT_EQ(response.verdict().status(), v1::TO_REVIEW);
}

TEST_F(AgentServiceTest, DuplicateIsAcknowledged) {
  v1::ReportResponse response;
  ASSERT_TRUE(Send(ToProto(testing::ValidReport()), &response).ok());
  ASSERT_TRUE(Send(ToProto(testing::ValidReport()), &response).ok());
  EXPECT_TRUE(response.duplicate());
  EXPECT_EQ(*store_->CountReports(), 1);
}

TEST_F(AgentServiceTest, BadReportsAreRefusedAndStoreNothing) {
  v1::ReportResponse response;
  v1::InventoryReport no_host = ToProto(testing::ValidReport());
  no_host.mutable_host()->clear_host_id();
  grpc::Status status = Send(no_host, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("report.host.host_id: required"));

  v1::InventoryReport bad_enum = ToProto(testing::ValidReport());
  bad_enum.mutable_evidence(0)->set_kind(static_cast<v1::EvidenceKind>(77));
  status = Send(bad_enum, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("unknown value 77"));

  v1::InventoryReport long_name = ToProto(testing::ValidReport());
  long_name.mutable_host()->set_hostname(std::string(200000, 'x'));
  EXPECT_EQ(Send(long_name, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::InventoryReport unknown_ministry = ToProto(testing::ValidReport());
  unknown_ministry.set_ministry("ZZ");
  EXPECT_EQ(Send(unknown_ministry, &response).error_code(), grpc::StatusCode::NOT_FOUND);

  v1::InventoryReport huge = ToProto(testing::ValidReport());
  huge.mutable_probe_errors()->Add()->set_reason(std::string(5 * 1024 * 1024, 'x'));
  EXPECT_EQ(Send(huge, &response).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  grpc::ClientContext context;
  v1::ReportRequest empty;
  EXPECT_EQ(stub_->Report(&context, empty, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(*store_->CountReports(), 0);
}

TEST_F(AgentServiceTest, EnrollIsNotAvailableYet) {
  grpc::ClientContext context;
  v1::EnrollRequest request;
  v1::EnrollResponse response;
  EXPECT_EQ(stub_->Enroll(&context, request, &response).error_code(),
            grpc::StatusCode::UNIMPLEMENTED);
}

}  // namespace
}  // namespace vigie::collector
