import { MIN_PASSWORD_LENGTH, USER_NAME, USER_NAME_RULE } from './auth/user-rules.ts';
import { isListenHost, loopbackOrigins, parseTrustedProxies, toPublicOrigins } from './listen-settings.ts';
import { type OidcSettings, toOidcSettings } from './oidc-settings.ts';
import { BAD_ESCAPE_MESSAGE, hasValidEscapes } from './url-escapes.ts';
import { loadWatchedSystem, readFileIfExists } from './watched-system/load-watched-system.ts';
import type { WatchedSystem } from './watched-system/model.ts';

export interface ReconConfig {
  port: number;
  /** The address to listen on (RECON_HOST): loopback unless told otherwise. */
  host: string;
  reconDatabaseUrl: string;
  /** What Recon watches: the databases, tables, columns, messages and queues (RECON_CONFIG, ./recon.yaml or the reference system). */
  watched: WatchedSystem;
  /** The broker's URLs, from the watched system. */
  rabbitmqUrl: string;
  rabbitmqManagementUrl: string;
  pollIntervalMs: number;
  /** How often a cycle re-judges the open findings no changed row brought (a deleted row changes none). */
  recheckIntervalMs: number;
  graceMs: number;
  overlapMs: number;
  sweepIntervalMs: number;
  pageSize: number;
  logLevel: string;
  /** The vhost Recon watches, from the broker URL's path ("/" when it has none). */
  vhost: string;
  /** Queues whose depth, unacked count and consumers Recon polls and reports (bounded metric labels). */
  watchedQueues: string[];
  /** Broker poll interval; never below the broker's statistics interval (5 s by default), which would re-read stale numbers. */
  brokerPollIntervalMs: number;
  /** Consecutive polls a channel or queue must look stuck before a finding opens. */
  brokerStuckPolls: number;
  /** The broker's `collect_statistics_interval` (not exposed by its API): the floor of the poll interval. */
  brokerStatisticsIntervalMs: number;
  /** Budget of one broker poll, all its requests together. */
  managementTimeoutMs: number;
  /** Bodies larger than this are stored truncated, with the true size recorded. */
  deadLetterMaxBytes: number;
  /** Refuse every repair action, whoever asks (RECON_READ_ONLY). */
  isReadOnly: boolean;
  actions: {
    /** A publish with no confirm by then is in doubt. */
    confirmTimeoutMs: number;
    /** How long the replica that took an action holds it before the sweeper may take it over. */
    leaseMs: number;
    /** When the sweeper looks at an in-doubt action again. */
    retryAfterMs: number;
    sweepIntervalMs: number;
    /** Attempts before an action is handed to a human as needs-attention. */
    maxAttempts: number;
    /** A dead letter redriven this many times is refused. */
    maxReplays: number;
    /** Operators may bulk-act on at most this many findings at once; more needs an admin. */
    operatorMaxBulkItems: number;
    /** Test-only crash point (kill -9 of Recon) after the intent commit or after the confirm. */
    faultPoint?: 'after-intent' | 'after-confirm';
  };
  /** The first admin, created or updated at start. */
  admin?: { name: string; password: string };
  web: {
    /** A browser session ends this long after sign-in. */
    sessionTtlMs: number;
    /** `auto`: the cookie is Secure when the request came over HTTPS. */
    secureCookies: boolean | 'auto';
    /** Repair actions (single or bulk requests) per user per minute. */
    actionsPerMinute: number;
    /** When set, /metrics wants `Authorization: Bearer <token>`. */
    metricsToken?: string;
    /** The UI build to serve; unset: ui/dist next to the code. */
    uiDir?: string;
    /** The origins users reach Recon by (RECON_PUBLIC_URL); requests for other host names are refused. */
    publicOrigins: string[];
    /** Reverse proxies whose X-Forwarded-For names the client (RECON_TRUSTED_PROXIES): addresses or CIDR ranges. */
    trustedProxies: string[];
    /** Sign-in with an OpenID provider (RECON_OIDC_*); unset: passwords only. */
    oidc?: OidcSettings;
    /** RECON_PASSWORD_SIGNIN=false: neither the sign-in form nor HTTP Basic takes a password. */
    isPasswordSignInOn: boolean;
  };
}

