#include "agent/uplink_answer.h"

#include <nlohmann/json.hpp>

#include "common/enums.h"

namespace vigie::agent {
namespace {

using nlohmann::json;

constexpr StatusCode kCodes[] = {StatusCode::kOk,
                                 StatusCode::kInvalidArgument,
                                 StatusCode::kNotFound,
                                 StatusCode::kAlreadyExists,
                                 StatusCode::kPermissionDenied,
                                 StatusCode::kFailedPrecondition,
                                 StatusCode::kUnavailable,
                                 StatusCode::kDataLoss,
                                 StatusCode::kInternal};

json StatusJson(const Status& status) {
  return {{"code", StatusCodeName(status.code())}, {"message", status.message()}};
}

Status StatusOf(const json& value) {
  const std::string name = value.at("code").get<std::string>();
  for (const StatusCode code : kCodes) {
    if (StatusCodeName(code) == name) return {code, value.at("message").get<std::string>()};
  }
  return {StatusCode::kInternal, value.at("message").get<std::string>()};
}

template <typename T, typename Read>
Result<T> Parse(const std::string& text, Read read) {
  const json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return Internal("no answer from vigie-agent-uplink");
  try {
    return read(value);
  } catch (const json::exception& error) {
    return Internal(std::string("unreadable answer from vigie-agent-uplink: ") + error.what());
  }
}

}  // namespace

std::string AnswerJson(const DeliveryOutcome& outcome) {
  json answer = {{"delivered", outcome.delivered},
                 {"refused", outcome.refused},
                 {"unspooledSettled", outcome.unspooled_settled},
                 {"failure", StatusJson(outcome.failure)}};
  if (outcome.last_delivery) {
    const auto& [report_id, delivery] = *outcome.last_delivery;
    answer["lastDelivery"] = {{"reportId", report_id},
                              {"duplicate", delivery.duplicate},
                              {"verdict", EnumName(delivery.verdict.status)},
                              {"reasons", delivery.verdict.reasons}};
  }
  if (outcome.retry_in) answer["retryInMs"] = outcome.retry_in->count();
  return answer.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string AnswerJson(const Status& enrolled) {
  return json{{"enrollment", StatusJson(enrolled)}}.dump(-1, ' ', false,
                                                         json::error_handler_t::replace);
}

Result<DeliveryOutcome> DeliveryAnswer(const std::string& text) {
  return Parse<DeliveryOutcome>(text, [](const json& value) {
    DeliveryOutcome outcome;
    outcome.delivered = value.at("delivered").get<std::int64_t>();
    outcome.refused = value.at("refused").get<std::int64_t>();
    outcome.unspooled_settled = value.at("unspooledSettled").get<bool>();
    outcome.failure = StatusOf(value.at("failure"));
    if (value.contains("lastDelivery")) {
      const json& last = value.at("lastDelivery");
      Delivery delivery;
      delivery.duplicate = last.at("duplicate").get<bool>();
      delivery.verdict.status = ParseEnumName<VerdictStatus>(last.at("verdict").get<std::string>())
                                    .value_or(VerdictStatus::kUnspecified);
      delivery.verdict.reasons = last.at("reasons").get<std::vector<std::string>>();
      outcome.last_delivery = {last.at("reportId").get<std::string>(), delivery};
    }
    if (value.contains("retryInMs")) {
      outcome.retry_in = std::chrono::milliseconds(value.at("retryInMs").get<std::int64_t>());
    }
    return outcome;
  });
}

Status EnrollmentAnswer(const std::string& text) {
  auto enrolled = Parse<std::optional<Status>>(text, [](const json& value) {
    return std::optional<Status>(StatusOf(value.at("enrollment")));
  });
  return enrolled.ok() ? **enrolled : enrolled.status();
}

}  // namespace vigie::agent
