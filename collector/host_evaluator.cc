#include "collector/host_evaluator.h"

namespace vigie::collector {

HostEvaluator MakeHostEvaluator(const JudgingRules& rules, Date date) {
  return [rules, date](const InventoryReport& report,
                       const std::vector<doctrine::Derogation>& derogations, Timestamp last_seen) {
    doctrine::EvaluationInput input;
    input.policy = rules.policy;
    input.ministry = report.ministry;
    input.derogations = derogations;
    input.tenants = rules.ministries->tenants();
    input.date = date;
    input.last_report = Today(last_seen);
    input.stale_after_days = rules.stale_after_days;
    return doctrine::Evaluate(report, input);
  };
}

Date Today(Timestamp now) { return std::chrono::floor<std::chrono::days>(now); }

}  // namespace vigie::collector
