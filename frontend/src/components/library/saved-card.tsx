import { createSignal, Match, Show, Switch } from 'solid-js'
import type { SavedItem } from '../../lib/api-library.ts'
import { formatInstantDate } from '../../lib/format.ts'
import { locale, t, type MessageKey } from '../../lib/i18n.ts'
import '../../lib/messages/library.ts'
import type { InsightBody, ProseBody, QuizBody, ScenarioBody, StoryboardBody } from '../../lib/types.ts'
import { InsightContent, ProseContent, ScenarioContent, StoryboardContent } from '../feed/content.tsx'
import { Icon } from '../icons.tsx'

/** One line to recognise a unit by, whatever its type. */
export function previewText(unit: SavedItem['unit']): string {
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

/** A saved unit, compact; "open" shows it as the feed draws it (read-only: no quiz answering here). */
export function SavedCard(props: { item: SavedItem; onRemove: (item: SavedItem) => void }) {
  const [open, setOpen] = createSignal(false)
  const unit = () => props.item.unit
  const id = () => `saved-${unit().id}`
  const when = () => formatInstantDate(props.item.saved_at, locale())
  return (
    <li class="saved" data-unit-id={unit().id} aria-labelledby={`${id()}-preview`}>
      <div class="saved-meta">
        <span class="chip">{unit().topic.title}</span>
        <span class="unit-type">{t(`type.${unit().type}` as MessageKey)}</span>
        <span class="muted small saved-when">{t('saved.savedOn', { when: when() })}</span>
      </div>
      <p class="saved-preview" id={`${id()}-preview`} hidden={open()}>
        {previewText(unit())}
      </p>
      <div id={`${id()}-full`} class="saved-full" hidden={!open()}>
        <Show when={open()}>
          <Switch>
            <Match when={unit().type === 'insight'}>
              <InsightContent id={id()} body={unit().body as InsightBody} onExpand={() => {}} />
            </Match>
            <Match when={unit().type === 'scenario'}>
              <ScenarioContent body={unit().body as ScenarioBody} />
            </Match>
            <Match when={unit().type === 'storyboard'}>
              <StoryboardContent body={unit().body as StoryboardBody} />
            </Match>
            <Match when={unit().type === 'quiz'}>
              <QuizQuestion body={unit().body as QuizBody} />
            </Match>
            <Match when={true}>
              <ProseContent id={id()} body={unit().body as ProseBody} onExpand={() => {}} />
            </Match>
          </Switch>
        </Show>
      </div>
      <Show when={unit().citation}>
        {(citation) => (
          <p class="muted small saved-citation">
            {t('feed.source', { title: citation().title })}
            <Show when={citation().page}>{`, ${t('feed.page', { page: citation().page! })}`}</Show>
          </p>
        )}
      </Show>
      <div class="saved-actions">
        <button type="button" class="button button-small" aria-expanded={open()} aria-controls={`${id()}-full`} onClick={() => setOpen(!open())}>
          {open() ? t('saved.close') : t('saved.open')}
        </button>
        <button type="button" class="button button-small" onClick={() => props.onRemove(props.item)}>
          <Icon name="bookmark" size={16} filled />
          {t('saved.remove')}
        </button>
      </div>
    </li>
  )
}
