import { createMemo, For, Show } from 'solid-js'
import { formatDay } from '../../lib/format.ts'
import { locale, t } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import { yOf } from '../chart-frame.ts'
import { linePath, overallAccuracy, plot, type DayPoint, type Frame } from './chart.ts'

const chartFrame: Frame = { width: 340, height: 160, top: 12, right: 10, bottom: 24, left: 36 }
const gridLines = [0, 0.5, 1]

/**
 * Accuracy per day as an inline SVG line chart. Screen readers get one sentence (role="img" with
 * its label) and the numbers in a table that only they see; no chart library.
 */
export function AccuracyChart(props: { series: DayPoint[]; id: string }) {
  const total = createMemo(() => overallAccuracy(props.series))
  const description = () => {
    const { percent, correct, answered } = total()
    return percent === null
      ? t('today.chartEmpty', { days: props.series.length })
      : t('today.chartSummary', { days: props.series.length, accuracy: percent, correct, answered })
  }
  const points = createMemo(() => plot(props.series, chartFrame))
  const first = () => props.series[0]
  const last = () => props.series.at(-1)
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${chartFrame.width} ${chartFrame.height}`}
        class="chart-svg"
        role="img"
        aria-labelledby={`${props.id}-description`}
        preserveAspectRatio="xMidYMid meet"
      >
        <For each={gridLines}>
          {(level) => {
            const y = yOf(level, 1, chartFrame)
            return (
              <g class="chart-grid">
                <line x1={chartFrame.left} x2={chartFrame.width - chartFrame.right} y1={y} y2={y} />
                <text x={chartFrame.left - 6} y={y + 4} text-anchor="end">
                  {`${level * 100}%`}
                </text>
              </g>
            )
          }}
        </For>
        <path class="chart-line" d={linePath(points())} />
        <For each={points()}>{(point) => <circle class="chart-dot" cx={point.x} cy={point.y} r="3.5" />}</For>
        <Show when={first() && last()}>
          <text class="chart-axis" x={chartFrame.left} y={chartFrame.height - 6} text-anchor="start">
            {formatDay(first()!.date, locale())}
          </text>
          <text class="chart-axis" x={chartFrame.width - chartFrame.right} y={chartFrame.height - 6} text-anchor="end">
            {formatDay(last()!.date, locale())}
          </text>
        </Show>
      </svg>
      <figcaption id={`${props.id}-description`} class="chart-caption">
        {description()}
      </figcaption>
      <table class="visually-hidden">
        <caption>{t('today.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('today.date')}</th>
            <th scope="col">{t('today.answered')}</th>
            <th scope="col">{t('today.correct')}</th>
            <th scope="col">{t('today.accuracyColumn')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.series}>
            {(point) => (
              <tr>
                <th scope="row">{formatDay(point.date, locale(), 'medium')}</th>
                <td>{point.answered}</td>
                <td>{point.correct}</td>
                <td>{point.accuracy === null ? '—' : `${Math.round(point.accuracy * 100)}%`}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </figure>
  )
}

const sparkFrame: Frame = { width: 96, height: 28, top: 3, right: 3, bottom: 3, left: 3 }

/** A word-sized accuracy line for a topic; its label says the figure it draws. */
export function Sparkline(props: { series: DayPoint[] }) {
  const total = createMemo(() => overallAccuracy(props.series).percent)
  const points = createMemo(() => plot(props.series, sparkFrame))
  return (
    <span class="sparkline-wrap">
      <svg
        class="sparkline"
        viewBox={`0 0 ${sparkFrame.width} ${sparkFrame.height}`}
        width={sparkFrame.width}
        height={sparkFrame.height}
        role="img"
        aria-label={total() === null ? t('progress.sparklineEmpty') : t('progress.sparkline', { accuracy: total()! })}
      >
        <line class="sparkline-base" x1={sparkFrame.left} x2={sparkFrame.width - sparkFrame.right} y1={sparkFrame.height - sparkFrame.bottom} y2={sparkFrame.height - sparkFrame.bottom} />
        <path class="chart-line" d={linePath(points())} />
        <Show when={points().at(-1)}>{(point) => <circle class="chart-dot" cx={point().x} cy={point().y} r="2.5" />}</Show>
      </svg>
      <span class="sparkline-figure" aria-hidden="true">
        {total() === null ? '–' : `${total()}%`}
      </span>
    </span>
  )
}
