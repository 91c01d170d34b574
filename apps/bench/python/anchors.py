"""Python anchors of BENCH.md (B1-B10), standard library `multiprocessing` only.

Usage:  python3 anchors.py <workload> ['{"delta": 1.0, "repeat": 3, ...}']
Prints one JSON object on stdout: {"value": <number>, "unit": "<unit>", ...extra}.
`python3 anchors.py list` prints the workload names.

Style of CPython's `mp_benchmarks.py` (the `benchmarks.py` of `multiprocess`): a child
produces, the parent consumes, and the number of iterations doubles until the measurement takes
long enough. To keep a run short the doubling only calibrates (until ~delta/10 seconds), the
count is then scaled to take ~`delta` seconds and measured `repeat` times; the median is printed.
Child start-up is never inside the timed section, so throughput workloads use the platform's
default start method (`fork` on Linux; override with {"method": "spawn"}); `process_start`
uses `spawn`, the one that matches a fresh Node process.

Common params: delta (seconds per measurement, default 1.0), repeat (default 3),
method (start method for the children of throughput workloads, default: platform default).
"""

import datetime
import json
import multiprocessing
import os
import pickle
import statistics
import sys
import time

timer = time.perf_counter
STRING = '0' * 256


# ---------------------------------------------------------------- helpers

def rate(run_n, delta, repeat, start=1):
    """Ops per second of `run_n(n) -> elapsed seconds for n ops`: median of `repeat` runs."""
    n = start
    while True:
        elapsed = run_n(n)
        if elapsed >= delta / 10:
            break
        n *= 2 if elapsed > delta / 40 else 8
    n = max(1, int(n * delta / elapsed))
    return statistics.median(n / run_n(n) for _ in range(repeat))


def context(params, default=None):
    method = params.get('method', default)
    return multiprocessing.get_context(method)


# ---------------------------------------------------------------- B1 queue

def queue_func(q, n):
    q.put('READY')
    for _ in range(n):
        q.put(STRING)
    q.put('STOP')


def consume_queue(ctx, q, n):
    p = ctx.Process(target=queue_func, args=(q, n))
    p.start()
    assert q.get() == 'READY'
    t = timer()
    result = None
    while result != 'STOP':
        result = q.get()
    elapsed = timer() - t
    p.join()
    return elapsed


def w_queue(params):
    ctx = context(params)
    q = ctx.Queue()
    v = rate(lambda n: consume_queue(ctx, q, n), params['delta'], params['repeat'], 256)
    return {'value': v, 'unit': 'items/s'}


def w_manager_queue(params):
    ctx = context(params)
    with ctx.Manager() as m:
        q = m.Queue()
        v = rate(lambda n: consume_queue(ctx, q, n), params['delta'], params['repeat'], 64)
    return {'value': v, 'unit': 'items/s'}


# ---------------------------------------------------------------- B2 pipe

def pipe_func(conn, n):
    conn.send('READY')
    for _ in range(n):
        conn.send(STRING)
    conn.send('STOP')


def w_pipe(params):
    ctx = context(params)
    c, d = ctx.Pipe()

    def run(n):
        p = ctx.Process(target=pipe_func, args=(d, n))
        p.start()
        assert c.recv() == 'READY'
        t = timer()
        result = None
        while result != 'STOP':
            result = c.recv()
        elapsed = timer() - t
        p.join()
        return elapsed

    return {'value': rate(run, params['delta'], params['repeat'], 256), 'unit': 'msgs/s'}


# ---------------------------------------------------------------- B3 lock

def lock_loop(lock):
    def run(n):
        t = timer()
        for _ in range(n):
            lock.acquire()
            lock.release()
        return timer() - t
    return run


def w_lock(params):
    lock = context(params).Lock()
    return {'value': rate(lock_loop(lock), params['delta'], params['repeat'], 1024), 'unit': 'pairs/s'}


def w_manager_lock(params):
    with context(params).Manager() as m:
        lock = m.Lock()
        v = rate(lock_loop(lock), params['delta'], params['repeat'], 16)
    return {'value': v, 'unit': 'pairs/s'}


# ---------------------------------------------------------------- B4 condition

def condition_func(c, n):
    c.acquire()
    c.notify()
    for _ in range(n):
        c.wait()
        c.notify()
    c.release()


def w_condition(params):
    ctx = context(params)
    c = ctx.Condition()

    def run(n):
        c.acquire()
        p = ctx.Process(target=condition_func, args=(c, n))
        p.start()
        c.wait()
        t = timer()
        for _ in range(n):
            c.notify()
            c.wait()
        elapsed = timer() - t
        c.release()
        p.join()
        return elapsed

    # two waits per iteration (one on each side), as mp_benchmarks.py counts them
    return {'value': 2 * rate(run, params['delta'], params['repeat'], 64), 'unit': 'waits/s'}


# ---------------------------------------------------------------- B5 / B9 sequences

def seq_loop(seq):
    def run(n):
        t = timer()
        for _ in range(n):
            seq[5]
        return timer() - t
    return run


def w_array_get(params):
    arr = context(params).Array('i', range(10), lock=True)
    return {'value': rate(seq_loop(arr), params['delta'], params['repeat'], 1024), 'unit': 'reads/s'}


