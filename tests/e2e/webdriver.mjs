// A small W3C WebDriver client over fetch (Node 20), enough to drive the app through tauri-driver.
// Only the endpoints the end-to-end tests use; errors carry the driver's own message.

/** The W3C key under which a driver returns an element reference. */
const ELEMENT_KEY = 'element-6066-11e4-a52e-4f735466cecf';

/** An error answered by the WebDriver server (`error` is the W3C error code, e.g. "no such element"). */
export class WebDriverError extends Error {
  constructor(method, path, status, error, message) {
    super(`${method} ${path} -> HTTP ${status} ${error}: ${message}`);
    this.name = 'WebDriverError';
    this.status = status;
    this.error = error;
  }
}

/** Sends one WebDriver command and returns its `value`. */
async function command(baseUrl, method, path, body, timeoutMs = 60_000) {
  const init = {
    method,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    signal: AbortSignal.timeout(timeoutMs),
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch(baseUrl + path, init);
  } catch (cause) {
    throw new Error(`${method} ${path}: no answer from the WebDriver server at ${baseUrl} (${cause.message})`, {
      cause,
    });
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new WebDriverError(method, path, response.status, 'invalid reply', text.slice(0, 500));
  }
  const value = json.value;
  if (!response.ok || (value && typeof value === 'object' && typeof value.error === 'string')) {
    throw new WebDriverError(
      method,
      path,
      response.status,
      value?.error ?? 'unknown error',
      value?.message ?? text.slice(0, 500),
    );
  }
  return value;
}

