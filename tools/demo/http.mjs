// The demo's only way into the stack: the gateway's public HTTP API, with the retries a polite
// client owes it (429 after Retry-After, 503/504 again under the same Idempotency-Key).

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }

  /** The business reason of a 409/422 problem (`slot_full`, `unknown_store`, ...), when it names one. */
  get reason() {
    return this.body?.reason ?? this.body?.code;
  }
}

/** How long a 429 asks us to wait: its Retry-After (seconds or a date), else a second. */
function retryAfterMs(res) {
  const header = res.headers.get('retry-after');
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - Date.now());
}

/**
 * One caller of the API: anonymous (the public bucket of this address), or signed in with its own
 * token (its own rate-limit bucket). `stats` is shared by all callers of a run.
 */
export class ApiClient {
  constructor(baseUrl, { token, stats, attempts = 8 } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.token = token;
    this.stats = stats ?? { calls: 0, retries: 0, throttled: 0 };
    this.attempts = attempts;
  }

  /** The same stack and statistics, acting as someone else. */
  as(token) {
    return new ApiClient(this.baseUrl, { token, stats: this.stats, attempts: this.attempts });
  }

  get(path) {
    return this.request('GET', path);
  }

  post(path, body, idempotencyKey) {
    return this.request('POST', path, { body, idempotencyKey });
  }

  put(path, body) {
    return this.request('PUT', path, { body });
  }

  /** Every page of a list route, following nextCursor. */
  async all(path, pageSize = 100) {
    const items = [];
    let cursor = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.get(`${path}${sep}limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /**
   * Answers the parsed body of a 2xx, or throws an ApiError. Throttling, an unknown outcome (503,
   * 504, a key still in flight) and a dropped connection are tried again, with the same key.
   */
  async request(method, path, { body, idempotencyKey } = {}) {
    const headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const payload = body === undefined ? undefined : JSON.stringify(body);

    for (let attempt = 1; ; attempt++) {
      this.stats.calls++;
      let res;
      let text;
      // A call that hangs is abandoned after 30 s and tried again like a dropped connection: any
      // keyed request is safe to send again.
      const abandon = new AbortController();
      const timer = setTimeout(() => abandon.abort(), 30_000);
      try {
        res = await fetch(this.baseUrl + path, { method, headers, body: payload, signal: abandon.signal });
        text = await res.text();
      } catch (error) {
        if (attempt >= this.attempts) throw new Error(`${method} ${path} failed: ${error.message}`);
        this.stats.retries++;
        await sleep(250 * attempt);
        continue;
      } finally {
        clearTimeout(timer);
      }
      let parsed = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text for the error message
      }
      if (res.ok) return parsed;
      // Throttling says nothing about the request itself: wait as told, without counting an attempt.
      if (res.status === 429) {
        this.stats.throttled++;
        attempt--;
        await sleep(retryAfterMs(res) + Math.random() * 250);
        continue;
      }
      // 503/504: the outcome is unknown; 409 on a keyed request: the first try is still in flight.
      const unknownOutcome = res.status === 503 || res.status === 504 || (res.status === 409 && idempotencyKey && parsed?.code === 'idempotency_key_in_flight');
      if (unknownOutcome && attempt < this.attempts) {
        this.stats.retries++;
        await sleep(res.status === 503 ? Math.max(retryAfterMs(res), 500) : 300 * attempt);
        continue;
      }
      throw new ApiError(method, path, res.status, parsed);
    }
  }
}

/** Runs `work` over `items` with at most `limit` in flight; answers the results in order. */
export async function inPool(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Asks `probe` until it answers something truthy, or throws after `timeoutMs`. */
export async function until(what, probe, timeoutMs = 30_000, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

export { sleep };
