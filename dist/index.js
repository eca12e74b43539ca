import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(999);

await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 999:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/runner.ts
// The part of @actions/core 3 this action uses, with the same names and the same bytes on stdout and in the
// runner's files (mirrors its lib/core.js, command.js, file-command.js, utils.js and summary.js).
// Why not @actions/core itself: it imports @actions/http-client, which loads all of undici at start-up —
// ~1 MB of a 1.06 MB bundle and ~50 ms per run (README, Performance).




/** An input's value from INPUT_<NAME> (spaces become '_'), trimmed; '' when unset. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim();
}
/** Sets a step output: appended to the GITHUB_OUTPUT file, or the legacy command when the runner gives none. */
function setOutput(name, value) {
    const file = process.env.GITHUB_OUTPUT || '';
    if (file)
        return appendFileCommand(file, keyValueMessage(name, value));
    process.stdout.write(external_node_os_namespaceObject.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
/** Masks a value in every later log line of the job. */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/** Logs an error annotation and makes the process exit with code 1 once it ends. */
function setFailed(message) {
    process.exitCode = 1;
    annotate('error', message);
}
function info(message) {
    process.stdout.write(message + external_node_os_namespaceObject.EOL);
}
function runner_notice(message) {
    annotate('notice', message);
}
function runner_warning(message) {
    annotate('warning', message);
}
/** The job summary: text collected with addRaw, appended to the GITHUB_STEP_SUMMARY file by write. */
class Summary {
    buffer = '';
    addRaw(text) {
        this.buffer += text;
        return this;
    }
    async write() {
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file) {
            throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
        }
        try {
            await (0,promises_namespaceObject.access)(file, promises_namespaceObject.constants.R_OK | promises_namespaceObject.constants.W_OK);
        }
        catch {
            throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
        }
        await (0,promises_namespaceObject.appendFile)(file, this.buffer, { encoding: 'utf8' });
        this.buffer = '';
        return this;
    }
}
const summary = new Summary();
function annotate(kind, message) {
    issueCommand(kind, {}, message);
}
/** `::name key=value,key=value::message` on stdout; empty property values are left out, as core does. */
function issueCommand(name, properties, message) {
    const pairs = Object.entries(properties)
        .filter(([, value]) => value)
        .map(([key, value]) => `${key}=${escapeProperty(value)}`);
    const head = Object.keys(properties).length > 0 ? ` ${pairs.join(',')}` : '';
    process.stdout.write(`::${name}${head}::${escapeData(message)}${external_node_os_namespaceObject.EOL}`);
}
function appendFileCommand(file, message) {
    if (!(0,external_node_fs_namespaceObject.existsSync)(file))
        throw new Error(`Missing file at path: ${file}`);
    (0,external_node_fs_namespaceObject.appendFileSync)(file, `${message}${external_node_os_namespaceObject.EOL}`, { encoding: 'utf8' });
}
// A random delimiter per value, so no value can end the heredoc early and smuggle in another output.
function keyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${(0,external_node_crypto_namespaceObject.randomUUID)()}`;
    const text = toCommandValue(value);
    if (key.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (text.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    return `${key}<<${delimiter}${external_node_os_namespaceObject.EOL}${text}${external_node_os_namespaceObject.EOL}${delimiter}`;
}
function toCommandValue(input) {
    if (input === null || input === undefined)
        return '';
    if (typeof input === 'string' || input instanceof String)
        return String(input);
    return JSON.stringify(input);
}
function escapeData(value) {
    return toCommandValue(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(value) {
    return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

;// CONCATENATED MODULE: ./src/errors.ts
/** A problem the user fixes by changing one input: the message names the input and the rule. */
class InputError extends Error {
    input;
    constructor(input, rule) {
        super(`Input '${input}': ${rule}`);
        this.input = input;
        this.name = 'InputError';
    }
}
/** One line for the log: the message only, never a stack trace. */
function errorMessage(error) {
    const text = error instanceof Error ? error.message : String(error);
    return text.split('\n')[0];
}

;// CONCATENATED MODULE: ./src/commit-data.ts

// Sentry's CommitSerializer and CommitFileChange limits (contract section 1).
const LIMITS = { repository: 64, authorName: 128, authorEmail: 200, path: 510 };
// git's status letters under --no-renames: A, M, D and T (type change, e.g. file <-> symlink: a modification for Sentry).
const PATCH_TYPES = { A: 'A', M: 'M', D: 'D', T: 'M' };
/** git's view of a commit -> Sentry's, within Sentry's field limits; counts the paths too long to send. */
function sentryCommit(commit, repository) {
    const patchSet = commit.files.flatMap(({ status, path }) => {
        const type = PATCH_TYPES[status[0]];
        return type ? [{ path, type }] : [];
    });
    const fitting = patchSet.filter(change => characters(change.path) <= LIMITS.path);
    const email = characters(commit.authorEmail) <= LIMITS.authorEmail ? commit.authorEmail : undefined;
    return {
        commit: {
            id: commit.id,
            repository,
            message: commit.message,
            author_name: truncate(commit.authorName, LIMITS.authorName),
            ...(email ? { author_email: email } : {}),
            timestamp: commit.timestamp,
            patch_set: fitting
        },
        droppedPaths: patchSet.length - fitting.length
    };
}
/** Collects converted commits while git streams them. */
function commitCollector(repository, total) {
    const data = { commits: [], total, droppedPaths: 0 };
    return {
        add(gitCommit) {
            const { commit, droppedPaths } = sentryCommit(gitCommit, repository);
            data.commits.push(commit);
            data.droppedPaths += droppedPaths;
        },
        result: () => data
    };
}
/** set_commits: local, or auto with paths (Sentry's own fetch cannot filter by path): commits are read before the plan. */
function readsCommitsFirst(settings) {
    return settings.setCommits === 'local' || (settings.setCommits === 'auto' && settings.paths.length > 0);
}
/**
 * The range's commits from git, streamed: newest first, capped at max_commits (a first release takes initial_depth),
 * with the count before the cap for the warning.
 */
async function readCommitData(git, settings, range) {
    if (characters(settings.repository) > LIMITS.repository) {
        throw new InputError('repo', `'${settings.repository}' is longer than ${LIMITS.repository} characters, Sentry's limit for a commit's repository`);
    }
    const query = { head: range.head, previous: range.previous, paths: settings.paths };
    const available = await git.countCommits(query);
    const total = range.previous ? available : Math.min(available, settings.initialDepth);
    const collector = commitCollector(settings.repository, total);
    await git.readCommits({ ...query, maxCount: Math.min(total, settings.maxCommits) }, collector.add);
    return collector.result();
}
/** Warnings about what was not sent. */
function commitDataWarnings(data, maxCommits) {
    const warnings = [];
    if (data.total > data.commits.length && data.commits.length === maxCommits) {
        warnings.push(`The range has ${data.total} commits; Sentry gets the newest ${maxCommits} (raise max_commits to send more).`);
    }
    if (data.droppedPaths > 0) {
        warnings.push(`${data.droppedPaths} file path(s) longer than ${LIMITS.path} characters were left out of the commits' patch_set (Sentry's limit).`);
    }
    return warnings;
}
/** A short stand-in for the commits list where a person reads the request (dry run, summary). */
function describeCommits(commits) {
    if (commits.length === 0)
        return '0 commits';
    const files = commits.reduce((sum, commit) => sum + commit.patch_set.length, 0);
    const ends = commits.length === 1 ? commit_data_short(commits[0]) : `${commit_data_short(commits[0])} … ${commit_data_short(commits[commits.length - 1])}`;
    return `${commits.length} commit(s) from git, newest first: ${ends}; ${files} file change(s)`;
}
function commit_data_short(commit) {
    return `${commit.id.slice(0, 12)} ${JSON.stringify(commit.message.split('\n')[0].slice(0, 60))}`;
}
/** Length as Python counts it (code points), which is what Sentry's max_length checks. */
function characters(text) {
    return Array.from(text).length;
}
function truncate(text, max) {
    return characters(text) <= max ? text : Array.from(text).slice(0, max).join('');
}

;// CONCATENATED MODULE: ./src/payload.ts
/** Helpers for untyped JSON: GitHub event payloads in, Sentry request bodies out. */
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** A non-empty string field, else undefined. */
function stringField(record, key) {
    const value = isRecord(record) ? record[key] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
}
const TAG_REF_PREFIX = 'refs/tags/';
/** `refs/tags/v1.2.0` -> `v1.2.0`; undefined for any other ref. */
function tagOfRef(ref) {
    return ref?.startsWith(TAG_REF_PREFIX) ? ref.slice(TAG_REF_PREFIX.length) : undefined;
}
/** JSON bodies leave out what is unknown rather than sending null (Sentry never clears a field with null). */
function withoutUndefined(record) {
    return JSON.parse(JSON.stringify(record));
}

;// CONCATENATED MODULE: ./src/url.ts

/** The value when it is an http(s) URL; throws naming the input otherwise. */
function checkHttpUrl(value, input) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new InputError(input, `'${quotableUrl(value)}' is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new InputError(input, `'${quotableUrl(value)}' must start with https:// or http://`);
    }
    return value;
}
/**
 * The part of a URL value an error may quote: its scheme and host. A token pasted into a path, query,
 * fragment or user info (`https://host/?token=…`, `https://user:token@host`) stays out of the log.
 */
