/** The errors a Connection raises about its own state, with what to do. */
import { EOFError, OSError } from '../errors.js';
import { FrameError } from './frame.js';

/** What readers get at the end of the stream: EOF, a bad frame, or a lost connection. */
export function endError(cause: Error | null): Error {
  if (cause === null) return new EOFError();
  if (cause instanceof FrameError) return cause;
  return new EOFError(`the connection was lost: ${cause.message}`, { cause });
}

const CLOSED = 'handle is closed: this connection was closed with close(); make a new one (Pipe(), Client(), Listener.accept())';

/** Receiving on a closed connection (EOFError, as the API says for recv). */
export const closedRecv = (): Error => new EOFError(CLOSED);

/** Anything else on a closed connection (Python's OSError). */
export const closedOther = (): Error => new OSError(CLOSED, { code: 'EBADF' });

export const handedOver = (): Error =>
  new OSError(
    'this connection was passed to another process, which owns it now: use it there. ' +
      '(An end given to a child moves to it; keep the other end here, or make one Pipe per child.)',
    { code: 'EBADF' },
  );
