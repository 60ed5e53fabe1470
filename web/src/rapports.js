// The « Rapports » page: the archived compliance reports the account may see, to download.
// Helpers come from app.js (`ui`), so that this page builds its markup the same way: text nodes
// only, never strings parsed as markup.

const FORMATS = { xlsx: 'Classeur XLSX', csv: 'CSV (Excel)', html: 'Page HTML imprimable' };

function size(bytes) {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Ko`;
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

const day = (iso) => new Date(`${iso}T00:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC' });

export async function reportsPage(ui) {
  const { reports } = await ui.api('reports');
  const rows = reports.map((r) => [
    r.scope,
    `${r.periodLabel}, du ${day(r.firstDay)} au ${day(r.lastDay)}`,
    FORMATS[r.format] || r.format,
    new Date(r.producedAt).toLocaleString('fr-FR'),
    size(r.size),
    r.available
      ? ui.el('a', { class: 'fr-link fr-link--download', href: r.download.replace(/^\//, ''), download: '' },
        'Télécharger', ui.el('span', { class: 'fr-link__detail' }, `${r.format.toUpperCase()} – ${size(r.size)}`))
      : ui.el('p', { class: 'fr-badge fr-badge--sm fr-badge--warning' }, 'Fichier manquant'),
  ]);
  ui.show('Rapports',
    ui.el('p', {}, 'Les rapports de conformité produits par le collecteur (programmés ou demandés), du plus récent au plus ancien. ',
      'Ils sont conservés selon la durée fixée par le déploiement.'),
    reports.length
      ? ui.table('Rapports archivés', ['Périmètre', 'Période', 'Format', 'Produit le', 'Taille', 'Fichier'], rows)
      : ui.el('p', {}, 'Aucun rapport n’a encore été produit.'));
}
