import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Registry } from 'prom-client';
import type { TimelinePort } from '../../reconcilers/ports/timeline.ts';
import type { ActionService } from '../actions/action-service.ts';
import type { BulkActions } from '../actions/bulk-actions.ts';
import type { BrokerView } from '../broker-poller.ts';
import type { LatencyHistory } from '../metrics/latency-history.ts';
import type { OidcSettings } from '../oidc-settings.ts';
import type { ActionStore } from '../store/action-types.ts';
import type { BulkStore } from '../store/bulk-store.ts';
import type { DeadLetterStore } from '../store/dead-letter-types.ts';
import type { SessionStore } from '../store/session-store.ts';
import type { SignInStore } from '../store/sign-in-store.ts';
import type { ReconStore } from '../store/types.ts';
import type { UserStore } from '../store/user-store.ts';
import { assertEveryRouteListed, installAccessGuards } from './access.ts';
import { ApiError, sendError, toApiError } from './api-error.ts';
import { type AuthEnv, authenticate } from './auth.ts';
import { limitBodiesBeforeAuth } from './body-limits.ts';
import { identifyClients } from './client-address.ts';
import { compressResponses } from './compression.ts';
import { createCredentialChecker } from './credentials.ts';
import { guardHost, hstsOverHttps } from './host-guard.ts';
import { createRateLimiter } from './rate-limit.ts';
import { actionsRoutes } from './routes-actions.ts';
import { auditRoutes } from './routes-audit.ts';
import { BULK_BODY_LIMIT_BYTES, bulkActionsRoutes } from './routes-bulk-actions.ts';
import { deadLettersRoutes } from './routes-dead-letters.ts';
import { eventsRoutes } from './routes-events.ts';
import { findingsRoutes } from './routes-findings.ts';
import { healthRoutes } from './routes-health.ts';
import { oidcRoutes, refusePasswords } from './routes-oidc.ts';
import { openApiRoutes } from './routes-openapi.ts';
import { ordersRoutes } from './routes-orders.ts';
import { overviewRoutes } from './routes-overview.ts';
import { sessionRoutes } from './routes-session.ts';
import { uiRoutes } from './routes-ui.ts';
import { usersRoutes } from './routes-users.ts';
import { signedInWatcher } from './session-liveness.ts';
import type { FeatureJson } from './wire.ts';

/** The methods the app logs through; a pino logger and `console` both fit. */
export interface ErrorLogger {
  error(context: object, message: string): void;
  info?(context: object, message: string): void;
}

export interface AppDeps {
  store: ReconStore;
  metrics: { registry: Registry };
  timeline: TimelinePort;
  /** Whether this replica can serve: its own database reachable. A rejection counts as not ready. */
  isReady(): Promise<boolean>;
  version?: string;
  /** Clock for ages and history windows; tests pin it. */
  now?: () => Date;
  logger?: ErrorLogger;
  /** Dead letters in Recon's custody; without it the dead-letter routes answer 404 and timelines show none. */
  deadLetters?: DeadLetterStore;
  /** The broker poller's recent polls; without it the overview shows no queues and timelines no broker state. */
  broker?: BrokerView;
  /** Users who may sign in; without it nobody is signed in and every role-checked route answers 401. */
  users?: UserStore;
  /** Sign-ins audited, an OpenID provider, passwords turned off (RECON_PASSWORD_SIGNIN=false); needs `sessions`. */
  signIn?: { store: SignInStore; oidc?: OidcSettings; isPasswordSignInOn: boolean };
  /** Browser sessions (cookie + CSRF token); without them only HTTP Basic signs in. */
  sessions?: { store: SessionStore; ttlMs: number; secureCookies: boolean | 'auto' };
  /** Repair actions per user per minute (POST of an action or a bulk); default 60. */
  actionsPerMinute?: number;
  /** When set, /metrics wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** The origins Recon is known by (RECON_PUBLIC_URL); without them only localhost and IP addresses are served. */
  publicOrigins?: readonly string[];
  /** Reverse proxies whose X-Forwarded-For names the client (RECON_TRUSTED_PROXIES); without them, the socket's. */
  trustedProxies?: readonly string[];
  isReadOnly?: boolean;
  /** The web UI's build directory; without it `/` says how to build the UI. */
  uiDir?: string;
  /** Order → dispatch latency per minute for the overview. */
  latency?: LatencyHistory;
  /** How often the slowest source is read (the cycle or the broker poll), for the overview's staleness. */
  /** What the watched system's configuration turns on and off (/api/sources, the overview). */
  features?: readonly FeatureJson[];
  pollIntervalMs?: number;
  /** Live events: how often, and the signal that ends open streams at shutdown. */
  events?: { intervalMs: number; shutdown: AbortSignal };
  /** Repair actions; without them the action routes answer 404. */
  actions?: {
    service: ActionService;
    store: ActionStore;
    bulk: BulkActions;
    bulks: BulkStore;
    /** Operators may bulk-act on at most this many findings; more needs an admin. */
    operatorMaxBulkItems: number;
  };
}