function quotableUrl(value) {
    try {
        const url = new URL(value);
        return url.host ? `${url.protocol}//${url.host}` : url.protocol;
    }
    catch {
        // Unparseable: scheme and authority by hand, user info (up to the last '@') dropped.
        const [, scheme = '', authority = ''] = /^(?:([a-z][a-z\d+.-]*:)\/\/)?([^/?#]*)/i.exec(value) ?? [];
        const host = authority.slice(authority.lastIndexOf('@') + 1);
        return scheme ? `${scheme}//${host}` : host;
    }
}
/**
 * Sentry's base URL without trailing slashes; a self-hosted sub-path is kept. The token goes to this URL,
 * so it must carry no credentials, query or fragment, and plain http:// is only for this machine unless allowed.
 */
function sentryBaseUrl(value, input, allowInsecureHttp = false) {
    const url = new URL(checkHttpUrl(value, input));
    if (url.username || url.password) {
        throw new InputError(input, `must not contain credentials (user:password@); the token goes in 'auth_token'`);
    }
    if (url.search || url.hash)
        throw new InputError(input, `'${quotableUrl(value)}' must not have a query (?) or fragment (#)`);
    if (url.protocol === 'http:' && !isLoopback(url.hostname) && !allowInsecureHttp) {
        throw new InputError(input, `'${quotableUrl(value)}' would send the token unencrypted: use https://, or set 'allow_insecure_http: true' if the network is trusted`);
    }
    return url.href.replace(/\/+$/, '');
}
/** This machine: plain http never leaves it. */
function isLoopback(hostname) {
    return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}
/** Path of one release, relative to the API root; the version is one percent-encoded segment. */
function releasePath(org, version) {
    return `${releasesPath(org)}${encodeURIComponent(version)}/`;
}
/** Path of the org's release list, relative to the API root. */
function releasesPath(org) {
    return `organizations/${encodeURIComponent(org)}/releases/`;
}
/** Full API URL of a path from releasePath/releasesPath. */
function apiUrl(sentryUrl, path) {
    return `${sentryUrl}/api/0/${path}`;
}
/** The release's page in Sentry's web UI. */
function releasePageUrl(sentryUrl, org, version) {
    return `${sentryUrl}/${releasePath(org, version)}`;
}
/** A page under a GitHub repository's URL, e.g. githubPage(repositoryUrl, 'commit', sha); segments are encoded. */
function githubPage(repositoryUrl, ...segments) {
    return [repositoryUrl, ...segments.map(encodeURIComponent)].join('/');
}

;// CONCATENATED MODULE: ./src/deploy-plan.ts



// Sentry's Deploy and Environment models (contract section 7).
const MAX_ENVIRONMENT_LENGTH = 64;
const MAX_NAME_LENGTH = 64;
const FORBIDDEN_IN_ENVIRONMENT = [
    ['\n', 'a newline'],
    ['\r', 'a carriage return'],
    ['\f', 'a form feed'],
    ['/', "'/'"]
];
/**
 * Pure: the deploy request when the event asks for one and an environment is known; checked against
 * Sentry's rules first, so a bad name fails before any request. `eventTime` is the fallback start.
 */
function planDeploy(settings, intent, version, eventTime) {
    if (intent.kind !== 'deploy')
        return undefined;
    const environment = settings.environment ?? intent.environment;
    if (environment === undefined)
        return undefined;
    checkEnvironment(environment, settings.environment === undefined ? ` (the deployment's environment)` : '');
    const name = settings.deployName;
    if (name !== undefined && [...name].length > MAX_NAME_LENGTH) {
        throw new InputError('deploy_name', `Sentry allows at most ${MAX_NAME_LENGTH} characters, '${name}' has ${[...name].length}`);
    }
    const path = `${releasePath(settings.org, version)}deploys/`;
    const body = withoutUndefined({
        environment,
        name,
        url: settings.deployUrl ?? intent.url,
        dateStarted: settings.startedAt ?? intent.dateStarted ?? eventTime,
        dateFinished: intent.dateFinished,
        projects: settings.projects.length > 0 ? settings.projects : undefined
    });
    return { create: { method: 'POST', path, body }, list: body.dateStarted ? { method: 'GET', path } : undefined };
}
function checkEnvironment(environment, source) {
    const problem = environmentProblem(environment);
    if (problem)
        throw new InputError('environment', `${problem}: ${JSON.stringify(environment)}${source}`);
}
/** Why Sentry would reject this environment name, or undefined when it is accepted. */
function environmentProblem(environment) {
    const forbidden = FORBIDDEN_IN_ENVIRONMENT.find(([character]) => environment.includes(character));
    if (forbidden)
        return `Sentry forbids ${forbidden[1]} in an environment name`;
    const length = [...environment].length;
    if (length > MAX_ENVIRONMENT_LENGTH)
        return `Sentry allows at most ${MAX_ENVIRONMENT_LENGTH} characters in an environment name, this one has ${length}`;
    if (environment.trim() === '')
        return 'the environment name is empty';
    return undefined;
}
/**
 * Whether Sentry's deploy is the planned one (a rerun of the same event): same environment, name and start, and
 * the same finish when the planned deploy has one. Sentry cannot update a deploy, so a deployment's success
 * status records its own finished deploy (with its url) after the one its `deployment` event recorded, which
 * shares the start but finished when it was recorded. A rerun of the `deployment` event (no finish planned)
 * accepts either.
 */
function isSameDeploy(planned, recorded) {
    return (recorded.environment === planned.environment &&
        (recorded.name || undefined) === planned.name &&
        sameInstant(recorded.dateStarted, planned.dateStarted) &&
        (planned.dateFinished === undefined || sameInstant(recorded.dateFinished, planned.dateFinished)));
}
/** The release as Sentry holds it after the deploy POST: one more deploy, and it is the last (contract section 7). */
function releaseAfterDeploy(release, deploy) {
    return { ...release, deployCount: Number(release.deployCount ?? 0) + 1, lastDeploy: deploy };
}
/** The planned deploy among deploys Sentry returned, else undefined. */
function recordedDeploy(planned, deploys) {
    return (Array.isArray(deploys) ? deploys : []).filter(isRecord).find(deploy => isSameDeploy(planned, deploy));
}
function sameInstant(a, b) {
    return typeof a === 'string' && typeof b === 'string' && Date.parse(a) === Date.parse(b);
}

;// CONCATENATED MODULE: ./package.json
const package_namespaceObject = {"rE":"1.0.0"};
;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: external "node:net"
const external_node_net_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");
;// CONCATENATED MODULE: external "node:tls"
const external_node_tls_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");
;// CONCATENATED MODULE: ./src/http-transport.ts
// One HTTP(S) exchange over node:http/node:https, with the proxy rules of @actions/http-client.
// Why not @actions/http-client: it loads all of undici at start-up (~1 MB of bundle, ~50 ms per run,
// README, Performance); global fetch loads node's own undici lazily (+25 ms over node:http).
// A custom CA comes from NODE_EXTRA_CA_CERTS, which node:https honours by itself: production passes no `ca`.




/** The proxy setting cannot work, or the proxy refused: `variable` is what to check; `retryable` when trying again may help. */
class ProxyError extends Error {
    variable;
    retryable;
    constructor(message, variable, retryable) {
        super(message);
        this.variable = variable;
        this.retryable = retryable;
        this.name = 'ProxyError';
    }
}
/** The exchange did not finish within HttpRequest.timeoutMs. */
class TimeoutError extends Error {
    constructor(timeoutMs) {
        super(`Request timeout: no answer within ${timeoutMs / 1000} s`);
        this.name = 'TimeoutError';
    }
}
/** Sends one request and resolves with the answer whatever its status; rejects on network errors and the deadline. */
async function sendRequest(request) {
    const target = new URL(request.url);
    const { proxy } = request;
    const body = request.body ?? (request.json === undefined ? undefined : JSON.stringify(request.json));
    const headers = { ...request.headers };
    if (request.body === undefined && body !== undefined)
        headers['Content-Type'] = 'application/json';
    if (body !== undefined)
        headers['Content-Length'] = String(Buffer.byteLength(body));
    const deadline = new AbortController();
    const timeoutError = new TimeoutError(request.timeoutMs);
    const timer = setTimeout(() => deadline.abort(timeoutError), request.timeoutMs);
    let tunnel;
    const common = { method: request.method, path: target.pathname + target.search, headers, signal: deadline.signal, ca: request.ca };
    try {
        if (!proxy)
            return await exchange(moduleFor(target), { ...endpoint(target), ...common }, body);
        if (target.protocol === 'http:') {
            // A forward proxy takes the absolute URI; Host names the target, not the proxy.
            const viaProxy = { ...common, path: target.origin + common.path, headers: { ...headers, Host: target.host, ...proxyAuthorization(proxy.url) } };
            const response = await exchange(moduleFor(proxy.url), { ...endpoint(proxy.url), ...viaProxy }, body);
            if (response.status === 407)
                throw proxyRefused(proxy, 407);
            return response;
        }
        tunnel = await openTunnel(proxy, target, deadline.signal, request.ca);
        const tlsOptions = { socket: tunnel, host: endpoint(target).hostname, servername: serverName(target), ca: request.ca };
        return await exchange(external_node_https_namespaceObject, { ...endpoint(target), ...common, createConnection: () => external_node_tls_namespaceObject.connect(tlsOptions) }, body);
    }
    catch (error) {
        throw deadline.signal.aborted ? timeoutError : error;
    }
    finally {
        clearTimeout(timer);
        // The TLS socket closes the tunnel with it, but a request node refuses before connecting (an invalid header) never
        // makes one; a tunnel serves one exchange only.
        tunnel?.destroy();
    }
}
/**
 * The proxy for a URL, decided as @actions/http-client's lib/proxy.js does: https_proxy/HTTPS_PROXY for https,
 * http_proxy/HTTP_PROXY for http (lower case first), none when bypassesProxy says so. One difference: a value
 * without a scheme ("proxy:3128") is taken as http://proxy:3128, as curl does (http-client silently goes direct).
 */
function proxyFor(target, env) {
    if (bypassesProxy(target, env.no_proxy || env.NO_PROXY || ''))
        return undefined;
    const names = target.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
    const variable = names.find(candidate => env[candidate]);
    if (!variable)
        return undefined;
    const value = env[variable];
    // The value is never quoted: it may carry the proxy's credentials.
    let url;
    try {
        url = new URL(value.includes('://') ? value : `http://${value}`);
    }
    catch {
        throw new ProxyError(`Environment variable '${variable}' is not a proxy URL (expected http://host:port)`, variable, false);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ProxyError(`Environment variable '${variable}' names a ${url.protocol} proxy; only http:// and https:// proxies are supported`, variable, false);
    }
    return { url, variable };
}
/**
 * True when a URL goes direct, as in @actions/http-client: always for loopback hosts (localhost, 127.*, [::1]),
 * so a proxy can never be tested with a 127.0.0.1 target — tests use a reserved name (sentry.test) that only
 * their proxy resolves. Otherwise per no_proxy: `*`, a host, a suffix (`example.com` or `.example.com` matches
 * sub.example.com), or host:port; case-insensitive, comma-separated.
 */
function bypassesProxy(target, noProxy) {
    const host = target.hostname.toUpperCase();
    if (host === 'LOCALHOST' || host.startsWith('127.') || host.startsWith('[::1]') || host.startsWith('[0:0:0:0:0:0:0:1]'))
        return true;
    const hosts = [host, `${host}:${target.port || defaultPort(target)}`];
    return noProxy
        .split(',')
        .map(item => item.trim().toUpperCase())
        .filter(item => item)
        .some(item => item === '*' || hosts.some(candidate => candidate === item || candidate.endsWith(`.${item}`) || (item.startsWith('.') && candidate.endsWith(item))));
}
/** Asks the proxy for a raw TCP tunnel to the target (HTTP CONNECT); TLS to the target then runs inside it. */
function openTunnel(proxy, target, signal, ca) {
    const authority = `${target.hostname}:${target.port || defaultPort(target)}`;
    const headers = { Host: authority, ...proxyAuthorization(proxy.url) };
    return new Promise((resolve, reject) => {
        const request = moduleFor(proxy.url).request({ ...endpoint(proxy.url), method: 'CONNECT', path: authority, headers, signal, ca, agent: false });
        request.on('connect', (response, socket) => {
            if (response.statusCode === 200)
                return resolve(socket);
            socket.destroy();
            reject(proxyRefused(proxy, response.statusCode ?? 0, `${response.statusMessage} to CONNECT ${authority}`));
        });
        request.on('error', reject);
        request.end();
    });
}
/**
 * A proxy's refusal. Wrong credentials (407) or a policy (403) stay so on a retry; the proxy's own trouble
 * reaching the target (5xx) may not. `answer` describes any status but 407.
 */
function proxyRefused(proxy, status, answer = '') {
    const refusal = status === 407 ? 'refused the credentials (407)' : `answered ${status} ${answer}`;
    return new ProxyError(`the proxy ${proxy.url.host} ${refusal}`, proxy.variable, status >= 500);
}
function exchange(module, options, body) {
    return new Promise((resolve, reject) => {
        const request = module.request(options, response => {
            const chunks = [];
            response.on('data', (chunk) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        });
        request.on('error', reject);
        request.end(body);
    });
}
function proxyAuthorization(proxy) {
    if (!proxy.username && !proxy.password)
        return {};
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` };
}
// Never the URL object itself: node would turn a proxy URL's credentials into an Authorization header.
function endpoint(url) {
    return { hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) || defaultPort(url) };
}
// SNI carries names only (RFC 6066); an IP target is still verified, through `host`.
function serverName(url) {
    const { hostname } = endpoint(url);
    return (0,external_node_net_namespaceObject.isIP)(hostname) ? undefined : hostname;
}
function defaultPort(url) {
    return url.protocol === 'https:' ? 443 : 80;
}
function moduleFor(url) {
    return url.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_namespaceObject;
}

;// CONCATENATED MODULE: ./src/retry.ts
/**
 * Internal: tests shorten the backoff with SENTRY_RELEASE_ACTION_RETRY_BASE_MS, and the total with
 * SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS (to reach it in seconds); users have no reason to.
 */
function retryPolicy(env = process.env) {
    const milliseconds = (name, fallback) => {
        const value = Number.parseInt(env[name] ?? '', 10);
        return value >= 0 ? value : fallback;
    };
    return {
        maxAttempts: 5,
        baseDelayMs: milliseconds('SENTRY_RELEASE_ACTION_RETRY_BASE_MS', 1000),
        maxDelayMs: 30_000,
        maxTotalMs: milliseconds('SENTRY_RELEASE_ACTION_RETRY_BUDGET_MS', 120_000)
    };
}
function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
}
const realHooks = {
    sleep,
    now: () => Date.now(),
    random: Math.random
};
/** Runs attempts until one needs no retry or a limit is reached; returns the last result either way. */
async function withRetries(attempt, policy, hooks) {
    const { sleep, now, random, onRetry } = { ...realHooks, ...hooks };
    const start = now();
    for (let attemptNumber = 1;; attemptNumber++) {
        const { result, retry } = await attempt();
        if (!retry || attemptNumber >= policy.maxAttempts)
            return result;
        const delay = (retry.afterMs ?? backoffMs(attemptNumber, policy, random())) + (retry.extraMs ?? 0);
        if (now() - start + delay > policy.maxTotalMs)
            return result;
        onRetry(retry.reason, delay, attemptNumber + 1);
        await sleep(delay);
    }
}
/** Exponential backoff with jitter: base * 2^(n-1), scaled into [50%, 100%], capped. */
function backoffMs(attemptNumber, policy, random) {
    const exponential = Math.min(policy.baseDelayMs * 2 ** (attemptNumber - 1), policy.maxDelayMs);
    return Math.round(exponential * (0.5 + random / 2));
}
/** Retry-After as seconds or an HTTP date -> milliseconds to wait; undefined when absent or unreadable. */
function retryAfterMs(header, now) {
    if (!header)
        return undefined;
    const value = header.trim();
    if (/^\d+$/.test(value))
        return Number(value) * 1000;
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

;// CONCATENATED MODULE: ./src/sentry-errors.ts

/** Sentry answered with a final error status; the message is one readable line. */
class SentryError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
        this.name = 'SentryError';
    }
}
// Which input to look at when Sentry rejects a body field of a release, or of a deploy.
const RELEASE_FIELD_INPUTS = {
    refs: 'repo',
    projects: 'projects',
    version: 'release',
    url: 'release_url',
    ref: 'ref',
    dateReleased: 'date_released'
};
const DEPLOY_FIELD_INPUTS = {
    environment: 'environment',
    name: 'deploy_name',
    url: 'deploy_url',
    dateStarted: 'started_at',
    projects: 'projects'
};
const STATUS_HINTS = {
    401: "check 'auth_token'",
    403: "the token needs the org:ci or project:releases scope, in org '%org'"
};
/** Sentry answers the same 404 for an org the token cannot see as for a missing release, so that cause is always named. */
function hiddenOrgHint(org) {
    return `the token cannot see org '${org}': check 'org'`;
}
function notFoundHint(request, org) {
    // A 404 to the org's release list (creating a release) can only mean the org.
    const missing = request.path === releasesPath(org) ? `Sentry has no org '${org}'` : `Sentry has no such release in org '${org}'`;
    return `${missing}, or ${hiddenOrgHint(org)}`;
}
/** Sentry's error answer to a request -> SentryError saying what failed, why and where to look. */
function sentryError(request, org, status, body) {
    const detail = errorDetail(body);
    // A release's create is a POST to …/releases/, its deploy's to …/releases/{version}/deploys/.
    const inputs = request.method === 'POST' && request.path.endsWith('/deploys/') ? DEPLOY_FIELD_INPUTS : RELEASE_FIELD_INPUTS;
    const field = typeof body === 'object' && body !== null ? Object.keys(body).find(key => key in inputs) : undefined;
    const hint = field ? `check '${inputs[field]}'` : status === 404 ? notFoundHint(request, org) : STATUS_HINTS[status]?.replace('%org', org);
    const parts = [
        `Sentry answered ${status} to ${request.method} /api/0/${request.path}`,
        detail && `: ${detail}`,
        hint && ` (${hint})`,
        status === 400 && refsRejectedAfterSaving(detail) && `; ${partlyApplied(request)}`
    ];
    return new SentryError(status, parts.filter(Boolean).join(''));
}
// Errors Sentry raises while setting refs, after it has saved the release's other fields, with no rollback
// (contract section 1, "Processing order", step 7).
const LATE_REFS_ERRORS = ['Invalid repository names', 'You must use an authenticated API token to fetch refs'];
function refsRejectedAfterSaving(detail) {
    return LATE_REFS_ERRORS.some(message => detail.startsWith(`refs: ${message}`));
}
/** What of a refs-rejected request Sentry kept anyway: the release (on create) and its truthy ref, url, dateReleased. */
function partlyApplied(request) {
    const kept = ['ref', 'url', 'dateReleased'].filter(field => request.body?.[field]);
    const saved = kept.length > 0 ? `saved ${kept.join(', ')}` : 'saved nothing else';
    const what = request.method === 'POST' ? `created the release and ${saved}` : saved;
    return `Sentry ${what}, but set no commits`;
}
/**
 * Sentry's error bodies: {"detail": "..."}, field errors {"refs": ["Invalid repository names: x"]},
 * unindexed list errors {"refs": {"repository": ["This field is required."]}}, or non-JSON text.
 */
function errorDetail(body, field = '') {
    if (body === undefined || body === null)
        return '';
    if (Array.isArray(body))
        return labelled(field, body.map(item => errorDetail(item)).join(' '));
    if (typeof body === 'object') {
        return Object.entries(body)
            .map(([key, value]) => errorDetail(value, key === 'detail' ? field : field ? `${field}.${key}` : key))
            .join('; ');
    }
    return labelled(field, String(body).trim().split('\n')[0].slice(0, 200));
}
function labelled(field, text) {
    return field ? `${field}: ${text}` : text;
}

;// CONCATENATED MODULE: ./src/sentry-client.ts







/** The id of the newest commit Sentry lists for the release, when it reports one. */
function lastCommitId(release) {
    return isRecord(release.lastCommit) ? release.lastCommit.id : undefined;
}
/** A 2xx body that should be one object (a release, a deploy); anything else reads as an empty one. */
function sentryObject(body) {
    return isRecord(body) ? body : {};
}
// Sentry's 409 while another request sets the release's commits (contract section 1, step 5): it clears by itself.
const COMMIT_LOCK_DETAIL = 'Release commits are currently being processed';
// Certificate problems do not go away on a retry; they need a CA (NODE_EXTRA_CA_CERTS) or another URL.
const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;
/**
 * One planned request at a time over http-transport (proxies, deadline); retries and errors are ours.
 * Throws at once when the proxy setting cannot work, naming its variable: no request is tried.
 */
function createSentryClient(options) {
    const proxy = proxyFor(new URL(options.sentryUrl), process.env);
    const headers = {
        Authorization: `Bearer ${options.authToken}`,
        Accept: 'application/json',
        'User-Agent': `sentry-release-action/${package_namespaceObject.rE}`
    };
    async function attempt(request) {
        try {
            const url = apiUrl(options.sentryUrl, request.path);
            const response = await sendRequest({ method: request.method, url, headers, json: request.body, timeoutMs: options.timeoutMs, proxy });
            const status = response.status;
            const answer = { status, body: parseBody(response.body) };
            if (status === 429 || status >= 500) {
                const retryAfter = response.headers['retry-after'];
                return { result: answer, retry: { reason: `answered ${status}`, afterMs: retryAfterMs(retryAfter, Date.now()) } };
            }
            if (status === 409 && errorDetail(answer.body).includes(COMMIT_LOCK_DETAIL)) {
                return { result: answer, retry: { reason: `answered 409 (${COMMIT_LOCK_DETAIL})` } };
            }
            return { result: answer };
        }
        catch (error) {
            const failure = networkFailure(error, options.timeoutMs, proxy);
            if (!failure.retryable)
                return { result: failure };
            return { result: failure, retry: { reason: failure.check ? `did not answer (${failure.message})` : failure.message } };
        }
    }
    return async (request, ifMaybeApplied) => {
        let attempts = 0;
        let last;
        const counted = async () => {
            attempts++;
            // The retry's delay included the wait (extraMs) for a request Sentry may still be running: check before sending.
            if (ifMaybeApplied && last?.retry?.extraMs) {
                const applied = await ifMaybeApplied(last.retry.reason);
                if (applied !== undefined)
                    return (last = { result: { status: 200, body: applied } });
            }
            last = await attempt(request);
            if (ifMaybeApplied && last.retry && mayHaveApplied(last.result))
                last.retry.extraMs = options.timeoutMs;
            return last;
        };
        const answer = await withRetries(counted, options.retry, {
            onRetry: (reason, delayMs, next) => info(retryText(reason, delayMs, next, options.retry, last?.retry?.extraMs))
        });
        if (!(answer instanceof Error) && answer.status >= 200 && answer.status < 300)
            return answer.body;
        if (answer instanceof NetworkFailure)
            throw new Error(networkErrorText(answer, attempts, options.sentryUrl));
        const error = sentryError(request, options.org, answer.status, answer.body);
        if (attempts === 1 && !last?.retry)
            throw error;
        throw new SentryError(error.status, `${error.message}${attemptsNote(attempts, last?.retry, options.retry)}`);
    };
}
/** The retry log line: the whole wait, and why it is longer than the backoff when it is. */
function retryText(reason, delayMs, next, policy, extraMs) {
    const retrying = `Sentry ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next} of ${policy.maxAttempts})`;
    if (!extraMs)
        return `${retrying}.`;
    return `${retrying}: the backoff plus ${extraMs / 1000} s ('request_timeout'), so that a deploy Sentry may still be recording shows up before checking.`;
}
/** Sentry reached but silent (a timeout) is told apart from Sentry never reached, which is where sentry_url is to blame. */
function networkErrorText(failure, attempts, sentryUrl) {
    const plural = attempts === 1 ? '' : 's';
    if (!failure.check)
        return `Sentry at ${new URL(sentryUrl).origin} ${failure.message} in ${attempts} attempt${plural}`;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    return `Cannot reach Sentry at ${sentryUrl}${tries} (${failure.check}): ${failure.message}`;
}
/** How many attempts were made, and why the action stopped early when a server asked for too long a wait. */
function attemptsNote(attempts, retry, policy) {
    const count = ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    if (attempts >= policy.maxAttempts || retry?.afterMs === undefined)
        return count;
    const check = retry.extraMs ? ` and ${Math.round(retry.extraMs / 1000)} s more before checking for the deploy` : '';
    return `${count}; Sentry asked to wait ${Math.round(retry.afterMs / 1000)} s (Retry-After)${check}, beyond the ${policy.maxTotalMs / 1000} s retry budget`;
}
// Network errors raised before a connection was made: the request never left.
const NOT_SENT_ERRORS = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)$/;
/**
 * Whether Sentry may have applied a request whose attempt failed. Certainly not after a 4xx (a 429 comes from
 * the rate limiter, before the endpoint runs) or a connection never made; maybe after a timeout, a dropped
 * connection or a 5xx.
 */
function mayHaveApplied(result) {
    return result instanceof NetworkFailure ? !NOT_SENT_ERRORS.test(result.code ?? '') : result.status >= 500;
}
/**
 * No answer from Sentry: words people act on, the setting to check (none after a timeout: Sentry was reached),
 * and whether another attempt can help.
 */
class NetworkFailure extends Error {
    check;
    retryable;
    code;
    constructor(message, check, retryable, code) {
        super(message);
        this.check = check;
        this.retryable = retryable;
        this.code = code;
        this.name = 'NetworkFailure';
    }
}
// Requests node refuses to send (a header with characters HTTP forbids): every attempt fails the same way.
const REFUSED_BY_NODE = /^(ERR_INVALID_CHAR|ERR_INVALID_HTTP_TOKEN)$/;
/** A network error in words people act on: timeouts name request_timeout, certificate errors the CA setting. */
function networkFailure(error, timeoutMs, proxy) {
    const { code } = error;
    const checkUrl = proxy ? `check 'sentry_url' and '${proxy.variable}'` : "check 'sentry_url'";
    if (error instanceof TimeoutError)
        return new NetworkFailure(`did not answer within ${timeoutMs / 1000} s ('request_timeout')`, undefined, true);
    if (error instanceof ProxyError)
        return new NetworkFailure(error.message, `check '${error.variable}'`, error.retryable);
    if (CERTIFICATE_ERRORS.test(code ?? '')) {
        const message = `TLS certificate not trusted (${code}: ${error.message}); for a private CA set NODE_EXTRA_CA_CERTS to its PEM file`;
        return new NetworkFailure(message, "check 'sentry_url'", false, code);
    }
    // Only the token comes from outside into a header (settings refuses such tokens first).
    if (REFUSED_BY_NODE.test(code ?? '')) {
        return new NetworkFailure(`the request was refused before sending: ${error.message}`, "check 'auth_token'", false, code);
    }
    return new NetworkFailure(error.message, checkUrl, true, code);
}
/** JSON when it is JSON; other text (proxies, gateways) only when it is not an HTML page. */
function parseBody(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return text.trimStart().startsWith('<') ? undefined : text;
    }
}
/**
 * Sentry lists commits, and they end at head. A rerun, or a release given a new range, still shows the old
 * commitCount until the fetch finishes: its lastCommit (when Sentry reports one) is not head yet.
 */
function listsCommitsUpTo(release, head) {
    const lastCommit = lastCommitId(release);
    return Number(release.commitCount) > 0 && (typeof lastCommit !== 'string' || lastCommit === head);
}

;// CONCATENATED MODULE: ./src/deploy.ts



/**
 * Records the planned deploy unless Sentry already has it: the release's lastDeploy, then its listed
 * deploys, are checked first (only when the release has any). At most two requests, unless a POST fails
 * in a way Sentry may have applied: then the list is checked again before each new POST.
 */
async function recordDeploy(planned, release, send) {
    const earlier = await findEarlierDeploy(planned, release, send);
    if (earlier) {
        info(`Sentry already has this deploy to ${String(earlier.environment)} (id ${String(earlier.id)}): not recording it again.`);
        return { deploy: earlier, created: false, release };
    }
    const deploy = sentryObject(await send(planned.create, failure => recordedDespite(failure, planned, send)));
    return { deploy, created: true, release: releaseAfterDeploy(release, deploy) };
}
/** After a failed POST that Sentry may have applied: the deploy when Sentry holds it, undefined to send it again. */
async function recordedDespite(failure, planned, send) {
    if (!planned.list) {
        throw new Error(`Sentry ${failure} to the deploy POST and may have recorded the deploy; with no start time to recognise it by (set started_at), it is not sent again`);
    }
    info('Checking whether Sentry recorded the deploy before sending it again.');
    return recordedDeploy(planned.create.body, await send(planned.list));
}
async function findEarlierDeploy(planned, release, send) {
    if (!planned.list || !(Number(release.deployCount) > 0))
        return undefined;
    return recordedDeploy(planned.create.body, [release.lastDeploy]) ?? recordedDeploy(planned.create.body, await send(planned.list));
}

;// CONCATENATED MODULE: ./src/event-time.ts

// Where each event's payload says when it happened. A rerun of a job gets the same payload, hence the same time.
const EVENT_TIMES = {
    push: payload => field(payload.repository, 'pushed_at'),
    create: payload => field(payload.repository, 'pushed_at'),
    release: payload => field(payload.release, 'published_at') ?? field(payload.release, 'created_at'),
    deployment: payload => field(payload.deployment, 'created_at'),
    deployment_status: payload => field(payload.deployment_status, 'created_at'),
    workflow_run: payload => field(payload.workflow_run, 'updated_at')
};
/** When the triggering event happened (ISO 8601), or undefined when its payload does not say. */
function eventTime(context) {
    return isoDate(EVENT_TIMES[context.eventName]?.(context.payload));
}
/** A payload date (ISO 8601 string, or unix seconds as GitHub gives `pushed_at` in push events) -> ISO 8601 UTC. */
function isoDate(value) {
    const time = typeof value === 'number' ? value * 1000 : typeof value === 'string' && value !== '' ? Date.parse(value) : NaN;
    return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
function field(record, key) {
    return isRecord(record) ? record[key] : undefined;
}

;// CONCATENATED MODULE: ./src/deployment-event.ts


const DEPLOYMENT_EVENTS = ['deployment', 'deployment_status'];
const UNFINISHED_STATES = ['pending', 'queued', 'in_progress'];
const FAILED_STATES = ['failure', 'error'];
/**
 * deployment and deployment_status release what was deployed: the tag when the deployed ref is one
 * (GITHUB_REF, which is empty for a deployment created from a SHA), else `deployment.sha`.
 */
function deploymentTarget(context) {
    if (!DEPLOYMENT_EVENTS.includes(context.eventName))
        return undefined;
    const deployment = context.payload.deployment;
    const sha = stringField(deployment, 'sha') ?? context.sha;
    const tag = tagOfRef(stringField(deployment, 'ref')) ?? tagOfRef(context.ref);
    return tag === undefined ? { kind: 'commit', sha } : { kind: 'tag', tag, sha };
}
/**
 * deployment: a deploy started when the deployment was created. deployment_status: success is a
 * finished deploy; pending, queued and in_progress only update the release; anything else sends nothing.
 * Other events record a deploy only when the `environment` input is set.
 */
function deployIntent(context) {
    const { deployment, deployment_status: status } = context.payload;
    if (!DEPLOYMENT_EVENTS.includes(context.eventName) || !isRecord(deployment))
        return { kind: 'deploy' };
    const started = { environment: stringField(deployment, 'environment'), dateStarted: isoDate(deployment.created_at) };
    if (context.eventName === 'deployment')
        return { kind: 'deploy', ...started };
    const state = stringField(status, 'state') ?? 'unknown';
    const environment = stringField(status, 'environment') ?? started.environment;
    const which = `Deployment ${String(deployment.id ?? '')} to '${environment ?? 'no environment'}' is '${state}'`;
    if (state === 'success') {
        const url = [stringField(status, 'environment_url'), stringField(status, 'target_url')].find(isHttpUrl);
        return { kind: 'deploy', ...started, environment, url, dateFinished: isoDate(isRecord(status) ? status.created_at : undefined) };
    }
    if (UNFINISHED_STATES.includes(state)) {
        return { kind: 'release-only', notice: `${which}: the release is updated; its deploy is recorded when the status is success.` };
    }
    const reason = FAILED_STATES.includes(state) ? 'it did not deploy' : 'there is no deploy to record';
    return { kind: 'nothing', notice: `${which}: ${reason}, so nothing is sent to Sentry.` };
}
function isHttpUrl(value) {
    return value !== undefined && /^https?:\/\//i.test(value);
}

;// CONCATENATED MODULE: ./src/shallow.ts

// actions/checkout leaves `origin` pointing at the repository, with a token that can fetch.
const REMOTE = 'origin';
const FIRST_DEEPEN = 50;
/** Deepening stops once this many commits were asked for in total (50 + 100 + ... + 6400 = 12,750). */
const DEEPEN_BOUND = 10_000;
const NAMES_LOGGED = 5;
// A full object name (SHA-1 or SHA-256): what a server fetches by; a short one is never fetched.
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/** Growing steps of history to fetch: 50, 100, 200, ... until their sum reaches the bound. */
function deepenSteps(first = FIRST_DEEPEN, bound = DEEPEN_BOUND) {
    const steps = [];
    for (let step = first, total = 0; total < bound; total += step, step *= 2)
        steps.push(step);
    return steps;
}
/** A name as a glob that matches only itself: `a*[b]` -> `a\*\[b\]`. */
function escapeGlob(name) {
    return name.replace(/[*?[\]\\]/g, '\\$&');
}
/**
 * Bounded fetching for a shallow checkout. Never `git fetch --tags`: that brings the whole history behind every tag
 * (and fails on a tag actions/checkout created locally). Instead: the followed tags' names and commits from
 * `git ls-remote` (no objects), head's history only in growing `--deepen` steps (at most 12,750 commits), and after
 * each step exactly the followed tags whose commits are now present (tag objects only).
 * `head` is the commit to deepen (undefined: the checkout's HEAD). A failed fetch ends fetching, logged: callers then
 * report what is missing as usual.
 */
function historyFetcher(git, head, log) {
    const steps = deepenSteps();
    const listed = new Map();
    const unlisted = [];
    /** Followed tags not in the checkout yet -> the commit each peels to. */
    const wanted = new Map();
    let hasOrigin;
    let ended = false;
    let deepened = false;
    async function listFollowedTags() {
        const local = new Set(await git.listTags());
        for (const pattern of unlisted.splice(0)) {
            const tags = await git.remoteTags(REMOTE, pattern);
            listed.set(pattern, [...tags.keys()]);
            for (const [tag, commit] of tags)
                if (!local.has(tag))
                    wanted.set(tag, commit);
            log(`Listed ${tags.size} tag(s) matching '${pattern}' on ${REMOTE}.`);
        }
    }
    async function fetchPresentTags() {
        const present = await git.presentCommits([...new Set(wanted.values())]);
        const tags = [...wanted].filter(([, commit]) => present.has(commit)).map(([tag]) => tag);
        if (tags.length === 0)
            return;
        await git.fetchTags(REMOTE, tags);
        tags.forEach(tag => wanted.delete(tag));
        const names = tags.slice(0, NAMES_LOGGED).join(', ') + (tags.length > NAMES_LOGGED ? `, … (${tags.length - NAMES_LOGGED} more)` : '');
        log(`Fetched ${tags.length} tag(s) from ${REMOTE}: ${names}.`);
    }
    async function deepen() {
        const step = steps.shift();
        if (step === undefined || !(await git.isShallow()))
            return false;
        const commit = head() ?? (await git.commitOf('HEAD'));
        if (!commit)
            return false;
        await git.deepen(REMOTE, commit, step);
        deepened = true;
        const depth = await git.countCommits({ head: commit, paths: [] });
        log(`Fetched ${step} more commits of history from ${REMOTE}: the checkout is shallow (${depth} commits of history now).`);
        return true;
    }
    async function step() {
        if (unlisted.length > 0)
            await listFollowedTags();
        else if (!(await deepen()))
            return false;
        await fetchPresentTags();
        return true;
    }
    return {
        follow(tagPattern) {
            if (!listed.has(tagPattern) && !unlisted.includes(tagPattern))
                unlisted.push(tagPattern);
        },
        remoteTags: tagPattern => listed.get(tagPattern),
        mayLackTags: async () => deepened || (await git.isShallow()),
        async more() {
            hasOrigin ??= await git.hasRemote(REMOTE);
            if (!hasOrigin || ended)
                return false;
            try {
                ended = !(await step());
            }
            catch (error) {
                ended = true;
                log(`Cannot fetch from ${REMOTE}, continuing with the history at hand: ${errorMessage(error)}`);
            }
            return !ended;
        }
    };
}
/**
 * Fetches a commit the checkout lacks by its SHA (GitHub serves any commit of the repository by SHA), e.g. a
 * workflow_run's head_sha when the checkout is the default branch: into a shallow checkout alone (deepening starts
 * from it), into a complete one with its missing history. A failed fetch is logged: callers report what is missing.
 */
async function fetchMissingCommit(git, sha, log) {
    if (!FULL_SHA.test(sha) || (await git.commitOf(sha)) !== undefined || !(await git.hasRemote(REMOTE)))
        return;
    try {
        const shallow = await git.isShallow();
        await git.fetchCommit(REMOTE, sha, shallow ? 1 : undefined);
        log(`Fetched commit ${sha} from ${REMOTE}${shallow ? ' (without history)' : ''}: the checkout did not have it.`);
    }
    catch (error) {
        log(`Cannot fetch commit ${sha} from ${REMOTE}: ${errorMessage(error)}`);
    }
}
/**
 * Asks `find` again after each fetch step until it answers or nothing more can be fetched. `tagPattern`: the tags
 * that can answer, followed only once `find` has missed (a checkout that has them needs no `ls-remote`).
 */
async function findWithHistory(fetcher, find, tagPattern) {
    for (let first = true;; first = false) {
        const found = await find();
        if (found !== undefined)
            return found;
        if (first && tagPattern !== undefined)
            fetcher.follow(tagPattern);
        if (!(await fetcher.more()))
            return undefined;
    }
}

;// CONCATENATED MODULE: ./src/workflow-run-event.ts



// Revision syntax (`^`, `~`, `:`, `@{`, `..`, globs, whitespace) is never part of a tag name: a head_branch
// holding any is not a tag, and it never reaches git inside a revision.
const NOT_IN_TAG_NAMES = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{/;
/** The tag a workflow_run may have run for: when a tag push triggered the run, head_branch is the tag's name. */
function headBranchTagName(context) {
    if (context.eventName !== 'workflow_run')
        return undefined;
    const name = stringField(context.payload.workflow_run, 'head_branch');
    return name !== undefined && !NOT_IN_TAG_NAMES.test(name) ? name : undefined;
}
/** The commit the triggering run built ('' when the payload has none). */
function headSha(context) {
    return stringField(context.payload.workflow_run, 'head_sha') ?? '';
}
/**
 * workflow_run: release what the triggering run built. GITHUB_SHA is the default branch's tip there, so the
 * head is `workflow_run.head_sha`; when head_branch names a tag at that very commit (a run triggered by a tag
 * push), the release is the tag, as for the tag push itself. A branch of that name, or a tag elsewhere, is not.
 */
function workflowRunTarget(context, facts) {
    if (context.eventName !== 'workflow_run')
        return undefined;
    const sha = headSha(context);
    const tag = headBranchTagName(context);
    const tagged = tag !== undefined && sha !== '' && facts.headBranchTagCommit?.toLowerCase() === sha.toLowerCase();
    return tagged ? { kind: 'tag', tag, sha } : { kind: 'commit', sha };
}
/**
 * Fetches head_sha when the checkout lacks it, and the tag named by head_branch when a shallow checkout lacks it;
 * returns the commit that tag points to (annotated tags peeled), or undefined. A workflow_run job checks out the
 * default branch (actions/checkout's default, at depth 1), which may lack head_sha (an older commit, a release
 * branch's): that one commit is fetched first. A shallow checkout has no tags: this one tag is fetched from origin
 * when its commit is in the checkout (else it is not at head_sha anyway), so the range finds it locally and fetches
 * it no second time.
 */
async function fetchHeadShaAndHeadBranchTag(context, git, log = info) {
    if (context.eventName !== 'workflow_run')
        return undefined;
    await fetchMissingCommit(git, headSha(context), log);
    const tag = headBranchTagName(context);
    if (tag === undefined)
        return undefined;
    const commitOfTag = () => git.commitOf(`refs/tags/${tag}`);
    const local = await commitOfTag();
    if (local !== undefined || !(await git.isShallow()))
        return local;
    // One step: list origin's tag and fetch it if its commit is here; deepening cannot bring the commit checked out.
    const fetcher = historyFetcher(git, () => undefined, log);
    fetcher.follow(escapeGlob(tag));
    return (await fetcher.more()) ? commitOfTag() : undefined;
}

;// CONCATENATED MODULE: ./src/event.ts






function readGitHubContext(env = process.env) {
    return {
        eventName: env.GITHUB_EVENT_NAME ?? '',
        payload: readPayload(env.GITHUB_EVENT_PATH),
        ref: env.GITHUB_REF ?? '',
        sha: env.GITHUB_SHA ?? '',
        repository: env.GITHUB_REPOSITORY ?? '',
        serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
    };
}
function readPayload(eventPath) {
    if (!eventPath)
        return {};
    let payload;
    try {
        payload = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(eventPath, 'utf8'));
    }
    catch (error) {
        throw new Error(`Cannot read the event payload GITHUB_EVENT_PATH=${eventPath}: ${error.message}`);
    }
    if (!isRecord(payload))
        throw new Error(`The event payload GITHUB_EVENT_PATH=${eventPath} is not a JSON object`);
    return payload;
}
/**
 * The git facts releaseTarget needs for this event: none except for workflow_run, whose head_sha and head_branch tag
 * are fetched first when the checkout lacks them. A deployment's sha is fetched the same way when the job checked out
 * another ref (e.g. the default branch), so the range starts from the deployed commit.
 */
async function fetchEventGitFacts(context, git) {
    const deployed = deploymentTarget(context);
    if (deployed)
        await fetchMissingCommit(git, deployed.sha, info);
    return { headBranchTagCommit: await fetchHeadShaAndHeadBranchTag(context, git) };
}
// GitHub release actions after which there is no published release: updating Sentry's would be wrong.
// `edited` is not one: the release and its tag still stand, and the update (idempotent) follows a changed tag_name.
const WITHDRAWN_RELEASE_ACTIONS = ['deleted', 'unpublished'];
/**
 * Why the event must send nothing (a deleted tag, a deleted or unpublished GitHub release), else undefined.
 * The Sentry release is left as it is: it records what was deployed, which deleting on GitHub does not undo.
 */
function nothingToRelease({ eventName, payload, ref }) {
    const tag = eventTag(eventName, payload, ref);
    if (eventName === 'push' && tag !== undefined && payload.deleted === true)
        return `Tag ${tag} was deleted: there is no release to update.`;
    const action = stringField(payload, 'action') ?? '';
    if (eventName === 'release' && WITHDRAWN_RELEASE_ACTIONS.includes(action)) {
        return `GitHub release ${tag ?? '(no tag_name)'} was ${action}: the Sentry release is left as it is, nothing is sent.`;
    }
    return undefined;
}
// Their GITHUB_SHA is a temporary merge commit that no branch or tag will ever hold: not a release.
const MERGE_COMMIT_EVENTS = ['pull_request', 'pull_request_review', 'pull_request_review_comment', 'merge_group'];
/**
 * Tag pushes, tag creation and releases release the tag; deployments and workflow runs what they name
 * (their own modules); every other event releases the commit. Events in nothingToRelease are checked first.
 */
function releaseTarget(context, facts = {}) {
    const named = deploymentTarget(context) ?? workflowRunTarget(context, facts);
    if (named)
        return named;
    const { eventName, payload, sha } = context;
    if (MERGE_COMMIT_EVENTS.includes(eventName)) {
        throw new Error(`Event '${eventName}' is not supported: its GITHUB_SHA is a temporary merge commit, not a release. ` +
            'Run on push, release, deployment or workflow_dispatch events');
    }
    const tag = eventTag(eventName, payload, context.ref);
    return tag === undefined ? { kind: 'commit', sha } : { kind: 'tag', tag, sha };
}
function eventTag(eventName, payload, ref) {
    switch (eventName) {
        case 'push':
            return tagOfRef(stringField(payload, 'ref') ?? ref);
        case 'create':
            return payload.ref_type === 'tag' ? stringField(payload, 'ref') : undefined;
        case 'release':
            return stringField(payload.release, 'tag_name');
        default:
            return undefined;
    }
}

;// CONCATENATED MODULE: external "string_decoder"
const external_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");
;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: external "events"
const external_events_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");
;// CONCATENATED MODULE: external "child_process"
const external_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
;// CONCATENATED MODULE: external "assert"
const external_assert_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io-util.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { chmod, copyFile, lstat, mkdir, open: io_util_open, readdir, rename, rm, rmdir, stat, symlink, unlink } = external_fs_namespaceObject.promises;
// export const {open} = 'fs'
const IS_WINDOWS = process.platform === 'win32';
/**
 * Custom implementation of readlink to ensure Windows junctions
 * maintain trailing backslash for backward compatibility with Node.js < 24
 *
 * In Node.js 20, Windows junctions (directory symlinks) always returned paths
 * with trailing backslashes. Node.js 24 removed this behavior, which breaks
 * code that relied on this format for path operations.
 *
 * This implementation restores the Node 20 behavior by adding a trailing
 * backslash to all junction results on Windows.
 */
function readlink(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        const result = yield fs.promises.readlink(fsPath);
        // On Windows, restore Node 20 behavior: add trailing backslash to all results
        // since junctions on Windows are always directory links
        if (IS_WINDOWS && !result.endsWith('\\')) {
            return `${result}\\`;
        }
        return result;
    });
}
// See https://github.com/nodejs/node/blob/d0153aee367422d0858105abec186da4dff0a0c5/deps/uv/include/uv/win.h#L691
const UV_FS_O_EXLOCK = 0x10000000;
const READONLY = external_fs_namespaceObject.constants.O_RDONLY;
function exists(fsPath) {
    return __awaiter(this, void 0, void 0, function* () {
        try {
            yield stat(fsPath);
        }
        catch (err) {
            if (err.code === 'ENOENT') {
                return false;
            }
            throw err;
        }
        return true;
    });
}
function isDirectory(fsPath_1) {
    return __awaiter(this, arguments, void 0, function* (fsPath, useStat = false) {
        const stats = useStat ? yield stat(fsPath) : yield lstat(fsPath);
        return stats.isDirectory();
    });
}
/**
 * On OSX/Linux, true if path starts with '/'. On Windows, true for paths like:
 * \, \hello, \\hello\share, C:, and C:\hello (and corresponding alternate separator cases).
 */
function isRooted(p) {
    p = normalizeSeparators(p);
    if (!p) {
        throw new Error('isRooted() parameter "p" cannot be empty');
    }
    if (IS_WINDOWS) {
        return (p.startsWith('\\') || /^[A-Z]:/i.test(p) // e.g. \ or \hello or \\hello
        ); // e.g. C: or C:\hello
    }
    return p.startsWith('/');
}
/**
 * Best effort attempt to determine whether a file exists and is executable.
 * @param filePath    file path to check
 * @param extensions  additional file extensions to try
 * @return if file exists and is executable, returns the file path. otherwise empty string.
 */
function tryGetExecutablePath(filePath, extensions) {
    return __awaiter(this, void 0, void 0, function* () {
        let stats = undefined;
        try {
            // test file exists
            stats = yield stat(filePath);
        }
        catch (err) {
            if (err.code !== 'ENOENT') {
                // eslint-disable-next-line no-console
                console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
            }
        }
        if (stats && stats.isFile()) {
            if (IS_WINDOWS) {
                // on Windows, test for valid extension
                const upperExt = external_path_namespaceObject.extname(filePath).toUpperCase();
                if (extensions.some(validExt => validExt.toUpperCase() === upperExt)) {
                    return filePath;
                }
            }
            else {
                if (isUnixExecutable(stats)) {
                    return filePath;
                }
            }
        }
        // try each extension
        const originalFilePath = filePath;
        for (const extension of extensions) {
            filePath = originalFilePath + extension;
            stats = undefined;
            try {
                stats = yield stat(filePath);
            }
            catch (err) {
                if (err.code !== 'ENOENT') {
                    // eslint-disable-next-line no-console
                    console.log(`Unexpected error attempting to determine if executable file exists '${filePath}': ${err}`);
                }
            }
            if (stats && stats.isFile()) {
                if (IS_WINDOWS) {
                    // preserve the case of the actual file (since an extension was appended)
                    try {
                        const directory = external_path_namespaceObject.dirname(filePath);
                        const upperName = external_path_namespaceObject.basename(filePath).toUpperCase();
                        for (const actualName of yield readdir(directory)) {
                            if (upperName === actualName.toUpperCase()) {
                                filePath = external_path_namespaceObject.join(directory, actualName);
                                break;
                            }
                        }
                    }
                    catch (err) {
                        // eslint-disable-next-line no-console
                        console.log(`Unexpected error attempting to determine the actual case of the file '${filePath}': ${err}`);
                    }
                    return filePath;
                }
                else {
                    if (isUnixExecutable(stats)) {
                        return filePath;
                    }
                }
            }
        }
        return '';
    });
}
function normalizeSeparators(p) {
    p = p || '';
    if (IS_WINDOWS) {
        // convert slashes on Windows
        p = p.replace(/\//g, '\\');
        // remove redundant slashes
        return p.replace(/\\\\+/g, '\\');
    }
    // remove redundant slashes
    return p.replace(/\/\/+/g, '/');
}
// on Mac/Linux, test the execute bit
//     R   W  X  R  W X R W X
//   256 128 64 32 16 8 4 2 1
function isUnixExecutable(stats) {
    return ((stats.mode & 1) > 0 ||
        ((stats.mode & 8) > 0 &&
            process.getgid !== undefined &&
            stats.gid === process.getgid()) ||
        ((stats.mode & 64) > 0 &&
            process.getuid !== undefined &&
            stats.uid === process.getuid()));
}
// Get the path of cmd.exe in windows
function getCmdPath() {
    var _a;
    return (_a = process.env['COMSPEC']) !== null && _a !== void 0 ? _a : `cmd.exe`;
}
//# sourceMappingURL=io-util.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/io/lib/io.js
var io_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



/**
 * Copies a file or folder.
 * Based off of shelljs - https://github.com/shelljs/shelljs/blob/9237f66c52e5daa40458f94f9565e18e8132f5a6/src/cp.js
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See CopyOptions.
 */
function cp(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        const { force, recursive, copySourceDirectory } = readCopyOptions(options);
        const destStat = (yield ioUtil.exists(dest)) ? yield ioUtil.stat(dest) : null;
        // Dest is an existing file, but not forcing
        if (destStat && destStat.isFile() && !force) {
            return;
        }
        // If dest is an existing directory, should copy inside.
        const newDest = destStat && destStat.isDirectory() && copySourceDirectory
            ? path.join(dest, path.basename(source))
            : dest;
        if (!(yield ioUtil.exists(source))) {
            throw new Error(`no such file or directory: ${source}`);
        }
        const sourceStat = yield ioUtil.stat(source);
        if (sourceStat.isDirectory()) {
            if (!recursive) {
                throw new Error(`Failed to copy. ${source} is a directory, but tried to copy without recursive flag.`);
            }
            else {
                yield cpDirRecursive(source, newDest, 0, force);
            }
        }
        else {
            if (path.relative(source, newDest) === '') {
                // a file cannot be copied to itself
                throw new Error(`'${newDest}' and '${source}' are the same file`);
            }
            yield io_copyFile(source, newDest, force);
        }
    });
}
/**
 * Moves a path.
 *
 * @param     source    source path
 * @param     dest      destination path
 * @param     options   optional. See MoveOptions.
 */
function mv(source_1, dest_1) {
    return io_awaiter(this, arguments, void 0, function* (source, dest, options = {}) {
        if (yield ioUtil.exists(dest)) {
            let destExists = true;
            if (yield ioUtil.isDirectory(dest)) {
                // If dest is directory copy src into dest
                dest = path.join(dest, path.basename(source));
                destExists = yield ioUtil.exists(dest);
            }
            if (destExists) {
                if (options.force == null || options.force) {
                    yield rmRF(dest);
                }
                else {
                    throw new Error('Destination already exists');
                }
            }
        }
        yield mkdirP(path.dirname(dest));
        yield ioUtil.rename(source, dest);
    });
}
/**
 * Remove a path recursively with force
 *
 * @param inputPath path to remove
 */
function rmRF(inputPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (ioUtil.IS_WINDOWS) {
            // Check for invalid characters
            // https://docs.microsoft.com/en-us/windows/win32/fileio/naming-a-file
            if (/[*"<>|]/.test(inputPath)) {
                throw new Error('File path must not contain `*`, `"`, `<`, `>` or `|` on Windows');
            }
        }
        try {
            // note if path does not exist, error is silent
            yield ioUtil.rm(inputPath, {
                force: true,
                maxRetries: 3,
                recursive: true,
                retryDelay: 300
            });
        }
        catch (err) {
            throw new Error(`File was unable to be removed ${err}`);
        }
    });
}
/**
 * Make a directory.  Creates the full path with folders in between
 * Will throw if it fails
 *
 * @param   fsPath        path to create
 * @returns Promise<void>
 */
