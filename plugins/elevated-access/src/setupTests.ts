import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// component tests render whole pages; on a busy machine (CI beside other
// suites) that takes longer than Jest's default 5 s
jest.setTimeout(30_000);
// and findBy… queries wait up to 10 s instead of 1 s for the same reason
configure({ asyncUtilTimeout: 10_000 });
