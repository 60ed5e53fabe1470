#pragma once

#include <grpcpp/security/credentials.h>
#include <grpcpp/support/status.h>

#include <memory>
#include <string>

#include "agent/uplink.h"
#include "common/status.h"

namespace vigie::agent {

// The channel credentials for `options`: TLS verified against options.ca_file (with the client
// certificate when given), or plain text when options.insecure.
Result<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const UplinkOptions& options);

// gRPC reports a failed handshake without saying why. This connects again with OpenSSL and the
// same CA, and tells what is wrong ("certificate has expired", "the collector serves plain
// text"...). Empty when it finds nothing more precise.
std::string ExplainHandshakeFailure(const UplinkOptions& options);

// The Status of a failed call, with the handshake explained when TLS is what failed.
Status FailureOf(const grpc::Status& status, const UplinkOptions& options);

}  // namespace vigie::agent
