// Vigie dashboard. Every string from the API is put in the page with text nodes only (never as
// markup): host names and other agent-supplied strings are hostile by assumption.
import { reportsPage } from './rapports.js';

const state = { session: null, vocabulary: null };

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json' };
  if (options.body) headers['Content-Type'] = 'application/json';
  if (options.method && options.method !== 'GET' && state.session) {
    headers['X-CSRF-Token'] = state.session.csrfToken;
  }
  const response = await fetch('api/v1/' + path, {
    method: options.method || 'GET',
    headers,
    body: options.body ? JSON.stringify(options.body) : undefined,
    credentials: 'same-origin',
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, body && body.error ? body.error.message : `Erreur ${response.status}.`);
  }
  return body;
}

const verdictLabel = (name) =>
  (state.vocabulary.verdicts.find((v) => v.name === name) || { label: name }).label;
const serviceLabel = (name) =>
  (state.vocabulary.services.find((s) => s.name === name) || { label: name }).label;
const kindLabel = (name) =>
  (state.vocabulary.evidenceKinds.find((k) => k.name === name) || { label: name }).label;
const number = (n) => Number(n).toLocaleString('fr-FR');
const percent = (part, total) => (total ? `${Math.round((100 * part) / total)} %` : '—');
const date = (iso) => (iso ? new Date(iso).toLocaleString('fr-FR') : '—');

function setStatus(text) {
  document.getElementById('etat').textContent = text;
}

function show(title, ...content) {
  document.title = `${title} — Vigie`;
  const page = document.getElementById('page');
  page.replaceChildren(el('h1', {}, title), ...content);
  setStatus('');
}

function badge(verdict) {
  const kinds = { COMPLIANT: 'success', TO_REVIEW: 'warning', DEROGATION: 'info', NON_COMPLIANT: 'error', UNKNOWN: 'new' };
  return el('p', { class: `fr-badge fr-badge--sm fr-badge--${kinds[verdict] || 'new'}` }, verdictLabel(verdict));
}

function verdictBar(verdicts, total) {
  const bar = el('div', { class: 'vigie-bar', role: 'img',
    'aria-label': state.vocabulary.verdicts.map((v) => `${v.label} ${percent(verdicts[v.name] || 0, total)}`).join(', ') });
  for (const v of state.vocabulary.verdicts) {
    const part = el('span', { class: `vigie-${v.name}`, title: `${v.label} : ${number(verdicts[v.name] || 0)}` });
    part.style.width = total ? `${(100 * (verdicts[v.name] || 0)) / total}%` : '0';
    bar.append(part);
  }
  return bar;
}

function table(caption, headers, rows) {
  return el('div', { class: 'fr-table fr-table--no-caption' },
    el('table', {}, el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c)))))));
}

function link(href, text, attributes = {}) {
  return el('a', { class: 'fr-link', href, ...attributes }, text);
}

async function overview() {
  const summary = await api('summary');
  const rows = summary.ministries.map((m) => [
    link(`#/ministere/${encodeURIComponent(m.code)}`, m.name),
    number(m.hosts),
    ...state.vocabulary.verdicts.map((v) => percent(m.verdicts[v.name], m.hosts)),
    verdictBar(m.verdicts, m.hosts),
  ]);
  show('Vue interministérielle',
    el('p', {}, `${number(summary.total.hosts)} postes au ${summary.date}, `,
      `${percent(summary.total.verdicts.NON_COMPLIANT, summary.total.hosts)} non conformes.`),
    table('Conformité par ministère',
      ['Ministère', 'Postes', ...state.vocabulary.verdicts.map((v) => v.label), 'Répartition'], rows),
    el('p', {}, link('#/postes', 'Tous les postes')));
}

