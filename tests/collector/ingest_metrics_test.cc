// Ingest counters through the real service and interceptor over loopback gRPC, rendered in the
// Prometheus text format and parsed back.
#include "collector/ingest_metrics.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "collector/agent_service.h"
#include "collector/ingest_interceptor.h"
#include "collector/test_reports.h"
#include "common/wire.h"
#include "prometheus_text.h"
#include "temp_dir.h"

namespace vigie::collector {
namespace {

class IngestMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_ / "collector.db");
    ASSERT_TRUE(store.ok());
    store_.emplace(std::move(store).value());
    auto registry = AgentRegistry::Open(dir_ / "collector.db");
    ASSERT_TRUE(registry.ok());
    registry_.emplace(std::move(registry).value());
    const auto clock = [] { return testing::At(testing::kNowSeconds); };
    auto writer = IngestWriter::Start(dir_ / "collector.db", JudgingRules{}, clock);
    ASSERT_TRUE(writer.ok());
    writer_ = std::move(writer).value();
    service_ = std::make_unique<AgentServiceImpl>(*registry_, *writer_, JudgingRules{}, clock);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
    creators.push_back(std::make_unique<IngestMetricsInterceptorFactory>(metrics_));
    builder.experimental().SetInterceptorCreators(std::move(creators));
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    stub_ = v1::AgentService::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                          grpc::InsecureChannelCredentials()));
    TokenRequest request;
    request.ministry = "MI";
    auto token = registry_->CreateToken(request, "test", testing::At(testing::kNowSeconds));
    ASSERT_TRUE(token.ok());
    grpc::ClientContext context;
    v1::EnrollRequest enroll;
    enroll.set_token(token->token);
    enroll.mutable_host()->set_host_id("host-a");
    ASSERT_TRUE(stub_->Enroll(&context, enroll, &agent_).ok());
  }
  void TearDown() override { server_->Shutdown(); }

  grpc::Status Send(const InventoryReport& report, bool authenticated = true) {
    grpc::ClientContext context;
    if (authenticated) {
      context.AddMetadata(kAgentIdMetadata, agent_.agent_id());
      context.AddMetadata(kAgentSecretMetadata, agent_.agent_secret());
    }
    v1::ReportRequest request;
    *request.mutable_report() = ToProto(report);
    v1::ReportResponse response;
    return stub_->Report(&context, request, &response);
  }

  testing::TempDir dir_;
  IngestMetrics metrics_;
  std::optional<Store> store_;
  std::optional<AgentRegistry> registry_;
  v1::EnrollResponse agent_;
  std::unique_ptr<IngestWriter> writer_;
  std::unique_ptr<AgentServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::AgentService::Stub> stub_;
};

TEST_F(IngestMetricsTest, CountsStoredDuplicateAndRefusedReportsWithTheirLatency) {
  ASSERT_TRUE(Send(testing::ValidReport("r1", "host-a")).ok());
  ASSERT_TRUE(Send(testing::ValidReport("r2", "host-a")).ok());
  ASSERT_TRUE(Send(testing::ValidReport("r2", "host-a")).ok());
  InventoryReport no_host = testing::ValidReport("r3", "");
  EXPECT_EQ(Send(no_host).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Send(testing::ValidReport("r4", "host-a", "MEFSIN")).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Send(testing::ValidReport("r5", "host-a"), false).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  std::string text;
  metrics_.Render(text);
  std::string error;
  const auto samples = testing::ParsePrometheusText(text, error);
  ASSERT_EQ(error, "") << text;
  EXPECT_EQ(samples.at("vigie_ingest_reports_received_total"), 6);
  EXPECT_EQ(samples.at("vigie_ingest_reports_stored_total"), 2);
  EXPECT_EQ(samples.at("vigie_ingest_reports_duplicate_total"), 1);
  EXPECT_EQ(samples.at("vigie_ingest_reports_refused_total{reason=\"invalid_argument\"}"), 1);
  EXPECT_EQ(samples.at("vigie_ingest_reports_refused_total{reason=\"permission_denied\"}"), 1);
  EXPECT_EQ(samples.at("vigie_ingest_reports_refused_total{reason=\"unauthenticated\"}"), 1);
  EXPECT_EQ(samples.at("vigie_ingest_duration_seconds_count"), 6);
  EXPECT_EQ(samples.at("vigie_ingest_duration_seconds_bucket{le=\"+Inf\"}"), 6);
  EXPECT_GT(samples.at("vigie_ingest_duration_seconds_sum"), 0);
  // Buckets are cumulative.
  EXPECT_LE(samples.at("vigie_ingest_duration_seconds_bucket{le=\"0.001\"}"),
            samples.at("vigie_ingest_duration_seconds_bucket{le=\"1\"}"));
  // Enrollments are not reports.
  EXPECT_EQ(*store_->CountReports(), 2);
}

TEST(PrometheusTextTest, RefusesMalformedLines) {
  std::string error;
  testing::ParsePrometheusText("metric{a=\"1\" 3\n", error);
  EXPECT_NE(error, "");
  error.clear();
  testing::ParsePrometheusText("metric twelve\n", error);
  EXPECT_NE(error, "");
}

}  // namespace
}  // namespace vigie::collector
