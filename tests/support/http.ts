// A visitor for HTTP tests: keeps cookies like a browser and never follows redirects by itself.
export class Visitor {
  private cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (!value || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string) {
    return this.request(path);
  }

  /** Posts a form the way a browser without JavaScript does. */
  post(path: string, fields: Record<string, string>, headers: HeadersInit = {}) {
    return this.request(path, {
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Origin: this.base, ...Object.fromEntries(new Headers(headers)) },
    });
  }
}

export const PASSWORD = "correct horse battery staple";

/** A new visitor signed up (and so signed in) as `email`. */
export async function signedUp(base: string, email: string, password = PASSWORD): Promise<Visitor> {
  const visitor = new Visitor(base);
  const response = await visitor.post("/signup", { email, password });
  if (response.status !== 302) throw new Error(`sign-up of ${email} answered ${response.status}: ${await response.text()}`);
  return visitor;
}
