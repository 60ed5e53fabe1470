// The INI-like files of Linux desktops, in both dialects: GLib key files (GNOME Online Accounts,
// Evolution sources, Thunderbird's profiles.ini) and Qt settings (Nextcloud client).

#include "agent/probes/linux_keyfile.h"
#include "tests/fuzz/fuzz_target.h"

VIGIE_FUZZ_TARGET(keyfile) {
  for (const auto dialect :
       {vigie::agent::KeyFileDialect::kGKeyFile, vigie::agent::KeyFileDialect::kQSettings}) {
    const vigie::agent::KeyFile file = vigie::agent::ParseKeyFile(data, dialect);
    for (const auto& group : file.groups) {
      (void)file.FindGroup(group.name);
      for (const auto& [key, value] : group.entries) (void)group.Find(key);
    }
  }
}
