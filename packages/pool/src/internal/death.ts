/** The WorkerDiedError of a task whose worker died while running it. */
import os from 'node:os';
import { type TaskInfo, WorkerDiedError } from '../errors.js';

/** Exit code -N → the name of signal N (Python's convention for exit codes). */
const SIGNALS = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(os.constants.signals)) {
  if (!SIGNALS.has(-number)) SIGNALS.set(-number, name as NodeJS.Signals); // SIGABRT before its alias SIGIOT
}

export function workerDied(worker: string, exitCode: number | null, pid: number | null, task: TaskInfo): WorkerDiedError {
  const signal = exitCode !== null ? (SIGNALS.get(exitCode) ?? null) : null;
  const how = signal !== null ? `was stopped by ${signal}` : `exited with code ${exitCode}`;
  const items = task.size > 1 ? `${task.index}..${task.index + task.size - 1}` : `${task.index}`;
  return new WorkerDiedError(
    `pool worker ${worker} ${how} while running task ${items} of ${task.kind}(); the pool started a replacement and goes on. ` +
      'A worker dies when its task calls process.exit(), is killed, runs out of memory, or throws an uncaught error ' +
      'outside the task (see its stderr above).',
    { exitCode, signal, worker, pid, task },
  );
}
