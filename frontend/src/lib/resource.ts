import type { Resource } from 'solid-js'

/**
 * A resource's latest value, or undefined while it has none or once its load failed. Solid rethrows
 * a failed load from `resource()` and `resource.latest`, and with no error boundary that would blank
 * the screen instead of showing the error: read values through this wherever `resource.error` is shown.
 */
export function settled<T>(resource: Resource<T>): T | undefined {
  return resource.error ? undefined : resource.latest
}
