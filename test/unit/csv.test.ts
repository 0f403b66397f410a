import { describe, expect, it } from 'vitest';
import { toCsvLine } from '../../server/http/csv.ts';

// The audit export opens in a spreadsheet, and its reasons, targets and details are text anyone could have written
// (an operator's reason, a dead letter's routing key in a refusal): quoting must hold and no cell may run as a formula.
describe('toCsvLine', () => {
  it('writes plain cells as they are and an absent value as an empty cell', () => {
    expect(toCsvLine(['done', null, 'otto'])).toBe('done,,otto\r\n');
  });

  it('quotes a cell holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(toCsvLine(['a,b', 'say "hi"', 'two\nlines', 'cr\rhere'])).toBe(
      '"a,b","say ""hi""","two\nlines","cr\rhere"\r\n',
    );
  });

  it('defuses a cell a spreadsheet would run as a formula', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx']) {
      const written = toCsvLine([cell]);
      expect(written.replace(/^"/, '').startsWith("'"), cell).toBe(true);
    }
    expect(toCsvLine(['-'])).toBe("'-\r\n");
  });
});
