#include "collector/host_evaluator.h"

namespace vigie::collector {

HostEvaluator MakeHostEvaluator(const doctrine::Policy& policy, Date date) {
  return [&policy, date](const InventoryReport& report,
                         const std::vector<doctrine::Derogation>& derogations) {
    doctrine::EvaluationInput input;
    input.policy = &policy;
    input.ministry = report.ministry;
    input.derogations = derogations;
    input.date = date;
    return doctrine::Evaluate(report, input);
  };
}

Date Today(Timestamp now) { return std::chrono::floor<std::chrono::days>(now); }

}  // namespace vigie::collector
