import { A } from '@solidjs/router'
import { createEffect, createSignal, For, Match, on, onCleanup, onMount, Show, Switch } from 'solid-js'
import { api, isOffline } from '../../lib/api.ts'
import { t, type MessageKey } from '../../lib/i18n.ts'
import { errorMessage, isNotDeployed } from '../../lib/messages.ts'
import { mode } from '../../lib/settings.ts'
import { signals } from '../../lib/signals.ts'
import type { FeedBreak, FeedItem, FeedUnit } from '../../lib/types.ts'
import { Icon } from '../icons.tsx'
import { withOfflinePacks } from '../offline/pack-feed.ts'
import { packStore } from '../offline/packs.ts'
import { emptyPhase, type Phase } from './empty-phase.ts'
import { UnitView } from './unit-view.tsx'

/** A break card gets a client-side id so the list can key and dedupe every entry alike. */
type Entry = FeedUnit | (FeedBreak & { id: string })

const isUnit = (entry: Entry | undefined): entry is FeedUnit => !!entry && entry.kind !== 'break'
let breaks = 0
const toEntry = (item: FeedItem): Entry => (item.kind === 'break' ? { ...item, id: `break-${++breaks}` } : item)

const pageSize = 5
/** While units are being voiced for an empty driving feed, it asks again this often. */
const voicingPollMs = 10_000
/** Shorter than this on screen without touching it: a skip, not a read. */
const skipBelowMs = 2000

const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches

/**
 * The feed: one unit per screen, vertical snap scrolling (touch swipes, wheel), arrow keys, j/k
 * and Page Up/Down. The next page is fetched two units before the end so there is never a
 * spinner between units; their audio is fetched ahead for the service worker to keep offline.
 * Impressions, dwell and skips are measured here and batched by lib/events.ts.
 */
