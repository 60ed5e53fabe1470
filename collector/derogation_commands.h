#pragma once

#include <cstdint>
#include <string>

#include "collector/host_evaluator.h"
#include "collector/store.h"
#include "common/doctrine/policy.h"
#include "common/ministries.h"
#include "common/status.h"

namespace vigie::collector {

// What `vigie-collector derogation add` is given, as typed.
struct DerogationRequest {
  std::string ministry;
  std::string service;
  std::string granted_by;
  std::string reference;
  std::string from;
  std::string until;
  std::string org_unit;  // Empty: the whole ministry.
};

// Checks a request against the doctrine and the ministry list, with an error that says what to
// change (a non-derogable service quotes the doctrine rule).
Result<doctrine::Derogation> CheckDerogationRequest(const DerogationRequest& request,
                                                    const doctrine::Policy& policy,
                                                    const MinistryList& ministries);

// Records the derogation and re-evaluates the ministry's hosts at once. Returns the French text
// to print: the derogation, overlaps with others of the same ministry and service, and how many
// verdicts changed.
Result<std::string> AddDerogation(Store& store, const doctrine::Derogation& derogation,
                                  const JudgingRules& rules, const std::string& actor,
                                  Timestamp now);

// Revokes a derogation and re-evaluates the hosts of its ministry; returns the text to print.
Result<std::string> RevokeDerogation(Store& store, std::int64_t id, const JudgingRules& rules,
                                     const std::string& actor, Timestamp now);

// The register as a French table, or as JSON.
std::string DerogationsToText(const std::vector<DerogationRecord>& records, Date today);
std::string DerogationsToJson(const std::vector<DerogationRecord>& records, Date today);

// Who runs this command, for the register's record: the user behind sudo, else the user.
std::string CurrentActor();

}  // namespace vigie::collector
