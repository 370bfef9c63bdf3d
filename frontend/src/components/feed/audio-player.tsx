import { createEffect, createSignal, For, onCleanup, Show } from 'solid-js'
import { t } from '../../lib/i18n.ts'
import { bindMediaSession, describeMedia, showMediaPosition } from '../../lib/media-session.ts'
import { Icon } from '../icons.tsx'

export interface AudioControls {
  toggle(): void
}

const speeds = [0.75, 1, 1.25, 1.5, 2]
const quartiles = [0.25, 0.5, 0.75, 0.95]

/**
 * An audio unit: play/pause, progress, speed, transcript. It plays by itself when the unit is on
 * screen and the mode allows it (driving, commuting), hands the lock screen its controls through
 * the Media Session API, and asks for the next unit when it ends.
 */
export function AudioPlayer(props: {
  id: string
  src: string
  title: string
  transcript: string
  durationMs: number
  active: boolean
  autoplay: boolean
  large: boolean
  onProgress: (fraction: number) => void
  onEnded: () => void
  controls?: (controls: AudioControls) => void
}) {
  let audio: HTMLAudioElement | undefined
  const [playing, setPlaying] = createSignal(false)
  const [position, setPosition] = createSignal(0)
  const [speed, setSpeed] = createSignal(1)
  const reported = new Set<number>()

  const play = () => void audio?.play().catch(() => setPlaying(false))
  const pause = () => audio?.pause()
  const toggle = () => (audio?.paused ? play() : pause())
  props.controls?.({ toggle })

  createEffect(() => {
    if (props.active && props.autoplay) play()
    if (!props.active) pause()
  })

  const seekTo = (seconds: number) => {
    if (audio) audio.currentTime = Math.max(0, Math.min(audio.duration || 0, seconds))
  }

  // The player that plays takes the lock screen (it stays bound after; the next one to play rebinds).
  createEffect(() => {
    if (!playing()) return
    describeMedia(props.title)
    bindMediaSession({
      play,
      pause,
      next: props.onEnded,
      seekBy: (seconds) => seekTo((audio?.currentTime ?? 0) + seconds),
      seekTo,
      backSeconds: 15,
      forwardSeconds: 30,
    })
  })

  const syncPosition = () => {
    if (audio && playing()) showMediaPosition(audio)
  }

  onCleanup(() => pause())

  function onTimeUpdate() {
    if (!audio) return
    const duration = audio.duration || props.durationMs / 1000
    const fraction = duration > 0 ? audio.currentTime / duration : 0
    setPosition(fraction)
    for (const mark of quartiles) {
      if (fraction >= mark && !reported.has(mark)) {
        reported.add(mark)
        props.onProgress(mark === 0.95 ? 1 : mark)
      }
    }
  }

  return (
    <div class="player" classList={{ 'player-large': props.large }}>
      <audio
        ref={(element) => (audio = element)}
        src={props.src}
        preload={props.active ? 'auto' : 'none'}
        onPlay={() => {
          setPlaying(true)
          syncPosition()
        }}
        onPause={() => setPlaying(false)}
        onLoadedMetadata={syncPosition}
        onSeeked={syncPosition}
        onTimeUpdate={onTimeUpdate}
        onEnded={() => {
          setPlaying(false)
          props.onEnded()
        }}
        onRateChange={() => {
          if (audio) setSpeed(audio.playbackRate)
          syncPosition()
        }}
      />
      <button type="button" class="play-button" aria-label={playing() ? t('audio.pause') : t('audio.play')} onClick={toggle}>
        <Icon name={playing() ? 'pause' : 'play'} size={props.large ? 40 : 24} filled />
      </button>
      <div class="player-track">
        <div class="progress" role="progressbar" aria-label={props.title} aria-valuemin="0" aria-valuemax="100" aria-valuenow={Math.round(position() * 100)}>
          <div class="progress-fill" style={{ width: `${position() * 100}%` }} />
        </div>
        <label class="speed">
          <span class="visually-hidden">{t('audio.speed')}</span>
          <select
            value={String(speed())}
            onChange={(event) => {
              if (audio) audio.playbackRate = Number(event.currentTarget.value)
            }}
          >
            <For each={speeds}>{(value) => <option value={String(value)}>{value}×</option>}</For>
          </select>
        </label>
      </div>
      <Show when={props.transcript}>
        <details class="transcript">
          <summary>{t('audio.transcript')}</summary>
          <p>{props.transcript}</p>
        </details>
      </Show>
    </div>
  )
}
