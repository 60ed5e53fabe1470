#pragma once

#include <string>

#include "agent/deliverer.h"
#include "common/status.h"

namespace vigie::agent {

// What `vigie-agent-uplink` prints on its standard output for the `vigie-agent` that ran it:
// one JSON object, the outcome of the pass or of the enrollment. Its logs go to the shared log.
std::string AnswerJson(const DeliveryOutcome& outcome);
std::string AnswerJson(const Status& enrolled);

// Reads an answer back; an error when the text is not one (the uplink died mid-way).
Result<DeliveryOutcome> DeliveryAnswer(const std::string& text);
// The enrollment's status, or why the answer could not be read.
Status EnrollmentAnswer(const std::string& text);

}  // namespace vigie::agent
