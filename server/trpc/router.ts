import { router, createCallerFactory } from "./init.ts";
import { accessRouter } from "../modules/access/index.ts";
import { patientsRouter } from "../modules/patients/index.ts";
import { codesRouter } from "../codes/index.ts";
import { schedulingRouter } from "../modules/scheduling/index.ts";
import { chartsRouter } from "../modules/charts/index.ts";

/** Every module's router, mounted by name. The permission-matrix test walks this tree. */
export const appRouter = router({
  access: accessRouter,
  patients: patientsRouter,
  codes: codesRouter,
  scheduling: schedulingRouter,
  charts: chartsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
