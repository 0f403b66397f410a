import { getJson, type SendOptions, sendJson } from './client.ts';
import type {
  Action,
  ActionBody,
  ActionPage,
  ActionQuery,
  ActionWithAudit,
  AuditPage,
  AuditQuery,
  BulkBody,
  BulkCancel,
  BulkPlan,
  BulkProgress,
  BulkProgressQuery,
  BulkSelection,
  BulkSelectionQuery,
  BulkStarted,
  DeadLetter,
  DeadLetterPage,
  DeadLetterQuery,
  FindingDetail,
  FindingPage,
  FindingQuery,
  OrderTimeline,
  Overview,
  OverviewQuery,
  Session,
  SignInBody,
  SignInOptions,
  User,
  UserBody,
  UserList,
} from './types.ts';

// Every route the UI calls, and the only place that knows their URLs: each function pairs a path with the wire type
// of its answer, so a page never writes a path or picks a type by hand. Failures throw ApiError (./client.ts).

const segment = encodeURIComponent;

const post = async <T>(path: string, body: unknown, options?: SendOptions): Promise<T> =>
  (await sendJson<T>('POST', path, body, options)).body;

const withKey = (idempotencyKey: string): SendOptions => ({ headers: { 'Idempotency-Key': idempotencyKey } });

export const api = {
  session: {
    get: () => getJson<Session>('/api/session'),
    /** Anyone may ask: whether a password is taken, and the OpenID provider's button. */
    options: (signal?: AbortSignal) => getJson<SignInOptions>('/api/sign-in-options', undefined, signal),
    signIn: (body: SignInBody) => post<Session>('/api/session', body, { isSignIn: true }),
    signOut: async (): Promise<void> => {
      await sendJson('DELETE', '/api/session', {});
    },
  },
  overview: {
    get: (query: OverviewQuery, signal?: AbortSignal) => getJson<Overview>('/api/overview', query, signal),
  },
  events: {
    /** The live overview: each event's data is the JSON its name has in EventsJson. Reconnects by itself. */
    open: (minutes: number) => new EventSource(`/api/events?minutes=${encodeURIComponent(minutes)}`),
  },
  findings: {
    list: (query: FindingQuery, signal?: AbortSignal) => getJson<FindingPage>('/api/findings', query, signal),
    get: (id: string, signal?: AbortSignal) =>
      getJson<FindingDetail>(`/api/findings/${segment(id)}`, undefined, signal),
    /** A refusal's ApiError body is an ActionRefusal: a 409 or 422 may name the action in the way. */
    act: async (id: string, body: ActionBody, idempotencyKey: string) => {
      const path = `/api/findings/${segment(id)}/actions`;
      const answer = await sendJson<Action>('POST', path, body, withKey(idempotencyKey));
      return { action: answer.body, isReplay: answer.headers.get('idempotent-replayed') === 'true' };
    },
  },
  orders: {
    timeline: (orderId: string, signal?: AbortSignal) =>
      getJson<OrderTimeline>(`/api/orders/${segment(orderId)}/timeline`, undefined, signal),
  },
  deadLetters: {
    list: (query: DeadLetterQuery, signal?: AbortSignal) => getJson<DeadLetterPage>('/api/dead-letters', query, signal),
    get: (id: string, signal?: AbortSignal) =>
      getJson<DeadLetter>(`/api/dead-letters/${segment(id)}`, undefined, signal),
  },
  actions: {
    list: (query: ActionQuery, signal?: AbortSignal) => getJson<ActionPage>('/api/actions', query, signal),
    get: (id: string, signal?: AbortSignal) =>
      getJson<ActionWithAudit>(`/api/actions/${segment(id)}`, undefined, signal),
  },
  audit: {
    list: (query: AuditQuery, signal?: AbortSignal) => getJson<AuditPage>('/api/audit', query, signal),
  },
  bulk: {
    /** What a filter selects, per kind with the actions each allows: before any dry run. */
    selection: (query: BulkSelectionQuery, signal?: AbortSignal) =>
      getJson<BulkSelection>('/api/bulk-selection', query, signal),
    plan: (body: Omit<BulkBody, 'dryRun'>) => post<BulkPlan>('/api/bulk-actions', { ...body, dryRun: true }),
    start: (body: Omit<BulkBody, 'dryRun'>, idempotencyKey: string) =>
      post<BulkStarted>('/api/bulk-actions', body, withKey(idempotencyKey)),
    get: (id: string, query: BulkProgressQuery, signal?: AbortSignal) =>
      getJson<BulkProgress>(`/api/bulk-actions/${segment(id)}`, query, signal),
    cancel: (id: string) => post<BulkCancel>(`/api/bulk-actions/${segment(id)}/cancel`, {}),
  },
  users: {
    list: (signal?: AbortSignal) => getJson<UserList>('/api/users', undefined, signal),
    add: (body: UserBody) => post<User>('/api/users', body),
  },
};