const DEFAULTS = {
  PORT: '8080',
  RECON_HOST: '127.0.0.1',
  RECON_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recon',
  RECON_POLL_INTERVAL_SECONDS: '5',
  RECON_RECHECK_INTERVAL_SECONDS: '60',
  RECON_GRACE_SECONDS: '30',
  RECON_OVERLAP_SECONDS: '60',
  RECON_SWEEP_INTERVAL_SECONDS: '600',
  RECON_PAGE_SIZE: '1000',
  RECON_LOG_LEVEL: 'info',
  RECON_BROKER_POLL_INTERVAL_SECONDS: '5',
  RECON_BROKER_STUCK_POLLS: '3',
  RECON_BROKER_STATISTICS_INTERVAL_SECONDS: '5',
  RECON_MANAGEMENT_TIMEOUT_SECONDS: '5',
  RECON_DEAD_LETTER_MAX_BYTES: '1048576',
  RECON_READ_ONLY: 'false',
  RECON_ACTION_CONFIRM_TIMEOUT_SECONDS: '10',
  RECON_ACTION_LEASE_SECONDS: '30',
  RECON_ACTION_RETRY_SECONDS: '5',
  RECON_SWEEPER_INTERVAL_SECONDS: '5',
  RECON_ACTION_MAX_ATTEMPTS: '5',
  RECON_REDRIVE_MAX_REPLAYS: '3',
  RECON_BULK_OPERATOR_MAX: '100',
  RECON_SESSION_HOURS: '8',
  RECON_SECURE_COOKIES: 'auto',
  RECON_ACTIONS_PER_MINUTE: '60',
  RECON_PASSWORD_SIGNIN: 'true',
} as const;

const FAULT_POINTS = ['after-intent', 'after-confirm'] as const;

export class ConfigError extends Error {}

/**
 * The full sweep's default interval when a side has no update-time column: its changed rows are seen by the sweep
 * only, so it runs more often than the default unless RECON_SWEEP_INTERVAL_SECONDS says otherwise.
 */
export const SWEEP_SECONDS_WITHOUT_UPDATED_AT = 120;

function sweepSecondsOf(watched: WatchedSystem, given: string | undefined, configured: () => number): number {
  const { order, dispatch } = watched.flow;
  if (given === undefined && (order.updatedAt === null || dispatch.updatedAt === null))
    return SWEEP_SECONDS_WITHOUT_UPDATED_AT;
  return configured();
}

