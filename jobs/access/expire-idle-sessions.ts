import { z } from "zod";
import { audit } from "../../server/audit/audit.ts";
import { db } from "../../server/db.ts";
import { endSession, findIdleSessions } from "../../server/auth/sessions.ts";
import { disconnectSession, publish } from "../../server/realtime/publish.ts";
import { defineJob } from "../define.ts";

/**
 * Ends sessions that have been idle past the limit and tells their browsers at once, so a screen
 * left open locks itself instead of waiting for its next request to be refused.
 */
export const expireIdleSessions = defineJob({
  name: "access.expire-idle-sessions",
  queue: "access",
  payload: z.object({}).strict(),
  jobId: () => `access.expire-idle-sessions.${Math.floor(Date.now() / 10_000)}`,
  every: 60_000,
  async handler() {
    let expired = 0;
    for (;;) {
      const batch = await findIdleSessions(500);
      if (batch.length === 0) break;
      for (const session of batch) {
        // endSession is a compare-and-set: a session ended elsewhere in the meantime is skipped.
        if (!(await endSession(session.id, "idle"))) continue;
        expired++;
        await audit(db, { userId: session.userId, clinicId: session.user.clinicId, role: session.user.role, sessionId: session.id, ip: null }, {
          action: "auth.session-expired",
          resourceType: "Session",
          resourceId: session.id,
          reason: "idle",
        });
        publish("access.session.expired", { sessionId: session.id, reason: "idle" }, [`user:${session.userId}`]);
        await disconnectSession(session.id);
      }
    }
    return { expired };
  },
});
