import { Worker } from 'node:worker_threads';

/**
 * Workers stream 1 MiB buffers (external memory) and keep little on the JS heap; a small young generation
 * keeps each thread's footprint small, so peak RSS stays flat as workers are added.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** Messages a pool worker posts: progress while it works, then one result per task. */
export type WorkerMessage<R> = { type: 'progress'; bytes: number } | { type: 'done'; result: R } | { type: 'failed'; message: string };

interface Job<T, R> {
  task: T;
  resolve(result: R): void;
  reject(error: Error): void;
}

/**
 * A fixed set of worker threads, each running one task at a time from a shared queue. A worker that
 * dies (a crash, or killed for memory) fails its task and is replaced, so one bad file cannot stop a scan.
 * From the TypeScript sources (tests) workers load through tsx; from dist/ they are plain JavaScript.
 */
export class WorkerPool<T, R> {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job<T, R>>();
  private readonly queue: Job<T, R>[] = [];
  private closed = false;

  constructor(
    private readonly script: URL,
    readonly size: number,
    private readonly onProgress: (bytes: number) => void = () => {},
  ) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  run(task: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle, ...this.busy.keys()];
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = this.script.pathname.endsWith('.ts')
      ? // Node 20 workers ignore `--import tsx` in execArgv; register tsx's loader inside the worker instead.
        new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(this.script.href)}); })`, { eval: true, resourceLimits: WORKER_LIMITS })
      : new Worker(this.script, { resourceLimits: WORKER_LIMITS });
    worker.unref();
    worker.on('message', (message: WorkerMessage<R>) => {
      if (message.type === 'progress') {
        this.onProgress(message.bytes);
        return;
      }
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      this.idle.push(worker);
      if (message.type === 'done') job?.resolve(message.result);
      else job?.reject(new Error(message.message));
      this.dispatch();
    });
    // A crashing worker emits 'error' and then 'exit': replace it once, not twice.
    let gone = false;
    const lost = (reason: string) => {
      if (gone) return;
      gone = true;
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      if (this.closed) return;
      job?.reject(new Error(reason));
      this.idle.push(this.spawn());
      this.dispatch();
    };
    worker.on('error', (error) => lost(`the scan worker crashed: ${error.message}`));
    worker.on('exit', (code) => lost(`the scan worker exited with code ${code} (out of memory?)`));
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.ref();
      worker.postMessage(job.task);
    }
    for (const w of this.idle) w.unref();
  }
}
