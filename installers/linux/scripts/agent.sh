# Maintainer actions of the vigie-agent package, shared by the .deb and .rpm scripts (cmake/
# VigiePackaging.cmake puts this file between a format's header and its dispatcher). Messages
# are for the DSI's deployment logs, in French.
#
# Settings at install time (docs/deployment.md):
#   VIGIE_COLLECTOR=HOST:PORT   the collector to enroll with (else `collector` in agent.toml)
#   VIGIE_ENROLL_TOKEN=TOKEN    an enrollment token (else `token` in agent.toml); never written
#   VIGIE_CA_FILE=PATH          the CA the collector's certificate chains to, copied to
#                               /etc/vigie/tls/ca.pem (the `ca` of the default agent.toml)

vigie_agent_config=/etc/vigie/agent.toml
vigie_agent_state=/var/lib/vigie-agent
vigie_agent_ca=/etc/vigie/tls/ca.pem

vigie_systemd_running() {
  [ -d /run/systemd/system ]
}

vigie_agent_enrolled() {
  [ -f "$vigie_agent_state/identity.toml" ]
}

# Whether the configuration file holds an enrollment token (an uncommented `token = ...`).
vigie_agent_config_has_token() {
  [ -f "$vigie_agent_config" ] && grep -Eq '^[[:space:]]*token[[:space:]]*=' "$vigie_agent_config"
}

vigie_agent_install_ca() {
  [ -n "${VIGIE_CA_FILE:-}" ] || return 0
  if [ ! -r "$VIGIE_CA_FILE" ]; then
    echo "vigie-agent : VIGIE_CA_FILE=$VIGIE_CA_FILE est illisible : aucune AC installée." >&2
    return 1
  fi
  install -d -m 0755 "$(dirname "$vigie_agent_ca")"
  install -m 0644 "$VIGIE_CA_FILE" "$vigie_agent_ca"
  echo "vigie-agent : AC du collecteur installée dans $vigie_agent_ca."
}

# Enrolls when the agent has no identity yet and a token is given (environment or file). The
# token goes on the command line of one short process only; it is never written to disk.
vigie_agent_enroll() {
  if vigie_agent_enrolled; then
    [ -z "${VIGIE_ENROLL_TOKEN:-}" ] ||
      echo "vigie-agent : déjà enrôlé ($vigie_agent_state/identity.toml) : VIGIE_ENROLL_TOKEN ignoré."
    return 0
  fi
  if [ -z "${VIGIE_COLLECTOR:-}" ] && [ -z "${VIGIE_ENROLL_TOKEN:-}" ] &&
    ! vigie_agent_config_has_token; then
    return 0
  fi
  set -- enroll --config "$vigie_agent_config" --state-dir "$vigie_agent_state"
  [ -z "${VIGIE_COLLECTOR:-}" ] || set -- "$@" --collector "$VIGIE_COLLECTOR"
  [ -z "${VIGIE_ENROLL_TOKEN:-}" ] || set -- "$@" --token "$VIGIE_ENROLL_TOKEN"
  if ! vigie-agent "$@"; then
    echo "vigie-agent : l'enrôlement a échoué (raison ci-dessus). Le paquet reste à configurer :" \
      "corrigez puis relancez la configuration avec les mêmes variables" \
      "(dpkg --configure vigie-agent, ou réinstallez le paquet rpm)." >&2
    return 1
  fi
}

# agent.toml may hold the enrollment token and the pseudonym key. The package ships it 0640
# root:root; a file an administrator preseeded, or an earlier version left, readable by every
# user is made so too.
vigie_agent_protect_config() {
  [ -f "$vigie_agent_config" ] || return 0
  [ -n "$(find "$vigie_agent_config" -perm /o=rwx)" ] || return 0
  chmod o= "$vigie_agent_config"
  echo "vigie-agent : $vigie_agent_config n'est plus lisible par tous les utilisateurs" \
    "(il peut contenir le jeton d'enrôlement)."
}

vigie_agent_configure() {
  install -d -m 0700 "$vigie_agent_state"
  vigie_agent_protect_config
  vigie_agent_install_ca
  vigie_agent_enroll
  if ! command -v systemctl >/dev/null 2>&1; then
    echo "vigie-agent : systemd absent : lancez vous-même « vigie-agent run --config $vigie_agent_config »."
    return 0
  fi
  [ "$1" = upgrade ] || systemctl enable vigie-agent.service >/dev/null 2>&1 || true
  if ! vigie_systemd_running; then
    echo "vigie-agent : systemd n'est pas actif ici : le service démarrera au prochain démarrage du système."
    return 0
  fi
  systemctl daemon-reload
  if ! vigie_agent_enrolled; then
    echo "vigie-agent : installé mais pas enrôlé : le service ne démarrera qu'enrôlé." \
      "Lancez « vigie-agent enroll --collector HÔTE:PORT --token JETON » puis" \
      "« systemctl start vigie-agent »."
  elif systemctl is-enabled --quiet vigie-agent.service; then
    systemctl restart vigie-agent.service
    echo "vigie-agent : service démarré."
  fi
}

vigie_agent_stop() {
  if command -v systemctl >/dev/null 2>&1 && vigie_systemd_running; then
    systemctl stop vigie-agent.service || true
  fi
}

vigie_agent_disable() {
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable vigie-agent.service >/dev/null 2>&1 || true
  fi
}

vigie_agent_daemon_reload() {
  if command -v systemctl >/dev/null 2>&1 && vigie_systemd_running; then
    systemctl daemon-reload || true
  fi
}

# Everything the agent made: identity, secret, pseudonym key, spool, the installed CA.
vigie_agent_purge() {
  rm -rf "$vigie_agent_state"
  rm -f "$vigie_agent_ca" /etc/systemd/system/multi-user.target.wants/vigie-agent.service
  rmdir /etc/vigie/tls /etc/vigie 2>/dev/null || true
}