async function ministry(code) {
  const [m, trend] = await Promise.all([
    api(`ministries/${encodeURIComponent(code)}`),
    api(`trends?ministry=${encodeURIComponent(code)}&days=90`).catch(() => ({ days: [] })),
  ]);
  const hostsLink = (params, text) => link(`#/postes?ministry=${encodeURIComponent(code)}&${params}`, text);
  const sections = [
    el('p', {}, `${number(m.hosts)} postes ; ${number(m.staleHosts || 0)} sans nouvelles depuis plus de ${m.staleAfterDays} jours. `,
      hostsLink('', 'Voir les postes')),
    el('h2', {}, 'Verdicts'),
    verdictBar(m.verdicts, m.hosts),
    table('Verdicts', ['Verdict', 'Postes', 'Part'], state.vocabulary.verdicts.map((v) => [
      hostsLink(`verdict=${v.name}`, v.label), number(m.verdicts[v.name] || 0), percent(m.verdicts[v.name] || 0, m.hosts)])),
  ];
  if (trend.days.length > 1) {
    const first = trend.days[0];
    const last = trend.days[trend.days.length - 1];
    const total = (d) => Object.values(d.verdicts).reduce((a, b) => a + b, 0);
    sections.push(el('h2', {}, 'Tendance'), el('p', {},
      `Non conformes : ${percent(first.verdicts.NON_COMPLIANT, total(first))} le ${first.day}, `,
      `${percent(last.verdicts.NON_COMPLIANT, total(last))} le ${last.day}.`),
    table('Tendance', ['Jour', ...state.vocabulary.verdicts.map((v) => v.label)],
      trend.days.slice(-14).map((d) => [d.day, ...state.vocabulary.verdicts.map((v) => number(d.verdicts[v.name] || 0))])));
  }
  if (m.servicesInUse) {
    sections.push(el('h2', {}, 'Services en ligne utilisés'), table('Services', ['Service', 'Postes'],
      Object.entries(m.servicesInUse).map(([s, n]) => [hostsLink(`service=${s}`, serviceLabel(s)), number(n)])));
  }
  if (m.officeInstalls && m.officeInstalls.length) {
    sections.push(el('h2', {}, 'Parc Office'), table('Parc Office', ['Produit', 'Licence', 'Postes'],
      m.officeInstalls.map((o) => [o.productId, o.licenseModel === 'SUBSCRIPTION' ? 'Abonnement' : 'Perpétuelle', number(o.hosts)])));
  }
  if (m.tenants && m.tenants.length) {
    sections.push(el('h2', {}, 'Tenants observés'), table('Tenants', ['Tenant', 'Classe', 'Postes'],
      m.tenants.map((t) => [t.tenant, t.classLabel || t.class || '', number(t.hosts)])));
  }
  if (m.orgUnits && m.orgUnits.length) {
    sections.push(el('h2', {}, 'Unités'), table('Unités', ['Unité', 'Postes', 'Répartition'],
      m.orgUnits.map((u) => [
        u.id ? hostsLink(`orgUnit=${encodeURIComponent(u.id)}`, `${'\u00a0\u00a0'.repeat(u.depth || 0)}${u.name || u.id}`) : (u.name || '—'),
        number(u.hosts || 0), u.verdicts ? verdictBar(u.verdicts, u.hosts || 0) : ''])));
  }
  sections.push(el('h2', {}, 'Dérogations arrivant à échéance'),
    m.derogationsExpiring && m.derogationsExpiring.length
      ? table('Dérogations', ['Service', 'Fin', 'Référence'], m.derogationsExpiring.map((d) => [serviceLabel(d.service), d.until, d.reference]))
      : el('p', {}, `Aucune dans les ${m.expiringWithinDays} prochains jours.`));
  show(m.name, ...sections);
}

function select(id, label, options, value) {
  return el('div', { class: 'fr-select-group' },
    el('label', { class: 'fr-label', for: id }, label),
    el('select', { class: 'fr-select', id, name: id },
      el('option', { value: '' }, 'Tous'),
      options.map(([v, text]) => el('option', { value: v, selected: v === value ? 'selected' : null }, text))));
}

