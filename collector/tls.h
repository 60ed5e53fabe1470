#pragma once

#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "collector/settings.h"
#include "common/status.h"

namespace vigie::collector {

// The gRPC server credentials `serve` listens with: TLS from tls-cert and tls-key, mutual TLS
// when tls-client-ca is set, plain text only when `insecure` is set. Every file is read and
// checked now, so a wrong one is named at start-up.
Result<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ServeSettings& settings);

}  // namespace vigie::collector
