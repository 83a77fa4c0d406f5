import {
  answerOf,
  callerRows,
  expectedAnswer,
  routeRows,
  setUpAuthorizationBackend,
} from '../__testUtils__/authorization/matrix';
import { ROUTE_CASES } from '../__testUtils__/authorization/routeCases';

jest.setTimeout(180_000);

/*
 * Every route, called by every kind of caller, with the exact status code
 * expected; a refusal leaves the database untouched (the callers and the
 * fixture are in __testUtils__/authorization/matrix.ts, the cases beside
 * it). authorization.test.ts checks that every route has a case.
 */
describe('authorization of every route for every caller', () => {
  const backend = setUpAuthorizationBackend();
  describe.each(routeRows(ROUTE_CASES))('%s', (_route, c) => {
    it.each(callerRows(c))('%s gets %i', async (caller, expected) => {
      expect(await answerOf(backend, c, caller, expected)).toEqual(
        expectedAnswer(expected),
      );
    });
  });
});
