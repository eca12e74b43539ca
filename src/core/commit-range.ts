/** The commits a release spans: Sentry lists what lies after `previous` up to `head`. */
export interface CommitRange {
  head: string
  /** Start of the range (exclusive); undefined lets Sentry choose. */
  previous?: string
  /** The earlier tag `previous` comes from. */
  previousTag?: string
  /** How many commits git counts after `previous` up to `head`; undefined when git was not asked (no previous, manual). */
  count?: number
  /** The glob earlier tags were searched with (auto mode only). */
  tagPattern?: string
  /** The start could not be found even after fetching (ignore_missing): why, for a warning. */
  missing?: string
}
