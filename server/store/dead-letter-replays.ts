import type { Pool } from 'pg';
import { REPLAY_COUNT_HEADER } from '../../reconcilers/kinds/dead-letter.ts';
import type { DeadLetter, DeadLetterReplay } from './dead-letter-types.ts';

// A redriven letter that dies again comes back as a new letter: same message id (or, for a message without one, the
// id its redrive published with), key `<id>#replay-N`, header x-recon-replay-count N. These read that chain back to
// the letter an operator first saw and the redrive that sent this copy, from Recon's own tables.

const LETTER_BY_KEY = 'SELECT id FROM dead_letters WHERE dedupe_key = $1';
// The redrive that published with this message id: a letter without one is redriven under its action's id.
const REDRIVE_BY_MESSAGE = `SELECT id, actor, status, target FROM actions
  WHERE action = 'redrive' AND message_id = $1 AND target LIKE 'dead-letter:%' ORDER BY seq DESC LIMIT 1`;
// The redrive of the previous letter; a done one first (a failed attempt before it published nothing).
const REDRIVE_OF = `SELECT id, actor, status, target FROM actions WHERE action = 'redrive' AND target = $1
  ORDER BY (status = 'done') DESC, seq DESC LIMIT 1`;

interface ActionRow {
  id: string;
  actor: string;
  status: string;
  target: string;
}

/** Which replay this letter is (0: none), from Recon's header, or else from its key. */
export function replayNumberOf(letter: Pick<DeadLetter, 'headers' | 'dedupeKey'>): number {
  const header = Object.hasOwn(letter.headers, REPLAY_COUNT_HEADER) ? letter.headers[REPLAY_COUNT_HEADER] : undefined;
  if (typeof header === 'number' && Number.isInteger(header) && header > 0) return header;
  const suffix = /#replay-(\d{1,9})$/.exec(letter.dedupeKey);
  return suffix ? Number(suffix[1]) : 0;
}

export async function readReplay(pool: Pool, letter: DeadLetter): Promise<DeadLetterReplay | null> {
  const number = replayNumberOf(letter);
  if (number === 0) return null;
  const messageId = letter.messageId;
  const letterIdOf = async (key: string) =>
    (await pool.query<{ id: string }>(LETTER_BY_KEY, [key])).rows[0]?.id ?? null;
  // A message without its own id: the first letter is the one its first redrive (which minted the id) was taken from.
  const redroveUnder = async (id: string) =>
    (await pool.query<ActionRow>(REDRIVE_BY_MESSAGE, [id])).rows[0]?.target.slice('dead-letter:'.length) ?? null;

  const firstLetterId = messageId ? ((await letterIdOf(messageId)) ?? (await redroveUnder(messageId))) : null;
  const previousLetterId =
    number === 1 ? firstLetterId : messageId ? await letterIdOf(`${messageId}#replay-${number - 1}`) : null;
  const action = previousLetterId
    ? (await pool.query<ActionRow>(REDRIVE_OF, [`dead-letter:${previousLetterId}`])).rows[0]
    : undefined;
  return {
    number,
    firstLetterId,
    previousLetterId,
    action: action ? { id: action.id, actor: action.actor, status: action.status } : null,
  };
}
