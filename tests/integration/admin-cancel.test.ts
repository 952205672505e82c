// Staff cancelling a grading job that still waits in the queue. No worker runs in this file, so the
// job stays queued until staff act.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/client.server";
import { submitEssay } from "~/grading/submit.server";
import { essayInput } from "../fixtures/essays";
import { balance, student } from "../support/grading";
import { startWeb, type Running } from "../support/processes";
import { staffVisitor } from "../support/staff";

let web: Running;
beforeAll(async () => {
  web = await startWeb();
});
afterAll(async () => {
  await web?.stop();
});

const jobState = async (id: string) =>
  (await db().$queryRaw<{ state: string }[]>`SELECT state::text FROM pgboss.job WHERE name = 'grade' AND id = ${id}::uuid`)[0]?.state;

describe("staff", () => {
  it("cancel a queued job after confirming: the grade fails and the credit is refunded once", async () => {
    const staff = await staffVisitor(web.url);
    const user = await student(2);
    const essayId = await submitEssay(user.id, essayInput());
    const { id } = await db().grade.findFirstOrThrow({ where: { essayId } });
    expect(await jobState(id)).toBe("created");

    const unconfirmed = await staff.visitor.post(`/admin/jobs/${id}`, { intent: "cancel", reason: "Duplicate submission" });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("Tick the box to confirm");
    expect(await jobState(id)).toBe("created");

    const cancel = await staff.visitor.post(`/admin/jobs/${id}`, { intent: "cancel", reason: "Duplicate submission", confirm: "yes" });
    expect(cancel.status).toBe(302);
    expect(await jobState(id)).toBe("cancelled");
    const grade = await db().grade.findUniqueOrThrow({ where: { id } });
    expect(grade.status).toBe("FAILED");
    expect(grade.error).toContain("Support cancelled");
    expect(await balance(user.id)).toEqual({ credits: 2, ledger: 2 });

    const twice = await staff.visitor.post(`/admin/jobs/${id}`, { intent: "cancel", reason: "Duplicate submission", confirm: "yes" });
    expect(twice.status).toBe(409);
    expect(await db().ledgerEntry.count({ where: { reference: id, reason: "REFUND" } })).toBe(1);
    const audit = await db().auditEntry.findFirstOrThrow({ where: { gradeId: id, action: "job.cancel" } });
    expect(audit.reason).toBe("Duplicate submission");
  });

});
