import { createHmac, randomBytes } from 'node:crypto';
import { createHashQueue } from '../auth/hash-queue.ts';
import { NO_USER_HASH, verifyPassword } from '../auth/passwords.ts';
import { USER_NAME } from '../auth/user-rules.ts';
import type { UserStore } from '../store/user-store.ts';
import type { SignedInUser } from './auth.ts';
import { createRateLimiter } from './rate-limit.ts';

/** A right pair skips scrypt this long after its last use, so a script's every Basic request does not cost one. */
const VERIFIED_TTL_MS = 60_000;
const MAX_CACHED = 1_000;
/** Failed checks one address may make per minute, across all names: one client spraying names. */
const FAILURES_PER_CLIENT_PER_MINUTE = 30;
/** scrypt runs at most this many at once (of libuv's 4 threads), with this many more waiting; beyond, a 429. */
const HASHES_AT_ONCE = 2;
const HASHES_WAITING = 8;

export type CredentialCheck =
  | { status: 'ok'; user: SignedInUser }
  | { status: 'wrong' }
  /** `per`: which limit refused, for the message. */
  | { status: 'limited'; per: 'name-and-client' | 'client'; retryAfterSeconds: number }
  | { status: 'busy'; retryAfterSeconds: number };

/**
 * The one check behind every credential path (sign-in and HTTP Basic), so they share their limits.
 * - Failures are limited per (name, client) and per client, never per name alone: someone else's wrong guesses
 *   cannot lock a user out. A right password gives its token back, so scripts are never limited.
 * - The user is read on every check and a remembered pair is keyed by the stored hash: a new password or role
 *   applies at once. The role always comes from the row just read.
 * - An unknown name costs the same scrypt (against NO_USER_HASH), so the time does not tell it exists.
 */
export function createCredentialChecker(users: UserStore, { failuresPerMinute = 10 } = {}) {
  const perNameAndClient = createRateLimiter({ perMinute: failuresPerMinute });
  const perClient = createRateLimiter({ perMinute: FAILURES_PER_CLIENT_PER_MINUTE });
  const hashes = createHashQueue({ atOnce: HASHES_AT_ONCE, waiting: HASHES_WAITING });
  // Keyed by an HMAC under a per-process secret: memory holds no plain digest of a password to crack offline.
  const secret = randomBytes(32);
  /** Right pairs, by HMAC(name, password): the stored hash they were right against, and until when. */
  const verified = new Map<string, { hash: string; until: number }>();
  const inFlight = new Map<string, Promise<boolean | undefined>>();

  /** Takes a token from both limits, or none: the refusal of the one that had none left. */
  const takeTokens = (nameKey: string, client: string): CredentialCheck | undefined => {
    const byName = perNameAndClient.take(nameKey);
    if (!byName.ok) return { status: 'limited', per: 'name-and-client', retryAfterSeconds: byName.retryAfterSeconds };
    const byClient = perClient.take(client);
    if (byClient.ok) return undefined;
    perNameAndClient.giveBack(nameKey);
    return { status: 'limited', per: 'client', retryAfterSeconds: byClient.retryAfterSeconds };
  };

  return async (name: string, password: string, client: string): Promise<CredentialCheck> => {
    // A name that breaks the rules cannot exist (and a NUL would upset the database): it is just an unknown user.
    const isValidName = USER_NAME.test(name);
    const key = createHmac('sha256', secret).update(`${name}\0${password}`).digest('base64');

    const nameKey = `${name.toLowerCase()}\0${client}`;
    const waitName = perNameAndClient.secondsToWait(nameKey);
    if (waitName > 0) return { status: 'limited', per: 'name-and-client', retryAfterSeconds: waitName };
    const waitClient = perClient.secondsToWait(client);
    if (waitClient > 0) return { status: 'limited', per: 'client', retryAfterSeconds: waitClient };

    // After the limits, never before: a remembered pair answering 200 while guesses get 429 would tell a guesser
    // which guess is right at any rate. It holds while the stored hash is the one it was right against.
    const known = verified.get(key);
    if (known && known.until > Date.now() && isValidName) {
      const stored = await users.getUser(name);
      if (stored && stored.passwordHash === known.hash) {
        known.until = Date.now() + VERIFIED_TTL_MS;
        return ok(stored);
      }
      verified.delete(key);
    }

    const stored = isValidName ? await users.getUser(name) : undefined;
    const hash = stored?.passwordHash ?? NO_USER_HASH;
    // Concurrent checks of the same pair share one scrypt, and count as one failure.
    let check = inFlight.get(key);
    if (!check) {
      const refused = takeTokens(nameKey, client);
      if (refused) return refused;
      check = hashes.tryRun(() => verifyPassword(password, hash)) ?? Promise.resolve(undefined);
      inFlight.set(key, check);
      check
        .then((isRight) => {
          // Only a wrong password counts against the limits; a right one or a busy refusal gives its tokens back.
          if (isRight !== false) {
            perNameAndClient.giveBack(nameKey);
            perClient.giveBack(client);
          }
          if (isRight && stored) {
            if (verified.size >= MAX_CACHED) verified.clear();
            verified.set(key, { hash, until: Date.now() + VERIFIED_TTL_MS });
          }
        })
        .catch(() => {})
        .finally(() => inFlight.delete(key));
    }
    const isRight = await check;
    if (isRight === undefined) return { status: 'busy', retryAfterSeconds: 1 };
    return isRight && stored ? ok(stored) : { status: 'wrong' };
  };
}

export type CredentialChecker = ReturnType<typeof createCredentialChecker>;

const ok = (stored: { name: string; role: SignedInUser['role'] }): CredentialCheck => ({
  status: 'ok',
  user: { name: stored.name, role: stored.role },
});
