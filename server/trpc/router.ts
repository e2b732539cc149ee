import { router, createCallerFactory } from "./init.ts";
import { accessRouter } from "../modules/access/index.ts";
import { patientsRouter } from "../modules/patients/index.ts";

/** Every module's router, mounted by name. The permission-matrix test walks this tree. */
export const appRouter = router({
  access: accessRouter,
  patients: patientsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
