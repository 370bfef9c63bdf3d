import { createSignal, Show, type JSX } from 'solid-js'
import { t, type MessageKey } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import type { FeedUnit, InsightBody, ProseBody, QuizBody, ScenarioBody, StoryboardBody } from '../../lib/types.ts'
import { UnitContent } from '../feed/content.tsx'

/** One line to recognise a unit by, whatever its type. */
export function previewText(unit: FeedUnit): string {
  const body = unit.body as Partial<InsightBody & ProseBody & ScenarioBody & StoryboardBody> & Partial<{ question: string; statement: string }>
  return body.title || body.text || body.question || body.statement || ''
}

function QuizQuestion(props: { body: QuizBody }) {
  const question = () => ('question' in props.body ? props.body.question : 'statement' in props.body ? props.body.statement : props.body.text)
  return (
    <div class="content">
      <p class="quiz-question">{question()}</p>
      <p class="muted small">{t('saved.quizNote')}</p>
    </div>
  )
}

/**
 * A unit in a list (saved units, a document's units), compact; "open" shows it as the feed draws it,
 * read-only: quizzes are answered in the feed. `note` sits at the end of the meta line; `children`
 * are further actions after "open".
 */
export function ListedUnit(props: { unit: FeedUnit; note: JSX.Element; children?: JSX.Element }) {
  const [open, setOpen] = createSignal(false)
  const id = () => `listed-${props.unit.id}`
  return (
    <li class="listed-unit" data-unit-id={props.unit.id} aria-labelledby={`${id()}-preview`}>
      <div class="listed-meta">
        <span class="chip">{props.unit.topic.title}</span>
        <span class="unit-type">{t(`type.${props.unit.type}` as MessageKey)}</span>
        <span class="muted small listed-note">{props.note}</span>
      </div>
      <p class="listed-preview" id={`${id()}-preview`} hidden={open()}>
        {previewText(props.unit)}
      </p>
      <div id={`${id()}-full`} class="listed-full" hidden={!open()}>
        <Show when={open()}>
          <UnitContent id={id()} unit={props.unit} onExpand={() => {}} quiz={(body) => <QuizQuestion body={body} />} />
        </Show>
      </div>
      <Show when={props.unit.citation}>
        {(citation) => (
          <p class="muted small listed-citation">
            {t('feed.source', { title: citation().title })}
            <Show when={citation().page}>{`, ${t('feed.page', { page: citation().page! })}`}</Show>
          </p>
        )}
      </Show>
      <div class="listed-actions">
        <button type="button" class="button button-small" aria-expanded={open()} aria-controls={`${id()}-full`} onClick={() => setOpen(!open())}>
          {open() ? t('saved.close') : t('saved.open')}
        </button>
        {props.children}
      </div>
    </li>
  )
}

/** "Load more" under a paged list, while there is a next page. */
export function MoreButton(props: { list: { cursor: () => string | null; loadingMore: () => boolean; more: () => Promise<void> } }) {
  return (
    <Show when={props.list.cursor()}>
      <button type="button" class="button button-block" disabled={props.list.loadingMore()} aria-busy={props.list.loadingMore()} onClick={() => void props.list.more()}>
        {props.list.loadingMore() ? t('app.loading') : t('saved.more')}
      </button>
    </Show>
  )
}
