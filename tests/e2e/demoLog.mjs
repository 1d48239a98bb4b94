// What the app sent to the provider, for end-to-end tests in demo mode: the in-process demo
// service's request log, read through the app's demo-only `demo_request_log` command
// (src-tauri/src/commands/demo.rs). One mechanism for every e2e file that must prove a request was
// sent — or that none was (e.g. a cancelled engine stop).

/** Calls one of the app's Tauri commands from the page and returns its result (throws its error). */
export async function invokeInApp(app, cmd, args = {}) {
  const reply = await app.executeAsync(
    'const [cmd, args, done] = arguments;' +
      'window.__TAURI_INTERNALS__.invoke(cmd, args)' +
      '.then((value) => done({ ok: true, value }), (error) => done({ ok: false, error }));',
    [cmd, args],
  );
  if (!reply?.ok) throw new Error(`${cmd} failed: ${JSON.stringify(reply?.error)}`);
  return reply.value;
}

/**
 * Requests the demo service received: `[{ seq, method, path, params: [[k, v], ...] }]`, oldest
 * first; only those to `path` when given, only from position `since` on.
 */
export function demoRequests(app, { path = null, since = 0 } = {}) {
  return invokeInApp(app, 'demo_request_log', { path, since });
}

/** The position the next request will take: pass it as `since` to see only what comes after. */
export async function demoLogMark(app) {
  const all = await demoRequests(app);
  return all.length === 0 ? 0 : all[all.length - 1].seq + 1;
}

/** A logged request's parameter, or undefined. */
export function param(request, name) {
  return request.params.find(([k]) => k === name)?.[1];
}
