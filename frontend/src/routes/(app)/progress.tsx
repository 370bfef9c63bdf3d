import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js'
import { Icon } from '../../components/icons.tsx'
import { dailySeries } from '../../components/progress/chart.ts'
import { Sparkline } from '../../components/progress/charts.tsx'
import { SkeletonList } from '../../components/skeleton-list.tsx'
import { libraryApi, type ProgressView } from '../../lib/api-library.ts'
import { lastDays, localDate } from '../../lib/days.ts'
import { downloadJson, downloadText } from '../../lib/download.ts'
import { locale, t } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import { errorMessage, orIfNotDeployed } from '../../lib/messages.ts'
import { user } from '../../lib/session.ts'
import { showToast } from '../../lib/toast.ts'
import '../../styles/library.css'

/** "in 3 days", "2 hours ago": the nearest whole unit, in the learner's language. */
function relative(iso: string, now: number): string {
  const seconds = (Date.parse(iso) - now) / 1000
  if (seconds <= 60) return t('progress.now')
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' })
  if (seconds < 3600) return format.format(Math.round(seconds / 60), 'minute')
  // From 22 hours on, "tomorrow" reads better than "in 24 hours".
  if (seconds < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour')
  return format.format(Math.round(seconds / 86_400), 'day')
}

/** Concept keys are slugs ("loss-aversion"); people read "loss aversion" (lib/feed/summary.ts conceptName). */
const conceptName = (key: string) => key.replace(/[-_]+/g, ' ').trim()

/** Progress per topic (seen, mastered, accuracy over time, next reviews) and the review exports. */
export default function Progress() {
  const [progress] = createResource(() => orIfNotDeployed<ProgressView | null>(libraryApi.progress(), null))
  const [exporting, setExporting] = createSignal(false)
  // The same 14 days for every topic's sparkline.
  const days = createMemo(() => lastDays(localDate(new Date(), user()?.timezone), 14))
  const now = Date.now()
  const topicTitle = (id: string) => progress()?.topics.find((topic) => topic.topic_id === id)?.title ?? ''

  async function download(kind: 'csv' | 'json') {
    setExporting(true)
    try {
      if (kind === 'csv') downloadText(await libraryApi.reviewsCsv(), 'noleij-reviews.csv', 'text/csv;charset=utf-8')
      else downloadJson(await libraryApi.reviewsJson(), 'noleij-reviews.json')
      showToast(t('progress.downloaded', { file: `noleij-reviews.${kind}` }))
    } catch (error) {
      showToast(errorMessage(error), 'error')
    } finally {
      setExporting(false)
    }
  }

  return (
    <div class="page progress-page">
      <h1>{t('progress.title')}</h1>
      <Switch>
        <Match when={progress.error}>
          <p class="form-error">{errorMessage(progress.error)}</p>
        </Match>
        <Match when={progress.loading}>
          <SkeletonList class="topic-progress-list" />
        </Match>
        <Match when={progress() === null}>
          <p class="muted">{t('error.notYet')}</p>
        </Match>
        <Match when={progress()?.topics.length === 0}>
          <div class="empty empty-inline">
            <Icon name="chart" size={40} />
            <p>{t('progress.empty')}</p>
          </div>
        </Match>
        <Match when={progress()}>
          <ul class="topic-progress-list">
            <For each={progress()!.topics}>
              {(topic) => (
                <li class="topic-progress" data-topic-id={topic.topic_id} aria-labelledby={`progress-${topic.topic_id}`}>
                  <div class="topic-progress-head">
                    <h2 id={`progress-${topic.topic_id}`} class="topic-progress-title">
                      {topic.title}
                    </h2>
                    <Sparkline series={dailySeries(topic.accuracy, days())} />
                  </div>
                  <dl class="stats stats-compact">
                    <div class="stat">
                      <dt>{t('progress.seen')}</dt>
                      <dd>{topic.units_seen}</dd>
                    </div>
                    <div class="stat">
                      <dt>{t('progress.mastered')}</dt>
                      <dd>
                        {topic.mastered_concepts}
                        <span class="stat-of"> / {topic.concepts}</span>
                      </dd>
                    </div>
                    <div class="stat">
                      <dt>{t('progress.dueNow')}</dt>
                      <dd>{topic.reviews_due_now}</dd>
                    </div>
                  </dl>
                  <p class="muted small">
                    {topic.next_review_at ? t('progress.nextReview', { when: relative(topic.next_review_at, now) }) : t('progress.noReviews')}
                  </p>
                </li>
              )}
            </For>
          </ul>
          <p class="muted small">{t('progress.masteredHint', { days: progress()!.mastered_stability_days })}</p>

          <Show when={progress()!.next_reviews.length > 0}>
            <section aria-labelledby="upcoming-heading">
              <h2 id="upcoming-heading">{t('progress.upcoming')}</h2>
              <ul class="review-list">
                <For each={progress()!.next_reviews}>
                  {(review) => (
                    <li class="review">
                      <span class="review-concept">{conceptName(review.concept_key)}</span>
                      <span class="muted small">{topicTitle(review.topic_id)}</span>
                      <time class="review-when" datetime={review.due_at}>
                        {relative(review.due_at, now)}
                      </time>
                    </li>
                  )}
                </For>
              </ul>
            </section>
          </Show>
        </Match>
      </Switch>

      <section class="panel" aria-labelledby="export-heading">
        <h2 id="export-heading">{t('progress.export')}</h2>
        <p class="muted">{t('progress.exportHint')}</p>
        <button type="button" class="button button-block" disabled={exporting()} onClick={() => void download('csv')}>
          <Icon name="download" size={18} />
          {t('progress.csv')}
        </button>
        <button type="button" class="button button-block" disabled={exporting()} onClick={() => void download('json')}>
          <Icon name="download" size={18} />
          {t('progress.json')}
        </button>
      </section>
    </div>
  )
}
