import { createSignal, For, Show } from 'solid-js'
import { api } from '../../lib/api.ts'
import { t, type MessageKey } from '../../lib/i18n.ts'
import { errorMessage, isNotDeployed } from '../../lib/messages.ts'
import { mode } from '../../lib/settings.ts'
import { signals } from '../../lib/signals.ts'
import { showToast } from '../../lib/toast.ts'
import { reportReasons, type BranchKind, type FeedUnit, type ReportReason } from '../../lib/types.ts'
import { Icon, type IconName } from '../icons.tsx'
import { AudioPlayer, type AudioControls } from './audio-player.tsx'
import { UnitContent } from './content.tsx'
import { QuizContent } from './quiz.tsx'

export interface UnitViewProps {
  unit: FeedUnit
  index: number
  active: boolean
  /** Modes where sound may start without a tap. */
  autoplay: boolean
  register: (element: HTMLElement) => void
  onEngaged: () => void
  onAdvance: () => void
  onInsert: (unit: FeedUnit) => void
}

/** One screen of the feed: the unit's card, "why this?", its citation and the action bar. */
export function UnitView(props: UnitViewProps) {
  const id = () => props.unit.id
  const [whyOpen, setWhyOpen] = createSignal(false)
  const [liked, setLiked] = createSignal(false)
  const [saved, setSaved] = createSignal(false)
  const [askOpen, setAskOpen] = createSignal(false)
  const [question, setQuestion] = createSignal('')
  const [answer, setAnswer] = createSignal<string>()
  const [askBusy, setAskBusy] = createSignal(false)
  const [askError, setAskError] = createSignal<string>()
  const [reason, setReason] = createSignal<ReportReason>('incorrect')
  const [detail, setDetail] = createSignal('')
  let askDialog: HTMLDialogElement | undefined
  let reportDialog: HTMLDialogElement | undefined
  let player: AudioControls | undefined

  const track = (type: 'like' | 'save' | 'expand' | 'complete' | 'audio_progress', value?: number) => {
    props.onEngaged()
    signals.track({ type, unit_id: id(), mode: mode(), format: props.unit.format, ...(value === undefined ? {} : { progress: value }) })
  }
  const typeLabel = () => t(`type.${props.unit.format === 'audio' && props.unit.type !== 'quiz' ? 'audio' : props.unit.type}` as MessageKey)

  async function branch(kind: BranchKind) {
    props.onEngaged()
    try {
      const result = (await api.branch(id(), kind)) as { unit?: FeedUnit } | undefined
      if (result?.unit?.id) props.onInsert(result.unit)
      showToast(t('action.branchQueued'))
    } catch (error) {
      showToast(isNotDeployed(error) ? t('error.notYet') : errorMessage(error), 'error')
    }
  }

  function listen() {
    if (player) player.toggle()
    else void branch('audio')
  }

  async function ask(event: SubmitEvent) {
    event.preventDefault()
    if (!question().trim()) return
    setAskBusy(true)
    setAskError()
    try {
      setAnswer((await api.ask(id(), question().trim())).answer)
    } catch (error) {
      setAskError(isNotDeployed(error) ? t('error.notYet') : errorMessage(error))
    } finally {
      setAskBusy(false)
    }
  }

  async function report(event: SubmitEvent) {
    event.preventDefault()
    if (reason() === 'other' && detail().trim().length < 3) return
    try {
      await api.report(id(), reason(), detail().trim() || undefined)
      reportDialog?.close()
      showToast(t('action.reported'))
    } catch (error) {
      reportDialog?.close()
      showToast(isNotDeployed(error) ? t('error.notYet') : errorMessage(error), 'error')
    }
  }

  const actions: { key: MessageKey; icon: IconName; run: () => void; pressed?: () => boolean }[] = [
    {
      key: 'action.like',
      icon: 'heart',
      pressed: liked,
      run: () => {
        if (!liked()) track('like')
        setLiked(!liked())
      },
    },
    {
      key: 'action.save',
      icon: 'bookmark',
      pressed: saved,
      run: () => {
        if (!saved()) track('save')
        setSaved(!saved())
      },
    },
    { key: 'action.deeper', icon: 'layers', run: () => void branch('deeper') },
    { key: 'action.story', icon: 'book', run: () => void branch('story') },
    { key: 'action.listen', icon: 'headphones', run: listen },
    {
      key: 'action.ask',
      icon: 'message',
      run: () => {
        setAskOpen(true)
        askDialog?.showModal()
      },
    },
    { key: 'action.report', icon: 'flag', run: () => reportDialog?.showModal() },
  ]

  return (
    <article
      ref={props.register}
      class="unit"
      classList={{ 'unit-active': props.active }}
      data-unit-id={id()}
      data-index={props.index}
      data-type={props.unit.type}
      aria-labelledby={`${id()}-label`}
      aria-posinset={props.index + 1}
      aria-setsize={-1}
      tabindex={props.active ? 0 : -1}
    >
      <div class="unit-card">
        <header class="unit-meta">
          <span class="chip">{props.unit.topic.title}</span>
          <span class="unit-type" id={`${id()}-label`}>
            {typeLabel()}
            <span class="visually-hidden">
              {' · '}
              {props.unit.topic.title}
            </span>
          </span>
          <span class="difficulty" role="img" aria-label={t('feed.difficulty', { level: props.unit.difficulty })}>
            <For each={[1, 2, 3, 4, 5]}>{(level) => <span class="dot" classList={{ 'dot-on': level <= props.unit.difficulty }} />}</For>
          </span>
          <button type="button" class="why-button" aria-expanded={whyOpen()} aria-controls={`${id()}-why`} onClick={() => setWhyOpen(!whyOpen())}>
            <Icon name="info" size={16} />
            {t('feed.why')}
          </button>
        </header>
        <p class="why" id={`${id()}-why`} hidden={!whyOpen()}>
          <strong>{t('feed.whyTitle')}: </strong>
          {props.unit.reason.text}
        </p>

        <Show when={props.unit.audio}>
          {(audio) => (
            <AudioPlayer
              id={id()}
              src={audio().url}
              title={props.unit.topic.title}
              transcript={audio().transcript ?? ''}
              durationMs={audio().duration_ms ?? 0}
              active={props.active}
              autoplay={props.unit.autoplay ?? (props.autoplay && props.unit.format === 'audio')}
              large={props.unit.format === 'audio'}
              controls={(controls) => (player = controls)}
              onProgress={(fraction) => track(fraction >= 1 ? 'complete' : 'audio_progress', fraction >= 1 ? undefined : fraction)}
              onEnded={() => {
                // Hands-free modes chain to the next unit; elsewhere the learner decides.
                if (props.unit.autoplay ?? props.autoplay) props.onAdvance()
              }}
            />
          )}
        </Show>

        <div class="unit-body">
          <UnitContent
            id={id()}
            unit={props.unit}
            onExpand={() => track('expand')}
            quiz={(body) => <QuizContent unitId={id()} body={body} active={props.active} onAnswered={props.onEngaged} onAdvance={props.onAdvance} />}
          />
        </div>

        <Show when={props.unit.citation}>
          {(citation) => (
            <footer class="citation">
              <p>
                {t('feed.source', { title: citation().title })}
                <Show when={citation().page}>{`, ${t('feed.page', { page: citation().page! })}`}</Show>
                <Show when={citation().section}>{` · ${citation().section}`}</Show>
              </p>
              <blockquote>{citation().excerpt}</blockquote>
            </footer>
          )}
        </Show>
      </div>

      <div class="unit-actions" role="group" aria-label={t('action.actions')}>
        <For each={actions}>
          {(action) => (
            <button
              type="button"
              class="action"
              classList={{ 'action-on': action.pressed?.() }}
              aria-label={t(action.key)}
              aria-pressed={action.pressed ? action.pressed() : undefined}
              title={t(action.key)}
              onClick={action.run}
            >
              <Icon name={action.icon} filled={action.pressed?.()} />
            </button>
          )}
        </For>
      </div>

      <dialog ref={(element) => (askDialog = element)} class="dialog" aria-labelledby={`${id()}-ask-title`} onClose={() => setAskOpen(false)}>
        <Show when={askOpen()}>
          <form class="form" onSubmit={ask}>
            <h2 id={`${id()}-ask-title`}>{t('ask.title')}</h2>
            <label for={`${id()}-question`}>{t('ask.question')}</label>
            <textarea id={`${id()}-question`} rows="3" maxLength={500} value={question()} onInput={(event) => setQuestion(event.currentTarget.value)} />
            <div role="status" aria-live="polite">
              <Show when={askBusy()}>
                <p class="muted">{t('ask.thinking')}</p>
              </Show>
              <Show when={answer()}>
                <p class="answer">{answer()}</p>
              </Show>
            </div>
            <Show when={askError()}>
              <p class="form-error" role="alert">
                {askError()}
              </p>
            </Show>
            <div class="dialog-actions">
              <button type="button" class="button" onClick={() => askDialog?.close()}>
                {t('feed.close')}
              </button>
              <button type="submit" class="button button-primary" disabled={askBusy() || !question().trim()}>
                {t('ask.send')}
              </button>
            </div>
          </form>
        </Show>
      </dialog>

      <dialog ref={(element) => (reportDialog = element)} class="dialog" aria-labelledby={`${id()}-report-title`}>
        <form class="form" onSubmit={report}>
          <h2 id={`${id()}-report-title`}>{t('report.title')}</h2>
          <fieldset class="stack">
            <legend class="visually-hidden">{t('report.title')}</legend>
            <For each={reportReasons}>
              {(option) => (
                <label class="check">
                  <input type="radio" name={`${id()}-reason`} value={option} checked={reason() === option} onChange={() => setReason(option)} />
                  <span>{t(`report.${option}`)}</span>
                </label>
              )}
            </For>
          </fieldset>
          <label for={`${id()}-report-detail`}>{t('report.detail')}</label>
          <textarea id={`${id()}-report-detail`} rows="2" maxLength={500} required={reason() === 'other'} value={detail()} onInput={(event) => setDetail(event.currentTarget.value)} />
          <div class="dialog-actions">
            <button type="button" class="button" onClick={() => reportDialog?.close()}>
              {t('settings.cancel')}
            </button>
            <button type="submit" class="button button-primary">
              {t('report.send')}
            </button>
          </div>
        </form>
      </dialog>
    </article>
  )
}
