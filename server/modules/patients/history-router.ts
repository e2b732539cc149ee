import { permissionProcedure, router } from "../../trpc/init.ts";
import * as history from "./history.ts";
import {
  addConditionInput,
  addFamilyHistoryInput,
  addSurgeryInput,
  conditionOutput,
  familyHistoryOutput,
  historyOutput,
  historyPatientInput,
  removeConditionInput,
  removedOutput,
  removeFamilyHistoryInput,
  removeSurgeryInput,
  saveSocialHistoryInput,
  socialHistoryOutput,
  surgeryOutput,
  updateConditionInput,
  updateFamilyHistoryInput,
  updateSurgeryInput,
} from "./history-schemas.ts";

/** Mounted as `patients.history`: audit actions are "patients.history.<procedure>". */
export const historyRouter = router({
  get: permissionProcedure("history:read")
    .input(historyPatientInput)
    .output(historyOutput)
    .query(({ ctx, input }) => history.getHistory(ctx.actor, input.patientId)),

  addCondition: permissionProcedure("history:write")
    .input(addConditionInput)
    .output(conditionOutput)
    .mutation(({ ctx, input }) => history.addCondition(ctx.actor, input)),
  updateCondition: permissionProcedure("history:write")
    .input(updateConditionInput)
    .output(conditionOutput)
    .mutation(({ ctx, input }) => history.updateCondition(ctx.actor, input)),
  removeCondition: permissionProcedure("history:write")
    .input(removeConditionInput)
    .output(removedOutput)
    .mutation(({ ctx, input }) => history.removeCondition(ctx.actor, input)),

  addSurgery: permissionProcedure("history:write")
    .input(addSurgeryInput)
    .output(surgeryOutput)
    .mutation(({ ctx, input }) => history.addSurgery(ctx.actor, input)),
  updateSurgery: permissionProcedure("history:write")
    .input(updateSurgeryInput)
    .output(surgeryOutput)
    .mutation(({ ctx, input }) => history.updateSurgery(ctx.actor, input)),
  removeSurgery: permissionProcedure("history:write")
    .input(removeSurgeryInput)
    .output(removedOutput)
    .mutation(({ ctx, input }) => history.removeSurgery(ctx.actor, input)),

  addFamilyHistory: permissionProcedure("history:write")
    .input(addFamilyHistoryInput)
    .output(familyHistoryOutput)
    .mutation(({ ctx, input }) => history.addFamilyHistory(ctx.actor, input)),
  updateFamilyHistory: permissionProcedure("history:write")
    .input(updateFamilyHistoryInput)
    .output(familyHistoryOutput)
    .mutation(({ ctx, input }) => history.updateFamilyHistory(ctx.actor, input)),
  removeFamilyHistory: permissionProcedure("history:write")
    .input(removeFamilyHistoryInput)
    .output(removedOutput)
    .mutation(({ ctx, input }) => history.removeFamilyHistory(ctx.actor, input)),

  saveSocialHistory: permissionProcedure("history:write")
    .input(saveSocialHistoryInput)
    .output(socialHistoryOutput)
    .mutation(({ ctx, input }) => history.saveSocialHistory(ctx.actor, input)),
});
