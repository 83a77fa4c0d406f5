import '@testing-library/jest-dom';

// component tests render whole pages; on a busy machine (CI beside other
// suites) that takes longer than Jest's default 5 s
jest.setTimeout(30_000);
