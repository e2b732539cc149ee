import type { ActiveSession } from "./auth/sessions.ts";
import type { createCaller } from "./trpc/router.ts";
import type { PairedScreen } from "./modules/scheduling/screens.ts";

// What every Remix loader and action receives as `context` (built in server/app.ts).
declare module "@remix-run/node" {
  interface AppLoadContext {
    session: ActiveSession | null;
    caller: ReturnType<typeof createCaller>;
    /** The waiting-room screen this browser is paired as (its own cookie), or null. */
    screen: () => Promise<PairedScreen | null>;
    /** The client's address (behind a local proxy, the forwarded one), for limits on anonymous pages. */
    clientIp: string | null;
  }
}
