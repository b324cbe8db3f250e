/**
 * Jobs handed in close together go out as one write: the tasks of one queue invocation store
 * their results and report themselves done in one D1 batch and one call to the run instead of
 * one of each per task (each is a hop through the main process's one thread).
 *
 * A write goes out at once when nothing else is expected (`allIn`: every other member already
 * handed its job in, e.g. the invocation's last task), otherwise once the oldest waiting job has
 * waited `lingerMs`; never two at a time — what comes in meanwhile goes with the next one. A
 * failed write fails each of its jobs (their callers retry them), not the later ones.
 */
export function coalescer<J>(write: (jobs: J[]) => Promise<void>, opts: { lingerMs: number; allIn: () => boolean }): (job: J) => Promise<void> {
  let waiting: { job: J; at: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let writing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const go = async () => {
    clearTimeout(timer);
    timer = undefined;
    writing = true;
    const round = waiting;
    waiting = [];
    try {
      await write(round.map((w) => w.job));
      round.forEach((w) => w.resolve());
    } catch (error) {
      round.forEach((w) => w.reject(error));
    } finally {
      writing = false;
      schedule();
    }
  };
  const schedule = () => {
    if (writing || waiting.length === 0) return;
    if (opts.allIn()) return void go();
    timer ??= setTimeout(() => void go(), Math.max(0, waiting[0]!.at + opts.lingerMs - Date.now()));
  };

  return (job) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ job, at: Date.now(), resolve, reject });
      schedule();
    });
}
