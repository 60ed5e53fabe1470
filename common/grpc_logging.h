#pragma once

namespace vigie {

// Sends gRPC's own log lines to the default spdlog logger at debug level. Vigie reports every
// failure itself through statuses; gRPC's lines are detail for `--log-level debug`, and must not
// reach stderr unbidden ahead of the one-line error a command promises.
void RouteGrpcLogsToSpdlog();

}  // namespace vigie
