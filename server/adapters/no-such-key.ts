/** PostgreSQL's "invalid input syntax" (e.g. text that is not a uuid, compared with a uuid column). */
const INVALID_TEXT_REPRESENTATION = '22P02';

/**
 * Runs a lookup keyed by an id from a finding, a URL or a message body. A key the column's type cannot hold (text
 * for a uuid or bigint column) names no row: the lookup answers `none` instead of failing loudly.
 */
export async function orNoneForForeignKey<T>(lookup: () => Promise<T>, none: T): Promise<T> {
  try {
    return await lookup();
  } catch (error) {
    if ((error as { code?: string }).code === INVALID_TEXT_REPRESENTATION) return none;
    throw error;
  }
}
