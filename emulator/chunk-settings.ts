// Sentry's chunk-upload limits (api/endpoints/chunk.py module constants; conf/server.py SENTRY_CHUNK_UPLOAD_BLOB_SIZE;
// models/files/utils.py MAX_FILE_SIZE; options/defaults.py system.maximum-file-size).
import type { ChunkUploadSettings } from './types.js'

const MIB = 1024 * 1024

export const SENTRY_CHUNK_UPLOAD: ChunkUploadSettings = {
  chunkSize: 8 * MIB,
  chunksPerRequest: 64,
  maxRequestSize: 32 * MIB,
  maxFileSize: 2 ** 32,
  assembleMaxFileSize: 2 ** 31,
  concurrency: 8,
  compression: ['gzip'],
  uploadUrlPrefix: ''
}

/**
 * CHUNK_UPLOAD_ACCEPT: sentry-cli 3.1+ ignores it, older clients look for "artifact_bundles" (and "_v2": the
 * assemble endpoint reports missing chunks).
 */
export const CHUNK_UPLOAD_ACCEPT = [
  'debug_files',
  'release_files',
  'pdbs',
  'sources',
  'bcsymbolmaps',
  'il2cpp',
  'portablepdbs',
  'artifact_bundles',
  'artifact_bundles_v2',
  'proguard',
  'preprod_artifacts',
  'dartsymbolmap'
]
