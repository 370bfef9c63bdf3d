import { A } from '@solidjs/router'
import { createEffect, createSignal, Match, on, onCleanup, onMount, Show, Switch } from 'solid-js'
import { isOffline } from '../../lib/api.ts'
import { drivingApi } from '../../lib/api-driving.ts'
import { t } from '../../lib/i18n.ts'
import '../../lib/messages/driving.ts'
import { errorMessage, isNotDeployed } from '../../lib/messages.ts'
import { signals } from '../../lib/signals.ts'
import type { AnswerResult } from '../../lib/types.ts'
import { Icon } from '../icons.tsx'
import { packStore } from '../offline/packs.ts'
import { Glyph } from './glyphs.tsx'
import { clock, completeAt, leftEarly, mergeQueue, nextSpeed, passedMarks, refillBelowMs, remainingMs, unitTitle, type PlayableUnit } from './queue.ts'
import { bindMediaSession, describeMedia, releaseMediaSession, showMediaPlaying, showMediaPosition } from '../../lib/media-session.ts'
import '../../styles/driving.css'

type Phase = 'loading' | 'ready' | 'preparing' | 'empty' | 'offline' | 'unavailable' | 'error'

/** Minutes of audio asked for at a time. */
const queueMinutes = 30
/** How often to look again while audio is being prepared or the queue runs low. */
const pollMs = 10_000
/** With nothing new and nothing being prepared, ask again only after this long. */
const idleRetryMs = 60_000
const replaySeconds = 15
const forwardSeconds = 30
const speedKey = 'noleij.drivingSpeed'

function storedSpeed(): number {
  const value = Number(localStorage.getItem(speedKey))
  return value > 0 && value <= 2 ? value : 1
}

/**
 * The hands-free view: one unit at a time from `GET /feed/audio-queue`, played back to back. Two
 * audio elements take turns: while one plays, the other has already loaded the next unit, so the
 * next starts the moment this one ends. More audio is asked for when under three minutes are left.
 * Every control is at least 72 px and mirrored on the lock screen through the Media Session API.
 */
