export { AuthenticationError, BufferTooShort, EOFError, ProcessError, TimeoutError } from './errors.js';
