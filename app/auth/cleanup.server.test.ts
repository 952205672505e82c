import { describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { createUser } from "./user.server";
import { deleteExpired } from "./cleanup.server";

describe("deleteExpired", () => {
  it("deletes expired sessions and stale login counters, and keeps live ones and current locks", async () => {
    const user = await createUser("housekeeping@school.org", "correct horse battery staple");
    const now = new Date();
    const hour = 3600_000;
    await db().session.createMany({
      data: [
        { id: "expired", userId: user.id, expiresAt: new Date(now.getTime() - hour) },
        { id: "live", userId: user.id, expiresAt: new Date(now.getTime() + hour) },
      ],
    });
    await db().loginThrottle.createMany({
      data: [
        { email: "old@school.org", failures: 3, lastFailureAt: new Date(now.getTime() - 2 * hour) },
        { email: "recent@school.org", failures: 3, lastFailureAt: new Date(now.getTime() - 60_000) },
        { email: "locked@school.org", failures: 9, lastFailureAt: new Date(now.getTime() - 2 * hour), lockedUntil: new Date(now.getTime() + hour) },
      ],
    });
    expect(await deleteExpired(now)).toEqual({ sessions: 1, throttles: 1 });
    expect((await db().session.findMany()).map((s) => s.id)).toEqual(["live"]);
    expect((await db().loginThrottle.findMany({ orderBy: { email: "asc" } })).map((t) => t.email)).toEqual(["locked@school.org", "recent@school.org"]);
  });
});
