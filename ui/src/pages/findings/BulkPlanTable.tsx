import type { BulkPlan } from '../../api/types.ts';
import { href } from '../../routing/routes.ts';

/** The dry run: what would happen to each finding, or why it is skipped, in the server's words. */
export function BulkPlanTable({ plan }: { plan: BulkPlan }) {
  return (
    <section class="plan" aria-label="Dry run">
      <p role="status">
        Dry run: {plan.action} would act on {plan.willAct} of {plan.total} findings
        {plan.willAct < plan.total ? `; ${plan.total - plan.willAct} skipped` : ''}.
      </p>
      <div class="table-wrap plan-scroll">
        <table data-testid="bulk-plan">
          <thead>
            <tr>
              <th scope="col">Finding</th>
              <th scope="col">Plan</th>
              <th scope="col">What happens</th>
            </tr>
          </thead>
          <tbody>
            {plan.items.map((item) => (
              <tr key={item.findingId} data-testid="bulk-plan-item" data-plan={item.plan}>
                <td class="mono">
                  <a href={href.finding(item.findingId)}>{item.findingId}</a>
                </td>
                <td>{item.plan === 'act' ? 'act' : 'skip'}</td>
                <td>{item.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
