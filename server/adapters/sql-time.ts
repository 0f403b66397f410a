/**
 * A timestamp column as whole epoch milliseconds (float8 all the way, which the driver parses as a plain number). The
 * cycle reads thousands of rows and the sweep two million, and the driver's parser of timestamp text was the largest
 * single CPU cost of both; a JavaScript Date holds whole milliseconds anyway. Rounding to the microsecond first makes
 * the floor exact. A `timestamp without time zone` counts as UTC.
 */
export const epochMs = (column: string) => `floor(round(date_part('epoch', ${column}) * 1000000) / 1000)`;

/** The Date of an `epochMs` column; NULL stays null. */
export const toDate = (ms: unknown) => (ms === null ? null : new Date(ms as number)) as Date;
