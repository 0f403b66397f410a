// Entry point of Recon's web UI.
//
// Stable data-testid values (tests rely on them; keep them when changing markup):
//   sign-in:       signin-name, signin-password, signin-submit, signin-error
//   shell:         nav-overview, nav-findings, nav-dead-letters, nav-actions, nav-audit, nav-users (admins only),
//                  user-badge ("name (role)"), read-only-badge, theme-toggle, time-zone-toggle, signout,
//                  nav-menu (folds the links and the session controls away below 760 px)
//   overview:      live-indicator (data-live="true|false"), stale-banner, source-<name> (data-up="true|false"),
//                  kind-card-<kind> (text holds the open count; data-open,
//                  data-severity), chart-findings, chart-queues,
//                  chart-rates, chart-latency (the <canvas>), queues-table, queue-row (data-queue), overview-error
//   findings:      filter-kind, filter-state, search, search-submit, findings-table, finding-row (data-finding-id),
//                  sort-<column> (kind, key, severity, verdict, state, firstSeenAt, lastSeenAt), select-row,
//                  select-all, selection-count, prev-page, next-page, bulk-action (opens the bulk dialog)
//   bulk dialog:   bulk-dialog, bulk-scope-selection, bulk-scope-filter, bulk-action-select, bulk-reason, bulk-rate,
//                  bulk-dry-run, bulk-plan, bulk-plan-item (data-plan="act|skip"), bulk-execute, bulk-dialog-cancel,
//                  bulk-error
//   finding:       finding-detail (data-state), finding-kind, finding-state, finding-verdict, finding-evidence (raw
//                  JSON, inside evidence-raw-toggle), evidence-facts (dd data-fact), finding-order-link,
//                  finding-explanation, finding-cause, finding-recommendation (data-action), repair-choice-<action>
//                  (data-recommended), action-button-<action>, actions-unavailable, action-result (data-status),
//                  latest-action (data-status), finding-resolution (data-resolved-by), finding-actions
//   confirmation:  confirm-dialog, confirm-text, confirm-reason, confirm-submit, confirm-cancel, confirm-error
//   order:         timeline, timeline-event (data-source, data-type), timeline-unavailable, timeline-broker
//   dead letters:  filter-reason, search, search-submit, dead-letters-table, dead-letter-row (data-dead-letter-id),
//                  prev-page, next-page, dead-letter-body, dead-letter-body-encoding (data-encoding="json|utf8|base64"),
//                  dead-letter-headers, dead-letter-properties, dead-letter-xdeath
//   actions:       filter-status, actions-table, action-row (data-action-id), prev-page, next-page,
//                  action-detail, action-detail-text, action-audit (audit-row inside)
//   bulk:          bulk-status (data-status), bulk-progress, bulk-counts (li data-outcome), bulk-item (data-outcome),
//                  bulk-cancel, bulk-cancel-error, prev-page, next-page
//   audit:         audit-table, audit-row, prev-page, next-page
//   users:         users-table, user-row (data-user), add-user-name, add-user-role, add-user-password,
//                  add-user-submit, add-user-error, add-user-result
//   any page:      error (a load error, as text), loading
import { render } from 'preact';
import { App } from './App.tsx';
import { startCellLabels } from './lib/cell-labels.ts';
import { startTheme } from './lib/theme.ts';
import './styles/theme.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/tables.css';
import './styles/overview.css';
import './styles/pages.css';
import './styles/finding.css';

startTheme();
startCellLabels();
render(<App />, document.getElementById('app')!);
