import { describe, expect, it } from 'vitest'
import { createEmbeddingCache, decodeFloat4Array } from './unit-embeddings.ts'

describe('the embedding cache', () => {
  it('answers only for the version it stored, and evicts the least recently used first', () => {
    const cache = createEmbeddingCache(2)
    cache.set('a', 'v1', new Float32Array([1]))
    cache.set('b', 'v1', null)
    expect(cache.get('a', 'v1')).toEqual(new Float32Array([1]))
    // A regenerated unit has a new version: the old vector is not served.
    expect(cache.get('a', 'v2')).toBeUndefined()
    expect(cache.get('b', 'v1')).toBeNull()
    cache.get('a', 'v1')
    cache.set('c', 'v1', new Float32Array([3]))
    expect(cache.get('b', 'v1')).toBeUndefined()
    expect(cache.get('a', 'v1')).toEqual(new Float32Array([1]))
    expect(cache.get('c', 'v1')).toEqual(new Float32Array([3]))
  })
})

describe('decodeFloat4Array', () => {
  it('reads PostgreSQL’s binary float4[] (array_send)', () => {
    const values = [0.5, -1.25, 3]
    const bytes = new DataView(new ArrayBuffer(20 + values.length * 8))
    bytes.setInt32(0, 1) // dimensions
    bytes.setInt32(4, 0) // no nulls
    bytes.setUint32(8, 700) // float4
    bytes.setInt32(12, values.length)
    bytes.setInt32(16, 1) // lower bound
    values.forEach((value, index) => {
      bytes.setInt32(20 + index * 8, 4)
      bytes.setFloat32(24 + index * 8, value)
    })
    expect(Array.from(decodeFloat4Array(new Uint8Array(bytes.buffer)))).toEqual(values)
    expect(() => decodeFloat4Array(new Uint8Array(20).fill(0).map((_, index) => (index === 3 ? 2 : 0)))).toThrow()
  })
})
