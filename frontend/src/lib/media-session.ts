import { t } from './i18n.ts'

/**
 * The Media Session: what the lock screen, a car's steering-wheel buttons and headphones show and
 * control. The feed's audio player and the hands-free driving view both hand it their controls
 * through here. Every call is a no-op in a browser without the API, and an action the browser does
 * not know is skipped.
 */

export interface MediaControls {
  play(): void
  pause(): void
  next(): void
  /** Only where there is a previous item (the driving queue); the feed has none. */
  previous?: () => void
  seekBy(seconds: number): void
  seekTo(seconds: number): void
  /** Seconds for the back and forward buttons when the browser does not say. */
  backSeconds: number
  forwardSeconds: number
}

const actions = ['play', 'pause', 'nexttrack', 'previoustrack', 'seekbackward', 'seekforward', 'seekto'] as const
type Action = (typeof actions)[number]

const artwork = [
  { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
  { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
]

const supported = () => typeof navigator !== 'undefined' && 'mediaSession' in navigator

function setHandler(action: Action, handler: MediaSessionActionHandler | null) {
  try {
    navigator.mediaSession.setActionHandler(action, handler)
  } catch {
    // An action this browser does not know.
  }
}

export function bindMediaSession(controls: MediaControls): void {
  if (!supported()) return
  const handlers: Record<Action, MediaSessionActionHandler | null> = {
    play: () => controls.play(),
    pause: () => controls.pause(),
    nexttrack: () => controls.next(),
    previoustrack: controls.previous ? () => controls.previous!() : null,
    seekbackward: (details) => controls.seekBy(-(details.seekOffset ?? controls.backSeconds)),
    seekforward: (details) => controls.seekBy(details.seekOffset ?? controls.forwardSeconds),
    seekto: (details) => {
      if (details.seekTime !== undefined) controls.seekTo(details.seekTime)
    },
  }
  for (const action of actions) setHandler(action, handlers[action])
}

/** Clears the controls and what is shown, for a view that leaves (nothing of it plays any more). */
export function releaseMediaSession(): void {
  if (!supported()) return
  for (const action of actions) setHandler(action, null)
  navigator.mediaSession.metadata = null
  navigator.mediaSession.playbackState = 'none'
}

/** What is playing: the unit's title, and by default the app as the artist. */
export function describeMedia(title: string, artist: string = t('app.name')): void {
  if (!supported()) return
  navigator.mediaSession.metadata = new MediaMetadata({ title, artist, album: t('app.name'), artwork })
}

export function showMediaPlaying(playing: boolean): void {
  if (supported()) navigator.mediaSession.playbackState = playing ? 'playing' : 'paused'
}

/** The lock screen's scrubber from the element: duration, position and rate, when they are valid. */
export function showMediaPosition(audio: HTMLAudioElement): void {
  if (!supported() || !navigator.mediaSession.setPositionState) return
  const state = positionState(audio.duration, audio.currentTime, audio.playbackRate)
  if (!state) return
  try {
    navigator.mediaSession.setPositionState(state)
  } catch {
    // A duration the browser has not settled yet; the next event sets it.
  }
}

/** The Media Session's position state must have position ≤ duration, finite and non-negative. */
export function positionState(durationSeconds: number, positionSeconds: number, playbackRate: number): MediaPositionState | null {
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0) return null
  return {
    duration: durationSeconds,
    position: Math.min(durationSeconds, Math.max(0, Number.isFinite(positionSeconds) ? positionSeconds : 0)),
    playbackRate: playbackRate > 0 ? playbackRate : 1,
  }
}
