import { describeEachDatabase } from '../__testUtils__/databases';
import {
  caseRows,
  refusalOf,
  sendCase,
  setUpBadInputBackend,
} from '../__testUtils__/badInput/harness';
import { BAD_INPUT_CASES } from '../__testUtils__/badInput/allCases';

jest.setTimeout(120_000);

// Every refused case, table by table in __testUtils__/badInput/, on one
// backend per database. badInput.test.ts checks that every route taking a
// body has a case.
describeEachDatabase(
  'bad input is refused with a clear message and writes nothing',
  init => {
    const backend = setUpBadInputBackend(init);
    it.each(caseRows(BAD_INPUT_CASES))('%s', async (_name, c) => {
      const { answer, before, after } = await sendCase(backend, c);
      expect(answer).toEqual(refusalOf(c));
      expect(after).toBe(before);
    });
  },
);
