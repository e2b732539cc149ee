import type { ExpressAuthConfig } from "@auth/express";
import Credentials from "@auth/core/providers/credentials";
import { z } from "zod";
import { db } from "../db.ts";
import { env, isProductionEnv } from "../env.ts";
import { audit, anonymousActor } from "../audit/audit.ts";
import { verifyPassword } from "./password.ts";
import { createSession, endSession } from "./sessions.ts";
import { logger } from "../logger.ts";
import { CLIENT_IP_HEADER } from "./client-ip.ts";
import { clearSignInFailures, recordSignInFailure, signInBlocked } from "./rate-limit.ts";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

/**
 * Auth.js owns the sign-in/out routes and the cookie. Credentials sign-in forces JWT sessions in
 * Auth.js, so the JWT carries only our server-side session id (`sid`); resolveSession() checks it
 * on every request, which is what makes sign-out and the idle timeout real.
 */
export const authConfig: ExpressAuthConfig = {
  secret: env.AUTH_SECRET,
  trustHost: true,
  basePath: "/api/auth",
  useSecureCookies: isProductionEnv,
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_HOURS * 3600 },
  pages: { signIn: "/login", error: "/login" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const ip = request.headers.get(CLIENT_IP_HEADER);
        const parsed = credentialsSchema.safeParse(raw);
        const email = parsed.success ? parsed.data.email : null;
        const user = email
          ? await db.user.findUnique({
              where: { email },
              select: { id: true, clinicId: true, role: true, name: true, email: true, passwordHash: true, active: true },
            })
          : null;
        const blocked = email ? await signInBlocked(email, ip) : false;
        // Always run one argon2 verification, so an unknown email costs what a wrong password does.
        const passwordOk = await verifyPassword(user?.passwordHash ?? null, parsed.success ? parsed.data.password : "");
        if (!user || !passwordOk || !user.active || blocked) {
          if (!blocked) await recordSignInFailure(email, ip);
          await audit(db, { ...anonymousActor(ip), userId: user?.id ?? null, clinicId: user?.clinicId ?? null, role: user?.role ?? null }, {
            action: "auth.sign-in",
            resourceType: "User",
            resourceId: user?.id,
            outcome: "FAILURE",
            reason: blocked ? "rate-limited" : !user ? "unknown-email" : !passwordOk ? "wrong-password" : "user-disabled",
          });
          return null; // Auth.js answers CredentialsSignin for every one of these
        }
        await clearSignInFailures(email!);
        const session = await createSession(user.id, { ip, userAgent: request.headers.get("user-agent") });
        await db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
        await audit(db, { userId: user.id, clinicId: user.clinicId, role: user.role, sessionId: session.id, ip }, {
          action: "auth.sign-in",
          resourceType: "User",
          resourceId: user.id,
        });
        return { id: user.id, name: user.name, email: user.email, sid: session.id } as never;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        // Only ids in the token; everything else is read from the database per request.
        return { sub: user.id, sid: (user as { sid: string }).sid };
      }
      return token;
    },
    async session({ session, token }) {
      // /api/auth/session reflects the server-side session too.
      const { resolveSession } = await import("./sessions.ts");
      const active = typeof token.sid === "string" ? await resolveSession(token.sid, { touch: false }) : null;
      if (!active) return { expires: new Date(0).toISOString() } as never;
      return {
        ...session,
        user: { id: active.user.id, name: active.user.name, email: active.user.email, role: active.user.role },
      } as never;
    },
  },
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      const sid = typeof token?.sid === "string" ? token.sid : null;
      if (!sid) return;
      const ended = await endSession(sid, "signed-out");
      const row = await db.session.findUnique({ where: { id: sid }, select: { user: { select: { id: true, clinicId: true, role: true } } } });
      if (ended && row) {
        await audit(db, { userId: row.user.id, clinicId: row.user.clinicId, role: row.user.role, sessionId: sid, ip: null }, {
          action: "auth.sign-out",
          resourceType: "Session",
          resourceId: sid,
        });
        const { disconnectSession } = await import("../realtime/publish.ts");
        await disconnectSession(sid).catch((error: unknown) => logger.warn({ err: error }, "could not disconnect sockets of a signed-out session"));
      }
    },
  },
  logger: {
    error: (error) => {
      // CredentialsSignin is an ordinary failed sign-in, already audited.
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      logger.error({ err: error }, "auth error");
    },
    warn: (code) => logger.warn({ code }, "auth warning"),
    debug: () => {},
  },
};