export function createApp(deps: AppDeps): Hono<AuthEnv> {
  const logger = deps.logger ?? console;
  const app = new Hono<AuthEnv>();

  // Payloads, queue names and error texts shown by the UI are attacker-controlled: the CSP forbids inline and
  // foreign scripts so a payload rendered by mistake as HTML still cannot run (DESIGN: Security).
  // No frame may hold Recon (both headers agree); HSTS only on responses to requests that came over HTTPS.
  app.use(
    secureHeaders({
      xFrameOptions: 'DENY',
      strictTransportSecurity: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    }),
  );
  app.use(hstsOverHttps(deps.publicOrigins ?? []));
  app.use(guardHost({ publicOrigins: deps.publicOrigins ?? [], isMetricsTokenSet: !!deps.metricsToken }));
  app.use(compressResponses());
  // Findings carry business data: no shared cache may keep a copy.
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.use(identifyClients(deps.trustedProxies ?? []));
  // Before authentication: an anonymous client must not make Recon read or parse a large body.
  app.use('/api/*', limitBodiesBeforeAuth({ 'POST /api/bulk-actions': BULK_BODY_LIMIT_BYTES }));
  // One checker for sign-in and Basic: they share the failure limits and the bounded password hashing.
  const checkCredentials =
    deps.users && (deps.signIn?.isPasswordSignInOn === false ? refusePasswords : createCredentialChecker(deps.users));
  if (checkCredentials) app.use('/api/*', authenticate(checkCredentials, deps.sessions?.store));
  else
    app.use('/api/*', async (c, next) => {
      c.set('user', null);
      c.set('csrfToken', null);
      await next();
    });
  // Roles, write guards and rate limits from the one route table, before any handler.
  installAccessGuards(app, {
    actionLimiter: createRateLimiter({ perMinute: deps.actionsPerMinute ?? 60 }),
    metricsToken: deps.metricsToken,
  });

  app.route('/', uiRoutes(deps.uiDir));
  app.route('/', healthRoutes({ ...deps, registry: deps.metrics.registry, logger }));
  app.route('/', openApiRoutes(deps.version));
  if (checkCredentials && deps.sessions) {
    const { store: sessions, ttlMs, secureCookies } = deps.sessions;
    const signIns = deps.signIn?.store;
    app.route(
      '/',
      sessionRoutes({ checkCredentials, sessions, ttlMs, secureCookies, isReadOnly: !!deps.isReadOnly, signIns }),
    );
    if (deps.signIn)
      app.route(
        '/',
        oidcRoutes({ ...deps.signIn, signIns: deps.signIn.store, sessions, ttlMs, secureCookies, logger }),
      );
  }
  if (deps.users) app.route('/', usersRoutes(deps.users, logger));
  app.route('/', findingsRoutes(deps.store, deps.actions?.store));
  app.route('/', ordersRoutes(deps.store, deps.timeline, deps.deadLetters, deps.broker, deps.actions?.store));
  if (deps.deadLetters) app.route('/', deadLettersRoutes(deps.deadLetters));
  if (deps.actions) {
    const { service, store, bulk, bulks, operatorMaxBulkItems } = deps.actions;
    app.route('/', actionsRoutes(service, store));
    app.route('/', auditRoutes(store));
    const isReadOnly = !!deps.isReadOnly;
    app.route(
      '/',
      bulkActionsRoutes({ bulk, bulks, findings: deps.store, operatorMaxItems: operatorMaxBulkItems, isReadOnly }),
    );
  }
  const overviewDeps = {
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    broker: deps.broker,
    latency: deps.latency,
    pollIntervalMs: deps.pollIntervalMs,
    features: deps.features,
  };
  app.route('/', overviewRoutes(overviewDeps));
  if (deps.events) {
    const watchSignedIn = signedInWatcher(deps.users, deps.sessions?.store);
    app.route('/', eventsRoutes({ ...overviewDeps, ...deps.events, watchSignedIn }));
  }
  assertEveryRouteListed(app);

  // Every error leaves here, in the one shape (ErrorJson).
  app.notFound((c) => sendError(c, new ApiError(404, 'not found')));
  app.onError((err, c) => {
    const answer = toApiError(err);
    // The client gets "internal error" only; the log gets the real message.
    if (answer.status >= 500) logger.error({ err, method: c.req.method, path: c.req.path }, 'request failed');
    return sendError(c, answer);
  });
  return app;
}
