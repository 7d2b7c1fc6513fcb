// Before each test of a mutation run: no figure memoised by an earlier test.
// Stryker runs, for each mutant, only the tests that ran its code in the
// first run; a test answered from the memo ran none and would not be chosen,
// so a mutant it would catch could survive (it did: lib/metrics, 2026-12-02).
import { beforeEach } from 'vitest';
import { dropAllMemos } from '@/lib/metrics/fact-store';

beforeEach(() => dropAllMemos());
