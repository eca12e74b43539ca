import { jest } from '@jest/globals'
import type * as core from '../../src/runner.js'

/** Typed stand-ins for the runner calls (src/runner.ts) the action makes; install with jest.unstable_mockModule. */
export const coreMock = {
  getInput: jest.fn<typeof core.getInput>(() => ''),
  setSecret: jest.fn<typeof core.setSecret>(),
  setOutput: jest.fn<typeof core.setOutput>(),
  setFailed: jest.fn<typeof core.setFailed>(),
  info: jest.fn<typeof core.info>(),
  notice: jest.fn<typeof core.notice>(),
  warning: jest.fn<typeof core.warning>(),
  summary: { addRaw: jest.fn(), write: jest.fn() }
}
