import { createSignal, For, Index, Match, Show, Switch, type JSX } from 'solid-js'
import { t } from '../../lib/i18n.ts'
import type { FeedUnit, InsightBody, ProseBody, QuizBody, ScenarioBody, StoryboardBody } from '../../lib/types.ts'

/** "Tell me more": detail behind a disclosure button; opening it counts as an `expand` signal. */
function Detail(props: { id: string; detail?: string; onExpand: () => void }) {
  const [open, setOpen] = createSignal(false)
  return (
    <Show when={props.detail}>
      <button
        type="button"
        class="link-button"
        aria-expanded={open()}
        aria-controls={`${props.id}-detail`}
        onClick={() => {
          if (!open()) props.onExpand()
          setOpen(!open())
        }}
      >
        {open() ? t('feed.lessDetail') : t('feed.moreDetail')}
      </button>
      <p class="unit-detail" id={`${props.id}-detail`} hidden={!open()}>
        {props.detail}
      </p>
    </Show>
  )
}

export function InsightContent(props: { id: string; body: InsightBody; onExpand: () => void }) {
  return (
    <div class="content content-insight">
      <p class="insight-text">{props.body.text}</p>
      <Detail id={props.id} detail={props.body.detail} onExpand={props.onExpand} />
    </div>
  )
}

export function ProseContent(props: { id: string; body: ProseBody; onExpand: () => void }) {
  return (
    <div class="content content-prose">
      <Show when={props.body.title}>
        <h2 class="unit-title">{props.body.title}</h2>
      </Show>
      <p class="prose-text">{props.body.text}</p>
      <Detail id={props.id} detail={props.body.detail} onExpand={props.onExpand} />
    </div>
  )
}

/** A two-character micro-drama, read as a chat: the first speaker on the left, the second on the right. */
export function ScenarioContent(props: { body: ScenarioBody }) {
  return (
    <div class="content content-scenario">
      <h2 class="unit-title">{props.body.title}</h2>
      <ol class="dialogue">
        <For each={props.body.lines}>
          {(line) => (
            <li class="line" classList={{ 'line-right': line.speaker === 1 }}>
              <span class="speaker">{props.body.characters[line.speaker].name}</span>
              <p class="bubble">{line.text}</p>
            </li>
          )}
        </For>
      </ol>
    </div>
  )
}

/** A comic strip: numbered panels, each a drawn scene (its visual cue) under a caption box. */
export function StoryboardContent(props: { body: StoryboardBody }) {
  return (
    <div class="content content-storyboard">
      <h2 class="unit-title">{props.body.title}</h2>
      <ol class="comic" classList={{ 'comic-odd': props.body.frames.length % 2 === 1 }}>
        <Index each={props.body.frames}>
          {(frame, index) => (
            <li class="comic-panel">
              <p class="panel-caption">{frame().caption}</p>
              <div class="panel-art">
                <span class="panel-number" aria-hidden="true">
                  {index + 1}
                </span>
                <p class="panel-visual">{frame().visual}</p>
              </div>
            </li>
          )}
        </Index>
      </ol>
    </div>
  )
}

/**
 * A unit's content, drawn by its type. The quiz is the caller's: answered in the feed, shown
 * read-only in a list.
 */
export function UnitContent(props: { id: string; unit: Pick<FeedUnit, 'type' | 'body'>; onExpand: () => void; quiz: (body: QuizBody) => JSX.Element }) {
  return (
    <Switch>
      <Match when={props.unit.type === 'insight'}>
        <InsightContent id={props.id} body={props.unit.body as InsightBody} onExpand={props.onExpand} />
      </Match>
      <Match when={props.unit.type === 'scenario'}>
        <ScenarioContent body={props.unit.body as ScenarioBody} />
      </Match>
      <Match when={props.unit.type === 'storyboard'}>
        <StoryboardContent body={props.unit.body as StoryboardBody} />
      </Match>
      <Match when={props.unit.type === 'quiz'}>{props.quiz(props.unit.body as QuizBody)}</Match>
      <Match when={true}>
        <ProseContent id={props.id} body={props.unit.body as ProseBody} onExpand={props.onExpand} />
      </Match>
    </Switch>
  )
}
