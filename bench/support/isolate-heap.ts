/**
 * The Worker isolate's JS heap, read through wrangler's DevTools inspector: the memory Sentinel's own
 * code holds, apart from the workerd process's native memory. (A forced collection is not offered:
 * workerd never answers HeapProfiler.collectGarbage through wrangler's proxy, so samples include
 * garbage not yet collected; a bounded heap shows as a saw-tooth under a flat ceiling.)
 */
export interface IsolateHeap {
  /** MB of the isolate's JS heap in use now */
  usedMb(): Promise<number>;
  close(): void;
}

export async function connectIsolateHeap(inspectorPort: number): Promise<IsolateHeap> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as { webSocketDebuggerUrl?: string }[];
  const url = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!url) throw new Error(`no inspector target on port ${inspectorPort}`);
  // wrangler's inspector proxy accepts local DevTools clients only: it wants a localhost Origin
  const ws = new WebSocket(url, { headers: { origin: "http://localhost" } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener("open", () => resolve());
    ws.addEventListener("error", () => reject(new Error(`inspector ${url} refused the connection`)));
  });
  const pending = new Map<number, (result: Record<string, unknown>) => void>();
  let nextId = 0;
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: Record<string, unknown> };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? {});
    if (message.id !== undefined) pending.delete(message.id);
  });
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method }));
    });
  return {
    async usedMb() {
      const usage = await call("Runtime.getHeapUsage");
      return Math.round((Number(usage.usedSize) / 1e6) * 10) / 10;
    },
    close: () => ws.close(),
  };
}
