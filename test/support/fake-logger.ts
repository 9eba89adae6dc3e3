import type { Logger } from '@aws-lambda-powertools/logger';
import { vi } from 'vitest';

/** A logger whose calls can be inspected; children share its spies. */
export function fakeLogger() {
  const logger = {
    info: vi.fn(),
    warn: vi.fn(),
    error: vi.fn(),
    debug: vi.fn(),
    createChild: () => logger,
  };
  return logger as typeof logger & Logger;
}