export function DrivingView(props: { onExit: () => void }) {
  const [phase, setPhase] = createSignal<Phase>('loading')
  const [failure, setFailure] = createSignal<unknown>()
  const [queue, setQueue] = createSignal<readonly PlayableUnit[]>([])
  const [pending, setPending] = createSignal(0)
  const [index, setIndex] = createSignal(0)
  const [playing, setPlaying] = createSignal(false)
  const [blocked, setBlocked] = createSignal(false)
  const [waiting, setWaiting] = createSignal(false)
  const [positionMs, setPositionMs] = createSignal(0)
  const [durationMs, setDurationMs] = createSignal(0)
  const [speed, setSpeed] = createSignal(storedSpeed())
  const players: HTMLAudioElement[] = []
  /** Which of the two players holds the current unit. */
  let slot = 0
  let fetching = false
  let nextFetchAt = 0
  let reported = new Set<number>()
  let completed = false
  const impressed = new Set<string>()
  let wakeLock: WakeLockSentinel | null = null
  let unmounted = false

  const unit = () => queue()[index()]
  const player = () => players[slot]!
  const fraction = () => (durationMs() > 0 ? Math.min(1, positionMs() / durationMs()) : 0)

  // Queue

  async function fetchMore(options: { force?: boolean } = {}) {
    if (fetching || (!options.force && Date.now() < nextFetchAt)) return
    fetching = true
    const before = queue().length
    try {
      const response = await drivingApi.audioQueue(queueMinutes)
      setPending(response.pending)
      setQueue(mergeQueue(queue(), response.units))
      const added = queue().length - before
      nextFetchAt = Date.now() + (added > 0 ? 0 : response.pending > 0 ? pollMs : idleRetryMs)
      setPhase(queue().length > 0 ? 'ready' : response.pending > 0 ? 'preparing' : 'empty')
    } catch (error) {
      nextFetchAt = Date.now() + pollMs
      // Offline, the downloaded packs' audio keeps the drive going.
      const fromPacks = isOffline(error) ? await packStore.unseenUnits({ limit: 20, exclude: new Set(queue().map((entry) => entry.id)), audioOnly: true }).catch(() => []) : []
      setQueue(mergeQueue(queue(), fromPacks))
      if (queue().length > 0) setPhase('ready')
      else {
        setFailure(error)
        setPhase(isNotDeployed(error) ? 'unavailable' : isOffline(error) ? 'offline' : 'error')
      }
    } finally {
      fetching = false
    }
  }

  function refillIfLow() {
    if (phase() === 'preparing' || remainingMs(queue(), index(), positionMs(), durationMs() || null) < refillBelowMs) void fetchMore()
  }

  // Playback

  function load(target: HTMLAudioElement, next: PlayableUnit | undefined) {
    if ((target.dataset.unitId ?? '') === (next?.id ?? '')) return
    target.dataset.unitId = next?.id ?? ''
    if (next) target.src = next.audio.url
    else target.removeAttribute('src')
    target.load()
  }

  function play() {
    const current = player()
    current.playbackRate = speed()
    current.play().then(
      () => setBlocked(false),
      (error: DOMException) => {
        // The browser wants a tap first; anything else (a source swapped mid-start) is transient.
        if (error.name === 'NotAllowedError') setBlocked(true)
      },
    )
  }

  const toggle = () => (player().paused ? play() : player().pause())

  function begin(target: number, options: { autoplay: boolean }) {
    const next = queue()[target]
    if (!next) return
    const previous = player()
    if (players[1 - slot]!.dataset.unitId === next.id) {
      previous.pause()
      slot = 1 - slot
    } else {
      load(previous, next)
    }
    const current = player()
    if (current.currentTime > 0) current.currentTime = 0
    current.playbackRate = speed()
    current.dataset.role = 'current'
    players[1 - slot]!.dataset.role = 'next'
    players[1 - slot]!.pause()
    load(players[1 - slot]!, queue()[target + 1])
    setIndex(target)
    setPositionMs(0)
    setDurationMs(next.audio.duration_ms ?? 0)
    reported = new Set()
    completed = false
    setWaiting(false)
    describeMedia(unitTitle(next), next.topic.title)
    if (!impressed.has(next.id)) {
      impressed.add(next.id)
      signals.track({ type: 'impression', unit_id: next.id, mode: 'driving', format: 'audio' })
      packStore.markSeen(next.id)
    }
    if (options.autoplay) play()
    refillIfLow()
  }

  /** Leaves the current unit: a skip when the learner moves on before hearing it out. */
  function leave(reason: 'ended' | 'next' | 'previous') {
    const current = unit()
    if (!current) return
    if (leftEarly(fraction(), reason)) signals.track({ type: 'skip', unit_id: current.id, ms: Math.round(positionMs()), mode: 'driving', format: 'audio' })
    else if (!completed) complete(current)
  }

  function complete(current: PlayableUnit) {
    completed = true
    signals.track({ type: 'complete', unit_id: current.id, mode: 'driving', format: 'audio' })
  }

  function next(reason: 'ended' | 'next') {
    leave(reason)
    if (index() + 1 < queue().length) begin(index() + 1, { autoplay: true })
    else {
      player().pause()
      setWaiting(true)
      void fetchMore({ force: true })
    }
  }

  function previous() {
    if (index() === 0) return seekTo(0)
    leave('previous')
    begin(index() - 1, { autoplay: true })
  }

  function seekTo(seconds: number) {
    const current = player()
    const limit = Number.isFinite(current.duration) ? current.duration : durationMs() / 1000
    current.currentTime = Math.max(0, Math.min(limit || 0, seconds))
  }
  const seekBy = (seconds: number) => seekTo(player().currentTime + seconds)

  function changeSpeed() {
    const value = nextSpeed(speed())
    setSpeed(value)
    localStorage.setItem(speedKey, String(value))
    for (const element of players) element.playbackRate = value
  }

  // When more units arrive: preload the next one, and carry on if the queue had run out.
  createEffect(
    on(queue, (units) => {
      if (phase() !== 'ready' || units.length === 0) return
      if (!unit()) return
      if (waiting() && index() + 1 < units.length) begin(index() + 1, { autoplay: true })
      else load(players[1 - slot]!, units[index() + 1])
    }),
  )
  // The first unit, once the queue has one and the players exist.
  createEffect(
    on(phase, (next, before) => {
      if (next === 'ready' && before !== 'ready' && players.length === 2 && !player().dataset.unitId) begin(0, { autoplay: true })
    }),
  )

  // Player events (only the current player's count)

  const isCurrent = (event: Event) => event.currentTarget === player()

  function onTimeUpdate(event: Event) {
    if (!isCurrent(event)) return
    const current = player()
    setPositionMs(current.currentTime * 1000)
    if (Number.isFinite(current.duration) && current.duration > 0) setDurationMs(current.duration * 1000)
    const active = unit()
    if (!active) return
    for (const mark of passedMarks(fraction(), reported)) {
      reported.add(mark)
      signals.track({ type: 'audio_progress', unit_id: active.id, progress: mark, mode: 'driving', format: 'audio' })
    }
    if (fraction() >= completeAt && !completed) complete(active)
    refillIfLow()
  }

  const syncPosition = () => showMediaPosition(player())
  createEffect(() => showMediaPlaying(playing()))

  // Keys: Space plays or pauses, → next, ← back 15 s, Escape leaves.
  function onKeyDown(event: KeyboardEvent) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return
    const target = event.target as HTMLElement
    if (target.closest('button, a, input, select') && (event.key === ' ' || event.key === 'Enter')) return
    const actions: Record<string, () => void> = {
      ' ': toggle,
      k: toggle,
      ArrowRight: () => next('next'),
      ArrowLeft: () => seekBy(-replaySeconds),
      Escape: props.onExit,
    }
    const action = actions[event.key]
    if (!action || phase() !== 'ready') return
    event.preventDefault()
    action()
  }

  /** One screen lock while the view is open; the browser releases it when the page is hidden. */
  async function keepScreenOn() {
    if (!('wakeLock' in navigator) || document.visibilityState !== 'visible' || (wakeLock && !wakeLock.released)) return
    try {
      const lock = await navigator.wakeLock.request('screen')
      if (unmounted) void lock.release().catch(() => {})
      else wakeLock = lock
    } catch {
      // Refused (battery saver) or unsupported: the view works without it.
    }
  }
  const onVisibility = () => {
    if (document.visibilityState === 'visible' && playing()) void keepScreenOn()
  }

  let poll: ReturnType<typeof setInterval> | undefined
  onMount(() => {
    // The lock screen, the car's steering-wheel buttons, headphones.
    bindMediaSession({
      play,
      pause: () => player().pause(),
      next: () => next('next'),
      previous,
      seekBy,
      seekTo,
      backSeconds: replaySeconds,
      forwardSeconds,
    })
    document.addEventListener('keydown', onKeyDown)
    document.addEventListener('visibilitychange', onVisibility)
    poll = setInterval(() => {
      if (phase() === 'preparing' || waiting() || phase() === 'ready') refillIfLow()
    }, pollMs)
    void fetchMore({ force: true })
  })
  onCleanup(() => {
    unmounted = true
    clearInterval(poll)
    document.removeEventListener('keydown', onKeyDown)
    document.removeEventListener('visibilitychange', onVisibility)
    for (const element of players) {
      element.pause()
      element.removeAttribute('src')
    }
    releaseMediaSession()
    void wakeLock?.release().catch(() => {})
  })

  const audio = (position: number) => (
    <audio
      ref={(element) => (players[position] = element)}
      preload="auto"
      data-slot={position}
      onPlay={(event) => {
        if (!isCurrent(event)) return
        setPlaying(true)
        syncPosition()
        void keepScreenOn()
      }}
      onPause={(event) => {
        if (!isCurrent(event)) return
        setPlaying(false)
        syncPosition()
      }}
      onTimeUpdate={onTimeUpdate}
      onLoadedMetadata={(event) => isCurrent(event) && syncPosition()}
      onRateChange={(event) => isCurrent(event) && syncPosition()}
      onSeeked={(event) => isCurrent(event) && syncPosition()}
      onEnded={(event) => isCurrent(event) && next('ended')}
    />
  )

  return (
    <div class="driving" role="region" aria-label={t('driving.label')}>
      <div class="driving-top">
        <button type="button" class="driving-button driving-exit" onClick={() => props.onExit()}>
          <Glyph name="exit" />
          <span>{t('driving.exit')}</span>
        </button>
        <Show when={phase() === 'ready' && queue().length > 0}>
          <p class="driving-count">
            <span aria-hidden="true">
              {index() + 1} / {queue().length}
            </span>
            <span class="visually-hidden">{t('driving.positionLabel', { current: index() + 1, total: queue().length })}</span>
          </p>
        </Show>
      </div>
      {audio(0)}
      {audio(1)}
      <Switch>
        <Match when={phase() === 'loading'}>
          <div class="driving-state" aria-busy="true">
            <Icon name="headphones" size={56} />
            <h1>{t('driving.loading')}</h1>
          </div>
        </Match>
        <Match when={phase() === 'preparing'}>
          <div class="driving-state" data-state="preparing" role="status">
            <span class="driving-spinner" aria-hidden="true" />
            <h1>{t('driving.preparingTitle')}</h1>
            <p>{t('driving.preparing', { count: pending() })}</p>
          </div>
        </Match>
        <Match when={phase() === 'ready' && unit()}>
          {(current) => (
            <>
              <section class="driving-now" aria-labelledby="driving-title">
                <p class="driving-topic">{current().topic.title}</p>
                <h1 id="driving-title" class="driving-title" data-unit-id={current().id}>
                  {unitTitle(current())}
                </h1>
                <div
                  class="driving-progress"
                  role="progressbar"
                  aria-label={t('driving.progress')}
                  aria-valuemin="0"
                  aria-valuemax="100"
                  aria-valuenow={Math.round(fraction() * 100)}
                  aria-valuetext={t('driving.progressText', { elapsed: clock(positionMs()), total: clock(durationMs()) })}
                >
                  <div class="driving-progress-fill" style={{ width: `${fraction() * 100}%` }} />
                </div>
                <p class="driving-times" aria-hidden="true">
                  <span>{clock(positionMs())}</span>
                  <span>−{clock(durationMs() - positionMs())}</span>
                </p>
                <Show when={waiting()}>
                  <p class="driving-note" role="status">
                    {t('driving.waiting')}
                  </p>
                </Show>
              </section>
              {/* Keyed: two true/false units in a row each get fresh buttons. */}
              <Show when={current().type === 'quiz' && (current().body as { kind?: string }).kind === 'true_false' && current().id} keyed>
                {(id) => <TrueFalse unitId={id} />}
              </Show>
              <div class="driving-controls">
                <button type="button" class="driving-button" onClick={() => seekBy(-replaySeconds)} aria-label={t('driving.back', { seconds: replaySeconds })}>
                  <Glyph name="back" />
                  <span aria-hidden="true">{replaySeconds}</span>
                </button>
                <Show
                  when={!blocked()}
                  fallback={
                    <button type="button" class="driving-button driving-play driving-start" onClick={play}>
                      <Icon name="play" size={48} filled />
                      <span>{t('driving.start')}</span>
                    </button>
                  }
                >
                  <button type="button" class="driving-button driving-play" onClick={toggle} aria-label={playing() ? t('audio.pause') : t('audio.play')}>
                    <Icon name={playing() ? 'pause' : 'play'} size={56} filled />
                  </button>
                </Show>
                <button type="button" class="driving-button" onClick={() => next('next')} aria-label={t('driving.next')}>
                  <Glyph name="next" />
                </button>
                <button type="button" class="driving-button" onClick={previous} aria-label={t('driving.previous')}>
                  <Glyph name="previous" />
                </button>
                <button type="button" class="driving-button driving-speed" onClick={changeSpeed} aria-label={t('driving.speed', { speed: speed() })}>
                  {speed()}×
                </button>
                <button type="button" class="driving-button" onClick={() => seekBy(forwardSeconds)} aria-label={t('driving.forward', { seconds: forwardSeconds })}>
                  <Glyph name="forward" />
                  <span aria-hidden="true">{forwardSeconds}</span>
                </button>
              </div>
            </>
          )}
        </Match>
        <Match when={true}>
          <div class="driving-state" data-state={phase()}>
            <Icon name={phase() === 'offline' ? 'wifiOff' : 'headphones'} size={56} />
            <h1>{t(phase() === 'empty' ? 'driving.emptyTitle' : phase() === 'offline' ? 'driving.offlineTitle' : phase() === 'unavailable' ? 'driving.unavailableTitle' : 'driving.errorTitle')}</h1>
            <p>{phase() === 'empty' ? t('driving.empty') : phase() === 'offline' ? t('driving.offline') : phase() === 'unavailable' ? t('driving.unavailable') : errorMessage(failure())}</p>
            <div class="driving-actions">
              <Show when={phase() === 'empty'}>
                <A href="/topics" class="driving-button driving-link">
                  {t('driving.teachMe')}
                </A>
              </Show>
              <Show when={phase() === 'offline'}>
                <A href="/offline" class="driving-button driving-link">
                  {t('driving.packs')}
                </A>
              </Show>
              <Show when={phase() !== 'empty' && phase() !== 'unavailable'}>
                <button type="button" class="driving-button driving-link" onClick={() => void fetchMore({ force: true })}>
                  {t('driving.retry')}
                </button>
              </Show>
            </div>
          </div>
        </Match>
      </Switch>
    </div>
  )
}

