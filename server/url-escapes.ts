// The drivers decode a URL's user, password, host and path with decodeURIComponent when they connect (pg, amqplib,
// the management client): a bad % escape ("gu%zzest") throws "URI malformed" there, naming no setting. Checked when
// the configuration loads instead, so the error names the variable; the message never quotes the URL, which may
// hold a password.

export const BAD_ESCAPE_MESSAGE = 'has a bad % escape in its user, password, host or path (write a literal % as %25)';

/** Whether every % in the URL's user, password, host and path starts a valid escape; not a URL at all: true. */
export function hasValidEscapes(text: string): boolean {
  if (!URL.canParse(text)) return true;
  const url = new URL(text);
  try {
    for (const part of [url.username, url.password, url.hostname, url.pathname]) decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}
