#include "collector/agent_service.h"

#include <gmock/gmock.h>
#include <google/protobuf/unknown_field_set.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <future>

#include "collector/raw_sql.h"
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
    auto registry = AgentRegistry::Open(dir_ / "collector.db");
    ASSERT_TRUE(registry.ok()) << registry.status().ToString();
    registry_.emplace(std::move(registry).value());
    FailureLimiter::Options limits;
    limits.max_failures = 3;
    const auto clock = [this] { return testing::At(testing::kNowSeconds) + clock_offset_; };
    auto writer = IngestWriter::Start(dir_ / "collector.db", rules_, clock);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    writer_ = std::move(writer).value();
    service_ = std::make_unique<AgentServiceImpl>(*registry_, *writer_, rules_, clock, limits);
    int port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    ConfigureAgentServer(builder);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::AgentService::NewStub(channel_);
    const std::string token = Token("MI");
    ASSERT_TRUE(EnrollWith(token, "host-a", &agent_).ok());
  }
  void TearDown() override { server_->Shutdown(); }

  std::string Token(const std::string& ministry, TokenRequest request = {}) {
    request.ministry = ministry;
    auto issued = registry_->CreateToken(request, "test", testing::At(testing::kNowSeconds));
    EXPECT_TRUE(issued.ok());
    return issued->token;
  }

  grpc::Status EnrollWith(const std::string& token, const std::string& host_id,
                          v1::EnrollResponse* response) {
    grpc::ClientContext context;
    v1::EnrollRequest request;
    request.set_token(token);
    request.mutable_host()->set_host_id(host_id);
    request.mutable_host()->set_hostname("pc-" + host_id);
    return stub_->Enroll(&context, request, response);
  }

  grpc::Status SendAs(const v1::EnrollResponse& agent, const v1::InventoryReport& report,
                      v1::ReportResponse* response, grpc::ClientContext* context = nullptr) {
    grpc::ClientContext local;
    if (!context) context = &local;
    context->AddMetadata(kAgentIdMetadata, agent.agent_id());
    context->AddMetadata(kAgentSecretMetadata, agent.agent_secret());
    v1::ReportRequest request;
    *request.mutable_report() = report;
    return stub_->Report(context, request, response);
  }

  grpc::Status Send(const v1::InventoryReport& report, v1::ReportResponse* response) {
    return SendAs(agent_, report, response);
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
  std::optional<AgentRegistry> registry_;
  v1::EnrollResponse agent_;
  std::chrono::seconds clock_offset_{0};
  JudgingRules rules_;
  std::unique_ptr<IngestWriter> writer_;
  std::unique_ptr<AgentServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
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

  v1::EnrollResponse unknown_ministry_agent;
  ASSERT_TRUE(EnrollWith(Token("ZZ"), "host-z", &unknown_ministry_agent).ok());
  v1::InventoryReport unknown_ministry = ToProto(testing::ValidReport());
  unknown_ministry.set_ministry("ZZ");
  EXPECT_EQ(SendAs(unknown_ministry_agent, unknown_ministry, &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::InventoryReport huge = ToProto(testing::ValidReport());
  huge.mutable_probe_errors()->Add()->set_reason(std::string(5 * 1024 * 1024, 'x'));
  EXPECT_EQ(Send(huge, &response).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  grpc::ClientContext context;
  context.AddMetadata(kAgentIdMetadata, agent_.agent_id());
  context.AddMetadata(kAgentSecretMetadata, agent_.agent_secret());
  v1::ReportRequest empty;
  EXPECT_EQ(stub_->Report(&context, empty, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  EXPECT_EQ(*store_->CountReports(), 0);
}

TEST_F(AgentServiceTest, EnrollmentGivesTheTokensMinistryAndOrgUnit) {
  TokenRequest request;
  request.org_unit = "dgfip/paris";
  v1::EnrollResponse agent;
  ASSERT_TRUE(EnrollWith(Token("MEFSIN", request), "host-b", &agent).ok());
  EXPECT_EQ(agent.ministry(), "MEFSIN");
  EXPECT_EQ(agent.org_unit(), "dgfip/paris");
  EXPECT_EQ(agent.agent_secret().size(), 64u);
  EXPECT_NE(agent.agent_id(), agent_.agent_id());

  // A report without a ministry gets the agent's.
  v1::InventoryReport report =
      ToProto(testing::ValidReport("aaaaaaaa-2222-4333-8444-555555555555", "host-b", "MEFSIN"));
  report.clear_ministry();
  v1::ReportResponse response;
  ASSERT_TRUE(SendAs(agent, report, &response).ok());
  auto counts = store_->CountHostsByMinistry();
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0].ministry, "MEFSIN");
}

TEST_F(AgentServiceTest, ReportForAnotherMinistryIsRefusedAndStoresNothing) {
  v1::InventoryReport report = ToProto(testing::ValidReport());
  report.set_ministry("MEFSIN");
  v1::ReportResponse response;
  const grpc::Status status = Send(report, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(),
            "report.ministry: this agent is enrolled in MI and cannot report for MEFSIN");
  EXPECT_EQ(*store_->CountReports(), 0);
}

TEST_F(AgentServiceTest, ReportsNeedAnEnrolledAgent) {
  v1::ReportResponse response;
  grpc::ClientContext anonymous;
  v1::ReportRequest request;
  *request.mutable_report() = ToProto(testing::ValidReport());
  grpc::Status status = stub_->Report(&anonymous, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("enrolled agents only"));

  v1::EnrollResponse forged = agent_;
  forged.set_agent_secret(std::string(64, '0'));
  status = SendAs(forged, ToProto(testing::ValidReport()), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("or wrong secret: enroll again"));
  EXPECT_EQ(*store_->CountReports(), 0);
}

TEST_F(AgentServiceTest, ReenrollingKeepsTheAgentAndRetiresTheOldSecret) {
  v1::EnrollResponse again;
  ASSERT_TRUE(EnrollWith(Token("MI"), "host-a", &again).ok());
  EXPECT_EQ(again.agent_id(), agent_.agent_id());
  EXPECT_NE(again.agent_secret(), agent_.agent_secret());
  v1::ReportResponse response;
  EXPECT_EQ(SendAs(agent_, ToProto(testing::ValidReport()), &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(SendAs(again, ToProto(testing::ValidReport()), &response).ok());
}

TEST_F(AgentServiceTest, UnusableTokensAreRefusedClearly) {
  v1::EnrollResponse response;
  grpc::Status status = EnrollWith("vigie-enroll-nonsense", "host-x", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "unknown enrollment token");

  TokenRequest once;
  once.max_uses = 1;
  const std::string single = Token("MI", once);
  ASSERT_TRUE(EnrollWith(single, "host-x", &response).ok());
  status = EnrollWith(single, "host-y", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("has been used 1 time(s), its limit"));

  TokenRequest short_lived;
  short_lived.expires_in_days = 1;
  const std::string expiring = Token("MI", short_lived);
  clock_offset_ = std::chrono::hours(25);
  status = EnrollWith(expiring, "host-y", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("expired on 2026-11-19"));
}

TEST_F(AgentServiceTest, RevokedTokenIsRefused) {
  const std::string token = Token("MI");
  auto tokens = registry_->ListTokens("MI");
  ASSERT_TRUE(tokens.ok());
  ASSERT_TRUE(
      registry_->RevokeToken(tokens->back().id, "test", testing::At(testing::kNowSeconds)).ok());
  v1::EnrollResponse response;
  const grpc::Status status = EnrollWith(token, "host-r", &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("was revoked on 2026-11-18"));
}

TEST_F(AgentServiceTest, RepeatedFailuresAreRateLimited) {
  v1::EnrollResponse response;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(EnrollWith("vigie-enroll-guess", "host-x", &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::ClientContext context;
  v1::EnrollRequest request;
  request.set_token(Token("MI"));
  request.mutable_host()->set_host_id("host-x");
  const grpc::Status status = stub_->Enroll(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("too many failed attempts"));
  const auto& trailers = context.GetServerTrailingMetadata();
  const auto retry = trailers.find(kRetryAfterMetadata);
  ASSERT_NE(retry, trailers.end());
  EXPECT_GT(std::stoi(std::string(retry->second.data(), retry->second.size())), 0);
}

// Hostile input over the real service: request bytes as an attacker or a broken agent may send
// them. Each is refused with a status naming the field, and nothing is stored.
struct HostileCase {
  const char* name;
  std::function<std::string()> request;  // the request's protobuf bytes
  grpc::StatusCode code;
  const char* message;
};

void PrintTo(const HostileCase& test, std::ostream* out) { *out << test.name; }

std::string RequestWith(const std::function<void(v1::InventoryReport&)>& damage) {
  v1::ReportRequest request;
  *request.mutable_report() = ToProto(testing::ValidReport());
  damage(*request.mutable_report());
  return request.SerializeAsString();
}

google::protobuf::Timestamp Seconds(std::int64_t seconds) {
  google::protobuf::Timestamp time;
  time.set_seconds(seconds);
  return time;
}

class HostileReportTest : public AgentServiceTest,
                          public ::testing::WithParamInterface<HostileCase> {
 protected:
  grpc::Status SendBytes(const std::string& bytes) {
    grpc::GenericStub generic(channel_);
    grpc::ClientContext context;
    context.AddMetadata(kAgentIdMetadata, agent_.agent_id());
    context.AddMetadata(kAgentSecretMetadata, agent_.agent_secret());
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    generic.UnaryCall(&context, "/vigie.v1.AgentService/Report", grpc::StubOptions(), &request,
                      &response, [&done](grpc::Status status) { done.set_value(status); });
    return done.get_future().get();
  }
};

TEST_P(HostileReportTest, IsRefusedNamingTheFieldAndStoresNothing) {
  const grpc::Status status = SendBytes(GetParam().request());
  EXPECT_EQ(status.error_code(), GetParam().code) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr(GetParam().message));
  EXPECT_EQ(*store_->CountReports(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HostileReportTest,
    ::testing::Values(
        HostileCase{"Oversized",
                    [] {
                      return RequestWith([](auto& r) {
                        r.add_probe_errors()->set_reason(std::string(kMaxReportRequestBytes, 'x'));
                      });
                    },
                    grpc::StatusCode::RESOURCE_EXHAUSTED, "larger than max"},
        HostileCase{"Truncated",
                    [] {
                      const std::string bytes = RequestWith([](auto&) {});
                      return bytes.substr(0, bytes.size() - 3);
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "request: not a valid vigie.v1.ReportRequest"},
        HostileCase{"NestedUnknownGroups",
                    [] {
                      return RequestWith([](v1::InventoryReport& r) {
                        auto* level = r.GetReflection()->MutableUnknownFields(&r);
                        for (int i = 0; i < 200; ++i) level = level->AddGroup(1000);
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT, "nested deeper than 16 levels"},
        HostileCase{"RepeatedEvidenceOverTheCap",
                    [] {
                      return RequestWith([](auto& r) {
                        for (int i = 0; i < 5000; ++i) *r.add_evidence() = r.evidence(0);
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "report.evidence: 5001 items, more than the 4096 allowed"},
        HostileCase{"RepeatedReasonsOverTheCap",
                    [] {
                      return RequestWith([](auto& r) {
                        for (int i = 0; i < 600; ++i) r.mutable_verdict()->add_reasons("x");
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT, "report.verdict.reasons: 600 items"},
        HostileCase{"InvalidUtf8Tenant",
                    [] {
                      return RequestWith(
                          [](auto& r) { r.mutable_evidence(0)->set_tenant("contoso\xff.fr"); });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "String field 'vigie.v1.Evidence.tenant' contains invalid UTF-8 data"},
        HostileCase{"InvalidUtf8Hostname",
                    [] {
                      return RequestWith(
                          [](auto& r) { r.mutable_host()->set_hostname("pc-\xed\xa0\x80"); });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "String field 'vigie.v1.HostIdentity.hostname' contains invalid UTF-8"},
        HostileCase{"UnknownServiceEnum",
                    [] {
                      return RequestWith([](auto& r) {
                        r.mutable_evidence(0)->set_service(static_cast<v1::ServiceCategory>(99));
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "report.evidence[0].service: unknown value 99"},
        HostileCase{"UnknownLicenceModel",
                    [] {
                      return RequestWith([](auto& r) {
                        auto* install = r.add_office_installs();
                        install->set_product_id("O365ProPlusRetail");
                        install->set_license_model(static_cast<v1::LicenseModel>(-5));
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "report.office_installs[0].license_model: unknown value -5"},
        HostileCase{"AbsurdCounter",
                    [] {
                      // -1 from a broken agent arrives as the largest uint32.
                      return RequestWith(
                          [](auto& r) { r.mutable_evidence(0)->set_count(0xffffffffu); });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "report.evidence[0].count: 4294967295, more than the 10000000 allowed"},
        HostileCase{"FarFutureScan",
                    [] {
                      return RequestWith([](auto& r) {
                        *r.mutable_scan_finished() = Seconds(testing::kNowSeconds + 10 * 31557600);
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT, "report.scan_finished: in the future"},
        HostileCase{"LargestTimestamp",
                    [] {
                      return RequestWith([](auto& r) {
                        *r.mutable_scan_finished() =
                            Seconds(std::numeric_limits<std::int64_t>::max());
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT, "report.scan_finished: in the future"},
        HostileCase{"FarPastScan",
                    [] {
                      return RequestWith([](auto& r) {
                        *r.mutable_scan_started() = Seconds(-62135596800);  // year 1
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT, "report.scan_started: before 2020"},
        HostileCase{
            "NegativeNanos",
            [] { return RequestWith([](auto& r) { r.mutable_scan_finished()->set_nanos(-1); }); },
            grpc::StatusCode::INVALID_ARGUMENT, "report.scan_finished: invalid nanoseconds"},
        HostileCase{"FutureLastSeen",
                    [] {
                      return RequestWith([](auto& r) {
                        *r.mutable_evidence(0)->mutable_last_seen() =
                            Seconds(testing::kNowSeconds + 400 * 86400);
                      });
                    },
                    grpc::StatusCode::INVALID_ARGUMENT,
                    "report.evidence[0].last_seen: in the future"},
        HostileCase{"ControlCharactersInReportId",
                    [] { return RequestWith([](auto& r) { r.set_report_id("id\x01"); }); },
                    grpc::StatusCode::INVALID_ARGUMENT, "report.report_id: must be"}));

TEST_F(AgentServiceTest, UnknownFieldsAreNotStored) {
  v1::ReportRequest request;
  *request.mutable_report() = ToProto(testing::ValidReport());
  request.mutable_report()
      ->GetReflection()
      ->MutableUnknownFields(request.mutable_report())
      ->AddLengthDelimited(900, "canary-unknown-field");
  grpc::ClientContext context;
  context.AddMetadata(kAgentIdMetadata, agent_.agent_id());
  context.AddMetadata(kAgentSecretMetadata, agent_.agent_secret());
  v1::ReportResponse response;
  ASSERT_TRUE(stub_->Report(&context, request, &response).ok());
  EXPECT_THAT(testing::QueryColumn(dir_ / "collector.db",
                                   "SELECT instr(payload, 'canary-unknown-field') FROM reports"),
              ::testing::ElementsAre("0"));
}

}  // namespace
}  // namespace vigie::collector
