import { createResource, createSignal, For, Show, type JSX } from 'solid-js'
import { adminApi, type UsageTotals } from '../../../lib/api-admin.ts'
import { locale, t } from '../../../lib/i18n.ts'
import '../../../lib/messages/admin.ts'
import { CostChart } from '../../../components/admin/cost-chart.tsx'
import { usageRange } from '../../../components/admin/chart.ts'
import { formatCount, formatUsd } from '../../../components/admin/format.ts'
import { AdminHeader, LoadError, LoadingSkeleton } from '../../../components/admin/screen.tsx'
import { Choices } from '../../../components/choices.tsx'
import { settled } from '../../../lib/resource.ts'

const ranges = [7, 30] as const

/** AI spending: a per-day chart over the last 7 or 30 UTC days, totals, and who and what spent it. */
export default function Costs() {
  const [days, setDays] = createSignal<(typeof ranges)[number]>(7)
  const [report, { refetch }] = createResource(days, (count) => adminApi.aiUsage(usageRange(new Date(), count)))
  const usd = (value: number) => formatUsd(value, locale())
  const count = (value: number) => formatCount(value, locale())

  return (
    <div class="page admin-page">
      <AdminHeader title={t('admin.costs.title')} intro={t('admin.costs.intro')} />
      <Choices class="admin-range" legend={t('admin.costs.range')} name="cost-range" options={ranges} value={days()} onChange={setDays} label={(option) => t('admin.costs.lastDays', { count: option })} />
      <LoadError error={report.error} onRetry={() => void refetch()} />
      <Show when={settled(report)}>
        {(data) => (
          <div class="stack admin-costs" aria-busy={report.loading}>
            <dl class="admin-totals">
              <Total label={t('admin.costs.total')} value={usd(data().totals.costUsd)} />
              <Total label={t('admin.costs.calls')} value={count(data().totals.calls)} />
              <Total label={t('admin.costs.tokensIn')} value={count(data().totals.tokensIn)} />
              <Total label={t('admin.costs.tokensOut')} value={count(data().totals.tokensOut)} />
              <Total label={t('admin.costs.cacheHits')} value={count(data().totals.cacheHits)} />
            </dl>
            <section class="panel" aria-labelledby="cost-per-day">
              <h2 id="cost-per-day">{t('admin.costs.perDay')}</h2>
              <CostChart report={data()} />
            </section>
            <Breakdown
              id="cost-by-model"
              title={t('admin.costs.byModel')}
              rows={data().byModel}
              name={(row) => (
                <>
                  {row.model}
                  <span class="cell-meta">{row.provider}</span>
                </>
              )}
              usd={usd}
              count={count}
            />
            <Breakdown id="cost-by-purpose" title={t('admin.costs.byPurpose')} rows={data().byPurpose} name={(row) => row.purpose} usd={usd} count={count} />
            <Show when={data().byLearner.length > 0}>
              <Breakdown
                id="cost-by-learner"
                title={t('admin.costs.byLearner')}
                rows={data().byLearner.slice(0, 20).map((learner) => ({ ...learner, tokensIn: learner.tokens, tokensOut: 0, cacheHits: 0 }))}
                name={(row) => row.email ?? row.userId}
                usd={usd}
                count={count}
              />
            </Show>
          </div>
        )}
      </Show>
      <LoadingSkeleton when={report.loading && !report.latest} />
    </div>
  )
}

function Total(props: { label: string; value: string }) {
  return (
    <div class="admin-total">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  )
}

function Breakdown<Row extends UsageTotals>(props: {
  id: string
  title: string
  rows: Row[]
  name: (row: Row) => JSX.Element
  usd: (value: number) => string
  count: (value: number) => string
}) {
  return (
    <section class="panel" aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <Show when={props.rows.length > 0} fallback={<p class="muted small">{t('admin.costs.noCalls')}</p>}>
        <div class="admin-scroll" role="region" aria-labelledby={props.id} tabindex="0">
          <table class="admin-table admin-table-compact">
            <thead>
              <tr>
                <th scope="col">{t('admin.costs.name')}</th>
                <th scope="col" class="numeric">
                  {t('admin.costs.cost')}
                </th>
                <th scope="col" class="numeric">
                  {t('admin.costs.calls')}
                </th>
                <th scope="col" class="numeric">
                  {t('admin.costs.tokens')}
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={props.rows}>
                {(row) => (
                  <tr>
                    <th scope="row">{props.name(row)}</th>
                    <td class="numeric">{props.usd(row.costUsd)}</td>
                    <td class="numeric">{props.count(row.calls)}</td>
                    <td class="numeric">{props.count(row.tokensIn + row.tokensOut)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  )
}
