import { createEffect, createSignal, Show, type JSX } from 'solid-js'
import { t } from '../../lib/i18n.ts'
import '../../lib/messages/admin.ts'
import { adminErrorMessage } from './errors.ts'

export interface ConfirmRequest {
  title: string
  body: JSX.Element
  confirmLabel: string
  danger?: boolean
  /** Runs on confirm; a thrown error is shown in the dialog, which stays open. */
  run: () => Promise<void>
}

/**
 * One modal confirmation for the admin screens' consequential actions (retire, regenerate, role
 * changes). The native <dialog> traps focus and closes on Escape; focus returns to the opener.
 */
export function ConfirmDialog(props: { request: ConfirmRequest | null; onClose: () => void }) {
  let dialog: HTMLDialogElement | undefined
  const [busy, setBusy] = createSignal(false)
  const [error, setError] = createSignal<string>()

  createEffect(() => {
    if (props.request) {
      setError()
      setBusy(false)
      if (!dialog?.open) dialog?.showModal()
    } else if (dialog?.open) {
      dialog.close()
    }
  })

  async function confirm(event: SubmitEvent) {
    event.preventDefault()
    const request = props.request
    if (!request || busy()) return
    setBusy(true)
    setError()
    try {
      await request.run()
      props.onClose()
    } catch (failure) {
      setError(adminErrorMessage(failure))
    } finally {
      setBusy(false)
    }
  }

  return (
    <dialog ref={(element) => (dialog = element)} class="dialog" aria-labelledby="admin-confirm-title" onClose={() => props.request && props.onClose()}>
      <Show when={props.request}>
        {(request) => (
          <form class="form" onSubmit={confirm}>
            <h2 id="admin-confirm-title">{request().title}</h2>
            <div>{request().body}</div>
            <Show when={error()}>
              <p class="form-error" role="alert">
                {error()}
              </p>
            </Show>
            <div class="dialog-actions">
              <button type="button" class="button" onClick={() => props.onClose()}>
                {t('admin.cancel')}
              </button>
              <button type="submit" class="button" classList={{ 'button-danger': request().danger, 'button-primary': !request().danger }} disabled={busy()} aria-busy={busy()}>
                {busy() ? t('admin.working') : request().confirmLabel}
              </button>
            </div>
          </form>
        )}
      </Show>
    </dialog>
  )
}
