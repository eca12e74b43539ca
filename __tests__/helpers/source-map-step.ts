import { directories, files } from '../../src/io/sourcemaps/local-files.js'
import type { SourceMapSettings } from '../../src/core/sourcemaps/settings.js'
import type { StepPorts } from '../../src/steps/sourcemaps/step.js'
import { createTempBundleFile } from '../../src/io/sourcemaps/temp-file.js'

/** Settings as readSourceMapSettings returns them for `sourcemaps: dist`, with overrides. */
export function sourceMapSettingsWith(baseDir: string, overrides: Partial<SourceMapSettings> = {}): SourceMapSettings {
  return {
    paths: ['dist'],
    baseDir,
    mode: 'inject',
    inject: true,
    urlPrefixes: [{ prefix: '~/' }],
    stripPrefixes: [],
    stripCommonPrefix: false,
    ignore: [],
    strict: false,
    dryRun: false,
    ...overrides
  }
}

/** The step's ports on the real file system, with the log collected instead of printed. */
export function localStepPorts(overrides: Partial<StepPorts> = {}): StepPorts & { log: string[]; warnings: string[] } {
  const log: string[] = []
  const warnings: string[] = []
  return {
    dirs: directories,
    files,
    tempFile: () => createTempBundleFile({}),
    info: line => log.push(line),
    warning: line => warnings.push(line),
    sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log,
    warnings,
    ...overrides
  }
}
