// Typed stand-ins for the @actions/core calls the action makes, as the actions/typescript-action template has them.
// Install before importing the module under test:
//   jest.unstable_mockModule('@actions/core', () => core)
//   const { run } = await import('../../src/main.js')
import { jest } from '@jest/globals'
import type * as core from '@actions/core'

export const debug = jest.fn<typeof core.debug>()
export const info = jest.fn<typeof core.info>()
export const notice = jest.fn<typeof core.notice>()
export const warning = jest.fn<typeof core.warning>()
export const error = jest.fn<typeof core.error>()
export const isDebug = jest.fn<typeof core.isDebug>(() => false)
export const getInput = jest.fn<typeof core.getInput>(() => '')
export const setSecret = jest.fn<typeof core.setSecret>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const startGroup = jest.fn<typeof core.startGroup>()
export const endGroup = jest.fn<typeof core.endGroup>()
export const group = jest.fn(<T>(_name: string, work: () => Promise<T>): Promise<T> => work())
/** core.summary: addRaw chains, write resolves; what was written is in addRaw's calls. */
interface SummaryStandIn {
  addRaw: jest.Mock<(text: string) => SummaryStandIn>
  write: jest.Mock<() => Promise<SummaryStandIn>>
}
export const summary: SummaryStandIn = {
  addRaw: jest.fn((_text: string) => summary),
  write: jest.fn(async () => summary)
}
