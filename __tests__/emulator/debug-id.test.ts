// Debug IDs normalized as symbolic's normalize_debug_id does (its py/tests/test_debug.py vectors and rust-debugid's rules).
import { expect, test } from '@jest/globals'
import { normalizeDebugId } from '../../emulator/debug-id.js'

test("symbolic's vectors: hyphenated or compact, any case, with an appendix", () => {
  expect(normalizeDebugId('dfb8e43a-f242-3d73-a453-aeb6a777ef75')).toBe('dfb8e43a-f242-3d73-a453-aeb6a777ef75')
  expect(normalizeDebugId('dfb8e43a-f242-3d73-a453-aeb6a777ef75-a')).toBe('dfb8e43a-f242-3d73-a453-aeb6a777ef75-a')
  expect(normalizeDebugId('dfb8e43af2423d73a453aeb6a777ef75a')).toBe('dfb8e43a-f242-3d73-a453-aeb6a777ef75-a')
  expect(normalizeDebugId('DFB8E43AF2423D73A453AEB6A777EF750')).toBe('dfb8e43a-f242-3d73-a453-aeb6a777ef75')
  expect(normalizeDebugId('DFB8E43AF2423D73A453AEB6A777EF75a')).toBe('dfb8e43a-f242-3d73-a453-aeb6a777ef75-a')
})

test('a SHA-1 reads as a UUID with an 8-digit appendix; a long tail is cut to 8 digits', () => {
  expect(normalizeDebugId('0123456789abcdef0123456789abcdef01234567')).toBe('01234567-89ab-cdef-0123-456789abcdef-1234567')
  expect(normalizeDebugId('dfb8e43a-f242-3d73-a453-aeb6a777ef75-123456789')).toBe('dfb8e43a-f242-3d73-a453-aeb6a777ef75-12345678')
})

test('the PDB 2.0 form: timestamp and appendix', () => {
  expect(normalizeDebugId('5ab380779000')).toBe('5AB38077-9000')
  expect(normalizeDebugId('5ab38077-1')).toBe('5AB38077-1')
})

test('what does not parse', () => {
  for (const id of [
    '',
    'not-an-id',
    'dfb8e43a-f242-3d73-a453-aeb6a777ef7',
    'dfb8e43af2423d73a453aeb6a777ef75-a',
    'dfb8e43a-f242-3d73-a453-aeb6a777ef75a',
    'dfb8e43a-f242-3d73-a453-aeb6a777ef7g',
    'dfb8e43a-f242-3d73-a453-aeb6a777ef75-',
    'dfb8e43a-f242-3d73-a453-aeb6a777ef75-é'
  ]) {
    expect([id, normalizeDebugId(id)]).toEqual([id, null])
  }
})