export function FeedView() {
  const [units, setUnits] = createSignal<Entry[]>([])
  const [phase, setPhase] = createSignal<Phase>('loading')
  const [failure, setFailure] = createSignal<unknown>()
  const [loadingMore, setLoadingMore] = createSignal(false)
  const [exhausted, setExhausted] = createSignal(false)
  const [current, setCurrent] = createSignal(0)
  let feed: HTMLDivElement | undefined
  let observer: IntersectionObserver | undefined
  let request: AbortController | undefined
  const elements = new Map<number, HTMLElement>()
  const impressed = new Set<string>()
  const engaged = new Set<string>()
  const prefetchedAudio = new Set<string>()
  let shownAt = Date.now()

  async function load(options: { replaceAfter?: number } = {}) {
    if (loadingMore() && options.replaceAfter === undefined) return
    request?.abort()
    const controller = new AbortController()
    request = controller
    setLoadingMore(true)
    try {
      // Offline, downloaded packs add the units not shown yet (components/offline/pack-feed.ts).
      const page = await withOfflinePacks(() => api.nextUnits({ limit: pageSize, mode: mode(), signal: controller.signal }), {
        store: packStore,
        limit: pageSize,
        exclude: new Set(units().map((unit) => unit.id)),
        audioOnly: mode() === 'driving',
        online: () => navigator.onLine,
      })
      const kept = options.replaceAfter === undefined ? units() : units().slice(0, options.replaceAfter + 1)
      const known = new Set(kept.map((unit) => unit.id))
      const fresh = page.units.map(toEntry).filter((entry) => !known.has(entry.id))
      setUnits([...kept, ...fresh])
      setExhausted(fresh.length === 0)
      setPhase(units().length > 0 ? 'ready' : emptyPhase(page, mode()))
    } catch (error) {
      if ((error as { name?: string }).name === 'AbortError') return
      if (units().length > 0) {
        setExhausted(true)
      } else {
        setFailure(error)
        setPhase(isNotDeployed(error) ? 'unavailable' : isOffline(error) ? 'offline' : 'error')
      }
    } finally {
      if (request === controller) setLoadingMore(false)
    }
  }

  function endView(index: number) {
    const unit = units()[index]
    if (!isUnit(unit)) return
    const ms = Date.now() - shownAt
    signals.track({ type: ms < skipBelowMs && !engaged.has(unit.id) ? 'skip' : 'dwell', unit_id: unit.id, ms, mode: mode() })
  }

  function startView(index: number) {
    shownAt = Date.now()
    const unit = units()[index]
    if (isUnit(unit) && !impressed.has(unit.id)) {
      impressed.add(unit.id)
      signals.track({ type: 'impression', unit_id: unit.id, mode: mode() })
      packStore.markSeen(unit.id)
    }
    if (index >= units().length - 2 && !exhausted()) void load()
    prefetchAudio(index)
  }

  function prefetchAudio(index: number) {
    if (!navigator.serviceWorker?.controller) return
    for (const unit of units().slice(index + 1, index + 3)) {
      if (isUnit(unit) && unit.audio && !prefetchedAudio.has(unit.id)) {
        prefetchedAudio.add(unit.id)
        void fetch(unit.audio.url).catch(() => prefetchedAudio.delete(unit.id))
      }
    }
  }

  createEffect(
    on(current, (index, previous) => {
      if (phase() !== 'ready') return
      if (previous !== undefined && previous !== index) endView(previous)
      startView(index)
    }),
  )
  createEffect(on(phase, (next) => next === 'ready' && startView(current()), { defer: true }))
  createEffect(() => {
    if (phase() !== 'voicing') return
    const poll = setInterval(() => document.visibilityState === 'visible' && void load(), voicingPollMs)
    onCleanup(() => clearInterval(poll))
  })
  // A new mode changes what fits: keep what was seen, replace what was fetched ahead.
  createEffect(on(mode, () => void load({ replaceAfter: current() }), { defer: true }))

  function go(index: number) {
    const target = elements.get(index)
    if (!target) return
    // Scroll the feed itself; scrollIntoView would also scroll every ancestor, shell included.
    feed?.scrollTo({ top: target.offsetTop, behavior: reducedMotion() ? 'auto' : 'smooth' })
    target.focus({ preventScroll: true })
  }

  function onKeyDown(event: KeyboardEvent) {
    const target = event.target as HTMLElement
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || target.closest('input, textarea, select, dialog')) return
    const step = ['ArrowDown', 'PageDown', 'j'].includes(event.key) ? 1 : ['ArrowUp', 'PageUp', 'k'].includes(event.key) ? -1 : 0
    if (step === 0) return
    event.preventDefault()
    go(Math.max(0, Math.min(units().length - 1, current() + step)))
  }

  function onVisibility() {
    if (phase() !== 'ready') return
    if (document.visibilityState === 'hidden') endView(current())
    else shownAt = Date.now()
  }

  /** The unit that fills most of the feed's viewport is the current one. */
  function watch(element: HTMLElement) {
    observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting && entry.intersectionRatio >= 0.6) setCurrent(Number((entry.target as HTMLElement).dataset.index))
        }
      },
      { root: feed, threshold: [0.6] },
    )
    observer.observe(element)
  }

  // With nothing focused (just after loading, after a click on the background), keys still page.
  const onDocumentKeyDown = (event: KeyboardEvent) => {
    if (event.target === document.body && phase() === 'ready') onKeyDown(event)
  }

  onMount(() => {
    document.addEventListener('visibilitychange', onVisibility)
    document.addEventListener('keydown', onDocumentKeyDown)
    void load()
  })
  onCleanup(() => {
    request?.abort()
    observer?.disconnect()
    document.removeEventListener('visibilitychange', onVisibility)
    document.removeEventListener('keydown', onDocumentKeyDown)
    if (phase() === 'ready') endView(current())
  })

  const register = (index: number) => (element: HTMLElement) => {
    const previous = elements.get(index)
    if (previous) observer?.unobserve(previous)
    elements.set(index, element)
    // Observed once the element is in the feed, so the observer's root is the feed itself.
    queueMicrotask(() => watch(element))
  }

  return (
    <Switch>
      <Match when={phase() === 'loading'}>
        <div class="feed" aria-busy="true" aria-label={t('feed.loading')}>
          <div class="unit unit-skeleton">
            <div class="unit-card">
              <span class="skeleton skeleton-chip" />
              <span class="skeleton skeleton-line" />
              <span class="skeleton skeleton-line" />
              <span class="skeleton skeleton-line short" />
            </div>
          </div>
        </div>
      </Match>
      <Match when={phase() === 'ready'}>
        <div class="feed" role="feed" aria-label={t('feed.label')} aria-busy={loadingMore()} ref={(element) => (feed = element)} onKeyDown={onKeyDown}>
          <For each={units()}>
            {(entry, index) =>
              isUnit(entry) ? (
                <UnitView
                  unit={entry}
                  index={index()}
                  active={current() === index()}
                  autoplay={mode() === 'driving' || mode() === 'commuting'}
                  register={register(index())}
                  onEngaged={() => engaged.add(entry.id)}
                  onAdvance={() => {
                    if (current() === index()) go(index() + 1)
                  }}
                  onInsert={(inserted) => {
                    const list = units().filter((candidate) => candidate.id !== inserted.id)
                    const at = current() + 1
                    setUnits([...list.slice(0, at), inserted, ...list.slice(at)])
                  }}
                />
              ) : (
                <BreakView entry={entry} index={index()} active={current() === index()} register={register(index())} onContinue={() => go(index() + 1)} />
              )
            }
          </For>
          {/* A feed holds articles only (ARIA): the end of the list is one too. */}
          <article class="unit unit-end">
            <Show when={exhausted()} fallback={<p class="muted">{t('feed.more')}</p>}>
              <p>{t('feed.end')}</p>
              <A href="/topics" class="button button-primary">
                {t('feed.addTopic')}
              </A>
            </Show>
          </article>
        </div>
      </Match>
      <Match when={true}>
        <EmptyState phase={phase()} failure={failure()} retry={() => void load()} />
      </Match>
    </Switch>
  )
}

