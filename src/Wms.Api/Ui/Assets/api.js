// Calls to the service's /v1 with the user's bearer token. The token is pasted once and kept in sessionStorage: it
// lasts as long as the browser tab and is sent to this service alone (same-origin fetches, nothing else). When the
// service refuses a call (401 or 403), the paste box comes back with the service's own message, and the call is made
// again with the token given. With authentication off, no call is refused and nothing is asked.

import { byId } from './dom.js';

const TOKEN_KEY = 'wms-ui-token';

/** A call the service answered with an error (or could not be reached: status 0). */
export class ServiceError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function storedToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function keepToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  showForgetButton();
}

function showForgetButton() {
  const forget = document.getElementById('forget-token');
  if (forget) {
    forget.hidden = storedToken() === null;
  }
}

/** The headers every call carries: the token when there is one. */
export function authorization() {
  const token = storedToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The service's reason from an error answer ({"code", "error"}), or the status line. */
export async function errorText(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') {
      return body.error;
    }
  } catch {
    // Not JSON: a proxy's page, say.
  }
  return `${response.status} ${response.statusText}`.trim();
}

// One prompt at a time: every call refused while it is shown waits for the same token.
let asking = null;

/**
 * Shows the paste box with why the service refused (its message) and resolves once the user gives a token. Every
 * page has the box (#token-prompt).
 */
export function askForToken(refusal) {
  const refused = byId('token-refused');
  refused.textContent = storedToken()
    ? `The service refused the token: ${refusal}. Paste another one.`
    : `The service wants a token: ${refusal}. Paste yours to go on.`;
  if (asking) {
    return asking;
  }
  const prompt = byId('token-prompt');
  const form = byId('token-form');
  const input = byId('token-input');
  prompt.hidden = false;
  input.value = '';
  input.focus();
  asking = new Promise((resolve) => {
    const submit = (event) => {
      event.preventDefault();
      // A token copied with its scheme, or with a line break at the end, is still the token.
      const token = input.value.trim().replace(/^Bearer\s+/i, '').trim();
      if (!token) {
        refused.textContent = 'Paste a token first.';
        input.focus();
        return;
      }
      form.removeEventListener('submit', submit);
      keepToken(token);
      input.value = '';
      prompt.hidden = true;
      asking = null;
      resolve(token);
    };
    form.addEventListener('submit', submit);
  });
  return asking;
}

/** Wires the page's "Forget token" button: it drops the token and starts the page again. */
export function setUpTokenControls() {
  showForgetButton();
  const forget = document.getElementById('forget-token');
  forget?.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
}

/** One call; the parsed JSON answer. Throws ServiceError for any answer but 2xx, after asking for a token on 401/403. */
export async function call(method, path, body) {
  for (;;) {
    const headers = { Accept: 'application/json', ...authorization() };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (failure) {
      throw new ServiceError(0, `the service could not be reached (${failure.message})`);
    }
    if (response.status === 401 || response.status === 403) {
      await askForToken(await errorText(response));
      continue;
    }
    if (!response.ok) {
      throw new ServiceError(response.status, await errorText(response));
    }
    return response.json();
  }
}

/**
 * Whether the service asks for a token: true once one is kept (the service asked for it), else whether it refuses a
 * call without one. A plain fetch, so that no paste box comes up for it.
 */
export async function authenticationIsOn() {
  if (storedToken()) {
    return true;
  }
  try {
    const response = await fetch('/v1/', { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'omit' });
    return response.status === 401 || response.status === 403;
  } catch {
    return false;
  }
}

/** A /v1 find, page after page: each page's next_after is where the next starts, until it is null. */
export async function findAll(kind, body) {
  const found = [];
  let after = null;
  do {
    const page = await call('POST', `/v1/query/${kind}`, { ...body, after });
    found.push(...page[kind.replace('-', '_')]);
    after = page.next_after ?? null;
  } while (after !== null);
  return found;
}

/** A path segment, escaped. */
export function segment(value) {
  return encodeURIComponent(value);
}
