# CPython's side of `cargo xtask bench`: prints "name ops_per_second" lines, best of 3 runs.
import sys, threading, queue, time, platform
from multiprocessing.pool import ThreadPool

scale = int(sys.argv[1]) if len(sys.argv) > 1 else 1
print("version", platform.python_version())

def best(f):
    return min(f() for _ in range(3))

def timed(f):
    start = time.perf_counter()
    f()
    return time.perf_counter() - start

def lock_uncontended(n):
    lock = threading.Lock()
    def run():
        for _ in range(n):
            with lock:
                pass
    return timed(run)

def semaphore(n):
    sem = threading.Semaphore(2)
    def run():
        for _ in range(n):
            with sem:
                pass
    return timed(run)

def event_latency(n):
    ping, pong = threading.Event(), threading.Event()
    def other():
        for _ in range(n):
            ping.wait(); ping.clear(); pong.set()
    def run():
        t = threading.Thread(target=other); t.start()
        for _ in range(n):
            ping.set(); pong.wait(); pong.clear()
        t.join()
    return timed(run) / 2

def queue_spsc(n):
    q = queue.Queue(64)
    def producer():
        for i in range(n):
            q.put(i)
    def run():
        t = threading.Thread(target=producer); t.start()
        for _ in range(n):
            q.get()
        t.join()
    return timed(run)

def apply_async(n):
    with ThreadPool(2) as pool:
        def run():
            results = [pool.apply_async(lambda i=i: i * 2) for i in range(n)]
            for r in results:
                r.get()
        return timed(run)

def pool_map(n):
    with ThreadPool(2) as pool:
        return timed(lambda: pool.map(lambda i: i * 2, range(n)))

def imap(n):
    with ThreadPool(2) as pool:
        def run():
            for _ in pool.imap(lambda i: i * 2, range(n)):
                pass
        return timed(run)

for name, f, n in [
    ("lock_uncontended", lock_uncontended, 1_000_000 // scale),
    ("semaphore", semaphore, 500_000 // scale),
    ("event_latency", event_latency, 5_000 // scale),
    ("queue", queue_spsc, 100_000 // scale),
    ("apply_async", apply_async, 50_000 // scale),
    ("map", pool_map, 200_000 // scale),
    ("imap", imap, 50_000 // scale),
]:
    print(name, n / best(lambda: f(n)), flush=True)
