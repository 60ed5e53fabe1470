#include "collector/host_evaluator.h"

namespace vigie::collector {

HostEvaluator MakeHostEvaluator(const JudgingRules& rules, Date date) {
  return [rules, date](const InventoryReport& report,
                       const std::vector<doctrine::Derogation>& derogations, Timestamp last_seen,
                       const std::string& org_unit) {
    const Ministry* ministry = rules.ministries->Find(report.ministry);
    std::vector<std::string> lineage =
        ministry ? ministry->LineageOf(org_unit) : std::vector<std::string>{};
    // A unit the configuration no longer describes is still the host's own.
    if (lineage.empty() && !org_unit.empty()) lineage.push_back(org_unit);
    doctrine::EvaluationInput input;
    input.org_units = lineage;
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