function mkdirP(fsPath) {
    return io_awaiter(this, void 0, void 0, function* () {
        ok(fsPath, 'a path argument must be provided');
        yield ioUtil.mkdir(fsPath, { recursive: true });
    });
}
/**
 * Returns path of a tool had the tool actually been invoked.  Resolves via paths.
 * If you check and the tool does not exist, it will throw.
 *
 * @param     tool              name of the tool
 * @param     check             whether to check if tool exists
 * @returns   Promise<string>   path to tool
 */
function which(tool, check) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // recursive when check=true
        if (check) {
            const result = yield which(tool, false);
            if (!result) {
                if (IS_WINDOWS) {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also verify the file has a valid extension for an executable file.`);
                }
                else {
                    throw new Error(`Unable to locate executable file: ${tool}. Please verify either the file path exists or the file can be found within a directory specified by the PATH environment variable. Also check the file mode to verify the file is executable.`);
                }
            }
            return result;
        }
        const matches = yield findInPath(tool);
        if (matches && matches.length > 0) {
            return matches[0];
        }
        return '';
    });
}
/**
 * Returns a list of all occurrences of the given tool on the system path.
 *
 * @returns   Promise<string[]>  the paths of the tool
 */
function findInPath(tool) {
    return io_awaiter(this, void 0, void 0, function* () {
        if (!tool) {
            throw new Error("parameter 'tool' is required");
        }
        // build the list of extensions to try
        const extensions = [];
        if (IS_WINDOWS && process.env['PATHEXT']) {
            for (const extension of process.env['PATHEXT'].split(external_path_namespaceObject.delimiter)) {
                if (extension) {
                    extensions.push(extension);
                }
            }
        }
        // if it's rooted, return it if exists. otherwise return empty.
        if (isRooted(tool)) {
            const filePath = yield tryGetExecutablePath(tool, extensions);
            if (filePath) {
                return [filePath];
            }
            return [];
        }
        // if any path separators, return empty
        if (tool.includes(external_path_namespaceObject.sep)) {
            return [];
        }
        // build the list of directories
        //
        // Note, technically "where" checks the current directory on Windows. From a toolkit perspective,
        // it feels like we should not do this. Checking the current directory seems like more of a use
        // case of a shell, and the which() function exposed by the toolkit should strive for consistency
        // across platforms.
        const directories = [];
        if (process.env.PATH) {
            for (const p of process.env.PATH.split(external_path_namespaceObject.delimiter)) {
                if (p) {
                    directories.push(p);
                }
            }
        }
        // find all matches
        const matches = [];
        for (const directory of directories) {
            const filePath = yield tryGetExecutablePath(external_path_namespaceObject.join(directory, tool), extensions);
            if (filePath) {
                matches.push(filePath);
            }
        }
        return matches;
    });
}
function readCopyOptions(options) {
    const force = options.force == null ? true : options.force;
    const recursive = Boolean(options.recursive);
    const copySourceDirectory = options.copySourceDirectory == null
        ? true
        : Boolean(options.copySourceDirectory);
    return { force, recursive, copySourceDirectory };
}
function cpDirRecursive(sourceDir, destDir, currentDepth, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        // Ensure there is not a run away recursive copy
        if (currentDepth >= 255)
            return;
        currentDepth++;
        yield mkdirP(destDir);
        const files = yield ioUtil.readdir(sourceDir);
        for (const fileName of files) {
            const srcFile = `${sourceDir}/${fileName}`;
            const destFile = `${destDir}/${fileName}`;
            const srcFileStat = yield ioUtil.lstat(srcFile);
            if (srcFileStat.isDirectory()) {
                // Recurse
                yield cpDirRecursive(srcFile, destFile, currentDepth, force);
            }
            else {
                yield io_copyFile(srcFile, destFile, force);
            }
        }
        // Change the mode for the newly created directory
        yield ioUtil.chmod(destDir, (yield ioUtil.stat(sourceDir)).mode);
    });
}
// Buffered file copy
function io_copyFile(srcFile, destFile, force) {
    return io_awaiter(this, void 0, void 0, function* () {
        if ((yield ioUtil.lstat(srcFile)).isSymbolicLink()) {
            // unlink/re-link it
            try {
                yield ioUtil.lstat(destFile);
                yield ioUtil.unlink(destFile);
            }
            catch (e) {
                // Try to override file permission
                if (e.code === 'EPERM') {
                    yield ioUtil.chmod(destFile, '0666');
                    yield ioUtil.unlink(destFile);
                }
                // other errors = it doesn't exist, no work to do
            }
            // Copy over symlink
            const symlinkFull = yield ioUtil.readlink(srcFile);
            yield ioUtil.symlink(symlinkFull, destFile, ioUtil.IS_WINDOWS ? 'junction' : null);
        }
        else if (!(yield ioUtil.exists(destFile)) || force) {
            yield ioUtil.copyFile(srcFile, destFile);
        }
    });
}
//# sourceMappingURL=io.js.map
;// CONCATENATED MODULE: external "timers"
const external_timers_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/toolrunner.js
var toolrunner_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};







/* eslint-disable @typescript-eslint/unbound-method */
const toolrunner_IS_WINDOWS = process.platform === 'win32';
/*
 * Class for running command line tools. Handles quoting and arg parsing in a platform agnostic way.
 */
class ToolRunner extends external_events_namespaceObject.EventEmitter {
    constructor(toolPath, args, options) {
        super();
        if (!toolPath) {
            throw new Error("Parameter 'toolPath' cannot be null or empty.");
        }
        this.toolPath = toolPath;
        this.args = args || [];
        this.options = options || {};
    }
    _debug(message) {
        if (this.options.listeners && this.options.listeners.debug) {
            this.options.listeners.debug(message);
        }
    }
    _getCommandString(options, noPrefix) {
        const toolPath = this._getSpawnFileName();
        const args = this._getSpawnArgs(options);
        let cmd = noPrefix ? '' : '[command]'; // omit prefix when piped to a second tool
        if (toolrunner_IS_WINDOWS) {
            // Windows + cmd file
            if (this._isCmdFile()) {
                cmd += toolPath;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows + verbatim
            else if (options.windowsVerbatimArguments) {
                cmd += `"${toolPath}"`;
                for (const a of args) {
                    cmd += ` ${a}`;
                }
            }
            // Windows (regular)
            else {
                cmd += this._windowsQuoteCmdArg(toolPath);
                for (const a of args) {
                    cmd += ` ${this._windowsQuoteCmdArg(a)}`;
                }
            }
        }
        else {
            // OSX/Linux - this can likely be improved with some form of quoting.
            // creating processes on Unix is fundamentally different than Windows.
            // on Unix, execvp() takes an arg array.
            cmd += toolPath;
            for (const a of args) {
                cmd += ` ${a}`;
            }
        }
        return cmd;
    }
    _processLineBuffer(data, strBuffer, onLine) {
        try {
            let s = strBuffer + data.toString();
            let n = s.indexOf(external_os_namespaceObject.EOL);
            while (n > -1) {
                const line = s.substring(0, n);
                onLine(line);
                // the rest of the string ...
                s = s.substring(n + external_os_namespaceObject.EOL.length);
                n = s.indexOf(external_os_namespaceObject.EOL);
            }
            return s;
        }
        catch (err) {
            // streaming lines to console is best effort.  Don't fail a build.
            this._debug(`error processing line. Failed with error ${err}`);
            return '';
        }
    }
    _getSpawnFileName() {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                return process.env['COMSPEC'] || 'cmd.exe';
            }
        }
        return this.toolPath;
    }
    _getSpawnArgs(options) {
        if (toolrunner_IS_WINDOWS) {
            if (this._isCmdFile()) {
                let argline = `/D /S /C "${this._windowsQuoteCmdArg(this.toolPath)}`;
                for (const a of this.args) {
                    argline += ' ';
                    argline += options.windowsVerbatimArguments
                        ? a
                        : this._windowsQuoteCmdArg(a);
                }
                argline += '"';
                return [argline];
            }
        }
        return this.args;
    }
    _endsWith(str, end) {
        return str.endsWith(end);
    }
    _isCmdFile() {
        const upperToolPath = this.toolPath.toUpperCase();
        return (this._endsWith(upperToolPath, '.CMD') ||
            this._endsWith(upperToolPath, '.BAT'));
    }
    _windowsQuoteCmdArg(arg) {
        // for .exe, apply the normal quoting rules that libuv applies
        if (!this._isCmdFile()) {
            return this._uvQuoteCmdArg(arg);
        }
        // otherwise apply quoting rules specific to the cmd.exe command line parser.
        // the libuv rules are generic and are not designed specifically for cmd.exe
        // command line parser.
        //
        // for a detailed description of the cmd.exe command line parser, refer to
        // http://stackoverflow.com/questions/4094699/how-does-the-windows-command-interpreter-cmd-exe-parse-scripts/7970912#7970912
        // need quotes for empty arg
        if (!arg) {
            return '""';
        }
        // determine whether the arg needs to be quoted
        const cmdSpecialChars = [
            ' ',
            '\t',
            '&',
            '(',
            ')',
            '[',
            ']',
            '{',
            '}',
            '^',
            '=',
            ';',
            '!',
            "'",
            '+',
            ',',
            '`',
            '~',
            '|',
            '<',
            '>',
            '"'
        ];
        let needsQuotes = false;
        for (const char of arg) {
            if (cmdSpecialChars.some(x => x === char)) {
                needsQuotes = true;
                break;
            }
        }
        // short-circuit if quotes not needed
        if (!needsQuotes) {
            return arg;
        }
        // the following quoting rules are very similar to the rules that by libuv applies.
        //
        // 1) wrap the string in quotes
        //
        // 2) double-up quotes - i.e. " => ""
        //
        //    this is different from the libuv quoting rules. libuv replaces " with \", which unfortunately
        //    doesn't work well with a cmd.exe command line.
        //
        //    note, replacing " with "" also works well if the arg is passed to a downstream .NET console app.
        //    for example, the command line:
        //          foo.exe "myarg:""my val"""
        //    is parsed by a .NET console app into an arg array:
        //          [ "myarg:\"my val\"" ]
        //    which is the same end result when applying libuv quoting rules. although the actual
        //    command line from libuv quoting rules would look like:
        //          foo.exe "myarg:\"my val\""
        //
        // 3) double-up slashes that precede a quote,
        //    e.g.  hello \world    => "hello \world"
        //          hello\"world    => "hello\\""world"
        //          hello\\"world   => "hello\\\\""world"
        //          hello world\    => "hello world\\"
        //
        //    technically this is not required for a cmd.exe command line, or the batch argument parser.
        //    the reasons for including this as a .cmd quoting rule are:
        //
        //    a) this is optimized for the scenario where the argument is passed from the .cmd file to an
        //       external program. many programs (e.g. .NET console apps) rely on the slash-doubling rule.
        //
        //    b) it's what we've been doing previously (by deferring to node default behavior) and we
        //       haven't heard any complaints about that aspect.
        //
        // note, a weakness of the quoting rules chosen here, is that % is not escaped. in fact, % cannot be
        // escaped when used on the command line directly - even though within a .cmd file % can be escaped
        // by using %%.
        //
        // the saving grace is, on the command line, %var% is left as-is if var is not defined. this contrasts
        // the line parsing rules within a .cmd file, where if var is not defined it is replaced with nothing.
        //
        // one option that was explored was replacing % with ^% - i.e. %var% => ^%var^%. this hack would
        // often work, since it is unlikely that var^ would exist, and the ^ character is removed when the
        // variable is used. the problem, however, is that ^ is not removed when %* is used to pass the args
        // to an external program.
        //
        // an unexplored potential solution for the % escaping problem, is to create a wrapper .cmd file.
        // % can be escaped within a .cmd file.
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\'; // double the slash
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '"'; // double the quote
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _uvQuoteCmdArg(arg) {
        // Tool runner wraps child_process.spawn() and needs to apply the same quoting as
        // Node in certain cases where the undocumented spawn option windowsVerbatimArguments
        // is used.
        //
        // Since this function is a port of quote_cmd_arg from Node 4.x (technically, lib UV,
        // see https://github.com/nodejs/node/blob/v4.x/deps/uv/src/win/process.c for details),
        // pasting copyright notice from Node within this function:
        //
        //      Copyright Joyent, Inc. and other Node contributors. All rights reserved.
        //
        //      Permission is hereby granted, free of charge, to any person obtaining a copy
        //      of this software and associated documentation files (the "Software"), to
        //      deal in the Software without restriction, including without limitation the
        //      rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
        //      sell copies of the Software, and to permit persons to whom the Software is
        //      furnished to do so, subject to the following conditions:
        //
        //      The above copyright notice and this permission notice shall be included in
        //      all copies or substantial portions of the Software.
        //
        //      THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
        //      IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
        //      FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
        //      AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
        //      LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
        //      FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
        //      IN THE SOFTWARE.
        if (!arg) {
            // Need double quotation for empty argument
            return '""';
        }
        if (!arg.includes(' ') && !arg.includes('\t') && !arg.includes('"')) {
            // No quotation needed
            return arg;
        }
        if (!arg.includes('"') && !arg.includes('\\')) {
            // No embedded double quotes or backslashes, so I can just wrap
            // quote marks around the whole thing.
            return `"${arg}"`;
        }
        // Expected input/output:
        //   input : hello"world
        //   output: "hello\"world"
        //   input : hello""world
        //   output: "hello\"\"world"
        //   input : hello\world
        //   output: hello\world
        //   input : hello\\world
        //   output: hello\\world
        //   input : hello\"world
        //   output: "hello\\\"world"
        //   input : hello\\"world
        //   output: "hello\\\\\"world"
        //   input : hello world\
        //   output: "hello world\\" - note the comment in libuv actually reads "hello world\"
        //                             but it appears the comment is wrong, it should be "hello world\\"
        let reverse = '"';
        let quoteHit = true;
        for (let i = arg.length; i > 0; i--) {
            // walk the string in reverse
            reverse += arg[i - 1];
            if (quoteHit && arg[i - 1] === '\\') {
                reverse += '\\';
            }
            else if (arg[i - 1] === '"') {
                quoteHit = true;
                reverse += '\\';
            }
            else {
                quoteHit = false;
            }
        }
        reverse += '"';
        return reverse.split('').reverse().join('');
    }
    _cloneExecOptions(options) {
        options = options || {};
        const result = {
            cwd: options.cwd || process.cwd(),
            env: options.env || process.env,
            silent: options.silent || false,
            windowsVerbatimArguments: options.windowsVerbatimArguments || false,
            failOnStdErr: options.failOnStdErr || false,
            ignoreReturnCode: options.ignoreReturnCode || false,
            delay: options.delay || 10000
        };
        result.outStream = options.outStream || process.stdout;
        result.errStream = options.errStream || process.stderr;
        return result;
    }
    _getSpawnOptions(options, toolPath) {
        options = options || {};
        const result = {};
        result.cwd = options.cwd;
        result.env = options.env;
        result['windowsVerbatimArguments'] =
            options.windowsVerbatimArguments || this._isCmdFile();
        if (options.windowsVerbatimArguments) {
            result.argv0 = `"${toolPath}"`;
        }
        return result;
    }
    /**
     * Exec a tool.
     * Output will be streamed to the live console.
     * Returns promise with return code
     *
     * @param     tool     path to tool to exec
     * @param     options  optional exec options.  See ExecOptions
     * @returns   number
     */
    exec() {
        return toolrunner_awaiter(this, void 0, void 0, function* () {
            // root the tool path if it is unrooted and contains relative pathing
            if (!isRooted(this.toolPath) &&
                (this.toolPath.includes('/') ||
                    (toolrunner_IS_WINDOWS && this.toolPath.includes('\\')))) {
                // prefer options.cwd if it is specified, however options.cwd may also need to be rooted
                this.toolPath = external_path_namespaceObject.resolve(process.cwd(), this.options.cwd || process.cwd(), this.toolPath);
            }
            // if the tool is only a file name, then resolve it from the PATH
            // otherwise verify it exists (add extension on Windows if necessary)
            this.toolPath = yield which(this.toolPath, true);
            return new Promise((resolve, reject) => toolrunner_awaiter(this, void 0, void 0, function* () {
                this._debug(`exec tool: ${this.toolPath}`);
                this._debug('arguments:');
                for (const arg of this.args) {
                    this._debug(`   ${arg}`);
                }
                const optionsNonNull = this._cloneExecOptions(this.options);
                if (!optionsNonNull.silent && optionsNonNull.outStream) {
                    optionsNonNull.outStream.write(this._getCommandString(optionsNonNull) + external_os_namespaceObject.EOL);
                }
                const state = new ExecState(optionsNonNull, this.toolPath);
                state.on('debug', (message) => {
                    this._debug(message);
                });
                if (this.options.cwd && !(yield exists(this.options.cwd))) {
                    return reject(new Error(`The cwd: ${this.options.cwd} does not exist!`));
                }
                const fileName = this._getSpawnFileName();
                const cp = external_child_process_namespaceObject.spawn(fileName, this._getSpawnArgs(optionsNonNull), this._getSpawnOptions(this.options, fileName));
                let stdbuffer = '';
                if (cp.stdout) {
                    cp.stdout.on('data', (data) => {
                        if (this.options.listeners && this.options.listeners.stdout) {
                            this.options.listeners.stdout(data);
                        }
                        if (!optionsNonNull.silent && optionsNonNull.outStream) {
                            optionsNonNull.outStream.write(data);
                        }
                        stdbuffer = this._processLineBuffer(data, stdbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.stdline) {
                                this.options.listeners.stdline(line);
                            }
                        });
                    });
                }
                let errbuffer = '';
                if (cp.stderr) {
                    cp.stderr.on('data', (data) => {
                        state.processStderr = true;
                        if (this.options.listeners && this.options.listeners.stderr) {
                            this.options.listeners.stderr(data);
                        }
                        if (!optionsNonNull.silent &&
                            optionsNonNull.errStream &&
                            optionsNonNull.outStream) {
                            const s = optionsNonNull.failOnStdErr
                                ? optionsNonNull.errStream
                                : optionsNonNull.outStream;
                            s.write(data);
                        }
                        errbuffer = this._processLineBuffer(data, errbuffer, (line) => {
                            if (this.options.listeners && this.options.listeners.errline) {
                                this.options.listeners.errline(line);
                            }
                        });
                    });
                }
                cp.on('error', (err) => {
                    state.processError = err.message;
                    state.processExited = true;
                    state.processClosed = true;
                    state.CheckComplete();
                });
                cp.on('exit', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    this._debug(`Exit code ${code} received from tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                cp.on('close', (code) => {
                    state.processExitCode = code;
                    state.processExited = true;
                    state.processClosed = true;
                    this._debug(`STDIO streams have closed for tool '${this.toolPath}'`);
                    state.CheckComplete();
                });
                state.on('done', (error, exitCode) => {
                    if (stdbuffer.length > 0) {
                        this.emit('stdline', stdbuffer);
                    }
                    if (errbuffer.length > 0) {
                        this.emit('errline', errbuffer);
                    }
                    cp.removeAllListeners();
                    if (error) {
                        reject(error);
                    }
                    else {
                        resolve(exitCode);
                    }
                });
                if (this.options.input) {
                    if (!cp.stdin) {
                        throw new Error('child process missing stdin');
                    }
                    cp.stdin.end(this.options.input);
                }
            }));
        });
    }
}
/**
 * Convert an arg string to an array of args. Handles escaping
 *
 * @param    argString   string of arguments
 * @returns  string[]    array of arguments
 */
function argStringToArray(argString) {
    const args = [];
    let inQuotes = false;
    let escaped = false;
    let arg = '';
    function append(c) {
        // we only escape double quotes.
        if (escaped && c !== '"') {
            arg += '\\';
        }
        arg += c;
        escaped = false;
    }
    for (let i = 0; i < argString.length; i++) {
        const c = argString.charAt(i);
        if (c === '"') {
            if (!escaped) {
                inQuotes = !inQuotes;
            }
            else {
                append(c);
            }
            continue;
        }
        if (c === '\\' && escaped) {
            append(c);
            continue;
        }
        if (c === '\\' && inQuotes) {
            escaped = true;
            continue;
        }
        if (c === ' ' && !inQuotes) {
            if (arg.length > 0) {
                args.push(arg);
                arg = '';
            }
            continue;
        }
        append(c);
    }
    if (arg.length > 0) {
        args.push(arg.trim());
    }
    return args;
}
class ExecState extends external_events_namespaceObject.EventEmitter {
    constructor(options, toolPath) {
        super();
        this.processClosed = false; // tracks whether the process has exited and stdio is closed
        this.processError = '';
        this.processExitCode = 0;
        this.processExited = false; // tracks whether the process has exited
        this.processStderr = false; // tracks whether stderr was written to
        this.delay = 10000; // 10 seconds
        this.done = false;
        this.timeout = null;
        if (!toolPath) {
            throw new Error('toolPath must not be empty');
        }
        this.options = options;
        this.toolPath = toolPath;
        if (options.delay) {
            this.delay = options.delay;
        }
    }
    CheckComplete() {
        if (this.done) {
            return;
        }
        if (this.processClosed) {
            this._setResult();
        }
        else if (this.processExited) {
            this.timeout = (0,external_timers_namespaceObject.setTimeout)(ExecState.HandleTimeout, this.delay, this);
        }
    }
    _debug(message) {
        this.emit('debug', message);
    }
    _setResult() {
        // determine whether there is an error
        let error;
        if (this.processExited) {
            if (this.processError) {
                error = new Error(`There was an error when attempting to execute the process '${this.toolPath}'. This may indicate the process failed to start. Error: ${this.processError}`);
            }
            else if (this.processExitCode !== 0 && !this.options.ignoreReturnCode) {
                error = new Error(`The process '${this.toolPath}' failed with exit code ${this.processExitCode}`);
            }
            else if (this.processStderr && this.options.failOnStdErr) {
                error = new Error(`The process '${this.toolPath}' failed because one or more lines were written to the STDERR stream`);
            }
        }
        // clear the timeout
        if (this.timeout) {
            clearTimeout(this.timeout);
            this.timeout = null;
        }
        this.done = true;
        this.emit('done', error, this.processExitCode);
    }
    static HandleTimeout(state) {
        if (state.done) {
            return;
        }
        if (!state.processClosed && state.processExited) {
            const message = `The STDIO streams did not close within ${state.delay / 1000} seconds of the exit event from process '${state.toolPath}'. This may indicate a child process inherited the STDIO streams and has not yet exited.`;
            state._debug(message);
        }
        state._setResult();
    }
}
//# sourceMappingURL=toolrunner.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/exec/lib/exec.js
var exec_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


/**
 * Exec a command.
 * Output will be streamed to the live console.
 * Returns promise with return code
 *
 * @param     commandLine        command to execute (can include additional args). Must be correctly escaped.
 * @param     args               optional arguments for tool. Escaping is handled by the lib.
 * @param     options            optional exec options.  See ExecOptions
 * @returns   Promise<number>    exit code
 */
function exec(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        const commandArgs = argStringToArray(commandLine);
        if (commandArgs.length === 0) {
            throw new Error(`Parameter 'commandLine' cannot be null or empty.`);
        }
        // Path to tool to execute should be first arg
        const toolPath = commandArgs[0];
        args = commandArgs.slice(1).concat(args || []);
        const runner = new ToolRunner(toolPath, args, options);
        return runner.exec();
    });
}
/**
 * Exec a command and get the output.
 * Output will be streamed to the live console.
 * Returns promise with the exit code and collected stdout and stderr
 *
 * @param     commandLine           command to execute (can include additional args). Must be correctly escaped.
 * @param     args                  optional arguments for tool. Escaping is handled by the lib.
 * @param     options               optional exec options.  See ExecOptions
 * @returns   Promise<ExecOutput>   exit code, stdout, and stderr
 */
function getExecOutput(commandLine, args, options) {
    return exec_awaiter(this, void 0, void 0, function* () {
        var _a, _b;
        let stdout = '';
        let stderr = '';
        //Using string decoder covers the case where a mult-byte character is split
        const stdoutDecoder = new external_string_decoder_namespaceObject.StringDecoder('utf8');
        const stderrDecoder = new external_string_decoder_namespaceObject.StringDecoder('utf8');
        const originalStdoutListener = (_a = options === null || options === void 0 ? void 0 : options.listeners) === null || _a === void 0 ? void 0 : _a.stdout;
        const originalStdErrListener = (_b = options === null || options === void 0 ? void 0 : options.listeners) === null || _b === void 0 ? void 0 : _b.stderr;
        const stdErrListener = (data) => {
            stderr += stderrDecoder.write(data);
            if (originalStdErrListener) {
                originalStdErrListener(data);
            }
        };
        const stdOutListener = (data) => {
            stdout += stdoutDecoder.write(data);
            if (originalStdoutListener) {
                originalStdoutListener(data);
            }
        };
        const listeners = Object.assign(Object.assign({}, options === null || options === void 0 ? void 0 : options.listeners), { stdout: stdOutListener, stderr: stdErrListener });
        const exitCode = yield exec(commandLine, args, Object.assign(Object.assign({}, options), { listeners }));
        //flush any remaining characters
        stdout += stdoutDecoder.end();
        stderr += stderrDecoder.end();
        return {
            exitCode,
            stdout,
            stderr
        };
    });
}
//# sourceMappingURL=exec.js.map
;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
;// CONCATENATED MODULE: ./src/commit-log.ts
// A record starts with RS; fields and file entries end with NUL (`-z`), so no message or path can split them.
const RECORD_START = '\x1e';
const FIELDS = ['%H', '%an', '%ae', '%aI', '%B'];
// Options that undo user or repository config which would change the output: signatures (log.showSignature), colour,
// notes, paths relative to the working directory (diff.relative), another output encoding (i18n.logOutputEncoding).
const PLAIN_OUTPUT = ['--no-show-signature', '--no-color', '--no-notes', '--no-relative', '--encoding=UTF-8'];
/** `git log` arguments for the query: NUL-separated records, renames as delete + add, each commit's whole file list. */
function logArgs(query) {
    const format = `--format=${RECORD_START}${FIELDS.join('%x00')}`;
    return ['log', ...PLAIN_OUTPUT, '-z', format, '--name-status', '--no-renames', '--full-diff', ...revisionArgs(query)];
}
/** `git rev-list --count` arguments for the same commits as logArgs. */
function countArgs(query) {
    return ['rev-list', '--count', ...revisionArgs(query)];
}
/**
 * Every commit touching the paths (--full-history: no merge simplification). With paths, merges are left out:
 * git counts a merge as touching whatever differs from either parent, and the merged commits are listed anyway.
 * Revisions come after --end-of-options, paths after --.
 */
function revisionArgs({ head, previous, paths, maxCount }) {
    const limit = maxCount === undefined ? [] : [`--max-count=${maxCount}`];
    const merges = paths.length > 0 ? ['--no-merges'] : [];
    const start = previous ? [`^${previous}`] : [];
    return [...limit, '--full-history', ...merges, '--end-of-options', head, ...start, '--', ...paths.map(pathspec)];
}
/**
 * A glob as a git pathspec, from the repository root whatever working_directory is (`top`): `apps/web/**` ->
 * `:(top,glob)apps/web/**`, `!apps/web/docs/**` -> `:(top,glob,exclude)apps/web/docs/**`. In glob magic `*` stops at `/`.
 */
function pathspec(glob) {
    return glob.startsWith('!') ? `:(top,glob,exclude)${glob.slice(1)}` : `:(top,glob)${glob}`;
}
/**
 * Incremental parser of `git log` output in the logArgs format: feed text chunks as they arrive, get each
 * commit once its record is complete. Holds only the unfinished record, so memory does not grow with the log.
 */
class CommitLogParser {
    onCommit;
    pending = '';
    tokens = [];
    current;
    constructor(onCommit) {
        this.onCommit = onCommit;
    }
    push(text) {
        const parts = (this.pending + text).split('\0');
        this.pending = parts.pop() ?? '';
        for (const token of parts)
            this.take(token);
    }
    /** Call when git has exited: emits the last commit. */
    end() {
        if (this.pending !== '')
            this.take(this.pending);
        this.pending = '';
        this.flush();
    }
    take(token) {
        if (this.tokens.length > 0) {
            this.tokens.push(token);
            if (this.tokens.length === FIELDS.length)
                this.startCommit();
            return;
        }
        const last = this.current?.files.at(-1);
        if (last && last.path === undefined) {
            last.path = token;
            return;
        }
        // Where a status letter or a new record may start, git puts a newline after the message or file list.
        const start = token.replace(/^\n/, '');
        if (start.startsWith(RECORD_START)) {
            this.flush();
            this.tokens.push(start.slice(RECORD_START.length));
        }
        else if (start !== '' && this.current) {
            this.current.files.push({ status: start, path: undefined });
        }
    }
    startCommit() {
        const [id, authorName, authorEmail, timestamp, message] = this.tokens;
        this.current = { id, authorName, authorEmail, timestamp, message: message.trimEnd(), files: [] };
        this.tokens = [];
    }
    flush() {
        if (this.current) {
            const files = this.current.files.flatMap(({ status, path }) => (path === undefined ? [] : [{ status, path }]));
            this.onCommit({ ...this.current, files });
        }
        this.current = undefined;
    }
}

;// CONCATENATED MODULE: ./src/git.ts





// Answers from `git describe` that mean "no matching tag", not a broken repository.
const NO_TAG_MESSAGES = ['No names found', 'No tags can describe', 'cannot describe'];
// No prompt for credentials (a run would hang until the job times out); fetch errors stay on stderr (--no-progress, not --quiet).
const GIT_ENV = { GIT_TERMINAL_PROMPT: '0' };
const FETCH = ['fetch', '--no-tags', '--no-progress'];
/** Why git failed, for a person: its first `fatal:`/`error:` line (a warning or hint may come first), else the first line. */
function gitFailureReason(stderr, exitCode) {
    const lines = stderr.split('\n').map(line => line.trim()).filter(Boolean);
    return lines.find(line => /^(fatal|error):/.test(line)) ?? lines[0] ?? `exit code ${exitCode}`;
}
/** Git over @actions/exec: argument arrays, no shell, and input values placed after --end-of-options or as --opt=value. */
function createGit(workingDirectory) {
    const execOptions = () => ({
        cwd: workingDirectory,
        silent: true,
        ignoreReturnCode: true,
        env: { ...process.env, ...GIT_ENV }
    });
    async function git(args, input) {
        if (!(0,external_node_fs_namespaceObject.existsSync)(workingDirectory))
            throw new InputError('working_directory', `${workingDirectory} does not exist`);
        try {
            return await getExecOutput('git', args, { ...execOptions(), input });
        }
        catch (error) {
            throw new Error(`Cannot run git in ${workingDirectory}: ${error.message}`);
        }
    }
    async function output(args, input) {
        const result = await git(args, input);
        if (result.exitCode !== 0)
            throw failure(args, result);
        return result.stdout.trim();
    }
    function failure(args, result) {
        const reason = gitFailureReason(result.stderr, result.exitCode);
        if (/not a git repository/i.test(reason)) {
            return new InputError('working_directory', `${workingDirectory} is not a git checkout (run actions/checkout first)`);
        }
        return new Error(`git ${args[0]} failed in ${workingDirectory}: ${reason}`);
    }
    return {
        async commitOf(revision) {
            const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`];
            const result = await git(args);
            if (result.exitCode === 0)
                return result.stdout.trim();
            if (result.exitCode === 1)
                return undefined;
            throw failure(args, result);
        },
        async nearestTag(commit, pattern) {
            // --candidates=1: the first matching tag met in git's newest-first (commit date) walk from `commit`, i.e. the most
            // recently committed tagged ancestor. Without it, describe looks for up to 10 candidates to pick the one with the
            // fewest commits in between (after merges that can be an older tag), and with lightweight tags and fewer than 10
            // matches it walks the whole history: 484 ms against 6 ms on 100,000 commits (README, Performance).
            const args = ['describe', '--tags', '--abbrev=0', '--candidates=1', `--match=${pattern}`, '--end-of-options', commit];
            const result = await git(args);
            if (result.exitCode === 0)
                return result.stdout.trim();
            if (NO_TAG_MESSAGES.some(message => result.stderr.includes(message)))
                return undefined;
            throw failure(args, result);
        },
        async isShallow() {
            return (await output(['rev-parse', '--is-shallow-repository'])) === 'true';
        },
        async isAncestor(ancestor, descendant) {
            const result = await git(['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant]);
            return result.exitCode === 0;
        },
        async countCommits(query) {
            return Number(await output(countArgs(query)));
        },
        async readCommits(query, onCommit) {
            // Streamed: exec's stdout listener gets each chunk as git writes it, so only one record is ever held as text.
            const parser = new CommitLogParser(onCommit);
            const decoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
            let stderr = '';
            const args = logArgs(query);
            const exitCode = await exec('git', args, {
                ...execOptions(),
                listeners: { stdout: chunk => parser.push(decoder.write(chunk)), stderr: chunk => (stderr += chunk.toString()) }
            });
            parser.push(decoder.end());
            parser.end();
            if (exitCode !== 0)
                throw failure(args, { exitCode, stdout: '', stderr });
        },
        async hasRemote(name) {
            return (await output(['remote'])).split('\n').includes(name);
        },
        async listTags(pattern) {
            const args = ['tag', '--list', ...(pattern === undefined ? [] : ['--end-of-options', pattern])];
            return (await output(args)).split('\n').filter(Boolean);
        },
        async remoteTags(remote, pattern) {
            // ls-remote matches `*/<pattern>` against `/<ref>`: `refs/tags/` anchors the glob to the tag name, as describe --match does.
            const args = ['ls-remote', '--tags', '--end-of-options', remote, `refs/tags/${pattern}`, `refs/tags/${pattern}^{}`];
            const tags = new Map();
            for (const line of (await output(args)).split('\n').filter(Boolean)) {
                const [id, ref] = line.split('\t');
                const name = ref.slice('refs/tags/'.length);
                // An annotated tag's own line comes first, its peeled `^{}` line (the commit) after it.
                tags.set(name.replace(/\^\{\}$/, ''), id);
            }
            return tags;
        },
        async presentCommits(ids) {
            if (ids.length === 0)
                return new Set();
            const stdin = Buffer.from(ids.join('\n') + '\n');
            const lines = (await output(['cat-file', '--batch-check=%(objectname) %(objecttype)'], stdin)).split('\n');
            return new Set(lines.filter(line => line.endsWith(' commit')).map(line => line.split(' ')[0]));
        },
        async fetchTags(remote, tags) {
            if (tags.length > 0)
                await output([...FETCH, '--end-of-options', remote, ...tags.map(tag => `+refs/tags/${tag}:refs/tags/${tag}`)]);
        },
        async deepen(remote, commit, commits) {
            await output([...FETCH, `--deepen=${commits}`, '--end-of-options', remote, commit]);
        },
        async fetchCommit(remote, commit, depth) {
            await output([...FETCH, ...(depth === undefined ? [] : [`--depth=${depth}`]), '--end-of-options', remote, commit]);
        }
    };
}

;// CONCATENATED MODULE: ./src/version.ts
/** Sentry's MAX_VERSION_LENGTH (contract section 2). */
const MAX_VERSION_LENGTH = 200;
// Sentry's BAD_RELEASE_CHARS, with words for the log.
const FORBIDDEN_CHARACTERS = [
    ['\r', 'a carriage return'],
    ['\n', 'a newline'],
    ['\f', 'a form feed'],
    ['\t', 'a tab'],
    ['/', "'/'"],
    ['\\', "'\\'"]
];
const RESERVED_NAMES = ['', '.', '..', 'latest'];
/** Why Sentry would reject this release name (Release.is_valid_version), or undefined when it is accepted. */
function versionProblem(version) {
    const forbidden = FORBIDDEN_CHARACTERS.find(([character]) => version.includes(character));
    if (forbidden)
        return `Sentry forbids ${forbidden[1]} in a release name`;
    const stripped = version.trim();
    if (RESERVED_NAMES.includes(stripped.toLowerCase())) {
        return stripped ? `Sentry reserves the release name '${stripped}'` : 'the release name is empty';
    }
    const length = [...version].length;
    if (length > MAX_VERSION_LENGTH) {
        return `the release name has ${length} characters; Sentry allows at most ${MAX_VERSION_LENGTH}`;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/plan.ts









/** Pure: inputs, event and git facts -> the requests that make Sentry's release match git. */
function buildPlan({ settings, context, target, range, now, commits, deploy = deployIntent(context) }) {
    const version = releaseVersion(settings, target, range.head);
    const tag = target.kind === 'tag' ? target.tag : undefined;
    const sendsRefs = settings.setCommits !== 'skip';
    const commitSource = !sendsRefs ? 'none' : commits ? 'local' : 'refs';
    const emptyNotice = emptyRangeNoticeOrThrow(settings, range, commitSource === 'local' ? commits?.total : undefined);
    const eventAt = eventTime(context);
    const githubRepositoryUrl = context.repository ? `${context.serverUrl}/${context.repository}` : undefined;
    const fields = {
        ref: settings.ref ?? range.head,
        url: settings.releaseUrl ?? (githubRepositoryUrl && defaultReleaseUrl(githubRepositoryUrl, tag, range.head)),
        refs: commitSource === 'refs' ? [{ repository: settings.repository, commit: range.head, previousCommit: range.previous }] : undefined,
        // An empty list would change nothing in Sentry; leaving it out keeps the body honest.
        commits: commits?.commits.length ? commits.commits : undefined,
        dateReleased: settings.finalize ? (settings.dateReleased ?? eventAt ?? now.toISOString()) : undefined
    };
    return {
        version,
        org: settings.org,
        sentryUrl: settings.sentryUrl,
        releasePage: releasePageUrl(settings.sentryUrl, settings.org, version),
        repository: sendsRefs ? settings.repository : undefined,
        githubRepositoryUrl,
        tag,
        range,
        commitSource,
        commitData: commitSource === 'local' ? commits : undefined,
        paths: commitSource === 'local' ? settings.paths : [],
        fallbackToLocal: settings.setCommits === 'auto' && commitSource === 'refs',
        update: { method: 'PUT', path: releasePath(settings.org, version), body: withoutUndefined(fields) },
        ifMissing: missingReleasePlan(settings, version, fields),
        deploy: planDeploy(settings, deploy, version, eventAt),
        notices: [
            ...(commitSource === 'refs' && !range.previous ? [firstReleaseNotice(range)] : []),
            ...(commitSource === 'local' && !range.previous ? [firstLocalReleaseNotice(range, settings.initialDepth)] : []),
            ...(emptyNotice ? [emptyNotice] : []),
            ...(deploy.kind === 'release-only' ? [deploy.notice] : [])
        ],
        warnings: [
            ...doublePrefixWarning(settings, version),
            ...(range.missing ? [`Cannot find the start of the commit range: ${range.missing}.`] : []),
            ...(commitSource === 'local' && commits ? commitDataWarnings(commits, settings.maxCommits) : [])
        ]
    };
}
/**
 * prefix + (`release` as given, else the tag or head commit), as getsentry/action-release names it; fails before any
 * request if Sentry would reject it, naming the input the user set.
 */
function releaseVersion(settings, target, head) {
    const name = settings.release ?? (target.kind === 'tag' ? target.tag : head);
    const version = settings.releasePrefix + name;
    const problem = versionProblem(version);
    // A name that is fine without the prefix was broken by the prefix: point there.
    const input = settings.releasePrefix && !versionProblem(name) ? settings.releasePrefixInput : settings.releaseInput;
    if (problem)
        throw new InputError(input, `${problem}: ${JSON.stringify(version)}`);
    return version;
}
/** A name that already carries the prefix (release_prefix web@, tag web@1.1.0) gets it twice: web@web@1.1.0. */
function doublePrefixWarning(settings, version) {
    const { releasePrefix: prefix, releasePrefixInput: input } = settings;
    if (!prefix || !version.startsWith(prefix + prefix))
        return [];
    return [
        `The release name ${JSON.stringify(version)} starts with ${input} ${JSON.stringify(prefix)} twice: the tag or release already ` +
            `carries it. Leave ${input} out, or set it to what the name lacks.`
    ];
}
function defaultReleaseUrl(githubRepositoryUrl, tag, head) {
    return tag === undefined
        ? githubPage(githubRepositoryUrl, 'commit', head)
        : githubPage(githubRepositoryUrl, 'releases', 'tag', tag);
}
function missingReleasePlan(settings, version, fields) {
    const missing = `Sentry has no release ${JSON.stringify(version)} in org '${settings.org}' (or ${hiddenOrgHint(settings.org)})`;
    if (!settings.create)
        return new InputError('create', `${missing}; set it to true (with 'projects') to create the release`);
    if (settings.projects.length === 0) {
        return new InputError('projects', `${missing}; set 'projects' (or SENTRY_PROJECT) so the action can create it`);
    }
    return {
        method: 'POST',
        path: releasesPath(settings.org),
        body: withoutUndefined({ version, projects: settings.projects, ...fields })
    };
}
function firstLocalReleaseNotice(range, initialDepth) {
    return `No previous commit (${firstReleaseReason(range)}): sending up to ${initialDepth} commits from git (initial_depth).`;
}
/**
 * A release with no commits is a mistake unless ignore_empty says otherwise: throws an InputError naming it, else
 * returns the notice. The range is empty when it starts at head, or when local commit data (e.g. filtered by paths)
 * found none; undefined when it is not empty.
 */
function emptyRangeNoticeOrThrow(settings, range, localTotal) {
    if (settings.setCommits === 'skip' || (range.previous !== range.head && localTotal !== 0))
        return undefined;
    const touching = settings.paths.length > 0 && localTotal === 0 ? ` touching ${settings.paths.join(', ')}` : '';
    const span = `${range.previous ? `${range.previous.slice(0, 12)}..` : ''}${range.head.slice(0, 12)}`;
    if (!settings.ignoreEmpty) {
        throw new InputError('ignore_empty', `the commit range ${span} has no commits${touching}; set ignore_empty: true to release it anyway`);
    }
    return `The commit range ${span} has no commits${touching} (ignore_empty): the release is updated without commits.`;
}
function firstReleaseNotice(range) {
    return `No previous commit (${firstReleaseReason(range)}): Sentry will choose where the commit range starts.`;
}
function firstReleaseReason(range) {
    return range.tagPattern ? `no earlier tag matching '${range.tagPattern}' precedes this release` : 'no previous_commit given';
}

;// CONCATENATED MODULE: ./src/report.ts




const BACKGROUND_FETCH_NOTE = 'Sentry fetches the commits in the background, so commitCount may still rise.';
/** Refs were sent and Sentry does not list the range's commits yet (its fetch runs in the background). */
function stillFetching(plan, release) {
    return plan.commitSource === 'refs' && !listsCommitsUpTo(release, plan.range.head);
}
/** The action's outputs: from Sentry's answers, or from the plan alone in a dry run. Keys match action.yml. */
function releaseOutputs(plan, release, deployed) {
    const dateReleased = release ? release.dateReleased : plan.update.body.dateReleased;
    const outputs = {
        release: plan.version,
        version: plan.version,
        commitCount: release?.commitCount,
        deployCount: release?.deployCount,
        deployId: deployed?.deploy.id,
        lastDeploy: release?.lastDeploy && JSON.stringify(release.lastDeploy),
        newGroups: release?.newGroups,
        dateCreated: release?.dateCreated,
        dateReleased,
        headCommit: plan.range.head,
        previousCommit: plan.range.previous,
        commitRange: plan.range.previous ? `${plan.range.previous}..${plan.range.head}` : plan.range.head,
        commitsSent: plan.commitData?.commits.length ?? 0,
        lastCommit: release && lastCommitId(release),
        releaseUrl: plan.releasePage,
        json: release && JSON.stringify(release)
    };
    return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => [key, String(value)]));
}
/** The job summary (GitHub-flavoured markdown with escaped HTML cells); deployFailure says why the deploy was not recorded. */
function summaryMarkdown(plan, release, deployed, deployFailure) {
    const rows = [
        ['Release', report_link(plan.releasePage, code(plan.version))],
        ['Repository', plan.repository ? escapeHtml(plan.repository) : '-'],
        ['Commits', plan.repository ? `${commitRange(plan)}${localCommitsText(plan)}` : 'not sent (set_commits: skip)']
    ];
    if (release) {
        const note = stillFetching(plan, release) ? ` (${BACKGROUND_FETCH_NOTE})` : '';
        rows.push(['commitCount', `${escapeHtml(String(release.commitCount))}${note}`], ['deployCount', escapeHtml(String(release.deployCount))]);
    }
    const deploy = deployed?.deploy ?? plan.deploy?.create.body;
    if (deploy)
        rows.push(['Deploy', deployText(plan, deploy, deployed, deployFailure)]);
    const title = `### Sentry release ${code(plan.version)}${release ? '' : ' (dry run: nothing sent)'}`;
    const table = ['| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`)];
    const sent = [plan.update, ...(plan.deploy ? [plan.deploy.create] : [])];
    const request = release ? [] : ['', '```', ...sent.map(planned => requestText(plan.sentryUrl, planned)), '```'];
    return [title, '', ...table, ...request, ''].join('\n');
}
/** What a dry run prints: the requests, exactly as they would be sent. */
function planText(plan) {
    const fallback = plan.ifMissing instanceof Error ? ` fail: ${plan.ifMissing.message}` : `\n${requestText(plan.sentryUrl, plan.ifMissing)}`;
    return [
        `Dry run: nothing is sent to Sentry. The plan for release ${plan.version}:`,
        requestText(plan.sentryUrl, plan.update),
        `If Sentry has no such release:${fallback}`,
        ...(plan.fallbackToLocal ? [`If Sentry does not know repository ${plan.repository}: the same request with commits read from git instead of refs.`] : []),
        ...(plan.deploy ? [deployPlanText(plan.sentryUrl, plan.deploy)] : [])
    ].join('\n');
}
function deployPlanText(sentryUrl, deploy) {
    const check = deploy.list
        ? `Then, unless the release's deploys already include one with the same environment, name and times (a rerun):\n${requestText(sentryUrl, deploy.list)}\n`
        : 'Then record the deploy:\n';
    return `${check}${requestText(sentryUrl, deploy.create)}`;
}
/** One log line saying what the release will span, before anything is sent. */
function rangeText(plan) {
    const { head, previous, previousTag } = plan.range;
    const named = (sha, tag) => (tag ? `${sha.slice(0, 12)} (${tag})` : sha.slice(0, 12));
    if (!plan.repository)
        return `Release ${plan.version}: commits not sent (set_commits: skip).`;
    if (!previous && plan.commitData) {
        return `Release ${plan.version} of ${plan.repository}: first release, the newest ${plan.commitData.commits.length} commits up to ${named(head, plan.tag)} from git (initial_depth).`;
    }
    const start = previous ? `after ${named(previous, previousTag)}` : 'from a start Sentry chooses';
    return `Release ${plan.version} of ${plan.repository}: commits ${start} up to ${named(head, plan.tag)}.`;
}
/** Sets the outputs, logs the result and writes the job summary (when the runner gives a file for it). */
async function report(plan, release, deployed, deployFailure) {
    for (const [name, value] of Object.entries(releaseOutputs(plan, release, deployed)))
        setOutput(name, value);
    if (release) {
        info(`Sentry release ${plan.version}: commitCount ${release.commitCount}, deployCount ${release.deployCount}: ${plan.releasePage}`);
        if (stillFetching(plan, release))
            info(BACKGROUND_FETCH_NOTE);
    }
    else {
        info(planText(plan));
    }
    if (deployed?.created)
        info(`Sentry recorded deploy ${String(deployed.deploy.id)} to ${String(deployed.deploy.environment)}.`);
    if (process.env.GITHUB_STEP_SUMMARY)
        await summary.addRaw(summaryMarkdown(plan, release, deployed, deployFailure)).write();
}
function requestText(sentryUrl, request) {
    const line = `${request.method} ${apiUrl(sentryUrl, request.path)}`;
    return request.body ? `${line}\n${JSON.stringify(readableBody(request.body), null, 2)}` : line;
}
/** A body as a person reads it: up to max_commits commits shown as one line. */
function readableBody(body) {
    return Array.isArray(body.commits) ? { ...body, commits: describeCommits(body.commits) } : body;
}
/** What local commit data was sent, and how it was chosen. */
function localCommitsText(plan) {
    if (!plan.commitData)
        return '';
    const touching = plan.paths.length > 0 ? `, only those touching ${plan.paths.map(code).join(', ')}` : '';
    return ` · ${plan.commitData.commits.length} commits sent from git${touching}`;
}
/** Environment (linked to the release's page filtered by it), times, url, and whether this run recorded it. */
function deployText(plan, deploy, deployed, failure) {
    const environment = String(deploy.environment);
    const page = `${plan.releasePage}?environment=${encodeURIComponent(environment)}`;
    const parts = [
        report_link(page, code(environment)),
        typeof deploy.name === 'string' && deploy.name ? escapeHtml(deploy.name) : undefined,
        typeof deploy.dateStarted === 'string' ? `started ${escapeHtml(deploy.dateStarted)}` : undefined,
        typeof deploy.dateFinished === 'string' ? `finished ${escapeHtml(deploy.dateFinished)}` : undefined,
        typeof deploy.url === 'string' && deploy.url ? report_link(deploy.url, escapeHtml(deploy.url)) : undefined
    ];
    return `${parts.filter(Boolean).join(' · ')}${deployStatus(deployed, failure)}`;
}
function deployStatus(deployed, failure) {
    if (failure)
        return ` (<strong>not recorded</strong>: ${escapeHtml(failure)})`;
    if (!deployed)
        return ' (planned)';
    return deployed.created ? '' : ' (recorded by an earlier run of this event; not sent again)';
}
function commitRange(plan) {
    const { head, previous, previousTag } = plan.range;
    const repositoryUrl = plan.githubRepositoryUrl;
    const commitLink = (sha) => (repositoryUrl ? report_link(githubPage(repositoryUrl, 'commit', sha), code(sha.slice(0, 12))) : code(sha.slice(0, 12)));
    const headText = `${commitLink(head)}${plan.tag ? ` (${code(plan.tag)})` : ''}`;
    if (!previous)
        return plan.commitData ? `first release: the newest commits up to ${headText} (initial_depth)` : `start chosen by Sentry → ${headText}`;
    const previousText = `${commitLink(previous)}${previousTag ? ` (${code(previousTag)})` : ''}`;
    const compare = repositoryUrl ? ` · ${report_link(githubPage(repositoryUrl, 'compare', `${previous}...${head}`), 'compare')}` : '';
    return `${previousText} → ${headText}${compare}`;
}
function report_link(url, html) {
    return `<a href="${escapeHtml(url)}">${html}</a>`;
}
function code(text) {
    return `<code>${escapeHtml(text)}</code>`;
}
function escapeHtml(text) {
    return text.replace(/[&<>"'|]/g, character => `&#${character.charCodeAt(0)};`);
}

;// CONCATENATED MODULE: ./src/publish.ts




// Sentry's answer to refs naming a repository it has no integration for (contract section 1, step 7).
const UNKNOWN_REPOSITORY = 'Invalid repository names';
/**
 * Sends the plan. In auto mode, when Sentry does not know the repository (no GitHub integration), warns once
 * and sends the commits from git instead (`localPlan`); returns the plan that was sent, for the report.
 */
async function publish(plan, send, localPlan) {
    try {
        return { plan, release: await updateOrCreate(plan, send) };
    }
    catch (error) {
        if (!(plan.fallbackToLocal && error instanceof SentryError && error.status === 400 && error.message.includes(UNKNOWN_REPOSITORY))) {
            throw error;
        }
    }
    runner_warning(unknownRepositoryWarning(plan));
    const local = await localPlan();
    // The first plan's warnings were printed already.
    local.warnings.filter(warning => !plan.warnings.includes(warning)).forEach(warning => runner_warning(warning));
    info(rangeText(local));
    return { plan: local, release: await updateOrCreate(local, send) };
}
/** Sends the plan's update; when Sentry has no such release, creates it or fails as the plan says. */
async function updateOrCreate(plan, send) {
    try {
        return sentryObject(await send(plan.update));
    }
    catch (error) {
        if (!(error instanceof SentryError && error.status === 404))
            throw error;
    }
    if (plan.ifMissing instanceof Error)
        throw plan.ifMissing;
    info(`Sentry has no release ${plan.version} yet: creating it.`);
    return sentryObject(await send(plan.ifMissing));
}
function unknownRepositoryWarning(plan) {
    return (`Sentry has no repository '${plan.repository}' in org '${plan.org}' (${UNKNOWN_REPOSITORY}), so it cannot fetch the commits: ` +
        `sending them from git instead. To link commits to GitHub, install Sentry's GitHub integration ` +
        `(Settings > Integrations > GitHub) and add the repository, or set 'repo' to the name Sentry shows; ` +
        `set_commits: local skips this first attempt.`);
}

;// CONCATENATED MODULE: ./src/range.ts



const SHA = /^[0-9a-f]{4,64}$/i;
/**
 * Earlier tags of the same kind mark earlier releases: `web@1.4.0` -> `web@*`, `v2.0.0` -> `v*`,
 * `1.2.3` -> `*`. The part before the first digit is the family name, taken literally.
 */
function defaultTagPattern(tag) {
    const family = tag.match(/^\D*/)?.[0] ?? '';
    return `${escapeGlob(family)}*`;
}
/**
 * Decides head and previous. auto: head is the tag peeled to its commit (or the run's commit), previous
 * the nearest tag matching the pattern reachable from head's parent; `commit`/`previous_commit` override
 * either. manual and skip: the SHAs given, without git.
 */
async function resolveRange(settings, target, git, log = info) {
    if (settings.setCommits === 'manual' || settings.setCommits === 'skip') {
        const head = givenSha(settings.commit ?? target.sha, 'commit');
        return { head, previous: settings.previousCommit && givenSha(settings.previousCommit, 'previous_commit') };
    }
    let head;
    // A shallow checkout (actions/checkout's default) lacks tags and history: fetch them from origin as needed.
    const fetcher = historyFetcher(git, () => head, log);
    head = settings.commit ? await revisionCommit(git, fetcher, settings.commit, 'commit') : await targetCommit(git, fetcher, target);
    return findPrevious(settings, target, git, fetcher, head);
}
/**
 * A first release read from git lists up to initial_depth commits: make sure a shallow checkout has them. Called only
 * when commits are read from git: with refs Sentry chooses the start, and the history is not needed.
 */
async function deepenForFirstRelease(settings, git, range, log = info) {
    if (range.previous || range.missing)
        return;
    const fetcher = historyFetcher(git, () => range.head, log);
    await findWithHistory(fetcher, async () => {
        const enough = (await git.countCommits({ head: range.head, paths: [], maxCount: settings.initialDepth })) >= settings.initialDepth;
        return enough || !(await git.isShallow()) ? true : undefined;
    });
}
async function findPrevious(settings, target, git, fetcher, head) {
    if (settings.previousCommit) {
        const given = settings.previousCommit;
        const previous = await findWithHistory(fetcher, async () => {
            const commit = await git.commitOf(given);
            return commit && (await git.isAncestor(commit, head)) ? commit : undefined;
        }, escapeGlob(given));
        return previous ? { head, previous } : missingStart(settings, head, `previous_commit '${given}' is not in the history of ${head}`);
    }
    const tagPattern = settings.tagPattern ?? (target.kind === 'tag' ? defaultTagPattern(target.tag) : '*');
    const ownTag = target.kind === 'tag' ? target.tag : undefined;
    // Finding head may already have deepened a shallow checkout to its root: its tags are still missing then. Asked once:
    // the answer stays true while fetching (a deepening marks it), and a checkout lacking none is never fetched into.
    const mayLackTags = await fetcher.mayLackTags();
    // undefined: not found yet (maybe after fetching); null: no earlier tag exists.
    const nearestTag = async () => {
        const parent = await git.commitOf(`${head}^`);
        const tag = parent && (await git.nearestTag(parent, tagPattern));
        if (tag)
            return tag;
        // Every matching tag is known once origin's were listed (shallow), or from the checkout's own (complete) tags.
        const tags = fetcher.remoteTags(tagPattern) ?? (mayLackTags ? undefined : await git.listTags(tagPattern));
        return tags?.every(name => name === ownTag) ? null : undefined;
    };
    const previousTag = mayLackTags ? await findWithHistory(fetcher, nearestTag, tagPattern) : await nearestTag();
    if (previousTag)
        return { head, previous: await git.commitOf(`refs/tags/${previousTag}`), previousTag, tagPattern };
    if (previousTag === undefined && mayLackTags) {
        return missingStart(settings, head, `no earlier tag matching '${tagPattern}' is in the shallow history of ${head}`, tagPattern);
    }
    return { head, tagPattern };
}
/** The start is missing even after fetching: fail, or with ignore_missing let Sentry choose it. */
function missingStart(settings, head, reason, tagPattern) {
    if (!settings.ignoreMissing) {
        throw new Error(`Cannot find the start of the commit range: ${reason}, even after fetching from origin. ` +
            `Use actions/checkout with fetch-depth: 0, or set ignore_missing: true to continue without it.`);
    }
    return { head, tagPattern, missing: `${reason} (ignore_missing: continuing without previousCommit; Sentry chooses the start)` };
}
function givenSha(value, input) {
    if (!value)
        throw new InputError(input, 'is required: GITHUB_SHA is not set');
    if (!SHA.test(value))
        throw new InputError(input, `'${value}' must be a commit SHA (4 to 64 hex digits) unless set_commits is auto`);
    return value;
}
async function revisionCommit(git, fetcher, revision, input) {
    const commit = await findWithHistory(fetcher, () => git.commitOf(revision), escapeGlob(revision));
    if (!commit)
        throw new InputError(input, `'${revision}' is not a commit in the checkout (fetch it with actions/checkout fetch-depth: 0)`);
    return commit;
}
async function targetCommit(git, fetcher, target) {
    const revision = target.kind === 'tag' ? `refs/tags/${target.tag}` : target.sha;
    if (target.kind === 'commit' && !SHA.test(target.sha))
        throw new InputError('commit', 'is required: GITHUB_SHA is not set');
    const commit = await findWithHistory(fetcher, () => git.commitOf(revision), target.kind === 'tag' ? escapeGlob(target.tag) : undefined);
    if (commit)
        return commit;
    throw new Error(`${target.kind === 'tag' ? `Tag '${target.tag}'` : `Commit ${target.sha}`} is not in the git checkout: ` +
        `run actions/checkout (fetch-depth: 0) first, or set working_directory`);
}

;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: ./src/org-token.ts
const ORG_TOKEN_PREFIX = 'sntrys_';
/**
 * Reads `sntrys_<base64 JSON {iat, url, region_url, org}>_<secret>`.
 * Returns {} for user tokens and for anything that does not parse: the server is the judge of validity.
 */
function readOrgToken(token) {
    const parts = orgTokenParts(token);
    if (!parts)
        return {};
    try {
        const claims = JSON.parse(Buffer.from(parts.payload, 'base64').toString('utf8'));
        if (typeof claims !== 'object' || claims === null)
            return {};
        const { org, url } = claims;
        return { org: nonEmptyString(org), url: nonEmptyString(url) };
    }
    catch {
        return {};
    }
}
/** The secret part of an org token (after the payload), masked on its own; undefined for other tokens. */
function orgTokenSecret(token) {
    return nonEmptyString(orgTokenParts(token)?.secret);
}
/** An org token's payload and secret; undefined for other tokens. */
function orgTokenParts(token) {
    if (!token.startsWith(ORG_TOKEN_PREFIX))
        return undefined;
    const rest = token.slice(ORG_TOKEN_PREFIX.length);
    // Standard base64 has no '_', while the secret (token_urlsafe) may: split at the first '_'.
    const separator = rest.indexOf('_');
    return separator < 0 ? { payload: rest } : { payload: rest.slice(0, separator), secret: rest.slice(separator + 1) };
}
function nonEmptyString(value) {
    return typeof value === 'string' && value !== '' ? value : undefined;
}

;// CONCATENATED MODULE: ./src/settings.ts






const SET_COMMITS_MODES = ['auto', 'local', 'manual', 'skip'];
const readActionInput = name => getInput(name);
/** Inputs + environment + org-token claims -> Settings. Masks the token before anything can log it. */
function readSettings(env = process.env, input = readActionInput) {
    const authToken = firstValue(input('auth_token'), env.SENTRY_AUTH_TOKEN);
    if (authToken)
        maskToken(authToken);
    const dryRun = readBoolean(input, 'dry_run', false);
    if (!authToken && !dryRun)
        throw new InputError('auth_token', 'is required (or set the SENTRY_AUTH_TOKEN environment variable)');
    const claims = authToken ? readOrgToken(authToken) : {};
    if (authToken)
        checkTokenShape(authToken, claims.org);
    const org = firstValue(input('org'), env.SENTRY_ORG, claims.org);
    if (!org)
        throw new InputError('org', 'is required (or set SENTRY_ORG, or use an org auth token)');
    const setCommits = readSetCommits(input);
    const repository = firstValue(input('repo'), env.GITHUB_REPOSITORY) ?? '';
    if (!repository && setCommits !== 'skip')
        throw new InputError('repo', 'is required when GITHUB_REPOSITORY is not set');
    const releaseUrl = firstValue(input('release_url'));
    const deployUrl = firstValue(input('deploy_url'));
    const release = readAliased(input, 'release', 'version');
    const releasePrefix = readAliased(input, 'release_prefix', 'version_prefix');
    return {
        authToken,
        org,
        sentryUrl: sentryBaseUrl(firstValue(input('sentry_url'), env.SENTRY_URL, claims.url) ?? 'https://sentry.io', 'sentry_url', readBoolean(input, 'allow_insecure_http', false)),
        // As getsentry/action-release: `${{ github.ref }}` names the tag.
        release: release.value && (tagOfRef(release.value) ?? release.value),
        releasePrefix: releasePrefix.value ?? '',
        releaseInput: release.name,
        releasePrefixInput: releasePrefix.name,
        projects: splitList(firstValue(input('projects'), env.SENTRY_PROJECT) ?? ''),
        create: readBoolean(input, 'create', true),
        setCommits,
        repository,
        commit: readRevision(input, 'commit'),
        previousCommit: readRevision(input, 'previous_commit'),
        tagPattern: firstValue(input('tag_pattern')),
        paths: splitList(input('paths')),
        initialDepth: readCount(input, 'initial_depth', 20),
        maxCommits: readCount(input, 'max_commits', 1000),
        ignoreMissing: readBoolean(input, 'ignore_missing', false),
        ignoreEmpty: readBoolean(input, 'ignore_empty', false),
        waitForCommitsMs: readSeconds(input, 'wait_for_commits', 0, true) * 1000,
        ref: firstValue(input('ref')),
        releaseUrl: releaseUrl && checkHttpUrl(releaseUrl, 'release_url'),
        finalize: readBoolean(input, 'finalize', true),
        dateReleased: readDate(input, 'date_released'),
        environment: firstValue(input('environment')),
        deployName: firstValue(input('deploy_name')),
        deployUrl: deployUrl && checkHttpUrl(deployUrl, 'deploy_url'),
        startedAt: readDate(input, 'started_at'),
        workingDirectory: external_node_path_namespaceObject.resolve(env.GITHUB_WORKSPACE || process.cwd(), input('working_directory')),
        dryRun,
        requestTimeoutMs: readSeconds(input, 'request_timeout', 30, false) * 1000
    };
}
/** The whole token, and an org token's secret on its own, so no later log line can show either. */
function maskToken(token) {
    setSecret(token);
    const secret = orgTokenSecret(token);
    if (secret)
        setSecret(secret);
}
/** Catches a token pasted with other text, or a truncated org token, before it is sent anywhere. The token is never quoted. */
function checkTokenShape(token, org) {
    // Node refuses such a header anyway, and no retry or sentry_url would help: say what is wrong with the token.
    if (/[^\x21-\x7e]/.test(token)) {
        throw new InputError('auth_token', 'contains spaces, control characters or non-ASCII characters (such as smart quotes): paste the token alone, as plain text on one line');
    }
    if (token.startsWith('sntrys_') && (org === undefined || orgTokenSecret(token) === undefined)) {
        throw new InputError('auth_token', 'starts with sntrys_ but is not a whole org auth token (sntrys_<payload>_<secret>): copy it again');
    }
}
/** A revision for git; one starting with '-' would read as an option, so it is refused outright. */
function readRevision(input, name) {
    const value = firstValue(input(name));
    if (value?.startsWith('-'))
        throw new InputError(name, `'${value}' looks like a git option; give a commit SHA, tag or branch`);
    return value;
}
function firstValue(...values) {
    return values.map(value => value?.trim()).find(value => value);
}
/** The new input, else its deprecated alias (with a warning), and the name of the one that gave the value. */
function readAliased(input, name, deprecated) {
    const value = firstValue(input(name));
    const old = firstValue(input(deprecated));
    if (old !== undefined)
        runner_warning(`Input '${deprecated}' is deprecated: use '${name}'.`);
    return value === undefined && old !== undefined ? { value: old, name: deprecated } : { value, name };
}
/** Projects separated by spaces, commas or newlines. */
function splitList(value) {
    return value.split(/[\s,]+/).filter(Boolean);
}
// YAML 1.2 core-schema booleans, as the runner documents them.
const TRUE_VALUES = ['true', 'True', 'TRUE'];
const FALSE_VALUES = ['false', 'False', 'FALSE'];
function readBoolean(input, name, fallback) {
    const value = input(name).trim();
    if (value === '')
        return fallback;
    if (TRUE_VALUES.includes(value))
        return true;
    if (FALSE_VALUES.includes(value))
        return false;
    throw new InputError(name, `'${value}' must be true or false`);
}
function readSetCommits(input) {
    const value = input('set_commits').trim().toLowerCase() || 'auto';
    const mode = SET_COMMITS_MODES.find(known => known === value);
    if (!mode)
        throw new InputError('set_commits', `'${value}' must be one of ${SET_COMMITS_MODES.join(', ')}`);
    return mode;
}
/** ISO 8601 or unix seconds -> ISO 8601 in UTC. */
function readDate(input, name) {
    const value = input(name).trim();
    if (value === '')
        return undefined;
    const time = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : isoDateMs(value);
    const date = new Date(time);
    if (Number.isNaN(date.getTime()))
        throw new InputError(name, `'${value}' must be an ISO 8601 date or unix seconds`);
    return date.toISOString();
}
/**
 * ISO 8601 -> milliseconds since the epoch, NaN when it is not a date. A time without a zone is UTC, as Sentry
 * reads it (contract section 1), not the runner's zone as Date.parse would have it.
 */
function isoDateMs(value) {
    const [, date, time] = /^(\d{4}-\d{2}-\d{2})(?:[T ](.*))?$/i.exec(value) ?? [];
    if (!date)
        return NaN;
    return Date.parse(time && /^[\d:.]+$/.test(time) ? `${date}T${time}Z` : value);
}
/** A whole number of at least 1. */
function readCount(input, name, fallback) {
    const value = input(name).trim();
    if (value === '')
        return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1)
        throw new InputError(name, `'${value}' must be a whole number of at least 1`);
    return Number(value);
}
/** Seconds, a fraction allowed; 0 only where it means "off". */
function readSeconds(input, name, fallback, allowZero) {
    const value = input(name).trim();
    if (value === '')
        return fallback;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && (seconds > 0 || (allowZero && seconds === 0)))
        return seconds;
    throw new InputError(name, `'${value}' must be ${allowZero ? 'a number of seconds (0 or more)' : 'a positive number of seconds'}`);
}

;// CONCATENATED MODULE: ./src/sourcemaps/chunk-http.ts
// The one HTTP call the source maps step makes itself: a multipart POST of chunks to the chunk-upload URL Sentry
// named (which may be another host, e.g. a region). The JSON calls (options, assemble) go through sentry-client.





/** Retries 429, 5xx and network errors with backoff (chunks are content-addressed: sending one twice is harmless). */
function createChunkPoster(options) {
    return async (url, body, contentType, what) => {
        const headers = {
            Authorization: `Bearer ${options.authToken}`,
            'Content-Type': contentType,
            'User-Agent': `sentry-release-action/${package_namespaceObject.rE}`
        };
        const proxy = proxyFor(new URL(url), process.env);
        let attempts = 0;
        const attempt = async () => {
            attempts++;
            try {
                const response = await sendRequest({ method: 'POST', url, headers, body, timeoutMs: options.timeoutMs, proxy });
                if (response.status >= 200 && response.status < 300)
                    return { result: undefined };
                const failure = `answered ${response.status}${answerText(response.body)}`;
                if (response.status !== 429 && response.status < 500)
                    return { result: failure };
                return { result: failure, retry: { reason: failure, afterMs: retryAfterMs(response.headers['retry-after'], Date.now()) } };
            }
            catch (error) {
                const failure = `did not answer (${error.message})`;
                return { result: failure, retry: { reason: failure } };
            }
        };
        const failure = await withRetries(attempt, options.retry, {
            onRetry: (reason, delayMs, next) => info(`Chunk upload: Sentry ${reason}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${next}).`)
        });
        if (failure === undefined)
            return;
        const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
        throw new Error(`Sentry ${failure} to the upload of ${what} to ${new URL(url).origin}${new URL(url).pathname}${tries}`);
    };
}
function answerText(body) {
    let parsed = body;
    try {
        parsed = JSON.parse(body);
    }
    catch {
        if (body.trimStart().startsWith('<'))
            return '';
    }
    const detail = errorDetail(parsed);
    return detail ? `: ${detail}` : '';
}

;// CONCATENATED MODULE: ./src/sourcemaps/local-files.ts
// The step's file ports on the real file system.

const directories = {
    async list(dir) {
        try {
            const entries = await (0,promises_namespaceObject.readdir)(dir, { withFileTypes: true });
            return entries.map(entry => ({ name: entry.name, directory: entry.isDirectory(), file: entry.isFile() }));
        }
        catch {
            return undefined;
        }
    },
    async kind(file) {
        const info = await (0,promises_namespaceObject.stat)(file).catch(() => undefined);
        return info?.isDirectory() ? 'directory' : info?.isFile() ? 'file' : undefined;
    }
};
const files = {
    read: file => (0,promises_namespaceObject.readFile)(file),
    async readTail(file, bytes) {
        const handle = await (0,promises_namespaceObject.open)(file, 'r');
        try {
            const { size } = await handle.stat();
            const length = Math.min(size, bytes);
            const buffer = Buffer.alloc(length);
            const { bytesRead } = await handle.read(buffer, 0, length, size - length);
            return { text: buffer.subarray(0, bytesRead).toString('utf8'), whole: length === size };
        }
        finally {
            await handle.close();
        }
    },
    write: (file, data) => (0,promises_namespaceObject.writeFile)(file, data)
};

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: external "node:zlib"
const external_node_zlib_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");
;// CONCATENATED MODULE: ./src/sourcemaps/chunks.ts

/** Hashes the file slice by slice (one slice in memory at a time). */
async function chunkBundle(read, size, chunkSize) {
    const whole = (0,external_node_crypto_namespaceObject.createHash)('sha1');
    const chunks = [];
    for (let offset = 0; offset < size; offset += chunkSize) {
        const data = await read(offset, Math.min(chunkSize, size - offset));
        whole.update(data);
        chunks.push({ sha1: (0,external_node_crypto_namespaceObject.createHash)('sha1').update(data).digest('hex'), offset, size: data.length });
    }
    return { checksum: whole.digest('hex'), size, chunks };
}
/**
 * Chunks grouped into requests within the server's limits, spread over up to `concurrency` requests so they can run
 * in parallel (a request holding more chunks than needed would serialize the upload). Identical chunks go once.
 */
function batchChunks(chunks, limits) {
    const unique = [...new Map(chunks.map(chunk => [chunk.sha1, chunk])).values()];
    if (unique.length === 0)
        return [];
    const perRequest = Math.max(1, Math.min(limits.chunksPerRequest, Math.ceil(unique.length / Math.max(1, limits.concurrency))));
    const batches = [];
    let batch = [];
    let bytes = 0;
    for (const chunk of unique) {
        if (batch.length > 0 && (batch.length >= perRequest || bytes + chunk.size > limits.maxRequestSize)) {
            batches.push(batch);
            batch = [];
            bytes = 0;
        }
        batch.push(chunk);
        bytes += chunk.size;
    }
    batches.push(batch);
    return batches;
}

;// CONCATENATED MODULE: ./src/sourcemaps/upload.ts
// Sentry's chunked upload of one artifact bundle (sentry-cli src/utils/file_upload.rs upload_files_chunked and
// poll_assemble; Sentry src/sentry/api/endpoints/chunk.py and organization_artifactbundle_assemble.py): read the
// chunk-upload options, ask assemble which chunks it lacks, send those (multipart, gzip when offered, each part
// named by the SHA-1 of its uncompressed bytes), then ask assemble again until the bundle is ok or failed.






const gzipAsync = (0,external_node_util_namespaceObject.promisify)(external_node_zlib_namespaceObject.gzip);
/** The chunk-upload path for an org, relative to the API root. */
function chunkUploadPath(org) {
    return `organizations/${encodeURIComponent(org)}/chunk-upload/`;
}
function assemblePath(org) {
    return `organizations/${encodeURIComponent(org)}/artifactbundle/assemble/`;
}
/** The options answer checked; a field Sentry must send but did not is named. */
function readChunkUploadOptions(body) {
    if (!isRecord(body))
        throw new Error('Sentry answered GET …/chunk-upload/ without a JSON object: is sentry_url a Sentry server?');
    const positive = (name) => {
        const value = body[name];
        if (typeof value === 'number' && Number.isInteger(value) && value > 0)
            return value;
        throw new Error(`Sentry's chunk-upload options lack a positive ${name} (got ${JSON.stringify(value)})`);
    };
    if (typeof body.url !== 'string' || body.url === '')
        throw new Error("Sentry's chunk-upload options lack the upload url");
    if (Array.isArray(body.accept) && !body.accept.includes('artifact_bundles')) {
        throw new Error('This Sentry server does not accept artifact bundles (its chunk-upload accept lacks artifact_bundles): upgrade Sentry');
    }
    return {
        url: body.url,
        chunkSize: positive('chunkSize'),
        chunksPerRequest: positive('chunksPerRequest'),
        maxRequestSize: positive('maxRequestSize'),
        concurrency: positive('concurrency'),
        maxWait: typeof body.maxWait === 'number' && body.maxWait > 0 ? body.maxWait : 0,
        gzip: Array.isArray(body.compression) && body.compression.includes('gzip')
    };
}
/** The absolute chunk-upload URL: as given, or relative to sentryUrl/api/0/ (as sentry-cli's get_api_endpoint). */
function chunkUploadUrl(sentryUrl, url) {
    if (/^https?:\/\//i.test(url))
        return url;
    return `${sentryUrl}/api/0/${url.replace(/^\/+/, '').replace(/^api\/0\//, '')}`;
}
function assembleRequest(target, bundle) {
    const chunks = bundle.chunks.map(chunk => chunk.sha1);
    const body = { checksum: bundle.checksum, chunks, projects: target.projects };
    if (target.release !== undefined)
        body.version = target.release;
    if (target.release !== undefined && target.dist !== undefined)
        body.dist = target.dist;
    return { method: 'POST', path: assemblePath(target.org), body };
}
// sentry-cli's DEFAULT_MAX_WAIT (src/constants.rs): 5 minutes.
const DEFAULT_MAX_WAIT_MS = 5 * 60_000;
// In-flight budget: at most this many uncompressed chunk bytes are read into memory for requests at once.
const IN_FLIGHT_BYTES = 32 * 1024 * 1024;
/** Uploads the bundle's missing chunks and waits for Sentry to assemble it; throws one line saying what failed. */
async function uploadBundle(target, bundle, options, uploadUrl, ports) {
    const assemble = assembleRequest(target, bundle);
    const ask = async () => readAssembleAnswer(await sendAssemble(ports.send, assemble, target.org));
    let answer = await ask();
    let chunksSent = 0;
    let bytesSent = 0;
    if (answer.state === 'not_found' && answer.missingChunks.length > 0) {
        const missing = new Set(answer.missingChunks);
        const chunks = bundle.chunks.filter(chunk => missing.has(chunk.sha1));
        const unknown = answer.missingChunks.filter(sha1 => !bundle.chunks.some(chunk => chunk.sha1 === sha1));
        if (unknown.length > 0)
            throw new Error(`Sentry asked for chunks that are not part of the bundle: ${unknown.slice(0, 3).join(', ')}`);
        const sent = await sendChunks(chunks, options, uploadUrl, ports);
        chunksSent = sent.chunks;
        bytesSent = sent.bytes;
        answer = await ask();
    }
    const maxWaitMs = options.maxWait > 0 ? Math.min(DEFAULT_MAX_WAIT_MS, options.maxWait * 1000) : DEFAULT_MAX_WAIT_MS;
    const start = ports.now();
    for (let delay = 250; answer.state !== 'ok'; delay = Math.min(delay * 2, 2000)) {
        if (answer.state === 'error') {
            throw new Error(`Sentry could not assemble the artifact bundle ${bundle.checksum}: ${answer.detail ?? 'no detail given'}`);
        }
        if (answer.state === 'not_found') {
            const lacking = answer.missingChunks.length;
            throw new Error(`Sentry still lacks ${lacking || 'some'} ${plural(lacking, 'chunk')} of bundle ${bundle.checksum} after the upload`);
        }
        if (ports.now() - start + delay > maxWaitMs) {
            throw new Error(`Sentry did not finish assembling the artifact bundle within ${maxWaitMs / 1000} s (last state: ${answer.state})`);
        }
        await ports.sleep(delay);
        answer = await ask();
    }
    return { chunksSent, bytesSent, state: answer.state };
}
/** Sends an assemble request; Sentry's errors name the inputs to check (projects: 400 "One or more projects are invalid"). */
async function sendAssemble(send, request, org) {
    try {
        return await send(request);
    }
    catch (error) {
        if (!(error instanceof SentryError))
            throw error;
        if (error.status === 404) {
            const message = `Sentry answered 404 to POST /api/0/${request.path}: the token cannot see org '${org}' or the projects`;
            throw new SentryError(404, `${message} (check 'org' and 'projects')`);
        }
        throw /project/i.test(error.message) ? new SentryError(error.status, `${error.message} (check 'projects')`) : error;
    }
}
function readAssembleAnswer(body) {
    if (!isRecord(body) || typeof body.state !== 'string') {
        throw new Error(`Sentry answered assemble without a state: ${JSON.stringify(body)?.slice(0, 200)}`);
    }
    const listed = Array.isArray(body.missingChunks) ? body.missingChunks : [];
    const missingChunks = listed.filter((sha1) => typeof sha1 === 'string');
    return { state: body.state, missingChunks, detail: typeof body.detail === 'string' ? body.detail : undefined };
}
/** Sends the chunks in batches, several requests at once within the server's concurrency and the in-flight budget. */
async function sendChunks(chunks, options, uploadUrl, ports) {
    const batches = batchChunks(chunks, options);
    const largest = Math.max(...batches.map(batch => batch.reduce((sum, chunk) => sum + chunk.size, 0)));
    const parallel = Math.max(1, Math.min(options.concurrency, Math.floor(IN_FLIGHT_BYTES / Math.max(1, largest)), batches.length));
    const total = batches.reduce((sum, batch) => sum + batch.reduce((bytes, chunk) => bytes + chunk.size, 0), 0);
    const count = batches.reduce((sum, batch) => sum + batch.length, 0);
    ports.info(`Uploading ${count} ${plural(count, 'chunk')} (${mebibytes(total)}) in ${batches.length} ${plural(batches.length, 'request')}, ` +
        `${parallel} at a time${options.gzip ? ', gzip' : ''}.`);
    let next = 0;
    const worker = async () => {
        while (next < batches.length) {
            const batch = batches[next++];
            const body = await multipartBody(batch, options.gzip, ports.read);
            const size = batch.reduce((sum, chunk) => sum + chunk.size, 0);
            const first = `${batch[0].sha1}${batch.length > 1 ? ', …' : ''}`;
            const what = `${batch.length} ${plural(batch.length, 'chunk')} (${mebibytes(size)}, ${first})`;
            await ports.postChunks(uploadUrl, body.data, body.contentType, what);
        }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return { chunks: count, bytes: total };
}
/** multipart/form-data with one part per chunk: field file_gzip (or file), filename the SHA-1 of the uncompressed chunk. */
async function multipartBody(chunks, useGzip, read) {
    const boundary = `----sentry-release-action-${(0,external_node_crypto_namespaceObject.randomBytes)(16).toString('hex')}`;
    const field = useGzip ? 'file_gzip' : 'file';
    const parts = [];
    for (const chunk of chunks) {
        const raw = await read(chunk.offset, chunk.size);
        // The zip's entries are deflated already: the fastest level gains as much as any.
        const data = useGzip ? await gzipAsync(raw, { level: 1 }) : raw;
        const disposition = `Content-Disposition: form-data; name="${field}"; filename="${chunk.sha1}"`;
        const head = `--${boundary}\r\n${disposition}\r\nContent-Type: application/octet-stream\r\n\r\n`;
        parts.push(Buffer.from(head), data, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { data: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
function plural(count, noun) {
    return count === 1 ? noun : `${noun}s`;
}
function mebibytes(bytes) {
    return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

;// CONCATENATED MODULE: ./src/sourcemaps/report.ts



const INJECTED = ['injected-at-start', 'injected-at-end', 'commented'];
/** The step's outputs (keys as in action.yml); `release` is the release step's object, extended in `json`. */
function sourceMapOutputs(outcome, baseDir, release) {
    const outputs = {
        sourcemapsInjected: String(outcome.files.filter(file => INJECTED.includes(file.change)).length),
        sourcemapsUploaded: String(outcome.upload && outcome.bundle ? outcome.bundle.files : 0)
    };
    if (outcome.bundle) {
        outputs.artifactBundleId = outcome.bundle.id;
        outputs.artifactBundleChecksum = outcome.bundle.checksum;
    }
    const sourcemaps = {
        files: outcome.files.map(file => ({
            file: external_node_path_namespaceObject.relative(baseDir, file.path),
            url: file.url,
            type: file.kind,
            debugId: file.debugId ?? null,
            ...(file.sourceMap ? { sourceMap: file.sourceMap } : {})
        })),
        ...(outcome.bundle
            ? { artifactBundle: { id: outcome.bundle.id, checksum: outcome.bundle.checksum, uploaded: Boolean(outcome.upload) } }
            : {})
    };
    outputs.json = JSON.stringify({ ...(release ?? {}), sourcemaps });
    return outputs;
}
/** One log line for the whole step. */
function outcomeText(outcome) {
    const scripts = outcome.files.filter(file => file.kind === 'script');
    const injected = outcome.files.filter(file => INJECTED.includes(file.change)).length;
    const withId = scripts.filter(file => file.debugId).length;
    const maps = outcome.files.length - scripts.length;
    const parts = [`Source maps: ${scripts.length} scripts (${injected} injected now, ${withId} with a debug ID), ${maps} maps`];
    if (outcome.bundle && outcome.upload) {
        const { chunksSent, bytesSent } = outcome.upload;
        const sent = chunksSent > 0 ? `${chunksSent} chunks (${mebibytes(bytesSent)}) sent` : 'Sentry had every chunk';
        parts.push(`artifact bundle ${outcome.bundle.id} uploaded and assembled (${sent})`);
    }
    else if (outcome.bundle) {
        parts.push(`artifact bundle ${outcome.bundle.id} built, not uploaded (dry run)`);
    }
    if (outcome.dryRun)
        parts.push('dry run: no file changed');
    return `${parts.join('; ')}.`;
}
/** What a dry run would send. */
function dryRunText(outcome) {
    if (outcome.requests.length === 0)
        return '';
    return ['Dry run: the source maps upload would send:', ...outcome.requests.map(request => `  ${request}`)].join('\n');
}
// Rows of the summary's file table; more are counted, not listed.
const SUMMARY_ROWS = 50;
/** The job summary's source maps section. */
function sourceMapSummary(outcome, baseDir) {
    const lines = ['### Source maps', '', outcomeText(outcome), ''];
    if (outcome.files.length > 0) {
        lines.push('| File | Debug ID | Map |', '|---|---|---|');
        for (const file of outcome.files.slice(0, SUMMARY_ROWS)) {
            const map = file.kind === 'map' ? '(map)' : file.sourceMap ?? '-';
            lines.push(`| ${code(external_node_path_namespaceObject.relative(baseDir, file.path))} | ${file.debugId ? code(file.debugId) : '-'} | ${escapeHtml(map)} |`);
        }
        if (outcome.files.length > SUMMARY_ROWS)
            lines.push(`| … and ${outcome.files.length - SUMMARY_ROWS} more | | |`);
    }
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./src/sourcemaps/debug-id.ts

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX32 = /^[0-9a-f]{32}$/;
/**
 * A deterministic debug ID from bytes: the first 16 bytes of their SHA-1 as a version 5 UUID, as sentry-cli's
 * debug_id_from_bytes_hashed does for one buffer. A script and its map are hashed together (each preceded by its
 * length), so two scripts sharing an identical map still get different IDs (sentry-cli #3350).
 */
function debugIdFromBytes(...parts) {
    const hash = (0,external_node_crypto_namespaceObject.createHash)('sha1');
    for (const part of parts) {
        if (parts.length > 1)
            hash.update(`${part.length}:`);
        hash.update(part);
    }
    return debugIdFromDigest(hash.digest());
}
/** The first 16 bytes of a SHA-1 digest as a version 5 UUID (uuid::Builder::from_sha1_bytes). */
function debugIdFromDigest(digest) {
    const bytes = Buffer.from(digest.subarray(0, 16));
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
/** A debug ID as Sentry stores it (lower-case hyphenated UUID), from a UUID or 32 hex digits; undefined otherwise. */
function normalizeDebugId(value) {
    if (typeof value !== 'string')
        return undefined;
    const text = value.trim().toLowerCase();
    if (UUID.test(text))
        return text;
    if (!HEX32.test(text))
        return undefined;
    return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`;
}

;// CONCATENATED MODULE: ./src/sourcemaps/zip-writer.ts
// A deterministic, append-only ZIP writer shaped like the zip crate's output in sentry-cli's bundles: ASCII names
// (bundle paths are percent-encoded URLs), no flags, deflated entries, 1980-01-01 00:00 timestamps, Unix mode 0644,
// no extra fields, sizes in the local headers (each entry is compressed before it is written), offsets counted from
// the start of the file (after any header before the archive: the bundle's SYSB header). No ZIP64: more than 65535
// entries or 4 GiB fails with a clear message.


const deflate = (0,external_node_util_namespaceObject.promisify)(external_node_zlib_namespaceObject.deflateRaw);
// DOS date of 1980-01-01 (year 0, month 1, day 1) and time 00:00:00, as zip::DateTime::default().
const DOS_DATE = (1 << 5) | 1;
const DOS_TIME = 0;
const VERSION = 20;
// Made by Unix (3) with version 2.0; external attributes: a regular file with mode 0644.
const MADE_BY = (3 << 8) | VERSION;
const EXTERNAL_ATTRIBUTES = 0o100644 * 0x10000;
const MAX_32 = 0xffffffff;
/** Deflates an entry's bytes (on node's thread pool, so several can run while the writer writes another). */
async function compressEntry(name, bytes) {
    return { name, crc: (0,external_node_zlib_namespaceObject.crc32)(bytes), size: bytes.length, data: await deflate(bytes) };
}
class ZipWriter {
    out;
    offset;
    records = [];
    /** `offset`: bytes already written before the archive. */
    constructor(out, offset) {
        this.out = out;
        this.offset = offset;
    }
    async add(entry) {
        if (this.records.length === 0xffff)
            throw new Error('The artifact bundle would hold more than 65535 files (ZIP64 is not supported)');
        const name = Buffer.from(entry.name);
        const record = { name, crc: entry.crc >>> 0, compressedSize: entry.data.length, size: entry.size, offset: this.offset };
        if (record.size > MAX_32 || record.offset + 30 + name.length + entry.data.length > MAX_32) {
            throw new Error(`The artifact bundle would exceed 4 GiB at ${entry.name} (ZIP64 is not supported)`);
        }
        // Local header: signature, version needed, flags 0, the entry's fields, no extra field.
        const header = Buffer.alloc(30);
        header.writeUInt32LE(0x04034b50, 0);
        header.writeUInt16LE(VERSION, 4);
        writeEntryFields(header, 8, record);
        await this.write(Buffer.concat([header, name]));
        await this.write(entry.data);
        this.records.push(record);
    }
    /** Writes the central directory and its end record; the archive is complete. */
    async finish() {
        const start = this.offset;
        for (const record of this.records) {
            // Central header: signature, made by, version needed, flags 0, the entry's fields; extra and comment lengths,
            // disk number and internal attributes 0; external attributes; the local header's offset.
            const header = Buffer.alloc(46);
            header.writeUInt32LE(0x02014b50, 0);
            header.writeUInt16LE(MADE_BY, 4);
            header.writeUInt16LE(VERSION, 6);
            writeEntryFields(header, 10, record);
            header.writeUInt32LE(EXTERNAL_ATTRIBUTES >>> 0, 38);
            header.writeUInt32LE(record.offset, 42);
            await this.write(Buffer.concat([header, record.name]));
        }
        const end = Buffer.alloc(22);
        end.writeUInt32LE(0x06054b50, 0);
        end.writeUInt16LE(this.records.length, 8);
        end.writeUInt16LE(this.records.length, 10);
        end.writeUInt32LE(this.offset - start, 12);
        end.writeUInt32LE(start, 16);
        await this.write(end);
    }
    async write(data) {
        await this.out.append(data);
        this.offset += data.length;
    }
}
/** The fields local and central headers share, in order: method (deflate), time, date, CRC-32, sizes, name length. */
function writeEntryFields(header, at, record) {
    header.writeUInt16LE(8, at);
    header.writeUInt16LE(DOS_TIME, at + 2);
    header.writeUInt16LE(DOS_DATE, at + 4);
    header.writeUInt32LE(record.crc, at + 6);
    header.writeUInt32LE(record.compressedSize, at + 10);
    header.writeUInt32LE(record.size, at + 14);
    header.writeUInt16LE(record.name.length, at + 18);
}

;// CONCATENATED MODULE: ./src/sourcemaps/artifact-bundle.ts
// The artifact bundle Sentry assembles (getsentry/symbolic symbolic-debuginfo src/sourcebundle/mod.rs, as sentry-cli's
// src/utils/source_bundle.rs builds it): the 8-byte header "SYSB" + version 2 (u32 little-endian), then a ZIP whose
// entries are files/<bundle path> and, last, manifest.json naming each file's type, URL and headers, and the org,
// project (only when there is exactly one), release, dist and the bundle's own debug_id.



const HEADER = Buffer.from([0x53, 0x59, 0x53, 0x42, 2, 0, 0, 0]);
/**
 * Writes a bundle to an append-only port. Files are added in order (compress them ahead with prepareBundleFile to
 * overlap deflating with writing); finish writes the manifest and the central directory.
 */
class ArtifactBundleWriter {
    out;
    attributes;
    zip;
    manifest = new Map();
    bundleHash = (0,external_node_crypto_namespaceObject.createHash)('sha1');
    started = false;
    constructor(out, attributes) {
        this.out = out;
        this.attributes = attributes;
        this.zip = new ZipWriter(out, HEADER.length);
    }
    /** The number of files added. */
    get size() {
        return this.manifest.size;
    }
    async add(file) {
        if (!this.started) {
            await this.out.append(HEADER);
            this.started = true;
        }
        const name = this.uniqueName(`files/${file.bundlePath}`);
        await this.zip.add({ ...file.compressed, name });
        this.manifest.set(name, manifestEntry(file.file));
        hashForBundleId(this.bundleHash, file);
    }
    /** Writes manifest.json and the central directory; returns the bundle's debug ID. */
    async finish() {
        if (!this.started) {
            await this.out.append(HEADER);
            this.started = true;
        }
        const bundleId = debugIdFromDigest(this.bundleHash.digest());
        const files = Object.fromEntries([...this.manifest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
        const { org, projects, release, dist } = this.attributes;
        // Attribute keys in byte order, as symbolic's BTreeMap writes them.
        const manifest = {
            files,
            debug_id: bundleId,
            ...(dist !== undefined && release !== undefined ? { dist } : {}),
            org,
            ...(projects.length === 1 ? { project: projects[0] } : {}),
            ...(release !== undefined ? { release } : {})
        };
        await this.zip.add(await compressEntry('manifest.json', Buffer.from(JSON.stringify(manifest))));
        await this.zip.finish();
        return bundleId;
    }
    /** files/x, then files/x.1, files/x.2, … as symbolic's unique_path. */
    uniqueName(name) {
        let unique = name;
        for (let count = 1; this.manifest.has(unique); count++)
            unique = `${name}.${count}`;
        return unique;
    }
}
/** Compresses a file for the bundle; the bytes are not kept. */
async function prepareBundleFile(file) {
    const bundlePath = urlToBundlePath(file.url);
    const { name: _name, ...compressed } = await compressEntry(bundlePath, file.bytes);
    const digest = (0,external_node_crypto_namespaceObject.createHash)('sha1').update(file.bytes).digest();
    return { file: { url: file.url, type: file.type, headers: file.headers }, digest, bundlePath, compressed };
}
function manifestEntry(file) {
    const headers = Object.fromEntries(Object.entries(file.headers)
        .map(([key, value]) => [key.toLowerCase(), value])
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { type: file.type, url: file.url, ...(Object.keys(headers).length > 0 ? { headers } : {}) };
}
/**
 * Like sentry-cli's build_debug_id, the bundle's ID hashes each file's URL, contents (here: their SHA-1, computed
 * while compressing), type and headers in order: the same files give the same ID.
 */
function hashForBundleId(hash, { file, digest }) {
    hash.update(file.url);
    hash.update(digest);
    hash.update(file.type);
    for (const [key, value] of Object.entries(file.headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        hash.update(key);
        hash.update(value);
    }
}
/**
 * Where a URL's file goes in the bundle, as sentry-cli's url_to_bundle_path: `~/a/b.js` -> `_/_/a/b.js`,
 * `https://cdn.example.com/a.js` -> `https/cdn.example.com/a.js`, `app:///a.js` -> `app/_/a.js`.
 */
function urlToBundlePath(url) {
    const base = new URL('http://~');
    const parsed = url.startsWith('~/') ? new URL(url.slice(2), base) : new URL(url, base);
    const path = `${parsed.pathname}${parsed.hash}`.replace(/^\//, '');
    if (parsed.hostname === '~')
        return `_/_/${path}`;
    return `${parsed.protocol.slice(0, -1)}/${parsed.hostname || '_'}/${path}`;
}

;// CONCATENATED MODULE: ./src/sourcemaps/glob.ts
// Globs for the `sourcemaps` and `ignore` inputs, matched against '/'-separated paths: `*` and `?` stay within a
// segment, `**` spans segments, `[abc]`/`[!a-z]` are classes, `{a,b}` alternatives. Dotfiles match like any file.
const GLOB_CHARACTERS = /[*?[{]/;
/** True when the entry is a glob rather than a plain file or directory path. */
function isGlob(entry) {
    return GLOB_CHARACTERS.test(entry);
}
/** The leading segments without glob characters: where to start walking for the glob ('' for the base itself). */
function globBase(glob) {
    const segments = glob.split('/');
    const firstGlob = segments.findIndex(isGlob);
    return segments.slice(0, firstGlob < 0 ? segments.length : firstGlob).join('/');
}
/** A RegExp matching a whole '/'-separated path against the glob. */
function globRegExp(glob) {
    return new RegExp(`^${translate(glob)}$`);
}
function translate(glob) {
    let out = '';
    for (let i = 0; i < glob.length; i++) {
        const character = glob[i];
        if (character === '*' && glob[i + 1] === '*') {
            const wholeSegment = (i === 0 || glob[i - 1] === '/') && (i + 2 === glob.length || glob[i + 2] === '/');
            if (wholeSegment) {
                // `**/` matches zero or more directories; a trailing `**` matches everything below.
                out += i + 2 === glob.length ? '.*' : '(?:[^/]*/)*';
                i += 2;
                continue;
            }
            out += '[^/]*';
            i++;
        }
        else if (character === '*') {
            out += '[^/]*';
        }
        else if (character === '?') {
            out += '[^/]';
        }
        else if (character === '[') {
            const end = glob.indexOf(']', i + 2);
            if (end < 0) {
                out += '\\[';
                continue;
            }
            const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
            out += body.startsWith('!') ? `[^/${body.slice(1)}]` : `[${body}]`;
            i = end;
        }
        else if (character === '{') {
            const end = glob.indexOf('}', i);
            if (end < 0) {
                out += '\\{';
                continue;
            }
            out += `(?:${glob.slice(i + 1, end).split(',').map(translate).join('|')})`;
            i = end;
        }
        else {
            out += character.replace(/[.+^$()|\\\]}]/g, '\\$&');
        }
    }
    return out;
}
/**
 * The `ignore` rule, as sentry-cli's --ignore: a glob without '/' matches a file or directory name at any depth
 * (`node_modules`, `*.test.js`); one with '/' matches the path relative to the base directory.
 */
function ignoreMatcher(globs) {
    const byName = globs.filter(glob => !glob.replace(/\/+$/, '').includes('/')).map(glob => globRegExp(glob.replace(/\/+$/, '')));
    const byPath = globs
        .filter(glob => glob.replace(/\/+$/, '').includes('/'))
        .map(glob => globRegExp(glob.replace(/^\.\//, '').replace(/\/+$/, '')));
    return relativePath => {
        const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
        return byName.some(pattern => pattern.test(name)) || byPath.some(pattern => pattern.test(relativePath));
    };
}

;// CONCATENATED MODULE: ./src/sourcemaps/find-files.ts


const SCRIPT = /\.(?:js|mjs|cjs)$/;
const MAP = /\.map$/;
/**
 * The files the `sourcemaps` entries name: a file, every script and map below a directory, or those matching a
 * glob (walked from its leading plain segments); `ignore` applies while walking. Sorted by path, each file once.
 */
async function findFiles(settings, fs) {
    const ignored = ignoreMatcher(settings.ignore);
    const found = new Map();
    const warnings = [];
    const add = (file, entryBase) => {
        const kind = SCRIPT.test(file) ? 'script' : MAP.test(file) ? 'map' : undefined;
        if (kind && !found.has(file))
            found.set(file, { path: file, url: fileUrl(file, entryBase, settings.urlPrefixes), kind });
    };
    for (const entry of settings.paths) {
        const before = found.size;
        if (isGlob(entry)) {
            const pattern = globRegExp(normalize(entry));
            const base = external_node_path_namespaceObject.resolve(settings.baseDir, globBase(normalize(entry)));
            for (const file of await walk(base, settings.baseDir, ignored, fs)) {
                const subject = external_node_path_namespaceObject.isAbsolute(entry) ? toPosix(file) : toPosix(external_node_path_namespaceObject.relative(settings.baseDir, file));
                if (pattern.test(subject))
                    add(file, base);
            }
        }
        else {
            const target = external_node_path_namespaceObject.resolve(settings.baseDir, entry);
            const kind = await fs.kind(target);
            if (kind === 'directory')
                for (const file of await walk(target, settings.baseDir, ignored, fs))
                    add(file, target);
            // A file named on its own is taken whatever `ignore` says, as sentry-cli does; its URL is relative to its folder.
            if (kind === 'file')
                add(target, external_node_path_namespaceObject.dirname(target));
            if (kind === undefined) {
                warnings.push(`sourcemaps: '${entry}' does not exist (in ${settings.baseDir})`);
                continue;
            }
        }
        if (found.size === before)
            warnings.push(`sourcemaps: '${entry}' has no .js, .mjs, .cjs or .map files`);
    }
    return { files: [...found.values()].sort((a, b) => compare(a.path, b.path)), warnings };
}
/** Files below `dir`, depth first in name order, skipping what `ignored` says (paths relative to baseDir). */
async function walk(dir, baseDir, ignored, fs) {
    const entries = await fs.list(dir);
    if (!entries)
        return [];
    const files = [];
    for (const entry of entries.sort((a, b) => compare(a.name, b.name))) {
        const full = external_node_path_namespaceObject.join(dir, entry.name);
        if (ignored(toPosix(external_node_path_namespaceObject.relative(baseDir, full))))
            continue;
        if (entry.directory)
            files.push(...(await walk(full, baseDir, ignored, fs)));
        else if (entry.file)
            files.push(full);
    }
    return files;
}
/**
 * url_prefix (one trailing '/' dropped, as sentry-cli does: `~/` -> `~`, `app:///` -> `app://`) + '/' + the path below
 * the most specific url_prefix root holding the file, else below the entry that found it.
 */
function fileUrl(file, entryBase, prefixes) {
    const rooted = prefixes.find(prefix => prefix.root !== undefined && isInside(file, prefix.root));
    const chosen = rooted ?? prefixes[prefixes.length - 1];
    const relative = toPosix(external_node_path_namespaceObject.relative(rooted?.root ?? entryBase, file));
    const prefix = chosen.prefix.endsWith('/') ? chosen.prefix.slice(0, -1) : chosen.prefix;
    return `${prefix}/${relative}`;
}
function isInside(file, dir) {
    const relative = external_node_path_namespaceObject.relative(dir, file);
    return relative !== '' && !relative.startsWith('..') && !external_node_path_namespaceObject.isAbsolute(relative);
}
function normalize(entry) {
    return toPosix(entry).replace(/^\.\//, '');
}
function toPosix(file) {
    return file.split(external_node_path_namespaceObject.sep).join('/');
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

;// CONCATENATED MODULE: ./src/sourcemaps/pair.ts
// Which map belongs to which script, as sentry-cli decides it (src/utils/sourcemaps.rs collect_sourcemap_references,
// guess_sourcemap_reference): the script's sourceMappingURL when it names a found file or is a data: URL, else a
// map named like the script (foo.min.js -> foo.map, foo.min.js.map, foo.js.map, foo.min.map) that no other script
// names or guesses.

/** Pairs every script with its map (keyed by script path); `maps` are the paths of the found maps. */
function pairScripts(scripts, maps) {
    const known = new Set(maps);
    const pairings = new Map();
    const named = new Map();
    const unnamed = [];
    for (const script of scripts) {
        const reference = script.reference;
        if (reference?.startsWith('data:')) {
            pairings.set(script.path, { kind: 'embedded' });
        }
        else if (reference && !isRemote(reference)) {
            const mapPath = external_node_path_namespaceObject.resolve(external_node_path_namespaceObject.dirname(script.path), safeDecode(reference));
            if (known.has(mapPath)) {
                pairings.set(script.path, { kind: 'file', mapPath, reference });
                named.set(mapPath, script.path);
            }
            else {
                pairings.set(script.path, { kind: 'none', note: `its sourceMappingURL ${reference} is not among the files found` });
            }
        }
        else {
            unnamed.push(script);
        }
    }
    // A guess counts only when one script guesses the map and none names it.
    const guesses = new Map();
    for (const script of unnamed) {
        const guess = guessMap(script.path, known);
        if (!guess) {
            pairings.set(script.path, { kind: 'none' });
        }
        else if (named.has(guess.mapPath)) {
            const owner = external_node_path_namespaceObject.basename(named.get(guess.mapPath) ?? '');
            pairings.set(script.path, { kind: 'none', note: `${guess.reference} belongs to ${owner}, whose sourceMappingURL names it` });
        }
        else {
            guesses.set(guess.mapPath, [...(guesses.get(guess.mapPath) ?? []), { script: script.path, reference: guess.reference }]);
        }
    }
    for (const [mapPath, guessed] of guesses) {
        for (const { script, reference } of guessed) {
            const note = `${reference} fits several scripts by name; add a //# sourceMappingURL= comment to pair it`;
            pairings.set(script, guessed.length === 1 ? { kind: 'file', mapPath, reference } : { kind: 'none', note });
        }
    }
    return pairings;
}
/** The first found map named like the script: foo.min.js -> foo.map, foo.min.js.map, foo.js.map, foo.min.map. */
function guessMap(script, known) {
    const dir = external_node_path_namespaceObject.dirname(script);
    const name = external_node_path_namespaceObject.basename(script);
    const dot = name.indexOf('.');
    const [base, extension] = dot < 0 ? [name, undefined] : [name.slice(0, dot), name.slice(dot + 1)];
    const candidates = [`${base}.map`];
    if (extension !== undefined) {
        candidates.push(`${base}.${extension}.map`);
        if (extension.startsWith('min.'))
            candidates.push(`${base}.${extension.slice(4)}.map`);
        const parts = extension.split('.');
        if (parts.length > 1)
            candidates.push(`${base}.${[...parts.slice(0, -1), 'map'].join('.')}`);
    }
    const reference = candidates.find(candidate => known.has(external_node_path_namespaceObject.join(dir, candidate)));
    return reference === undefined ? undefined : { mapPath: external_node_path_namespaceObject.join(dir, reference), reference };
}
function isRemote(reference) {
    return /^[a-z][a-z\d+.-]*:/i.test(reference) || reference.startsWith('//') || reference.startsWith('/');
}
function safeDecode(reference) {
    try {
        return decodeURIComponent(reference);
    }
    catch {
        return reference;
    }
}

;// CONCATENATED MODULE: external "node:buffer"
const external_node_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");
;// CONCATENATED MODULE: ./src/sourcemaps/embedded-map.ts
/** Decodes a data: URL (base64 or percent-encoded); undefined when it is not one. */
function decodeDataUrl(url) {
    const comma = url.indexOf(',');
    if (!url.startsWith('data:') || comma < 0)
        return undefined;
    const header = url.slice(0, comma);
    const payload = url.slice(comma + 1);
    try {
        const text = /;base64$/i.test(header) ? Buffer.from(payload, 'base64').toString('utf8') : decodeURIComponent(payload);
        return { header, text };
    }
    catch {
        return undefined;
    }
}
/** The data: URL for a map's new text, encoded as the original was. */
function encodeDataUrl(header, text) {
    const payload = /;base64$/i.test(header) ? Buffer.from(text).toString('base64') : encodeURIComponent(text);
    return `${header},${payload}`;
}

;// CONCATENATED MODULE: ./src/sourcemaps/script-comments.ts
// The magic comments of a built script, found as Sentry's symbolic (symbolic-debuginfo js.rs MagicCommentFinder)
// finds them: the last `//# name=` (or `//@ name=` for sourceMappingURL), its value up to the next whitespace.
/** The last `//# <name>=` comment (also `//@ ` when allowAt), or undefined. */
function lastMagicComment(text, name, allowAt = false) {
    const needle = `${name}=`;
    for (let at = text.lastIndexOf(needle); at >= 4; at = text.lastIndexOf(needle, at - 1)) {
        const prefix = text.slice(at - 4, at);
        if (prefix !== '//# ' && !(allowAt && prefix === '//@ '))
            continue;
        let start = at + needle.length;
        while (start < text.length && /[ \t\r\n\f\v]/.test(text[start]))
            start++;
        let end = start;
        while (end < text.length && !/[ \t\r\n\f\v]/.test(text[end]))
            end++;
        return { value: text.slice(start, end), start, end };
    }
    return undefined;
}
/** The script's sourceMappingURL without query or fragment, as symbolic's discover_sourcemaps_location reads it. */
function sourceMappingUrl(text) {
    const comment = lastMagicComment(text, 'sourceMappingURL', true);
    if (!comment)
        return undefined;
    if (comment.value.startsWith('data:'))
        return comment;
    return { ...comment, value: comment.value.split('?')[0].split('#')[0] };
}

;// CONCATENATED MODULE: ./src/sourcemaps/source-map.ts
// Source map JSON (ECMA-426): the few edits injection and upload make. Mappings are never decoded: one line is
// inserted as an empty line group (`;`), and an index map's sections move down by offset.

/** The map parsed, or undefined when the text is not a source map. */
function parseSourceMap(text) {
    let map;
    try {
        map = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    if (typeof map !== 'object' || map === null || Array.isArray(map))
        return undefined;
    const record = map;
    return typeof record.mappings === 'string' || Array.isArray(record.sections) ? record : undefined;
}
/** The map's debug ID: `debug_id`, else `debugId` (symbolic prefers the former), normalized; undefined if none. */
function mapDebugId(map) {
    return normalizeDebugId(map.debug_id) ?? normalizeDebugId(map.debugId);
}
/** The map with both `debugId` (ECMA-426 proposal, sentry-cli 2.x+) and `debug_id` (older readers) set to the ID. */
function withDebugId(map, debugId) {
    return { ...map, debugId, debug_id: debugId };
}
/**
 * The map for the script with one line inserted before line `line` (0-based), or undefined when that cannot be
 * expressed without decoding: an index map whose sections do not all start at or after the inserted line.
 */
function insertLine(map, line) {
    if (typeof map.mappings === 'string')
        return { ...map, mappings: insertEmptyLine(map.mappings, line) };
    const sections = map.sections;
    if (!sections.every(section => section?.offset && Number.isInteger(section.offset.line) && section.offset.line >= line))
        return undefined;
    return { ...map, sections: sections.map(section => ({ ...section, offset: { ...section.offset, line: section.offset.line + 1 } })) };
}
/** `mappings` with an empty group before line `line`: groups are separated by ';'. */
function insertEmptyLine(mappings, line) {
    let at = 0;
    for (let group = 0; group < line; group++) {
        const next = mappings.indexOf(';', at);
        // The map ends before that line: the lines up to it are added empty.
        if (next < 0)
            return `${mappings}${';'.repeat(line - group)}`;
        at = next + 1;
    }
    return `${mappings.slice(0, at)};${mappings.slice(at)}`;
}
/**
 * The map with prefixes stripped from its `sources`, as sentry-cli's rewrite (rust-sourcemap strip_prefixes): a source
 * starting with prefix + '/' loses it (first matching prefix); `common` adds the longest common directory of the
 * absolute sources. Index maps are stripped section by section. Returns the same object when nothing changes.
 */
function stripSourcePrefixes(map, prefixes, common) {
    if (Array.isArray(map.sections)) {
        const sections = map.sections.map(section => section?.map ? { ...section, map: stripSourcePrefixes(section.map, prefixes, common) } : section);
        return sections.some((section, index) => section !== map.sections[index]) ? { ...map, sections } : map;
    }
    if (!Array.isArray(map.sources))
        return map;
    const sources = map.sources;
    const all = [...prefixes];
    const commonPrefix = common ? commonSourcePrefix(sources.filter((source) => typeof source === 'string')) : undefined;
    if (commonPrefix)
        all.push(commonPrefix);
    if (all.length === 0)
        return map;
    const withSlash = all.map(prefix => (prefix.endsWith('/') ? prefix : `${prefix}/`));
    const stripped = sources.map(source => {
        if (typeof source !== 'string')
            return source;
        const prefix = withSlash.find(candidate => source.startsWith(candidate));
        return prefix ? source.slice(prefix.length) : source;
    });
    return stripped.some((source, index) => source !== sources[index]) ? { ...map, sources: stripped } : map;
}
/**
 * The longest run of leading path components shared by the absolute sources (`/…` or `C:\…`), as rust-sourcemap's
 * find_common_prefix; undefined when there is none or it is only '/'.
 */
function commonSourcePrefix(sources) {
    const absolute = sources.filter(source => source.startsWith('/') || /^[a-zA-Z]:[/\\]/.test(source)).map(splitPath);
    if (absolute.length === 0)
        return undefined;
    let shared = absolute[0];
    for (const parts of absolute) {
        let length = 0;
        while (length < shared.length && length < parts.length && shared[length] === parts[length])
            length++;
        shared = shared.slice(0, length);
    }
    const prefix = shared.join('');
    return prefix && prefix !== '/' ? prefix : undefined;
}
/** Components that keep their leading separator: '/a/b' -> ['', '/a', '/b']. */
function splitPath(source) {
    const parts = [];
    let last = 0;
    for (let i = 0; i < source.length; i++) {
        if (source[i] === '/' || source[i] === '\\') {
            parts.push(source.slice(last, i));
            last = i;
        }
    }
    if (last < source.length)
        parts.push(source.slice(last));
    return parts;
}

;// CONCATENATED MODULE: ./src/sourcemaps/inject.ts
// Debug-ID injection into one script and its map, pure over their text. The snippet is sentry-cli's
// (src/utils/sourcemaps/inject.rs CODE_SNIPPET_TEMPLATE, 3.x); where it goes follows sentry-cli's inject_at_start:
// a new first line (after a hashbang), repeating the directive prologue so it stays first, so the map only gains
// one empty line. Without a map the snippet goes at the end, where it moves no mapped position.



/** The snippet sentry-cli inserts; the SDK reads globalThis._sentryDebugIds (keyed by a stack naming the file). */
function debugIdSnippet(debugId) {
    return ('!function(){try{var e="undefined"!=typeof window?window:"undefined"!=typeof global?global:"undefined"!=typeof globalThis?' +
        'globalThis:"undefined"!=typeof self?self:{},n=(new e.Error).stack;n&&(e._sentryDebugIds=e._sentryDebugIds||{},' +
        `e._sentryDebugIds[n]="${debugId}")}catch(e){}}();`);
}
// A snippet from sentry-cli or Sentry's bundler plugins (they also write the comment, but a minifier may drop it).
const SNIPPET_ID = /_sentryDebugIds\[[A-Za-z_$][\w$]*\]="([0-9a-fA-F-]{36})"/;
/**
 * Injects a debug ID into a script and its map (parsed), or adopts the one it has: the `//# debugId=` comment, else a
 * snippet's, else the map's `debug_id`/`debugId`; a new one is derived from the script's and map's bytes together.
 * Running it again on its output changes nothing.
 */
function injectScript(script, map, scriptBytes = Buffer.from(script)) {
    const comment = lastMagicComment(script, 'debugId');
    const commented = normalizeDebugId(comment?.value);
    const mapId = map && mapDebugId(map.json);
    if (commented)
        return adoptWithoutSnippet(commented, 'kept', undefined, map?.json, mapId);
    const snippetId = normalizeDebugId(SNIPPET_ID.exec(script)?.[1]);
    if (snippetId)
        return adoptWithoutSnippet(snippetId, 'commented', `${withNewline(script)}${debugIdComment(snippetId)}`, map?.json, mapId);
    const debugId = mapId ?? debugIdFromBytes(...(map ? [scriptBytes, map.bytes] : [scriptBytes]));
    if (!map)
        return { debugId, change: 'injected-at-end', script: atEnd(script, debugId) };
    const { head, rest, insertedLine } = splitHead(script);
    const shifted = insertLine(map.json, insertedLine);
    if (!shifted) {
        return {
            debugId,
            change: 'injected-at-end',
            script: atEnd(script, debugId),
            map: withDebugId(map.json, debugId),
            note: 'its index map cannot be shifted below the hashbang, so the snippet went to the end'
        };
    }
    const injected = `${head}${directivePrologue(rest)}${debugIdSnippet(debugId)}\n${withNewline(rest)}${debugIdComment(debugId)}`;
    return { debugId, change: 'injected-at-start', script: injected, map: withDebugId(shifted, debugId) };
}
/** A script that has its ID: only a map without one gets it (unshifted: the snippet was there when the map was made). */
function adoptWithoutSnippet(debugId, change, script, map, mapId) {
    if (!map || mapId === debugId)
        return { debugId, change, script };
    if (mapId)
        return { debugId, change, script, note: `its map has debug ID ${mapId}, not ${debugId}: Sentry cannot pair them` };
    return { debugId, change, script, map: withDebugId(map, debugId) };
}
function atEnd(script, debugId) {
    return `${withNewline(script)}${debugIdSnippet(debugId)}\n${debugIdComment(debugId)}`;
}
function debugIdComment(debugId) {
    return `//# debugId=${debugId}\n`;
}
function withNewline(text) {
    return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
/** A byte order mark and a hashbang line stay first; the snippet line goes right after them. */
function splitHead(script) {
    const bom = script.startsWith('\uFEFF') ? '\uFEFF' : '';
    const body = script.slice(bom.length);
    if (!body.startsWith('#!'))
        return { head: bom, rest: body, insertedLine: 0 };
    const newline = body.indexOf('\n');
    if (newline < 0)
        return { head: `${bom}${body}\n`, rest: '', insertedLine: 1 };
    return { head: bom + body.slice(0, newline + 1), rest: body.slice(newline + 1), insertedLine: 1 };
}
const STRING_LITERAL = /^(?:"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')/;
const SPACE_OR_COMMENT = /^(?:\s+|\/\*[\s\S]*?\*\/|\/\/[^\n\r]*)/;
// After a string literal and a line break, these continue the expression: the literal was no directive.
const CONTINUES_EXPRESSION = /^[.[(+\-*/%,?:=<>&|^`]/;
/**
 * The script's directive prologue (`"use strict";"use client";`), each directive ending in ';': repeated before the
 * snippet, it stays the first statement, so strict mode and React's "use client" / "use server" still apply.
 */
function directivePrologue(script) {
    let rest = script;
    let prologue = '';
    for (;;) {
        rest = skipSpaceAndComments(rest);
        const literal = STRING_LITERAL.exec(rest)?.[0];
        if (!literal)
            return prologue;
        const after = rest.slice(literal.length);
        const following = skipSpaceAndComments(after);
        if (/^[ \t]*;/.test(after)) {
            rest = after.slice(after.indexOf(';') + 1);
        }
        else if (following === '' || following.startsWith('}')) {
            rest = following;
        }
        else if (/[\n\r]/.test(after.slice(0, after.length - following.length)) && !CONTINUES_EXPRESSION.test(following)) {
            // Automatic semicolon insertion ends the directive at the line break: the next token cannot continue it.
            rest = following;
        }
        else {
            return prologue;
        }
        prologue += `${literal};`;
    }
}
function skipSpaceAndComments(text) {
    let rest = text;
    for (let match = SPACE_OR_COMMENT.exec(rest); match; match = SPACE_OR_COMMENT.exec(rest))
        rest = rest.slice(match[0].length);
    return rest;
}

;// CONCATENATED MODULE: ./src/sourcemaps/process-files.ts
// One script with its map (or a map alone): read, inject (or only read the debug IDs), write back, and the bytes the
// bundle gets. Over a small file port, so tests run it on a real build or in memory.






async function processScript(unit, options, fs) {
    const { script, pairing } = unit;
    const scriptBytes = await fs.read(script.path);
    if (!(0,external_node_buffer_namespaceObject.isUtf8)(scriptBytes))
        return skipped(script, 'not UTF-8: left out, as sentry-cli does');
    const text = scriptBytes.toString('utf8');
    const embedded = pairing.kind === 'embedded' ? readEmbedded(text) : undefined;
    const mapFile = unit.map && (await readMapFile(unit.map, fs));
    const map = embedded?.map ?? mapFile?.map;
    const notes = [pairing.kind === 'none' ? pairing.note : undefined, mapFile?.note, embedded?.note];
    let newText;
    let newMap;
    let debugId;
    let change = 'read';
    if (options.inject) {
        const mapBytes = embedded ? Buffer.from(embedded.text) : (mapFile?.bytes ?? Buffer.alloc(0));
        const injected = injectScript(text, map && { json: map, bytes: mapBytes }, scriptBytes);
        ({ debugId, change } = injected);
        newText = injected.script;
        newMap = injected.map;
        notes.push(injected.note);
        if (embedded && newMap)
            newText = replaceEmbeddedMap(newText ?? text, embedded.header, newMap);
    }
    else {
        debugId = normalizeDebugId(lastMagicComment(text, 'debugId')?.value) ?? (map && mapDebugId(map));
    }
    // Encoded once: the same bytes go to the disk and into the bundle.
    const newScriptBytes = newText === undefined ? undefined : Buffer.from(newText);
    const newMapBytes = newMap && unit.map && !embedded ? Buffer.from(JSON.stringify(newMap)) : undefined;
    if (options.write && newScriptBytes)
        await fs.write(script.path, newScriptBytes);
    if (options.write && newMapBytes && unit.map)
        await fs.write(unit.map.path, newMapBytes);
    const sourceMap = pairing.kind === 'file' ? pairing.reference : pairing.kind === 'embedded' ? 'embedded' : undefined;
    const reports = [{ path: script.path, url: script.url, kind: 'script', debugId, change, sourceMap, note: joinNotes(notes) }];
    const bundleFiles = [];
    if (options.bundle) {
        const headers = {};
        if (debugId)
            headers['debug-id'] = debugId;
        if (pairing.kind === 'file')
            headers.Sourcemap = pairing.reference;
        bundleFiles.push({ url: script.url, type: 'minified_source', headers, bytes: newScriptBytes ?? scriptBytes });
    }
    if (unit.map && mapFile) {
        const finalMap = newMap ?? mapFile.map;
        const mapId = finalMap && mapDebugId(finalMap);
        const change = newMap ? 'updated' : 'unchanged';
        reports.push({ path: unit.map.path, url: unit.map.url, kind: 'map', debugId: mapId, change, note: mapFile.note });
        if (options.bundle)
            bundleFiles.push(mapBundleFile(unit.map, finalMap, newMapBytes ?? mapFile.bytes, options));
    }
    return { reports, bundleFiles };
}
/** A map no script claims: uploaded with the debug ID it carries, never changed. */
async function processLoneMap(map, options, fs) {
    const read = await readMapFile(map, fs);
    if (!read)
        return skipped(map, 'not UTF-8: left out, as sentry-cli does');
    const debugId = read.map && mapDebugId(read.map);
    const note = read.note ?? 'no script names it';
    const report = { path: map.path, url: map.url, kind: 'map', debugId, change: 'unchanged', note };
    return { reports: [report], bundleFiles: options.bundle ? [mapBundleFile(map, read.map, read.bytes, options)] : [] };
}
function skipped(file, note) {
    return { reports: [{ path: file.path, url: file.url, kind: file.kind, change: 'skipped', note }], bundleFiles: [] };
}
async function readMapFile(file, fs) {
    const bytes = await fs.read(file.path);
    if (!(0,external_node_buffer_namespaceObject.isUtf8)(bytes))
        return undefined;
    const map = parseSourceMap(bytes.toString('utf8'));
    return { bytes, map, note: map ? undefined : 'not a source map (invalid JSON, or no mappings): uploaded as is' };
}
function readEmbedded(text) {
    const decoded = decodeDataUrl(sourceMappingUrl(text)?.value ?? '');
    if (!decoded)
        return { header: '', text: '', note: 'its data: URL source map cannot be decoded' };
    const map = parseSourceMap(decoded.text);
    return { ...decoded, map, note: map ? undefined : 'its data: URL holds no source map' };
}
function replaceEmbeddedMap(text, header, map) {
    const comment = sourceMappingUrl(text);
    if (!comment)
        return text;
    return `${text.slice(0, comment.start)}${encodeDataUrl(header, JSON.stringify(map))}${text.slice(comment.end)}`;
}
/** The map as uploaded: `sources` stripped per strip_prefix / strip_common_prefix (the file on disk keeps them). */
function mapBundleFile(file, map, bytesOnDisk, options) {
    const stripped = map && stripSourcePrefixes(map, options.stripPrefixes, options.stripCommonPrefix);
    const bytes = stripped && stripped !== map ? Buffer.from(JSON.stringify(stripped)) : bytesOnDisk;
    const debugId = map && mapDebugId(map);
    return { url: file.url, type: 'source_map', headers: debugId ? { 'debug-id': debugId } : {}, bytes };
}
function joinNotes(notes) {
    const present = notes.filter((note) => Boolean(note));
    return present.length > 0 ? present.join('; ') : undefined;
}

;// CONCATENATED MODULE: ./src/sourcemaps/step.ts
// The source maps step: find the built files, pair scripts with maps, inject debug IDs (writing the files back),
// stream them into one artifact bundle on disk, and upload it in chunks. Decisions are in the modules it calls;
// this file orders them and keeps at most a few files in memory at once.









// Sentry's SENTRY_CHUNK_UPLOAD_BLOB_SIZE (8 MiB), for the checksum a dry run shows without asking Sentry.
const DRY_RUN_CHUNK_SIZE = 8 * 1024 * 1024;
// Scripts read, injected and compressed at once: enough to keep the thread pool deflating while the next is parsed.
const PARALLEL_FILES = 4;
async function runSourceMapStep(settings, target, ports) {
    const uploading = settings.mode !== 'inject';
    if (uploading && !target)
        throw new Error('The source maps upload needs the release step (sourcemaps_mode inject runs without it)');
    if (uploading && target && target.projects.length === 0) {
        throw new InputError('projects', 'is required to upload source maps: the artifact bundle belongs to projects (or set SENTRY_PROJECT)');
    }
    const live = uploading && !settings.dryRun && ports.send && target;
    // Asked while the files are injected and bundled: the answer is needed only once the bundle is complete.
    const optionsAnswer = live ? settle(ports.send({ method: 'GET', path: chunkUploadPath(target.org) })) : undefined;
    const found = await findFiles(settings, ports.dirs);
    found.warnings.forEach(warning => ports.warning(warning));
    if (found.files.length === 0) {
        const message = `sourcemaps: no .js, .mjs, .cjs or .map files found in ${settings.paths.join(', ')} (under ${settings.baseDir})`;
        if (settings.strict)
            throw new InputError('sourcemaps_strict', `is true and ${message}`);
        ports.warning(`${message}; nothing to inject or upload.`);
        await optionsAnswer?.catch(() => undefined);
        return { mode: settings.mode, dryRun: settings.dryRun, files: [], requests: [] };
    }
    const units = await planUnits(found.files, ports.files);
    const bundleFile = uploading ? await ports.tempFile() : undefined;
    try {
        const writer = bundleFile && target ? new ArtifactBundleWriter(bundleFile, target) : undefined;
        const options = {
            inject: settings.inject,
            write: !settings.dryRun,
            bundle: Boolean(writer),
            stripPrefixes: settings.stripPrefixes,
            stripCommonPrefix: settings.stripCommonPrefix
        };
        const files = [];
        await inOrder(units, async (unit) => {
            const { reports, bundleFiles } = 'script' in unit ? await processScript(unit, options, ports.files) : await processLoneMap(unit.lone, options, ports.files);
            // Only the compressed bytes wait for their turn in the bundle.
            return { reports, prepared: await Promise.all(bundleFiles.map(prepareBundleFile)) };
        }, async ({ reports, prepared }) => {
            files.push(...reports);
            reports.forEach(report => ports.info(fileLine(report, settings.baseDir)));
            for (const file of prepared)
                await writer?.add(file);
        });
        if (!writer || !bundleFile || !target)
            return { mode: settings.mode, dryRun: settings.dryRun, files, requests: [] };
        const id = await writer.finish();
        const serverOptions = optionsAnswer ? readChunkUploadOptions(await optionsAnswer) : undefined;
        const chunkSize = serverOptions?.chunkSize ?? DRY_RUN_CHUNK_SIZE;
        const chunked = await chunkBundle(bundleFile.read, bundleFile.size(), chunkSize);
        const bundle = { id, checksum: chunked.checksum, size: chunked.size, files: writer.size, chunks: chunked.chunks.length, chunkSize };
        ports.info(`Artifact bundle ${id}: ${writer.size} files, ${bundle.size} bytes, checksum ${bundle.checksum}, ${bundle.chunks} chunk(s).`);
        const assemble = assembleRequest(target, chunked);
        const requests = [
            `GET ${target.sentryUrl}/api/0/${chunkUploadPath(target.org)}`,
            `POST ${target.sentryUrl}/api/0/${assemble.path} ${JSON.stringify({ ...assemble.body, chunks: `[${bundle.chunks} SHA-1s]` })}`,
            `POST <the chunk-upload url> for the chunks Sentry lacks (multipart, gzip), then POST …/assemble/ again until the state is ok`
        ];
        if (!serverOptions || !ports.send || !ports.postChunks)
            return { mode: settings.mode, dryRun: settings.dryRun, files, bundle, requests };
        const upload = await uploadBundle(target, chunked, serverOptions, chunkUploadUrl(target.sentryUrl, serverOptions.url), {
            send: ports.send,
            postChunks: ports.postChunks,
            read: bundleFile.read,
            sleep: ports.sleep,
            now: ports.now,
            info: ports.info
        });
        return { mode: settings.mode, dryRun: false, files, bundle, upload, requests };
    }
    finally {
        await bundleFile?.remove();
    }
}
/** Scripts with their maps (pairing reads each script's sourceMappingURL), then the maps no script claims. */
async function planUnits(found, fs) {
    const scripts = found.filter(file => file.kind === 'script');
    const maps = found.filter(file => file.kind === 'map');
    const references = [];
    for (const script of scripts)
        references.push({ path: script.path, reference: await referenceOf(script.path, fs) });
    const pairings = pairScripts(references, maps.map(map => map.path));
    const byPath = new Map(maps.map(map => [map.path, map]));
    const claimed = new Set();
    const units = scripts.map(script => {
        const pairing = pairings.get(script.path) ?? { kind: 'none' };
        const map = pairing.kind === 'file' ? byPath.get(pairing.mapPath) : undefined;
        if (map)
            claimed.add(map.path);
        return { script, pairing, map };
    });
    return [...units, ...maps.filter(map => !claimed.has(map.path)).map(lone => ({ lone }))];
}
// The sourceMappingURL comment ends a script: its last bytes hold it (a data: URL is recognised by its start).
const TAIL_BYTES = 16 * 1024;
/** The script's sourceMappingURL value (for a data: URL, its start is enough); the whole file is read only if the tail lacks it. */
async function referenceOf(script, fs) {
    const tail = await fs.readTail(script, TAIL_BYTES);
    const found = sourceMappingUrl(tail.text)?.value;
    if (found !== undefined || tail.whole)
        return found;
    return sourceMappingUrl((await fs.read(script)).toString('utf8'))?.value;
}
/** Runs `work` on up to PARALLEL_FILES items at once and hands the results to `use` in the items' order. */
async function inOrder(items, work, use) {
    const pending = [];
    let next = 0;
    const start = () => {
        if (next < items.length)
            pending.push(settle(work(items[next++])));
    };
    for (let i = 0; i < PARALLEL_FILES; i++)
        start();
    for (let done = 0; done < items.length; done++) {
        const result = await pending[done];
        start();
        await use(result);
    }
}
/** A promise whose rejection is handled until it is awaited (the options are asked before they are needed). */
function settle(promise) {
    promise.catch(() => undefined);
    return promise;
}
const CHANGE_TEXT = {
    kept: 'already injected, unchanged',
    commented: 'had the snippet: debugId comment added',
    'injected-at-start': 'injected (first line), map shifted by one line',
    'injected-at-end': 'injected at the end',
    read: 'not injected (inject off)',
    updated: 'debug ID written',
    unchanged: 'unchanged',
    skipped: 'skipped'
};
function fileLine(report, baseDir) {
    const id = report.debugId ?? 'no debug ID'.padEnd(36);
    const map = report.sourceMap ? ` -> ${report.sourceMap}` : '';
    const note = report.note ? ` (${report.note})` : '';
    return `${id}  ${external_node_path_namespaceObject.relative(baseDir, report.path)}${map}: ${CHANGE_TEXT[report.change]}${note}`;
}

;// CONCATENATED MODULE: ./src/sourcemaps/temp-file.ts



async function createTempBundleFile(env = process.env) {
    const dir = await (0,promises_namespaceObject.mkdtemp)(external_node_path_namespaceObject.join(env.RUNNER_TEMP || external_node_os_namespaceObject.tmpdir(), 'sentry-bundle-'));
    const file = external_node_path_namespaceObject.join(dir, 'bundle.zip');
    const handle = await (0,promises_namespaceObject.open)(file, 'w+');
    let size = 0;
    return {
        path: file,
        size: () => size,
        async append(data) {
            await handle.write(data, 0, data.length, size);
            size += data.length;
        },
        async read(offset, length) {
            const buffer = Buffer.alloc(length);
            let done = 0;
            while (done < length) {
                const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
                if (bytesRead === 0)
                    throw new Error(`The bundle file ${file} ended at ${offset + done} bytes, before ${offset + length}`);
                done += bytesRead;
            }
            return buffer;
        },
        async remove() {
            await handle.close().catch(() => undefined);
            await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
        }
    };
}

;// CONCATENATED MODULE: ./src/sourcemaps/run.ts
// The source maps step wired to the real file system, Sentry and the runner: outputs, log and job summary.









/**
 * Runs the step after the release step (`released`), or alone in inject mode. Upload modes name the release (and
 * dist) in the bundle; an event that releases nothing uploads nothing.
 */
async function runSourceMaps(settings, released) {
    if (settings.mode !== 'inject' && !released)
        return runner_notice('Source maps: this event releases nothing, so nothing is uploaded.');
    const release = released?.settings;
    const target = release && {
        sentryUrl: release.sentryUrl,
        org: release.org,
        projects: release.projects,
        release: released.version,
        dist: settings.dist
    };
    const authToken = settings.mode !== 'inject' && !settings.dryRun ? release?.authToken : undefined;
    const sentry = release && authToken ? { authToken, timeoutMs: release.requestTimeoutMs, retry: retryPolicy() } : undefined;
    const outcome = await runSourceMapStep(settings, target, {
        ...localPorts,
        send: sentry && release && createSentryClient({ ...sentry, sentryUrl: release.sentryUrl, org: release.org }),
        postChunks: sentry && createChunkPoster(sentry)
    }).catch((error) => {
        // An input's own error names it already; anything else says what the run did and did not do.
        if (error instanceof InputError)
            throw error;
        const done = released ? `Sentry release ${released.version} was updated, but its source maps were not uploaded` : 'Source maps not injected';
        throw new Error(`${done}: ${errorMessage(error)}`);
    });
    info(outcomeText(outcome));
    const dryRun = dryRunText(outcome);
    if (dryRun)
        info(dryRun);
    for (const [name, value] of Object.entries(sourceMapOutputs(outcome, settings.baseDir, released?.release)))
        setOutput(name, value);
    if (process.env.GITHUB_STEP_SUMMARY)
        await summary.addRaw(sourceMapSummary(outcome, settings.baseDir)).write();
}
const localPorts = {
    dirs: directories,
    files: files,
    tempFile: () => createTempBundleFile(),
    info: line => info(line),
    warning: line => runner_warning(line),
    sleep: sleep,
    now: () => Date.now()
};

;// CONCATENATED MODULE: ./src/sourcemaps/settings.ts



const MODES = ['inject', 'upload', 'both'];
// sentry-cli validate_distribution (src/utils/args.rs): no surrounding spaces, at most 64 characters.
const MAX_DIST_LENGTH = 64;
/**
 * The source maps inputs -> settings; undefined when `sourcemaps` is not set (the step is off). Pure over the
 * reader and the environment (GITHUB_WORKSPACE): no file is read here.
 */
function readSourceMapSettings(env = process.env, input = readActionInput) {
    const paths = splitList(input('sourcemaps'));
    const mode = readMode(input);
    const inject = readBoolean(input, 'inject', true);
    const dist = readDist(input);
    const baseDir = external_node_path_namespaceObject.resolve(env.GITHUB_WORKSPACE || process.cwd(), input('working_directory'));
    const urlPrefixes = readUrlPrefixes(input, baseDir);
    const stripPrefixes = splitList(input('strip_prefix'));
    const stripCommonPrefix = readBoolean(input, 'strip_common_prefix', false);
    const ignore = splitList(input('ignore'));
    const strict = readBoolean(input, 'sourcemaps_strict', false);
    const dryRun = readBoolean(input, 'dry_run', false);
    if (paths.length === 0)
        return undefined;
    if (mode === 'inject' && !inject) {
        throw new InputError('inject', "is false, but sourcemaps_mode 'inject' does nothing else: set inject: true, or another mode");
    }
    return {
        paths,
        baseDir,
        mode,
        inject: mode === 'inject' || (mode === 'both' && inject),
        dist,
        urlPrefixes,
        stripPrefixes,
        stripCommonPrefix,
        ignore,
        strict,
        dryRun
    };
}
function readMode(input) {
    const value = input('sourcemaps_mode').trim().toLowerCase() || 'both';
    const mode = MODES.find(known => known === value);
    if (!mode)
        throw new InputError('sourcemaps_mode', `'${value}' must be one of ${MODES.join(', ')}`);
    return mode;
}
function readDist(input) {
    const value = input('dist');
    if (value === '')
        return undefined;
    if (value.trim() !== value)
        throw new InputError('dist', 'must not start or end with spaces');
    if ([...value].length > MAX_DIST_LENGTH)
        throw new InputError('dist', `must be at most ${MAX_DIST_LENGTH} characters`);
    return value;
}
/**
 * `url_prefix`: one prefix for every file (`~/static`), and/or `path=prefix` pairs for the files under a path
 * (`dist/web=~/ dist/admin=~/admin`). Default `~/`. The most specific path wins.
 */
function readUrlPrefixes(input, baseDir) {
    let fallback = '~/';
    const rooted = [];
    for (const entry of splitList(input('url_prefix'))) {
        const equals = entry.indexOf('=');
        if (equals < 0) {
            fallback = entry;
            continue;
        }
        const [root, prefix] = [entry.slice(0, equals), entry.slice(equals + 1)];
        if (!root || !prefix)
            throw new InputError('url_prefix', `'${entry}' must be a prefix, or path=prefix with both sides set`);
        rooted.push({ root: external_node_path_namespaceObject.resolve(baseDir, root), prefix });
    }
    rooted.sort((a, b) => (b.root ?? '').length - (a.root ?? '').length);
    return [...rooted, { prefix: fallback }];
}

;// CONCATENATED MODULE: ./src/wait-for-commits.ts




const FIRST_POLL_MS = 1000;
const MAX_POLL_MS = 8000;
/** Pauses between polls: 1 s, 2 s, 4 s, then 8 s each, ending exactly when the time runs out. */
function pollDelays(totalMs, firstMs = FIRST_POLL_MS, maxMs = MAX_POLL_MS) {
    const delays = [];
    for (let spent = 0, next = firstMs; spent < totalMs; next = Math.min(next * 2, maxMs)) {
        const delay = Math.min(next, totalMs - spent);
        delays.push(delay);
        spent += delay;
    }
    return delays;
}
const wait_for_commits_realHooks = { sleep: sleep };
/**
 * After a refs update Sentry fetches the commits in the background: with wait_for_commits, poll the release
 * until it lists this range's commits, so the commitCount output is true. Local commit data needs no wait (set synchronously).
 */
async function waitForCommits(plan, release, send, waitMs, hooks = wait_for_commits_realHooks) {
    const head = plan.range.head;
    if (plan.commitSource !== 'refs' || waitMs <= 0 || listsCommitsUpTo(release, head))
        return release;
    info(`Waiting up to ${waitMs / 1000} s for Sentry to fetch the commits (wait_for_commits).`);
    let latest = release;
    for (const delay of pollDelays(waitMs)) {
        await hooks.sleep(delay);
        try {
            latest = sentryObject(await send({ method: 'GET', path: plan.update.path }));
        }
        catch (error) {
            runner_warning(`Cannot read the release back from Sentry while waiting for commits: ${errorMessage(error)}`);
            return latest;
        }
        if (listsCommitsUpTo(latest, head)) {
            info(`Sentry lists ${String(latest.commitCount)} commits for ${plan.version}.`);
            return latest;
        }
    }
    runner_warning(`Sentry listed no commits for ${plan.version} within wait_for_commits (${waitMs / 1000} s); commitCount may still rise.`);
    return latest;
}

;// CONCATENATED MODULE: ./src/main.ts

















/** The action: the release step, then the source maps step when `sourcemaps` is set. Never throws. */
async function run() {
    try {
        const sourceMaps = readSourceMapSettings();
        // Inject-only runs in the build job, before deploying: no release, token or git needed.
        const released = sourceMaps?.mode === 'inject' ? undefined : await updateRelease();
        if (sourceMaps)
            await runSourceMaps(sourceMaps, released);
    }
    catch (error) {
        setFailed(errorMessage(error));
    }
}
/** The release: settings -> event -> git facts -> plan -> send (or print) -> outputs and summary; undefined if none. */
async function updateRelease() {
    // A block, so the release steps keep the indentation they had in run()'s try.
    {
        const settings = readSettings();
        const context = readGitHubContext();
        const withdrawn = nothingToRelease(context);
        if (withdrawn)
            return void runner_notice(withdrawn);
        const git = createGit(settings.workingDirectory);
        const target = releaseTarget(context, await fetchEventGitFacts(context, git));
        // A release name that does not depend on the head commit is checked before the range is looked up.
        if (target.kind === 'tag' || settings.release !== undefined)
            releaseVersion(settings, target, '');
        const deploy = deployIntent(context);
        if (deploy.kind === 'nothing')
            return void runner_notice(deploy.notice);
        const range = await resolveRange(settings, target, git);
        const planInputs = { settings, context, target, range, now: new Date(), deploy };
        const localPlan = async () => {
            await deepenForFirstRelease(settings, git, range);
            return buildPlan({ ...planInputs, commits: await readCommitData(git, settings, range) });
        };
        const plan = readsCommitsFirst(settings) ? await localPlan() : buildPlan(planInputs);
        plan.warnings.forEach(warning => runner_warning(warning));
        info(rangeText(plan));
        // Notices describe what is sent, so they wait for the plan that was sent (auto mode may fall back to local commits).
        const printNotices = (sentPlan) => sentPlan.notices.forEach(notice => runner_notice(notice));
        if (settings.dryRun || !settings.authToken) {
            printNotices(plan);
            await report(plan);
            return { settings, version: plan.version };
        }
        const { sentryUrl, authToken, org, requestTimeoutMs } = settings;
        const send = createSentryClient({ sentryUrl, authToken, org, timeoutMs: requestTimeoutMs, retry: retryPolicy() });
        const sent = await publish(plan, send, localPlan);
        printNotices(sent.plan);
        const release = await waitForCommits(sent.plan, sent.release, send, settings.waitForCommitsMs);
        if (!plan.deploy) {
            await report(sent.plan, release);
            return { settings, version: plan.version, release };
        }
        const environment = String(plan.deploy.create.body.environment);
        const deployed = await recordDeploy(plan.deploy, release, send).catch(async (error) => {
            // The release is updated: its outputs and summary still tell so, before the run fails for the deploy.
            const why = errorMessage(error);
            await report(sent.plan, release, undefined, why);
            throw new Error(`Sentry release ${plan.version} was updated, but the deploy to ${environment} was not recorded: ${why}`);
        });
        await report(sent.plan, deployed.release, deployed);
        return { settings, version: plan.version, release: deployed.release };
    }
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
