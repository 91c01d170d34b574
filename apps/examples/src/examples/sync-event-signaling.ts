// Event signaling (seed: "Event Signaling"): three processes wait until a fourth sets the event.
import { type Event, Process, Event as SharedEvent } from 'multiprocess';

async function waiter(event: Event, name: string): Promise<void> {
  console.log(`${name} waiting for event`);
  await event.wait();
  console.log(`${name} received event`);
}

async function setter(event: Event): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  console.log('Setting event');
  event.set();
}

// Shared event (imported under another name: `Event` is also a global of Node.js)
const event = new SharedEvent();

// Create waiting processes
const waiters: Process[] = [];
for (let i = 0; i < 3; i++) {
  waiters.push(new Process({ target: waiter, args: [event, `Waiter-${i}`] }));
}

// Create setter process
const setterProc = new Process({ target: setter, args: [event] });
await Promise.all([...waiters, setterProc].map((p) => p.start())); // start them all at once

// Wait for all
for (const p of waiters) await p.join();
await setterProc.join();
