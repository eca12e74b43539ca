// The requests a plan holds: what dry run prints and the steps send through the SendRequest port.

/** One call to Sentry's API with a JSON body; `path` is relative to /api/0/ and already percent-encoded. */
export interface PlannedWrite {
  method: 'PUT' | 'POST'
  path: string
  body: Record<string, unknown>
}

/** One read from Sentry's API, without a body. */
export interface PlannedRead {
  method: 'GET'
  path: string
  body?: undefined
}

export type PlannedRequest = PlannedWrite | PlannedRead
