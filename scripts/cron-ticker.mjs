/**
 * Cron triggers for the local platform. `wrangler dev` never fires a Worker's crons by itself
 * (Miniflare only offers a trigger endpoint), so `npm start` fires them: at each minute (or every
 * `intervalMs`) a GET of Miniflare's /cdn-cgi/local/scheduled, which runs the Worker's
 * `scheduled` handler as the deployed cron trigger (wrangler.toml: "* * * * *") would. It works
 * with or without `--no-bundle`, unlike `--test-scheduled`'s /__scheduled middleware.
 */

export const CRON = "* * * * *";

/** Fires the Worker's scheduled handler once; resolves to Miniflare's outcome ("ok", "exception", …). */
export async function fireScheduled(baseUrl, { cron = CRON, time = Date.now() } = {}) {
  const url = `${baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(cron)}&time=${time}&format=json`;
  const response = await fetch(url, { signal: AbortSignal.timeout(55_000) });
  const text = await response.text();
  try {
    return JSON.parse(text).outcome ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}: ${text.slice(0, 120)}`;
  }
}

/**
 * Ticks until stopped. Default: at the start of every minute, with the minute as scheduledTime
 * (as Cloudflare does). `intervalMs` (SENTINEL_CRON_TICK_MS) ticks more often, with the current
 * time: the handler claims each due minute once, so extra ticks start nothing twice.
 * Returns a function that stops the ticker.
 */
export function startCronTicker(baseUrl, { intervalMs, log = () => {}, now = Date.now } = {}) {
  let timer;
  let stopped = false;
  const nextDelay = () => (intervalMs ? intervalMs : 60_000 - (now() % 60_000) + 50);
  const tick = async () => {
    if (stopped) return;
    const time = intervalMs ? now() : now() - (now() % 60_000);
    try {
      const outcome = await fireScheduled(baseUrl, { time });
      if (outcome !== "ok") log(`cron tick at ${new Date(time).toISOString()}: ${outcome}`);
    } catch (err) {
      if (!stopped) log(`cron tick at ${new Date(time).toISOString()} failed: ${err instanceof Error ? err.message : err}`);
    }
    if (!stopped) timer = setTimeout(tick, nextDelay());
  };
  timer = setTimeout(tick, nextDelay());
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