async function hosts(params) {
  const query = new URLSearchParams(params);
  if (!query.get('perPage')) query.set('perPage', '50');
  // Org units belong to one ministry: the filter appears once a ministry is chosen.
  const unitsOf = query.get('ministry') || (state.session.role === 'ministry' ? state.session.ministry : '');
  const [list, ministries, units] = await Promise.all([api(`hosts?${query}`), api('ministries'),
    unitsOf ? api(`ministries/${encodeURIComponent(unitsOf)}`).then((m) => (m.orgUnits || []).filter((u) => u.id)) : []]);
  const form = el('form', { class: 'vigie-filters', id: 'filtres', role: 'search' },
    ministries.ministries.length > 1
      ? select('ministry', 'Ministère', ministries.ministries.map((m) => [m.code, m.code]), query.get('ministry') || '') : null,
    units.length
      ? select('orgUnit', 'Unité (et ses sous-unités)', units.map((u) => [u.id, `${'\u00a0\u00a0'.repeat(u.depth || 0)}${u.name || u.id}`]), query.get('orgUnit') || '') : null,
    select('verdict', 'Verdict', state.vocabulary.verdicts.map((v) => [v.name, v.label]), query.get('verdict') || ''),
    select('service', 'Service utilisé', state.vocabulary.services.map((s) => [s.name, s.label]), query.get('service') || ''),
    select('os', 'Système', state.vocabulary.os.map((o) => [o, o]), query.get('os') || ''),
    el('div', { class: 'fr-input-group' }, el('label', { class: 'fr-label', for: 'q' }, 'Nom du poste (ou une partie)'),
      el('input', { class: 'fr-input', id: 'q', name: 'q', type: 'search', value: query.get('q') || '' })),
    el('button', { class: 'fr-btn', type: 'submit' }, 'Filtrer'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
    location.hash = `#/postes?${next}`;
  });
  const csv = new URLSearchParams(query);
  for (const key of ['after', 'before', 'perPage', 'sort']) csv.delete(key);
  // Pages follow one another by cursors (the API's next and previous), not by number.
  const pageLink = (key, cursor, text) => {
    const p = new URLSearchParams(query);
    p.delete('after');
    p.delete('before');
    p.set(key, cursor);
    return link(`#/postes?${p}`, text);
  };
  show('Postes', form,
    el('p', { class: 'fr-mt-2w' }, `${number(list.total)} postes. `,
      el('a', { class: 'fr-link', href: `api/v1/hosts.csv?${csv}`, download: 'postes.csv', id: 'export-csv' }, 'Exporter en CSV')),
    table('Postes', ['Poste', 'Ministère', 'Unité', 'Système', 'Verdict', 'Dernier contact'], list.hosts.map((h) => [
      el('span', { class: 'vigie-hostname' }, link(`#/poste/${encodeURIComponent(h.id)}`, h.hostname || '(sans nom)')),
      h.ministry, h.orgUnit || '—', h.osName || h.os, badge(h.verdict), `${date(h.lastSeen)}${h.stale ? ' (ancien)' : ''}`])),
    el('nav', { class: 'fr-pagination', 'aria-label': 'Pagination' },
      el('p', {}, list.previous ? pageLink('before', list.previous, 'Page précédente') : null, ' ',
        list.next ? pageLink('after', list.next, 'Page suivante') : null)));
}

