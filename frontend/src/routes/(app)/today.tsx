import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js'
import { Choices } from '../../components/choices.tsx'
import { Icon } from '../../components/icons.tsx'
import { allTopicsSeries } from '../../components/progress/chart.ts'
import { AccuracyChart } from '../../components/progress/charts.tsx'
import { libraryApi, type ProgressView, type SummaryBody, type TodaySummary } from '../../lib/api-library.ts'
import { lastDays, localDate } from '../../lib/days.ts'
import { formatDay, formatInstantTime } from '../../lib/format.ts'
import { locale, t } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import { errorMessage, orIfNotDeployed } from '../../lib/messages.ts'
import { settled } from '../../lib/resource.ts'
import { user } from '../../lib/session.ts'
import { countText } from '../../lib/wording.ts'
import '../../styles/library.css'

const ranges = [14, 30] as const

function SummaryText(props: { summary: SummaryBody }) {
  return (
    <>
      <p>{props.summary.text}</p>
      <Show when={props.summary.highlights.length > 0}>
        <ul class="highlights">
          <For each={props.summary.highlights}>{(highlight) => <li>{highlight}</li>}</For>
        </ul>
      </Show>
      <Show when={props.summary.next_step}>
        <p class="muted">{t('today.nextStep', { step: props.summary.next_step! })}</p>
      </Show>
    </>
  )
}

/** Today: the streak, the day in numbers, the summary (written at 20:00), a question to reflect on, accuracy over time, earlier days. */
export default function Today() {
  // Not written yet is not an error: before 20:00 (or on a server without summaries) the day so far still shows.
  const [today] = createResource(() => orIfNotDeployed<TodaySummary | null>(libraryApi.today(), null))
  const [progress] = createResource(() => orIfNotDeployed<ProgressView | null>(libraryApi.progress(), null))
  const [range, setRange] = createSignal<(typeof ranges)[number]>(14)
  const day = () => settled(today)?.date ?? localDate(new Date(), user()?.timezone)
  const [past] = createResource(day, (last) =>
    orIfNotDeployed(
      libraryApi.summaries(lastDays(last, 30)[0]!, last).then(({ summaries }) => summaries.filter((entry) => entry.date !== last).reverse()),
      [],
    ),
  )
  const summary = () => settled(today)?.summary
  const series = createMemo(() => allTopicsSeries(settled(progress)?.topics ?? [], lastDays(day(), range())))
  const streak = () => summary()?.streak ?? 0

  return (
    <div class="page today">
      <header>
        <h1>{t('today.title')}</h1>
        <p class="muted">{formatDay(day(), locale(), 'full')}</p>
      </header>

      <Show when={today.error}>
        <p class="form-error">{errorMessage(today.error)}</p>
      </Show>

      <section class="streak" aria-labelledby="streak-heading" aria-busy={today.loading}>
        <span class="streak-icon" classList={{ 'streak-on': streak() > 0 }} aria-hidden="true">
          <Icon name="flame" size={32} filled={streak() > 0} />
        </span>
        <div>
          <h2 id="streak-heading" class="streak-text">
            {streak() > 0 ? countText('today.streak', streak()) : t('today.streakNone')}
          </h2>
          <p class="muted small">{t('today.streakHint')}</p>
        </div>
      </section>

      <section aria-labelledby="stats-heading">
        <h2 id="stats-heading" class="visually-hidden">
          {t('today.stats')}
        </h2>
        <dl class="stats">
          <div class="stat">
            <dt>{t('today.units')}</dt>
            <dd>{summary()?.units_seen ?? 0}</dd>
          </div>
          <div class="stat">
            <dt>{t('today.concepts')}</dt>
            <dd>{summary()?.concepts.length ?? 0}</dd>
          </div>
          <div class="stat stat-right">
            <dt>{t('today.right')}</dt>
            <dd>{summary()?.quizzes.right ?? 0}</dd>
          </div>
          <div class="stat stat-wrong">
            <dt>{t('today.wrong')}</dt>
            <dd>{summary()?.quizzes.wrong ?? 0}</dd>
          </div>
        </dl>
      </section>

      <section class="panel" aria-labelledby="summary-heading">
        <h2 id="summary-heading">{t('today.summary')}</h2>
        <Switch>
          <Match when={today.loading}>
            <div class="skeleton skeleton-line" />
            <div class="skeleton skeleton-line short" />
          </Match>
          <Match when={settled(today)?.stored}>
            <h3 class="summary-title">{summary()!.title}</h3>
            <SummaryText summary={summary()!} />
            <p class="muted small">{t('today.writtenAt', { time: formatInstantTime(settled(today)!.created_at!, locale()) })}</p>
          </Match>
          <Match when={true}>
            <p class="notice summary-pending">{t('today.pending')}</p>
            <Show when={summary()}>
              <SummaryText summary={summary()!} />
            </Show>
          </Match>
        </Switch>
        <Show when={(summary()?.concepts_right.length ?? 0) + (summary()?.concepts_wrong.length ?? 0) > 0}>
          <div class="concepts">
            <Show when={summary()!.concepts_right.length > 0}>
              <h3 class="small">{t('today.conceptsRight')}</h3>
              <ul class="chips">
                <For each={summary()!.concepts_right}>{(concept) => <li class="chip chip-right">{concept}</li>}</For>
              </ul>
            </Show>
            <Show when={summary()!.concepts_wrong.length > 0}>
              <h3 class="small">{t('today.conceptsWrong')}</h3>
              <ul class="chips">
                <For each={summary()!.concepts_wrong}>{(concept) => <li class="chip chip-wrong">{concept}</li>}</For>
              </ul>
            </Show>
          </div>
        </Show>
      </section>

      <Show when={summary()?.reflection_prompt}>
        <section class="panel reflection" aria-labelledby="reflect-heading">
          <h2 id="reflect-heading">{t('today.reflect')}</h2>
          <blockquote>{summary()!.reflection_prompt}</blockquote>
        </section>
      </Show>

      <section class="panel" aria-labelledby="accuracy-heading">
        <div class="section-head">
          <h2 id="accuracy-heading">{t('today.accuracy')}</h2>
          <Choices
            class="segmented-small"
            legend={t('today.range')}
            legendHidden
            name="accuracy-range"
            options={ranges}
            value={range()}
            onChange={setRange}
            label={(option) => t('today.days', { count: option })}
          />
        </div>
        <Show when={progress.error}>
          <p class="form-error">{errorMessage(progress.error)}</p>
        </Show>
        <Show when={!progress.loading} fallback={<div class="skeleton chart-skeleton" />}>
          <AccuracyChart id="accuracy" series={series()} />
        </Show>
      </section>

      <section aria-labelledby="past-heading">
        <h2 id="past-heading">{t('today.past')}</h2>
        <Switch>
          <Match when={past.error}>
            <p class="form-error">{errorMessage(past.error)}</p>
          </Match>
          <Match when={past()?.length === 0}>
            <p class="muted">{t('today.pastEmpty')}</p>
          </Match>
          <Match when={past()}>
            <ul class="past-list">
              <For each={past()}>
                {(entry) => (
                  <li>
                    <details class="past">
                      <summary>
                        <span class="past-date">{formatDay(entry.date, locale(), 'medium')}</span>
                        <span class="past-title">{entry.summary.title}</span>
                      </summary>
                      <SummaryText summary={entry.summary} />
                    </details>
                  </li>
                )}
              </For>
            </ul>
          </Match>
        </Switch>
      </section>
    </div>
  )
}
