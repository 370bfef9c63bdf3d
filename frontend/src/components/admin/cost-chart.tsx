import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js'
import type { AiUsageReport } from '../../lib/api-admin.ts'
import { locale, t } from '../../lib/i18n.ts'
import '../../lib/messages/admin.ts'
import { formatDay } from '../../lib/format.ts'
import { yOf } from '../chart-frame.ts'
import { barLayout, labelledDays, niceScale, type Frame } from './chart.ts'
import { formatCount, formatUsd, formatUsdTick } from './format.ts'

const chartHeight = 220

/**
 * Cost per UTC day as inline SVG bars. Screen readers get the image's text summary (role="img",
 * <title>/<desc>) and the same numbers as a table; sighted users get the bars and a visible summary.
 */
export function CostChart(props: { report: AiUsageReport }) {
  let figure: HTMLElement | undefined
  // Drawn at the container's real width, so SVG units are pixels and the labels stay legible on a phone.
  const [width, setWidth] = createSignal(360)
  onMount(() => {
    const observer = new ResizeObserver(() => setWidth(Math.max(280, Math.round(figure!.clientWidth))))
    observer.observe(figure!)
    onCleanup(() => observer.disconnect())
  })
  const frame = createMemo<Frame>(() => ({ width: width(), height: chartHeight, top: 12, right: 8, bottom: 28, left: 56 }))
  const days = () => props.report.byDay
  const scale = createMemo(() => niceScale(Math.max(0, ...days().map((day) => day.costUsd))))
  const bars = createMemo(() => barLayout(days().map((day) => day.costUsd), scale().max, frame()))
  const labels = createMemo(() => labelledDays(days().length, Math.floor((width() - 64) / 52)))
  const peak = createMemo(() => days().reduce<AiUsageReport['byDay'][number] | undefined>((best, day) => (!best || day.costUsd > best.costUsd ? day : best), undefined))
  const summary = () => {
    const total = formatUsd(props.report.totals.costUsd, locale())
    const range = { from: formatDay(props.report.from, locale()), to: formatDay(props.report.to, locale()), total, days: days().length }
    const top = peak()
    return top && top.costUsd > 0
      ? t('admin.costs.summary', { ...range, peakDay: formatDay(top.day, locale()), peak: formatUsd(top.costUsd, locale()) })
      : t('admin.costs.summaryNone', range)
  }

  return (
    <figure class="cost-chart" ref={(element) => (figure = element)}>
      <svg width={frame().width} height={frame().height} viewBox={`0 0 ${frame().width} ${frame().height}`} role="img" aria-labelledby="cost-chart-title cost-chart-desc">
        <title id="cost-chart-title">{t('admin.costs.chartTitle')}</title>
        <desc id="cost-chart-desc">{summary()}</desc>
        <For each={scale().ticks}>
          {(tick) => (
            <g class="chart-tick">
              <line x1={frame().left} x2={frame().width - frame().right} y1={yOf(tick, scale().max, frame())} y2={yOf(tick, scale().max, frame())} />
              <text x={frame().left - 6} y={yOf(tick, scale().max, frame())} text-anchor="end" dominant-baseline="middle">
                {formatUsdTick(tick, locale())}
              </text>
            </g>
          )}
        </For>
        <For each={bars()}>
          {(bar, index) => (
            <g>
              <rect class="chart-bar" x={bar.x} y={bar.y} width={bar.width} height={bar.height} rx={Math.min(3, bar.width / 4)}>
                <title>{`${formatDay(days()[index()]!.day, locale())}: ${formatUsd(days()[index()]!.costUsd, locale())}`}</title>
              </rect>
              <Show when={labels().has(index())}>
                <text class="chart-label" x={bar.x + bar.width / 2} y={frame().height - 8} text-anchor="middle">
                  {formatDay(days()[index()]!.day, locale())}
                </text>
              </Show>
            </g>
          )}
        </For>
      </svg>
      <figcaption class="muted small">{summary()}</figcaption>
      <table class="visually-hidden">
        <caption>{t('admin.costs.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.costs.day')}</th>
            <th scope="col">{t('admin.costs.cost')}</th>
            <th scope="col">{t('admin.costs.calls')}</th>
            <th scope="col">{t('admin.costs.tokens')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={days()}>
            {(day) => (
              <tr>
                <th scope="row">{formatDay(day.day, locale(), 'full')}</th>
                <td>{formatUsd(day.costUsd, locale())}</td>
                <td>{formatCount(day.calls, locale())}</td>
                <td>{formatCount(day.tokensIn + day.tokensOut, locale())}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </figure>
  )
}