def w_manager_list_get(params):
    with context(params).Manager() as m:
        lst = m.list(range(10))
        v = rate(seq_loop(lst), params['delta'], params['repeat'], 16)
    return {'value': v, 'unit': 'reads/s'}


def w_manager_dict_set_get(params):
    with context(params).Manager() as m:
        d = m.dict()

        def run(n):
            t = timer()
            for i in range(n):
                d['key'] = i
                d['key']
            return timer() - t

        v = rate(run, params['delta'], params['repeat'], 16)
    return {'value': v, 'unit': 'pairs/s'}


# ---------------------------------------------------------------- B6 / B10 pool

def double(x):
    return x * 2


def spin(n):
    s = 0
    for i in range(n):
        s = (s + i) & 0xFFFFFFFF
    return s


def w_pool_map(params):
    n = params.get('n', 100_000)
    with context(params).Pool(params.get('processes')) as pool:
        pool.map(double, range(1000))  # warm: workers started
        times = []
        for _ in range(params['repeat']):
            t = timer()
            out = pool.map(double, range(n))
            times.append(timer() - t)
            assert out[-1] == (n - 1) * 2
    return {'value': n / statistics.median(times), 'unit': 'tasks/s', 'n': n}


def w_pool_apply_async(params):
    n = params.get('n', 10_000)
    with context(params).Pool(params.get('processes')) as pool:
        pool.map(double, range(1000))
        times = []
        for _ in range(params['repeat']):
            t = timer()
            results = [pool.apply_async(double, (i,)) for i in range(n)]
            out = [r.get() for r in results]
            times.append(timer() - t)
            assert out[-1] == (n - 1) * 2
    return {'value': n / statistics.median(times), 'unit': 'tasks/s', 'n': n}


def w_pool_scaling(params):
    """time(1 worker) / time(w workers) of a map of CPU-bound tasks, chunksize 1; the two pools
    are timed alternately (at least 3 rounds) so that a change of machine load hits both."""
    ctx = context(params)
    workers = params.get('workers', os.cpu_count())
    iters = params.get('iters', 2_000_000)
    tasks = params.get('tasks', 4 * workers)
    with ctx.Pool(1) as one, ctx.Pool(workers) as many:
        one.map(double, range(4))
        many.map(double, range(workers * 4))
        t1, tw = [], []
        for _ in range(max(3, params['repeat'])):
            for pool, times in ((one, t1), (many, tw)):
                t = timer()
                pool.map(spin, [iters] * tasks, chunksize=1)
                times.append(timer() - t)
    t1, tw = statistics.median(t1), statistics.median(tw)
    return {'value': t1 / tw, 'unit': 'x', 'workers': workers, 't1': t1, 'tw': tw}


# ---------------------------------------------------------------- B7 process start

def empty():
    pass


def w_process_start(params):
    ctx = context(params, 'spawn')
    count = params.get('count', 10)

    def once():
        t = timer()
        p = ctx.Process(target=empty)
        p.start()
        p.join()
        return (timer() - t) * 1000

    once()  # warm-up
    return {'value': statistics.median(once() for _ in range(count)), 'unit': 'ms',
            'method': ctx.get_start_method()}


# ---------------------------------------------------------------- B8 serialization

def make_graph():
    """The same mixed graph as apps/bench/src/lib/graph.mjs (~1000 nodes)."""
    records = []
    for i in range(50):
        records.append({
            'id': i,
            'name': f'item-{i}',
            'score': i * 1.5,
            'active': i % 2 == 0,
            'tags': ['alpha', 'beta', f't{i % 7}'],
            'created': datetime.datetime(2024, 1, 1 + i % 28, tzinfo=datetime.timezone.utc),
            'dims': {'w': i, 'h': i * 2, 'unit': 'cm'},
            'nothing': None,
        })
    return {
        'title': 'mixed graph',
        'version': 3,
        'records': records,
        'index': {f'k{i}': i for i in range(50)},      # a Map on the JS side
        'ids': set(range(50)),                           # a Set
        'big': 2 ** 70 + 12345,                          # a bigint
        'matrix': [[r * 10 + c for c in range(10)] for r in range(10)],
    }


def w_dumps_loads(params):
    graph = make_graph()

    def run(n):
        t = timer()
        for _ in range(n):
            pickle.loads(pickle.dumps(graph))
        return timer() - t

    return {'value': rate(run, params['delta'], params['repeat'], 16), 'unit': 'ops/s',
            'bytes': len(pickle.dumps(graph))}


# ---------------------------------------------------------------- main

WORKLOADS = {name[2:]: fn for name, fn in globals().items() if name.startswith('w_')}


def main(argv):
    if len(argv) < 2 or argv[1] in ('-h', '--help', 'list'):
        print('\n'.join(sorted(WORKLOADS)))
        return 0 if len(argv) >= 2 else 2
    name = argv[1]
    if name not in WORKLOADS:
        print(f'unknown workload {name!r}; one of: {", ".join(sorted(WORKLOADS))}', file=sys.stderr)
        return 2
    params = {'delta': 1.0, 'repeat': 3}
    if len(argv) > 2:
        params.update(json.loads(argv[2]))
    result = WORKLOADS[name](params)
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
