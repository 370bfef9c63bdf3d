import type { Queryable } from './index.ts'

/**
 * Unit embeddings for the feed's similarity to the learner's likes, from a per-process cache.
 *
 * Cosine over 256 floats per candidate cost PostgreSQL ~13 ms a request when computed in SQL, and
 * shipping the vectors every time would move ~0.5 MB. The candidates of a topic are shared by every
 * learner who follows it, so a bounded cache keyed by (unit, updated_at) — regeneration rewrites a
 * vector in place and moves updated_at — answers almost every lookup, and misses are fetched in one
 * statement.
 */
export interface EmbeddingCache {
  get(id: string, version: string): Float32Array | null | undefined
  set(id: string, version: string, vector: Float32Array | null): void
}

/** A map in insertion order: the oldest entry goes first when the cache is full. */
export function createEmbeddingCache(capacity = 50_000): EmbeddingCache {
  const entries = new Map<string, { version: string; vector: Float32Array | null }>()
  return {
    get(id, version) {
      const entry = entries.get(id)
      if (!entry || entry.version !== version) return undefined
      // Refresh its place so units still in use are not evicted.
      entries.delete(id)
      entries.set(id, entry)
      return entry.vector
    },
    set(id, version, vector) {
      entries.delete(id)
      entries.set(id, { version, vector })
      if (entries.size > capacity) entries.delete(entries.keys().next().value!)
    },
  }
}

const shared = createEmbeddingCache()

export async function unitEmbeddings(
  sql: Queryable,
  units: readonly { id: string; updated_at: string }[],
  cache: EmbeddingCache = shared,
): Promise<Map<string, Float32Array | null>> {
  const found = new Map<string, Float32Array | null>()
  const missing: { id: string; updated_at: string }[] = []
  for (const unit of units) {
    const vector = cache.get(unit.id, unit.updated_at)
    if (vector === undefined) missing.push(unit)
    else found.set(unit.id, vector)
  }
  if (missing.length > 0) {
    // array_send: PostgreSQL's binary array format, decoded natively instead of parsing 256 decimals.
    const rows = await sql<{ id: string; embedding: Uint8Array | null }[]>`
      select id, array_send(embedding) as embedding from units where id = any(${missing.map((unit) => unit.id)}::uuid[])`
    const byId = new Map(rows.map((row) => [row.id, row.embedding]))
    for (const unit of missing) {
      const embedding = byId.get(unit.id)
      const vector = embedding ? decodeFloat4Array(embedding) : null
      cache.set(unit.id, unit.updated_at, vector)
      found.set(unit.id, vector)
    }
  }
  return found
}

/**
 * A one-dimensional float4[] in PostgreSQL's binary array format (array_send): int32 ndim, int32
 * has-nulls flag, oid element type, then per dimension int32 length and lower bound, then per
 * element an int32 byte length (-1 for null) and the big-endian float.
 */
export function decodeFloat4Array(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dimensions = view.getInt32(0)
  if (dimensions === 0) return new Float32Array(0)
  if (dimensions !== 1 || view.getUint32(8) !== 700) throw new Error('not a one-dimensional float4 array')
  const length = view.getInt32(12)
  const vector = new Float32Array(length)
  let offset = 20
  for (let index = 0; index < length; index += 1) {
    const size = view.getInt32(offset)
    offset += 4
    vector[index] = size === 4 ? view.getFloat32(offset) : Number.NaN
    offset += Math.max(size, 0)
  }
  return vector
}
