/**
 * Waiting with the clock shown: local start-up (building the Worker, migrations, wrangler dev
 * coming up) takes tens of seconds on a slow machine, and silence looks like a hang. Shared by
 * scripts/start.mjs (`npm start`) and the CLI's embedded platform.
 */

/**
 * Logs `label…` now, `label… 5 s` every `intervalMs` while `work` is pending, and
 * `label: done in 7.3 s` (or `label: failed after …`) when it settles. Returns `work`'s result.
 */
export async function whileWaiting(label, work, log, { intervalMs = 5_000, now = Date.now } = {}) {
  const started = now();
  const seconds = () => (now() - started) / 1000;
  log(`${label}…`);
  const timer = setInterval(() => log(`${label}… ${Math.round(seconds())} s`), intervalMs);
  try {
    const result = await work;
    log(`${label}: done in ${seconds().toFixed(1)} s`);
    return result;
  } catch (err) {
    log(`${label}: failed after ${seconds().toFixed(1)} s`);
    throw err;
  } finally {
    clearInterval(timer);
  }
}
