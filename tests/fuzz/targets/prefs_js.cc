// A Mozilla preferences file (Thunderbird's prefs.js).

#include "agent/probes/linux_prefs_js.h"
#include "tests/fuzz/fuzz_target.h"

VIGIE_FUZZ_TARGET(prefs_js) {
  const vigie::agent::PrefsJs prefs = vigie::agent::ParsePrefsJs(data);
  for (const auto& [name, value] : prefs.values) (void)prefs.Find(name);
}
