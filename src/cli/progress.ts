import { createRequire } from 'node:module';

// Loaded only when a bar is drawn: most runs (pipes, CI, --no-progress) never draw one.
const load = (): typeof import('cli-progress') => createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');

/** A progress bar on stderr (bytes, MB/s, ETA); a no-op when stderr is not a terminal or it is turned off. */
export function createProgress(enabled: boolean): { update: (done: number, total: number) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const started = Date.now();
  const cliProgress = load();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'crunching [{bar}] {percentage}% | {doneMB}/{totalMB} MB | {rate} MB/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let begun = false;
  return {
    update(done, total) {
      const mb = (n: number): string => (n / 1e6).toFixed(1);
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      const payload = { doneMB: mb(done), totalMB: mb(total), rate: (done / 1e6 / seconds).toFixed(0) };
      if (!begun) {
        bar.start(Math.max(1, total), done, payload);
        begun = true;
      } else {
        bar.update(done, payload);
      }
    },
    stop: () => begun && bar.stop(),
  };
}