/** Waits until the driver's /status answers ready (tauri-driver proxies it to WebKitWebDriver). */
export async function waitForDriver(baseUrl, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const value = await command(baseUrl, 'GET', '/status', undefined, 2_000);
      if (value?.ready !== false) return value;
      last = value?.message ?? 'not ready';
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`WebDriver server at ${baseUrl} not ready after ${timeoutMs} ms: ${last}`);
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` until it returns a truthy value (returned) or the timeout passes (throws with
 * `what` and the last value or error, so a failure says what was being waited for).
 */
export async function waitFor(what, probe, { timeoutMs = 10_000, intervalMs = 150 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

/** A CSS selector for `[data-testid="id"]`. */
export function testid(id) {
  return `[data-testid="${id}"]`;
}

/** One element of a session. */
export class Element {
  constructor(session, id, selector) {
    this.session = session;
    this.id = id;
    this.selector = selector;
  }

  /** The element as a script argument (`execute(script, [element])`). */
  toJSON() {
    return { [ELEMENT_KEY]: this.id };
  }

  #path(suffix) {
    return `/element/${encodeURIComponent(this.id)}${suffix}`;
  }

  click() {
    return this.session.cmd('POST', this.#path('/click'), {});
  }

  clear() {
    return this.session.cmd('POST', this.#path('/clear'), {});
  }

  /** Types text into the element (W3C "Element Send Keys"). */
  sendKeys(text) {
    return this.session.cmd('POST', this.#path('/value'), { text: String(text) });
  }

  text() {
    return this.session.cmd('GET', this.#path('/text'));
  }

  attribute(name) {
    return this.session.cmd('GET', this.#path(`/attribute/${encodeURIComponent(name)}`));
  }

  property(name) {
    return this.session.cmd('GET', this.#path(`/property/${encodeURIComponent(name)}`));
  }

  displayed() {
    return this.session.cmd('GET', this.#path('/displayed'));
  }

  find(css) {
    return this.session.findIn(this, css);
  }

  findAll(css) {
    return this.session.findAllIn(this, css);
  }
}

/** A WebDriver session: one run of the app. */
export class Session {
  constructor(baseUrl, id, capabilities) {
    this.baseUrl = baseUrl;
    this.id = id;
    this.capabilities = capabilities;
  }

  /**
   * Starts the app through tauri-driver. `application` is the absolute path of the app binary;
   * `args` its command-line arguments. Session creation launches the app: allow 10 s or more.
   */
  static async create(baseUrl, { application, args = [], timeoutMs = 60_000 }) {
    const value = await command(
      baseUrl,
      'POST',
      '/session',
      {
        capabilities: {
          alwaysMatch: { 'tauri:options': { application, args } },
        },
      },
      timeoutMs,
    );
    if (!value?.sessionId) throw new Error(`no sessionId in the new-session reply: ${JSON.stringify(value)}`);
    return new Session(baseUrl, value.sessionId, value.capabilities);
  }

  cmd(method, suffix, body, timeoutMs) {
    return command(this.baseUrl, method, `/session/${encodeURIComponent(this.id)}${suffix}`, body, timeoutMs);
  }

  /** Ends the session; the driver closes the app. */
  async delete() {
    await command(this.baseUrl, 'DELETE', `/session/${encodeURIComponent(this.id)}`, undefined, 30_000);
  }

  setTimeouts({ implicit, pageLoad, script }) {
    return this.cmd('POST', '/timeouts', { implicit, pageLoad, script });
  }

  title() {
    return this.cmd('GET', '/title');
  }

  source() {
    return this.cmd('GET', '/source');
  }

  #element(value, selector) {
    const id = value?.[ELEMENT_KEY];
    if (!id) throw new Error(`not an element reference: ${JSON.stringify(value)}`);
    return new Element(this, id, selector);
  }

  /** The first element matching the CSS selector (throws WebDriverError "no such element"). */
  async find(css) {
    return this.#element(await this.cmd('POST', '/element', { using: 'css selector', value: css }), css);
  }

  /** All elements matching the CSS selector (possibly none). */
  async findAll(css) {
    const values = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return values.map((v) => this.#element(v, css));
  }

  async findIn(parent, css) {
    const value = await this.cmd('POST', `/element/${encodeURIComponent(parent.id)}/element`, {
      using: 'css selector',
      value: css,
    });
    return this.#element(value, `${parent.selector} ${css}`);
  }

  async findAllIn(parent, css) {
    const values = await this.cmd('POST', `/element/${encodeURIComponent(parent.id)}/elements`, {
      using: 'css selector',
      value: css,
    });
    return values.map((v) => this.#element(v, `${parent.selector} ${css}`));
  }

  /** The element, or null when none matches. */
  async maybeFind(css) {
    try {
      return await this.find(css);
    } catch (e) {
      if (e instanceof WebDriverError && e.error === 'no such element') return null;
      throw e;
    }
  }

  /** Waits until an element matching the selector exists and is displayed, and returns it. */
  async waitForVisible(css, timeoutMs = 10_000) {
    return waitFor(
      `a visible ${css}`,
      async () => {
        const el = await this.maybeFind(css);
        return el && (await el.displayed()) ? el : null;
      },
      { timeoutMs },
    );
  }

  /** Runs a synchronous script in the page; `arguments` are `args`. */
  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** Runs an asynchronous script: it calls `arguments[arguments.length - 1](result)` when done. */
  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  /** Resolves after the page has painted twice, so a screenshot shows the latest DOM. */
  afterPaint() {
    return this.executeAsync(
      'const done = arguments[arguments.length - 1];' +
        'requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
    );
  }

  /**
   * Keeps the page painting for `ms`: a 1-pixel, nearly transparent mark changes colour on every
   * frame. WebKitGTK's snapshot waits for the next paint, and a page with nothing to repaint (a
   * still form with a focused button) never gives one: the screenshot would wait for ever, and
   * every WebDriver command after it.
   */
  keepPainting(ms = 1500) {
    return this.executeAsync(
      'const [ms, done] = arguments; let d = document.getElementById("e2e-paint");' +
        'if (!d) { d = document.createElement("div"); d.id = "e2e-paint"; d.setAttribute("aria-hidden", "true");' +
        ' d.style.cssText = "position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none;opacity:0.01;z-index:2147483647";' +
        ' document.body.append(d); }' +
        'const until = performance.now() + ms; let n = 0;' +
        'const tick = () => { n += 1; d.style.background = n % 2 ? "#000" : "#fff";' +
        ' if (performance.now() < until) requestAnimationFrame(tick); else d.remove(); };' +
        'requestAnimationFrame(tick); requestAnimationFrame(() => requestAnimationFrame(() => done(true)));',
      [ms],
    );
  }

  /** A PNG of the window's page, as a Buffer. */
  async screenshot() {
    const base64 = await this.cmd('GET', '/screenshot');
    return Buffer.from(base64, 'base64');
  }

  /**
   * W3C "Perform Actions": real pointer and key input, e.g. a mouse drag:
   * `[{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [...] }]`.
   */
  performActions(actions) {
    return this.cmd('POST', '/actions', { actions });
  }

  /** W3C "Release Actions": lets go of every pressed button and key. */
  releaseActions() {
    return this.cmd('DELETE', '/actions');
  }
}
