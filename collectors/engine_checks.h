#pragma once

#include "collectors/check_context.h"
#include "collectors/checks.h"

namespace dce {

// One function per engine check of the CIS Docker Benchmark v1.6.0, named
// after the check's key. Each is pure: it reads the documents in the
// context and returns an outcome with a reason naming the deciding value.

// The daemon's configuration, in engine_daemon_checks.cc.
CheckResult CheckRootless(const EngineContext& context);            // 2.1
CheckResult CheckIccDisabled(const EngineContext& context);         // 2.2
CheckResult CheckInsecureRegistries(const EngineContext& context);  // 2.5
CheckResult CheckAufs(const EngineContext& context);                // 2.6
CheckResult CheckUsernsRemap(const EngineContext& context);         // 2.9
CheckResult CheckAuthzPlugin(const EngineContext& context);         // 2.12
CheckResult CheckRemoteLogging(const EngineContext& context);       // 2.13
CheckResult CheckLiveRestore(const EngineContext& context);         // 2.15
CheckResult CheckExperimental(const EngineContext& context);        // 2.18

// Swarm mode, in engine_swarm_checks.cc.
CheckResult CheckSwarmDisabled(const EngineContext& context);     // 5.1
CheckResult CheckOverlayEncrypted(const EngineContext& context);  // 7.3
CheckResult CheckAutolock(const EngineContext& context);          // 7.5
CheckResult CheckNodeCertExpiry(const EngineContext& context);    // 7.7

}  // namespace dce
