/**
 * Binding a TCP listener synchronously, so that `new Listener(['localhost', 0]).address` holds
 * the real port at once (Python's constructor binds before returning, and code ported from it
 * reads `listener.address` right away). Node binds inside `server.listen()`, asynchronously; its
 * own TCP handle class (`process.binding('tcp_wrap')`, the class `net.Server.listen(handle)`
 * accepts) binds synchronously. Listening itself stays asynchronous, and so do its errors
 * (EADDRINUSE shows at listen time: libuv sets SO_REUSEADDR). When that class is unavailable
 * (a future Node, `--throw-deprecation`), the Listener falls back to binding in `listen()`.
 */
import net from 'node:net';

interface TcpHandle {
  bind(host: string, port: number): number;
  bind6(host: string, port: number, flags: number): number;
  getsockname(out: { port?: number; address?: string }): number;
  close(): void;
}
interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  constants: { SERVER: number };
}

function tcpBinding(): TcpBinding | null {
  try {
    const binding = (process as unknown as { binding(name: string): TcpBinding }).binding('tcp_wrap');
    return typeof binding?.TCP === 'function' && typeof binding.constants?.SERVER === 'number' ? binding : null;
  } catch {
    return null;
  }
}

/** A bound (not yet listening) TCP server handle and its port, or null to bind the usual way. */
export function bindTcpNow(host: string, port: number): { handle: object; port: number } | null {
  const family = net.isIP(host);
  if (family === 0) return null;
  const binding = tcpBinding();
  if (binding === null) return null;
  try {
    const handle = new binding.TCP(binding.constants.SERVER);
    const err = family === 6 ? handle.bind6(host, port, 0) : handle.bind(host, port);
    const out: { port?: number } = {};
    if (err !== 0 || handle.getsockname(out) !== 0 || typeof out.port !== 'number') {
      handle.close();
      return null;
    }
    return { handle, port: out.port };
  } catch {
    return null;
  }
}
