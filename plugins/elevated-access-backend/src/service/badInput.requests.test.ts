import { describeEachDatabase } from '../__testUtils__/databases';
import {
  caseRows,
  refusalOf,
  sendCase,
  setUpBadInputBackend,
} from '../__testUtils__/badInput/harness';
import { REQUEST_CASES } from '../__testUtils__/badInput/requestCases';

jest.setTimeout(120_000);

// Bad input to POST /requests: shape and eligibility.
// badInput.test.ts checks that every route taking a body has a case.
describeEachDatabase(
  'bad input is refused with a clear message and writes nothing',
  init => {
    const backend = setUpBadInputBackend(init);
    it.each(caseRows(REQUEST_CASES))('%s', async (_name, c) => {
      const { answer, before, after } = await sendCase(backend, c);
      expect(answer).toEqual(refusalOf(c));
      expect(after).toBe(before);
    });
  },
);
