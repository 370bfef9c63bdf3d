/** Structured JSON logs, one object per line. Never pass bodies, tokens, passwords or query text. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface LoggerOptions {
  level?: LogLevel
  write?: (line: string) => void
  base?: LogFields
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info'
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'))
  const base = options.base ?? {}
  const emit = (at: LogLevel, message: string, fields?: LogFields) => {
    if (rank[at] < rank[level]) return
    write(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...base, ...serialize(fields) }))
  }
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger({ level, write, base: { ...base, ...fields } }),
  }
}

/** Errors become {name, message, code, stack}; postgres.js errors keep only safe fields (no query text or parameters). */
function serialize(fields?: LogFields): LogFields | undefined {
  if (!fields) return fields
  const out: LogFields = {}
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? describeError(value) : value
  }
  return out
}

export function describeError(error: Error): LogFields {
  const described: LogFields = { name: error.name, message: error.message }
  const code = (error as { code?: unknown }).code
  if (code !== undefined) described.code = code
  if (error.stack) described.stack = error.stack.split('\n').slice(0, 8).join('\n')
  if (error.cause instanceof Error) described.cause = describeError(error.cause)
  return described
}

/** Drops every line without building it (tests, benchmarks). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger }
