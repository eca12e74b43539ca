// The one HTTP call the source maps step makes itself: a multipart POST of chunks to the chunk-upload URL Sentry
// named (which may be another host, e.g. a region). The JSON calls (options, assemble) go through sentry-client.
import { info } from '../../steps/log.js'
import packageJson from '../../../package.json' with { type: 'json' }
import { proxyFor, sendRequest, userAgent } from '../http-transport.js'
import { type Attempt, type RetryPolicy, serverWait } from '../../core/retry-policy.js'
import { withRetries } from '../../steps/retry.js'
import { errorDetail } from '../../core/sentry-errors.js'
import type { PostChunks } from '../../steps/sourcemaps/ports.js'

export interface ChunkPosterOptions {
  authToken: string
  timeoutMs: number
  retry: RetryPolicy
}

/** Retries 429, 5xx and network errors with backoff (chunks are content-addressed: sending one twice is harmless). */
export function createChunkPoster(options: ChunkPosterOptions): PostChunks {
  return async (url, body, contentType, what) => {
    const headers = {
      Authorization: `Bearer ${options.authToken}`,
      'Content-Type': contentType,
      'User-Agent': userAgent(`sentry-release-action/${packageJson.version}`)
    }
    const proxy = proxyFor(new URL(url))
    let attempts = 0
    const attempt = async (): Promise<Attempt<string | undefined>> => {
      attempts++
      try {
        const response = await sendRequest({ method: 'POST', url, headers, body, timeoutMs: options.timeoutMs, proxy, concurrent: true })
        if (response.status >= 200 && response.status < 300) return { result: undefined }
        const failure = `answered ${response.status}${answerText(response.body)}`
        if (response.status !== 429 && response.status < 500) return { result: failure }
        return { result: failure, retry: { reason: failure, ...serverWait(response.headers, response.status, Date.now()) } }
      } catch (error) {
        const failure = `did not answer (${(error as Error).message})`
        return { result: failure, retry: { reason: failure } }
      }
    }
    const failure = await withRetries(attempt, options.retry, {
      onRetry: (reason, delayMs, next) =>
        info(`Chunk upload: Sentry ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next}).`)
    })
    if (failure === undefined) return
    const tries = attempts > 1 ? ` after ${attempts} attempts` : ''
    throw new Error(`Sentry ${failure} to the upload of ${what} to ${new URL(url).origin}${new URL(url).pathname}${tries}`)
  }
}

function answerText(body: string): string {
  let parsed: unknown = body
  try {
    parsed = JSON.parse(body)
  } catch {
    if (body.trimStart().startsWith('<')) return ''
  }
  const detail = errorDetail(parsed)
  return detail ? `: ${detail}` : ''
}
