import { test, expect } from '@jest/globals'
import { run } from '../src/main.js'
test('run', async () => { await run(); expect(1).toBe(1) })
