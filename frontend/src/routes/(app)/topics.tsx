import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js'
import { SkeletonList } from '../../components/skeleton-list.tsx'
import { api } from '../../lib/api.ts'
import { t, type MessageKey } from '../../lib/i18n.ts'
import { errorMessage, isNotDeployed, orIfNotDeployed } from '../../lib/messages.ts'
import { showToast } from '../../lib/toast.ts'
import type { Topic } from '../../lib/types.ts'
import { checkTopic } from '../../lib/validation.ts'

const suggestions: MessageKey[] = ['topics.suggest.1', 'topics.suggest.2', 'topics.suggest.3', 'topics.suggest.4']

/** "Teach me…": ask for a topic in your own words, and the topics you follow. */
export default function Topics() {
  const [prompt, setPrompt] = createSignal('')
  const [error, setError] = createSignal<string>()
  const [busy, setBusy] = createSignal(false)
  const [topics, { mutate, refetch }] = createResource(() =>
    orIfNotDeployed(
      api.topics().then((items) => ({ items, unavailable: false })),
      { items: [] as Topic[], unavailable: true },
    ),
  )
  let input: HTMLTextAreaElement | undefined

  // Units of a new topic are written in the background; look again while any is still generating.
  const poll = setInterval(() => {
    if (document.visibilityState === 'visible' && topics()?.items.some((topic) => topic.status === 'generating')) void refetch()
  }, 5000)
  onCleanup(() => clearInterval(poll))

  async function unfollow(topic: Topic) {
    try {
      await api.unfollowTopic(topic.id)
      mutate((current) => current && { ...current, items: current.items.filter((item) => item.id !== topic.id) })
      showToast(t('topics.unfollowed', { title: topic.title }))
    } catch (failure) {
      showToast(errorMessage(failure), 'error')
    }
  }

  async function submit(event: SubmitEvent) {
    event.preventDefault()
    const problem = checkTopic(prompt())
    setError(problem && t(problem))
    if (problem) {
      input?.focus()
      return
    }
    setBusy(true)
    try {
      const { topic } = await api.createTopic(prompt().trim())
      mutate((current) => ({ unavailable: false, items: [topic, ...(current?.items ?? []).filter((item) => item.id !== topic.id)] }))
      setPrompt('')
      showToast(t(topic.status === 'needs_ai_provider' ? 'topics.addedNeedsProvider' : 'topics.added', { title: topic.title }))
      // The list knows how many units are waiting; the answer to the POST does not.
      void refetch()
    } catch (failure) {
      setError(isNotDeployed(failure) ? t('topics.unavailable') : errorMessage(failure))
      input?.focus()
    } finally {
      setBusy(false)
    }
  }

  return (
    <div class="page">
      <h1>{t('topics.title')}</h1>
      <form class="form composer" onSubmit={submit} novalidate aria-busy={busy()}>
        <label for="topic-prompt">{t('topics.prompt')}</label>
        <textarea
          id="topic-prompt"
          ref={(element) => (input = element)}
          name="prompt"
          rows="2"
          maxLength={200}
          placeholder={t('topics.placeholder')}
          value={prompt()}
          onInput={(event) => setPrompt(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault()
              event.currentTarget.form?.requestSubmit()
            }
          }}
          aria-invalid={error() ? true : undefined}
          aria-describedby={error() ? 'topic-error' : undefined}
        />
        <div role="alert">
          <Show when={error()}>
            <p class="field-error" id="topic-error">
              {error()}
            </p>
          </Show>
        </div>
        <div class="chips" role="group" aria-label={t('topics.suggestions')}>
          <For each={suggestions}>
            {(key) => (
              <button type="button" class="chip chip-button" onClick={() => setPrompt(t(key))}>
                {t(key)}
              </button>
            )}
          </For>
        </div>
        <button type="submit" class="button button-primary button-block" disabled={busy()}>
          {busy() ? t('auth.working') : t('topics.submit')}
        </button>
      </form>

      <section aria-labelledby="topics-heading">
        <h2 id="topics-heading">{t('topics.following')}</h2>
        <Switch>
          <Match when={topics.error}>
            <p class="form-error">{errorMessage(topics.error)}</p>
          </Match>
          <Match when={topics.loading && !topics.latest}>
            <SkeletonList class="topic-list" />
          </Match>
          <Match when={topics()?.unavailable}>
            <p class="muted">{t('topics.unavailable')}</p>
          </Match>
          <Match when={topics()?.items.length === 0}>
            <p class="muted">{t('topics.none')}</p>
          </Match>
          <Match when={topics()}>
            <ul class="topic-list">
              <For each={topics()!.items}>
                {(topic) => (
                  <li class="topic" data-topic-id={topic.id}>
                    <div class="topic-main">
                      <span class="topic-title">{topic.title}</span>
                      <Show when={topic.status === 'ready' && topic.unseen !== undefined}>
                        <span class="muted small">{t('topics.unseen', { count: topic.unseen! })}</span>
                      </Show>
                    </div>
                    <span class={`badge badge-${topic.status}`}>{t(`topics.status.${topic.status}`)}</span>
                    <Show when={topic.status === 'needs_ai_provider'}>
                      <p class="topic-note">{t('topics.needsProvider')}</p>
                    </Show>
                    <button type="button" class="link-button topic-unfollow" onClick={() => void unfollow(topic)}>
                      {t('topics.unfollow')}
                      <span class="visually-hidden">: {topic.title}</span>
                    </button>
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
