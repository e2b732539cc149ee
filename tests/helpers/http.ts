import { io, type Socket } from "socket.io-client";

/** A browser-like client for HTTP tests: keeps cookies, signs in through Auth.js's real routes. */
export class HttpClient {
  private cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader);
    const response = await fetch(this.baseUrl + path, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async csrfToken(): Promise<string> {
    const response = await this.fetch("/api/auth/csrf");
    return ((await response.json()) as { csrfToken: string }).csrfToken;
  }

  /** Posts the sign-in form; returns the redirect target Auth.js answers with. */
  async signIn(email: string, password: string): Promise<{ status: number; location: string }> {
    const csrfToken = await this.csrfToken();
    const response = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: "/" }).toString(),
    });
    return { status: response.status, location: response.headers.get("location") ?? "" };
  }

  async signOut(): Promise<number> {
    const csrfToken = await this.csrfToken();
    const response = await this.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: "/login" }).toString(),
    });
    return response.status;
  }

  /** A tRPC call over HTTP; returns status and parsed body. */
  async trpc(path: string, input?: unknown, kind: "query" | "mutation" = "query") {
    const response =
      kind === "query"
        ? await this.fetch(`/api/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`)
        : await this.fetch(`/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input ?? {}) });
    return { status: response.status, body: (await response.json()) as { result?: { data: unknown }; error?: { message: string; data: { code: string } } } };
  }

  /** A Socket.IO client carrying this client's cookies, like a browser tab (namespace "/screen" for a paired screen). */
  socket(namespace = ""): Socket {
    return io(`${this.baseUrl}${namespace}`, { transports: ["websocket"], extraHeaders: { cookie: this.cookieHeader }, reconnection: false, forceNew: true });
  }

  /** Stores a cookie as a browser would from a page's Set-Cookie (for routes this server does not serve here). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}

export function waitFor<T>(socket: Socket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export async function connected(socket: Socket): Promise<void> {
  if (socket.connected) return;
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error) => reject(error));
  });
}

export async function subscribe(socket: Socket, room: string): Promise<{ ok: boolean; reason?: string }> {
  return socket.timeout(5_000).emitWithAck("subscribe", room);
}
