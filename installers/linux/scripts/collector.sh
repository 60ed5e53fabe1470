# Maintainer actions of the vigie-collector package, shared by the .deb and .rpm scripts
# (cmake/VigiePackaging.cmake puts this file between a format's header and its dispatcher).
# Messages are for the DSI's deployment logs, in French.

vigie_collector_config=/etc/vigie/collector.toml
vigie_collector_state=/var/lib/vigie-collector

vigie_systemd_running() {
  [ -d /run/systemd/system ]
}

# A system user of its own: the service never runs as root, and only it reads the database.
vigie_collector_user() {
  getent group vigie-collector >/dev/null || groupadd --system vigie-collector
  getent passwd vigie-collector >/dev/null ||
    useradd --system --gid vigie-collector --home-dir "$vigie_collector_state" --no-create-home \
      --shell /usr/sbin/nologin --comment "Vigie collector" vigie-collector
}

# The value of a `key = "value"` line of the configuration, or nothing.
vigie_collector_setting() {
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" \
    "$vigie_collector_config" 2>/dev/null | tail -n 1
}

# The service starts only once it can serve: TLS certificate and key present, or plain text
# explicitly chosen (insecure = true).
vigie_collector_ready() {
  grep -Eq '^[[:space:]]*insecure[[:space:]]*=[[:space:]]*true' "$vigie_collector_config" 2>/dev/null &&
    return 0
  cert="$(vigie_collector_setting tls-cert)"
  key="$(vigie_collector_setting tls-key)"
  [ -n "$cert" ] && [ -n "$key" ] && [ -f "$cert" ] && [ -f "$key" ]
}

vigie_collector_configure() {
  vigie_collector_user
  install -d -m 0700 -o vigie-collector -g vigie-collector "$vigie_collector_state"
  if ! command -v systemctl >/dev/null 2>&1; then
    echo "vigie-collector : systemd absent : lancez vous-même « vigie-collector serve --config $vigie_collector_config » en tant que vigie-collector."
    return 0
  fi
  [ "$1" = upgrade ] || systemctl enable vigie-collector.service >/dev/null 2>&1 || true
  if ! vigie_collector_ready; then
    echo "vigie-collector : service activé mais pas démarré : placez le certificat et la clé" \
      "nommés par tls-cert et tls-key dans $vigie_collector_config (clé lisible par le groupe" \
      "vigie-collector : chgrp vigie-collector CLÉ ; chmod 0640 CLÉ), puis" \
      "« systemctl start vigie-collector »."
    return 0
  fi
  if ! vigie_systemd_running; then
    echo "vigie-collector : systemd n'est pas actif ici : le service démarrera au prochain démarrage du système."
    return 0
  fi
  systemctl daemon-reload
  if systemctl is-enabled --quiet vigie-collector.service; then
    systemctl restart vigie-collector.service
    echo "vigie-collector : service démarré."
  fi
}

vigie_collector_stop() {
  if command -v systemctl >/dev/null 2>&1 && vigie_systemd_running; then
    systemctl stop vigie-collector.service || true
  fi
}

vigie_collector_disable() {
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable vigie-collector.service >/dev/null 2>&1 || true
  fi
}

vigie_collector_daemon_reload() {
  if command -v systemctl >/dev/null 2>&1 && vigie_systemd_running; then
    systemctl daemon-reload || true
  fi
}

# The database and reports go; the vigie-collector user stays, as Debian's policy asks, since
# files elsewhere (backups) may still belong to it.
vigie_collector_purge() {
  rm -rf "$vigie_collector_state"
  rm -f /etc/systemd/system/multi-user.target.wants/vigie-collector.service
  rmdir /etc/vigie 2>/dev/null || true
}
