/**
 * The caller's liveness token for fast paths. In every isolate but the broker it never changes,
 * so it is read once (`callerToken()` looks it up each time); the broker serves many callers,
 * so there it is always asked.
 */
import { callerToken, inBroker } from '@mp/context/spi';

let cached = 0;

export function myToken(): number {
  if (cached !== 0) return cached;
  const token = callerToken();
  if (!inBroker()) cached = token;
  return token;
}
