// What the collector does with the bytes of an agent's report before storing it: protobuf
// decoding with its nesting limit, unknown fields dropped, validation (ValidateReport), conversion
// to the model, the doctrine evaluation with derogations and its explanation, and the JSON the
// dashboard serves it as.

#include <google/protobuf/io/coded_stream.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "collector/host_evaluator.h"
#include "collector/report_validator.h"
#include "common/doctrine/engine.h"
#include "common/report_json.h"
#include "common/wire.h"
#include "tests/fuzz/fuzz_target.h"
#include "vigie/v1/inventory.pb.h"
#ifndef VIGIE_LIBFUZZER
#include "collector/agent_service.h"
#endif

namespace {

// The collector's limit: collector/agent_service.h holds it, which the gRPC-free fuzz build cannot
// include; the replay build checks that both agree.
constexpr int kMaxReportNesting = 16;
#ifndef VIGIE_LIBFUZZER
static_assert(kMaxReportNesting == vigie::collector::kMaxReportNesting);
#endif

// Protobuf logs every string field with invalid UTF-8 it refuses; the fuzzer makes thousands a
// second, which slowed the run and buried its report.
[[maybe_unused]] const bool kProtobufQuiet = (google::protobuf::SetLogHandler(nullptr), true);

}  // namespace

VIGIE_FUZZ_TARGET(report_ingest) {
  using namespace std::chrono;
  // A fixed clock: the seed reports were scanned at this time, and an input must give the same
  // outcome on every run to be a usable regression file.
  const vigie::Timestamp now = sys_days{year{2026} / 11 / 20} + hours{12};
  vigie::v1::InventoryReport message;
  google::protobuf::io::CodedInputStream stream(reinterpret_cast<const std::uint8_t*>(data.data()),
                                                static_cast<int>(data.size()));
  stream.SetRecursionLimit(kMaxReportNesting);
  if (!message.ParseFromCodedStream(&stream) || !stream.ConsumedEntireMessage()) return;
  message.DiscardUnknownFields();
  const vigie::collector::JudgingRules rules;
  if (!vigie::collector::ValidateReport(message, *rules.ministries, now).ok()) return;
  const vigie::InventoryReport report = vigie::FromProto(message);
  const vigie::Date today = vigie::collector::Today(now);
  // Derogations of the report's ministry for both derogable services, one limited to an org unit,
  // so that the DEROGATION paths are reached.
  const std::vector<vigie::doctrine::Derogation> derogations = {
      {report.ministry, vigie::ServiceCategory::kMail, "Secrétaire général", "SG-1",
       today - days{30}, today + days{30}, ""},
      {report.ministry, vigie::ServiceCategory::kPersonalDrive, "Secrétaire général", "SG-2",
       today - days{30}, today + days{30}, "DGPN"},
  };
  const vigie::Verdict verdict =
      vigie::collector::MakeHostEvaluator(rules, today)(report, derogations, now, "DGPN");
  (void)vigie::ToProto(verdict).SerializeAsString();
  vigie::doctrine::EvaluationInput input = vigie::doctrine::DefaultInput(report);
  input.derogations = derogations;
  (void)vigie::doctrine::Explain(report, input);
  (void)vigie::ReportToJson(report, false);
}
