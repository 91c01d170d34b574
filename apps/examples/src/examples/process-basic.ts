// The smallest program: start a child, let it say hello, wait for it.
import { currentProcess, parentProcess, Process } from 'multiprocess';

function greet(greeting: string): void {
  console.log(`child ${currentProcess().name} says ${greeting}, parent ${parentProcess()?.name}`);
}

console.log(`parent ${currentProcess().name} pid ${process.pid}`);
const p = new Process({ target: greet, args: ['hello'] });
await p.start();
await p.join();
console.log(`exit code ${p.exitCode}`);
