/**
 * The screens the Me hub links to, in its order (routes/(app)/me.tsx gives each its icon and
 * words). On each of them the Me tab stays lit (components/app-shell.tsx). Paths only, so the shell
 * can import them without the hub's strings.
 */
export const mePaths = ['/progress', '/saved', '/offline', '/driving', '/settings', '/admin'] as const

export type MePath = (typeof mePaths)[number]