/** "Take a break?": offered by the server after `break_minutes` of continuous use; never forced. */
function BreakView(props: { entry: FeedBreak & { id: string }; index: number; active: boolean; register: (element: HTMLElement) => void; onContinue: () => void }) {
  return (
    <article
      ref={props.register}
      class="unit unit-break"
      classList={{ 'unit-active': props.active }}
      data-break={props.entry.minutes}
      data-index={props.index}
      aria-labelledby={`${props.entry.id}-title`}
      aria-posinset={props.index + 1}
      aria-setsize={-1}
      tabindex={props.active ? 0 : -1}
    >
      <div class="unit-card break-card">
        <Icon name="coffee" size={40} />
        <h2 id={`${props.entry.id}-title`}>{t('feed.breakTitle')}</h2>
        <p>{props.entry.reason.text || t('feed.breakText', { minutes: props.entry.minutes })}</p>
        <button type="button" class="button" onClick={props.onContinue}>
          {t('feed.keepGoing')}
        </button>
      </div>
    </article>
  )
}

const emptyWords: Record<Exclude<Phase, 'loading' | 'ready' | 'error'>, [MessageKey, MessageKey]> = {
  empty: ['feed.emptyTitle', 'feed.empty'],
  'caught-up': ['feed.caughtUpTitle', 'feed.caughtUp'],
  voicing: ['feed.voicingTitle', 'feed.voicing'],
  quiet: ['feed.quietTitle', 'feed.quiet'],
  unavailable: ['feed.unavailableTitle', 'feed.unavailable'],
  offline: ['feed.offlineTitle', 'feed.offline'],
}

function EmptyState(props: { phase: Phase; failure: unknown; retry: () => void }) {
  const words = () => (props.phase === 'error' || props.phase === 'loading' || props.phase === 'ready' ? undefined : emptyWords[props.phase])
  const title = () => t(words()?.[0] ?? 'feed.errorTitle')
  const text = () => (words() ? t(words()![1]) : errorMessage(props.failure))
  return (
    <section class="empty" aria-labelledby="empty-title" data-state={props.phase}>
      <Icon name={props.phase === 'offline' ? 'wifiOff' : props.phase === 'voicing' || props.phase === 'quiet' ? 'headphones' : 'sparkles'} size={40} />
      <h1 id="empty-title">{title()}</h1>
      <p>{text()}</p>
      <div class="empty-actions">
        <Show when={props.phase !== 'voicing'}>
          <A href="/topics" class="button button-primary">
            {t('feed.addTopic')}
          </A>
        </Show>
        <Show when={props.phase === 'error' || props.phase === 'offline'}>
          <button type="button" class="button" onClick={props.retry}>
            {t('feed.retry')}
          </button>
        </Show>
      </div>
    </section>
  )
}