/** A spoken true/false: two big buttons, the verdict in big letters; playback carries on. */
function TrueFalse(props: { unitId: string }) {
  const [outcome, setOutcome] = createSignal<{ queued: true } | { queued: false; result: AnswerResult } | null>(null)
  const [busy, setBusy] = createSignal(false)
  const shownAt = Date.now()

  async function answer(value: boolean) {
    if (busy() || outcome()) return
    setBusy(true)
    try {
      setOutcome(await signals.answer(props.unitId, { answer: value, time_ms: Date.now() - shownAt }))
    } catch {
      setOutcome(null)
    } finally {
      setBusy(false)
    }
  }

  const verdict = () => {
    const current = outcome()
    if (!current) return ''
    if (current.queued) return t('driving.answerQueued')
    return current.result.correct ? t('driving.correct') : t('driving.wrong')
  }

  return (
    <div class="driving-quiz" role="group" aria-label={t('driving.quiz')}>
      <Show
        when={outcome()}
        fallback={
          <>
            <button type="button" class="driving-button driving-answer" disabled={busy()} onClick={() => void answer(true)}>
              {t('quiz.true')}
            </button>
            <button type="button" class="driving-button driving-answer" disabled={busy()} onClick={() => void answer(false)}>
              {t('quiz.false')}
            </button>
          </>
        }
      >
        <p class="driving-verdict" role="status">
          {verdict()}
        </p>
      </Show>
    </div>
  )
}
