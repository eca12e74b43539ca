// The Sentry emulator's public API (described in emulator/README.md).
export type {
  ArtifactBundle,
  ArtifactBundleFile,
  ChunkUploadSettings,
  Emulator,
  EmulatorOptions,
  FaultRule,
  HeadCommit,
  LoggedRequest,
  Seed,
  SeedCommit,
  SeedOrg,
  SeedProject,
  SeedRelease,
  SeedRepository,
  SeedToken
} from './types.js'
export { startEmulator } from './server.js'
export { defaultSeed, DEFAULT_ORG_TOKEN } from './seed.js'
export { DEFAULT_TOKEN, makeOrgToken } from './tokens.js'
export { SENTRY_RATE_LIMITS, type Limit, type RateLimitGroup, type RateLimitTable } from './rate-limit.js'
export { SENTRY_CHUNK_UPLOAD } from './chunk-settings.js'