/**
 * Reads the environment once at start (and the watched-system file it names: `readFile` is the only I/O). A bad
 * value fails with the variable named, a bad watched-system file with every path that is wrong.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string | undefined = readFileIfExists,
): ReconConfig {
  const get = (name: keyof typeof DEFAULTS) => env[name] ?? DEFAULTS[name];
  const numberOf = (name: keyof typeof DEFAULTS, min: number) => {
    const value = Number(get(name));
    if (!Number.isFinite(value) || value < min)
      throw new ConfigError(`${name} must be a number ≥ ${min}, got "${get(name)}"`);
    return value;
  };
  const url = (name: keyof typeof DEFAULTS, protocols: string[]) => {
    const text = get(name);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new ConfigError(`${name} is not a URL`);
    }
    if (!protocols.includes(parsed.protocol))
      throw new ConfigError(`${name} must start with ${protocols.join(' or ')}`);
    if (!hasValidEscapes(text)) throw new ConfigError(`${name} ${BAD_ESCAPE_MESSAGE}`);
    return text;
  };
  const watched = loadWatchedSystem(env, readFile);
  const port = numberOf('PORT', 0);
  if (!Number.isInteger(port) || port > 65535)
    throw new ConfigError(`PORT must be an integer 0..65535, got "${get('PORT')}"`);
  const host = get('RECON_HOST');
  if (!isListenHost(host))
    throw new ConfigError(`RECON_HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name, got "${host}"`);
  const publicUrls = env.RECON_PUBLIC_URL === undefined ? undefined : toPublicOrigins(env.RECON_PUBLIC_URL);
  if (publicUrls && 'problem' in publicUrls) throw new ConfigError(`RECON_PUBLIC_URL ${publicUrls.problem}`);
  const pg = ['postgres:', 'postgresql:'];
  const rabbitmqUrl = watched.broker.url;
  const readOnly = get('RECON_READ_ONLY').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no'].includes(readOnly))
    throw new ConfigError(`RECON_READ_ONLY must be true or false, got "${get('RECON_READ_ONLY')}"`);
  const faultPoint = env.RECON_FAULT_POINT || undefined;
  if (faultPoint !== undefined && !(FAULT_POINTS as readonly string[]).includes(faultPoint))
    throw new ConfigError(`RECON_FAULT_POINT must be one of ${FAULT_POINTS.join(', ')}, got "${faultPoint}"`);
  const adminName = env.RECON_ADMIN_USER?.trim();
  const adminPassword = env.RECON_ADMIN_PASSWORD;
  if (Boolean(adminName) !== Boolean(adminPassword))
    throw new ConfigError('RECON_ADMIN_USER and RECON_ADMIN_PASSWORD go together: set both or neither');
  if (adminName && !USER_NAME.test(adminName))
    throw new ConfigError(`RECON_ADMIN_USER "${adminName}": ${USER_NAME_RULE}`);
  if (adminPassword !== undefined && adminPassword.length < MIN_PASSWORD_LENGTH)
    throw new ConfigError(`RECON_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const secureCookies = get('RECON_SECURE_COOKIES').toLowerCase();
  if (!['auto', 'true', 'false'].includes(secureCookies))
    throw new ConfigError(`RECON_SECURE_COOKIES must be auto, true or false, got "${get('RECON_SECURE_COOKIES')}"`);
  const metricsToken = env.RECON_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,}$/.test(metricsToken))
    throw new ConfigError('RECON_METRICS_TOKEN must be at least 16 printable characters without spaces');
  const trustedProxies = parseTrustedProxies(env.RECON_TRUSTED_PROXIES ?? '');
  if ('problem' in trustedProxies) throw new ConfigError(`RECON_TRUSTED_PROXIES: ${trustedProxies.problem}`);
  const publicOrigins = publicUrls?.origins ?? loopbackOrigins(port);
  const oidc = toOidcSettings(env, publicOrigins[0]!);
  if ('problem' in oidc) throw new ConfigError(oidc.problem);
  const passwordSignIn = get('RECON_PASSWORD_SIGNIN').toLowerCase();
  if (!['true', 'false'].includes(passwordSignIn))
    throw new ConfigError(`RECON_PASSWORD_SIGNIN must be true or false, got "${get('RECON_PASSWORD_SIGNIN')}"`);
  if (passwordSignIn === 'false' && !oidc.settings)
    throw new ConfigError('RECON_PASSWORD_SIGNIN=false needs RECON_OIDC_ISSUER: nobody could sign in');
  const leaseSeconds = numberOf('RECON_ACTION_LEASE_SECONDS', 1);
  if (leaseSeconds <= numberOf('RECON_ACTION_CONFIRM_TIMEOUT_SECONDS', 0.1))
    throw new ConfigError('RECON_ACTION_LEASE_SECONDS must exceed RECON_ACTION_CONFIRM_TIMEOUT_SECONDS');
  return {
    port,
    host,
    reconDatabaseUrl: url('RECON_DATABASE_URL', pg),
    watched,
    rabbitmqUrl,
    rabbitmqManagementUrl: watched.broker.management,
    pollIntervalMs: numberOf('RECON_POLL_INTERVAL_SECONDS', 0.1) * 1000,
    recheckIntervalMs: numberOf('RECON_RECHECK_INTERVAL_SECONDS', 0) * 1000,
    graceMs: numberOf('RECON_GRACE_SECONDS', 0) * 1000,
    overlapMs: numberOf('RECON_OVERLAP_SECONDS', 0) * 1000,
    sweepIntervalMs:
      sweepSecondsOf(watched, env.RECON_SWEEP_INTERVAL_SECONDS, () => numberOf('RECON_SWEEP_INTERVAL_SECONDS', 1)) *
      1000,
    pageSize: numberOf('RECON_PAGE_SIZE', 10),
    logLevel: get('RECON_LOG_LEVEL'),
    vhost: decodeURIComponent(new URL(rabbitmqUrl).pathname.slice(1)) || '/',
    watchedQueues: watched.broker.watchedQueues,
    brokerPollIntervalMs: numberOf('RECON_BROKER_POLL_INTERVAL_SECONDS', 1) * 1000,
    brokerStuckPolls: numberOf('RECON_BROKER_STUCK_POLLS', 2),
    brokerStatisticsIntervalMs: numberOf('RECON_BROKER_STATISTICS_INTERVAL_SECONDS', 1) * 1000,
    managementTimeoutMs: numberOf('RECON_MANAGEMENT_TIMEOUT_SECONDS', 0.5) * 1000,
    deadLetterMaxBytes: numberOf('RECON_DEAD_LETTER_MAX_BYTES', 1024),
    isReadOnly: ['true', '1', 'yes'].includes(readOnly),
    actions: {
      confirmTimeoutMs: numberOf('RECON_ACTION_CONFIRM_TIMEOUT_SECONDS', 0.1) * 1000,
      leaseMs: numberOf('RECON_ACTION_LEASE_SECONDS', 1) * 1000,
      retryAfterMs: numberOf('RECON_ACTION_RETRY_SECONDS', 0) * 1000,
      sweepIntervalMs: numberOf('RECON_SWEEPER_INTERVAL_SECONDS', 0.1) * 1000,
      maxAttempts: numberOf('RECON_ACTION_MAX_ATTEMPTS', 1),
      maxReplays: numberOf('RECON_REDRIVE_MAX_REPLAYS', 0),
      operatorMaxBulkItems: numberOf('RECON_BULK_OPERATOR_MAX', 1),
      faultPoint: faultPoint as ReconConfig['actions']['faultPoint'],
    },
    admin: adminName && adminPassword ? { name: adminName, password: adminPassword } : undefined,
    web: {
      sessionTtlMs: numberOf('RECON_SESSION_HOURS', 0.01) * 3_600_000,
      secureCookies: secureCookies === 'auto' ? autoSecureCookies(publicUrls?.origins) : secureCookies === 'true',
      actionsPerMinute: numberOf('RECON_ACTIONS_PER_MINUTE', 1),
      metricsToken,
      uiDir: env.RECON_UI_DIR || undefined,
      publicOrigins,
      trustedProxies: trustedProxies.entries,
      oidc: oidc.settings,
      isPasswordSignInOn: passwordSignIn === 'true',
    },
  };
}

/**
 * `auto` with RECON_PUBLIC_URL naming only https origins: always Secure, since browsers reach Recon only over TLS and a
 * TLS proxy may not send X-Forwarded-Proto. Otherwise Secure per request (HTTPS or X-Forwarded-Proto: https).
 */
function autoSecureCookies(publicOrigins: readonly string[] | undefined): true | 'auto' {
  return publicOrigins?.length && publicOrigins.every((origin) => origin.startsWith('https:')) ? true : 'auto';
}