async function host(id) {
  const h = await api(`hosts/${encodeURIComponent(id)}`);
  show(`Poste ${h.hostname}`,
    el('p', {}, badge(h.verdict)),
    el('h2', {}, 'Pourquoi ce verdict'),
    el('ul', {}, h.reasons.map((r) => el('li', {}, r))),
    el('h2', {}, 'Poste'),
    table('Poste', ['Ministère', 'Système', 'Version de l’agent', 'Dernier contact', 'Dernière analyse'],
      [[h.ministryName, `${h.osName} ${h.osVersion || ''}`, h.agentVersion, date(h.lastSeen), date(h.lastScan)]]),
    el('h2', {}, 'Éléments constatés'),
    h.evidence.length ? table('Éléments constatés', ['Produit', 'Service', 'Constat', 'Tenant', 'Sonde', 'Vu le'],
      h.evidence.map((e) => [`${e.product} ${e.version || ''}`, e.service === 'SERVICE_CATEGORY_UNSPECIFIED' ? '—' : serviceLabel(e.service),
        kindLabel(e.kind), e.tenant || '—', e.source, e.lastSeen ? date(e.lastSeen) : '—'])) : el('p', {}, 'Aucun.'),
    el('h2', {}, 'Office installé'),
    h.officeInstalls.length ? table('Office', ['Produit', 'Version', 'Licence', 'Canal'],
      h.officeInstalls.map((o) => [o.productId, o.version, o.licenseModel, o.channel || '—'])) : el('p', {}, 'Aucun.'),
    h.probeErrors.length ? [el('h2', {}, 'Sondes en échec'),
      table('Sondes en échec', ['Sonde', 'Raison'], h.probeErrors.map((p) => [p.probe, p.reason]))] : [],
    el('h2', {}, 'Historique du verdict'),
    table('Historique', ['Date', 'Verdict', 'Cause'], h.history.map((c) => [date(c.at), verdictLabel(c.verdict), c.cause])),
    el('p', {}, link(`#/postes?ministry=${encodeURIComponent(h.ministry)}`, 'Retour aux postes')));
}

function login(message) {
  const form = el('form', { id: 'connexion' },
    el('div', { class: 'fr-input-group' }, el('label', { class: 'fr-label', for: 'identifiant' }, 'Identifiant'),
      el('input', { class: 'fr-input', id: 'identifiant', name: 'name', autocomplete: 'username', required: 'required' })),
    el('div', { class: 'fr-input-group' }, el('label', { class: 'fr-label', for: 'mot-de-passe' }, 'Mot de passe'),
      el('input', { class: 'fr-input', id: 'mot-de-passe', name: 'password', type: 'password', autocomplete: 'current-password', required: 'required' })),
    el('button', { class: 'fr-btn', type: 'submit' }, 'Se connecter'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      state.session = await api('session', { method: 'POST', body: { name: data.get('name'), password: data.get('password') } });
      await start();
    } catch (error) {
      login(error.message);
    }
  });
  show('Connexion', message ? el('div', { class: 'fr-alert fr-alert--error fr-mb-2w', role: 'alert' }, el('p', {}, message)) : null, form);
}

async function route() {
  if (!state.session) return login();
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  setStatus('Chargement…');
  try {
    if (parts[0] === 'ministere' && parts[1]) await ministry(parts[1]);
    else if (parts[0] === 'postes') await hosts(search || '');
    else if (parts[0] === 'poste' && parts[1]) await host(parts[1]);
    else if (parts[0] === 'rapports') await reportsPage({ api, el, show, table });
    else if (state.session.role === 'ministry') await ministry(state.session.ministry);
    else await overview();
    document.getElementById('contenu').focus();
  } catch (error) {
    if (error.status === 401) {
      state.session = null;
      return login('Session expirée : reconnectez-vous.');
    }
    show('Erreur', el('div', { class: 'fr-alert fr-alert--error', role: 'alert' }, el('p', {}, error.message)));
  }
}

async function start() {
  state.vocabulary = await api('vocabulary');
  document.getElementById('compte').textContent = `${state.session.user}${state.session.ministryName ? ` — ${state.session.ministryName}` : ''}`;
  document.getElementById('deconnexion').hidden = false;
  document.getElementById('lien-rapports').hidden = false;
  await route();
}

document.getElementById('deconnexion').addEventListener('click', async () => {
  try {
    await api('session', { method: 'DELETE' });
  } finally {
    state.session = null;
    document.getElementById('compte').textContent = '';
    document.getElementById('deconnexion').hidden = true;
    document.getElementById('lien-rapports').hidden = true;
    login('Vous êtes déconnecté.');
  }
});
window.addEventListener('hashchange', route);

(async () => {
  try {
    state.session = await api('session');
    await start();
  } catch {
    login();
  }
})();
