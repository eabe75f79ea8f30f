// Reconciliation across deployments (issue 16, SPEC section 8): given the checked public exports of
// two or more deployments (export-check.ts), whether they agree. Each registry is hosted by one of
// them; a decision known to two must be the same decision; each allocation line is issued once, by
// the deployment hosting its registry, with exactly the line's serials; a decision with a line for a
// registry must have reached the deployment hosting it; a first transfer by a Party another deployment
// hosts must have reached it as derived (export-first-transfers.ts). Every disagreement is reported
// with its kind.
import { lineKey } from '../ledger/types.ts';
import type { DecisionId } from '../shared/ids.ts';
import type { CheckedExport, Discrepancy } from './export-check.ts';
import { compareFirstTransfers } from './export-first-transfers.ts';
import { decisionText } from './public-export.ts';

export function reconcile(exports: readonly CheckedExport[]): Discrepancy[] {
  const found: Discrepancy[] = [];
  const report = (kind: string, deployment: string, subject: string, message: string) =>
    found.push({ kind, deployment, subject, message });
  const host = new Map<string, CheckedExport>();
  const deployments = new Set<string>();
  for (const checked of exports) {
    const { deployment, registries } = checked.header;
    if (deployments.has(deployment))
      report('export_deployment_twice', deployment, deployment, 'two exports of one deployment');
    deployments.add(deployment);
    for (const registry of registries) {
      const other = host.get(registry);
      if (other !== undefined)
        report(
          'registry_hosted_twice',
          deployment,
          registry,
          `both ${other.header.deployment} and ${deployment} say they host ${registry}`,
        );
      else host.set(registry, checked);
    }
  }
  compareDecisions(exports, report);
  compareIssuances(exports, host, report);
  compareFirstTransfers(exports, report);
  return found;
}

type Report = (kind: string, deployment: string, subject: string, message: string) => void;

/** A decision two deployments know is one decision: the same serials and lines on both. */
function compareDecisions(exports: readonly CheckedExport[], report: Report): void {
  const first = new Map<string, { text: string; deployment: string }>();
  for (const checked of exports)
    for (const [id, decision] of checked.decisions) {
      const text = decisionText(decision);
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, { text, deployment: checked.header.deployment });
      else if (earlier.text !== text)
        report(
          'decision_differs_between_deployments',
          checked.header.deployment,
          `decision ${id}`,
          `its serials or lines are not the ones ${earlier.deployment} holds`,
        );
    }
}

/**
 * Each line of each decision: issued by the deployment hosting its registry, once, with the line's
 * serials; and the decision known there.
 */
function compareIssuances(
  exports: readonly CheckedExport[],
  host: ReadonlyMap<string, CheckedExport>,
  report: Report,
): void {
  const checkedLines = new Set<string>();
  for (const checked of exports)
    for (const decision of checked.decisions.values())
      for (const line of decision.lines) {
        const key = lineKey(decision.id as DecisionId, line.lineNo);
        if (checkedLines.has(key)) continue;
        checkedLines.add(key);
        const subject = `decision ${decision.id} line ${line.lineNo}`;
        const hosting = host.get(line.registry);
        if (hosting !== undefined && !hosting.decisions.has(decision.id))
          report(
            'decision_not_received',
            hosting.header.deployment,
            `decision ${decision.id}`,
            `${checked.header.deployment} holds it with a line for ${line.registry}; ${hosting.header.deployment}, which hosts ${line.registry}, does not`,
          );
        const issuers = exports.filter((e) => e.issued.has(key));
        if (issuers.length > 1)
          report(
            'line_issued_twice',
            issuers.map((e) => e.header.deployment).join(', '),
            subject,
            'issued by more than one deployment',
          );
        for (const issuer of issuers) {
          const issued = issuer.issued.get(key);
          if (issued === undefined) continue;
          if (issuer !== hosting)
            report(
              'issued_by_wrong_deployment',
              issuer.header.deployment,
              subject,
              `the line is for ${line.registry}, which ${issuer.header.deployment} does not host`,
            );
          if (issued.first !== line.serials.first || issued.last !== line.serials.last)
            report(
              'issued_range_differs',
              issuer.header.deployment,
              subject,
              `issued ${issued.first}-${issued.last}; the line is ${line.serials.first}-${line.serials.last}`,
            );
        }
      }
}
