import { z } from "zod";
import { searchLoinc } from "../../codes/index.ts";
import { permissionProcedure, router } from "../../trpc/init.ts";
import * as encounters from "./encounters.ts";
import * as labs from "./labs.ts";
import * as lists from "./lists.ts";
import { summary } from "./summary.ts";
import * as templates from "./templates.ts";
import * as vitals from "./vitals.ts";
import {
  acknowledgeResultInput,
  addAddendumInput,
  addTemplateInput,
  allTemplatesInput,
  addAllergyInput,
  addendumOutput,
  addMedicationInput,
  addProblemInput,
  allergiesOutput,
  allergyOutput,
  cancelLabOrderInput,
  encounterDetailOutput,
  encounterInput,
  labOrderOutput,
  labResultOutput,
  labsInput,
  labsOutput,
  labTrendInput,
  labTrendOutput,
  listInput,
  loincOutput,
  loincSearchInput,
  medicationOutput,
  noteOutput,
  openEncounterInput,
  openEncounterOutput,
  orderLabInput,
  patientChartInput,
  problemOutput,
  recordLabResultInput,
  recordVitalsInput,
  saveNoteInput,
  signNoteInput,
  summaryOutput,
  templateOutput,
  templatesInput,
  timelineInput,
  timelineOutput,
  updateAllergyInput,
  updateMedicationInput,
  updateProblemInput,
  updateTemplateInput,
  updateVitalsInput,
  vitalsInput,
  vitalsListOutput,
  vitalsOutput,
} from "./schemas.ts";

/**
 * The chart (EHR). Reads need chart:read (physicians, nurses); writes chart:write; signing
 * chart:sign (physicians). Receptionists and billing staff get FORBIDDEN, audited, from the guard.
 * Every read is audited as a chart open once per session and patient (guards.ts). Audit actions of
 * writes are "charts.<procedure>".
 */
export const chartsRouter = router({
  // ---------------------------------------------------------------- reads
  /** The banner: allergies, active problems and medications, last vitals, results to review. */
  summary: permissionProcedure("chart:read")
    .input(patientChartInput)
    .output(summaryOutput)
    .query(({ ctx, input }) => summary(ctx.actor, input.patientId)),

  timeline: permissionProcedure("chart:read")
    .input(timelineInput)
    .output(timelineOutput)
    .query(({ ctx, input }) => encounters.timeline(ctx.actor, input)),

  encounter: permissionProcedure("chart:read")
    .input(encounterInput)
    .output(encounterDetailOutput)
    .query(({ ctx, input }) => encounters.encounter(ctx.actor, input.encounterId)),

  vitals: permissionProcedure("chart:read")
    .input(vitalsInput)
    .output(vitalsListOutput)
    .query(({ ctx, input }) => vitals.listVitals(ctx.actor, input)),

  problems: permissionProcedure("chart:read")
    .input(listInput)
    .output(z.array(problemOutput))
    .query(({ ctx, input }) => lists.listProblems(ctx.actor, input)),

  allergies: permissionProcedure("chart:read")
    .input(listInput)
    .output(allergiesOutput)
    .query(({ ctx, input }) => lists.listAllergies(ctx.actor, input)),

  medications: permissionProcedure("chart:read")
    .input(listInput)
    .output(z.array(medicationOutput))
    .query(({ ctx, input }) => lists.listMedications(ctx.actor, input)),

  labs: permissionProcedure("chart:read")
    .input(labsInput)
    .output(labsOutput)
    .query(({ ctx, input }) => labs.listLabs(ctx.actor, input)),

  /** Numeric results of one LOINC test over time, for a trend chart. */
  labTrend: permissionProcedure("chart:read")
    .input(labTrendInput)
    .output(labTrendOutput)
    .query(({ ctx, input }) => labs.labTrend(ctx.actor, input)),

  /** LOINC tests for the lab-order picker (the same search as codes.loincSearch). */
  loincSearch: permissionProcedure("chart:read")
    .input(loincSearchInput)
    .output(z.array(loincOutput))
    .query(({ input }) => searchLoinc(input.q, input)),

  templates: permissionProcedure("chart:read")
    .input(templatesInput)
    .output(z.array(templateOutput))
    .query(({ ctx, input }) => templates.listTemplates(ctx.actor, input.encounterType)),

  // ---------------------------------------------------------------- note templates (template:manage)
  /** The templates page: every template of the clinic, archived ones included. */
  allTemplates: permissionProcedure("template:manage")
    .input(allTemplatesInput)
    .output(z.array(templateOutput))
    .query(({ ctx, input }) => templates.allTemplates(ctx.actor, input)),

  addTemplate: permissionProcedure("template:manage")
    .input(addTemplateInput)
    .output(templateOutput)
    .mutation(({ ctx, input }) => templates.addTemplate(ctx.actor, input)),

  /** Edit, archive (`active: false`), unarchive, make default; version-checked. */
  updateTemplate: permissionProcedure("template:manage")
    .input(updateTemplateInput)
    .output(templateOutput)
    .mutation(({ ctx, input }) => templates.updateTemplate(ctx.actor, input)),

  // ---------------------------------------------------------------- encounters and notes
  openEncounter: permissionProcedure("chart:write")
    .input(openEncounterInput)
    .output(openEncounterOutput)
    .mutation(({ ctx, input }) => encounters.openEncounter(ctx.actor, input)),

  saveNote: permissionProcedure("chart:write")
    .input(saveNoteInput)
    .output(noteOutput)
    .mutation(({ ctx, input }) => encounters.saveNote(ctx.actor, input)),

  signNote: permissionProcedure("chart:sign")
    .input(signNoteInput)
    .output(noteOutput)
    .mutation(({ ctx, input }) => encounters.signNote(ctx.actor, input)),

  addAddendum: permissionProcedure("chart:write")
    .input(addAddendumInput)
    .output(addendumOutput)
    .mutation(({ ctx, input }) => encounters.addAddendum(ctx.actor, input)),

  // ---------------------------------------------------------------- vitals, lists
  recordVitals: permissionProcedure("chart:write")
    .input(recordVitalsInput)
    .output(vitalsOutput)
    .mutation(({ ctx, input }) => vitals.recordVitals(ctx.actor, input)),

  /** Corrects a set (version-checked) or marks it entered in error. */
  updateVitals: permissionProcedure("chart:write")
    .input(updateVitalsInput)
    .output(vitalsOutput)
    .mutation(({ ctx, input }) => vitals.updateVitals(ctx.actor, input)),

  addProblem: permissionProcedure("chart:write")
    .input(addProblemInput)
    .output(problemOutput)
    .mutation(({ ctx, input }) => lists.addProblem(ctx.actor, input)),

  updateProblem: permissionProcedure("chart:write")
    .input(updateProblemInput)
    .output(problemOutput)
    .mutation(({ ctx, input }) => lists.updateProblem(ctx.actor, input)),

  addAllergy: permissionProcedure("chart:write")
    .input(addAllergyInput)
    .output(allergyOutput)
    .mutation(({ ctx, input }) => lists.addAllergy(ctx.actor, input)),

  updateAllergy: permissionProcedure("chart:write")
    .input(updateAllergyInput)
    .output(allergyOutput)
    .mutation(({ ctx, input }) => lists.updateAllergy(ctx.actor, input)),

  /** Records "no known allergies" explicitly; refused while any allergy is active. */
  setNoKnownAllergies: permissionProcedure("chart:write")
    .input(patientChartInput)
    .output(allergiesOutput)
    .mutation(({ ctx, input }) => lists.setNoKnownAllergies(ctx.actor, input)),

  addMedication: permissionProcedure("chart:write")
    .input(addMedicationInput)
    .output(medicationOutput)
    .mutation(({ ctx, input }) => lists.addMedication(ctx.actor, input)),

  updateMedication: permissionProcedure("chart:write")
    .input(updateMedicationInput)
    .output(medicationOutput)
    .mutation(({ ctx, input }) => lists.updateMedication(ctx.actor, input)),

  // ---------------------------------------------------------------- labs
  orderLab: permissionProcedure("chart:write")
    .input(orderLabInput)
    .output(labOrderOutput)
    .mutation(({ ctx, input }) => labs.orderLab(ctx.actor, input)),

  cancelLabOrder: permissionProcedure("chart:write")
    .input(cancelLabOrderInput)
    .output(labOrderOutput)
    .mutation(({ ctx, input }) => labs.cancelLabOrder(ctx.actor, input)),

  recordLabResult: permissionProcedure("chart:write")
    .input(recordLabResultInput)
    .output(labResultOutput)
    .mutation(({ ctx, input }) => labs.recordLabResult(ctx.actor, input)),

  /** By the ordering clinician or a physician (labs.ts). */
  acknowledgeResult: permissionProcedure("chart:write")
    .input(acknowledgeResultInput)
    .output(labResultOutput)
    .mutation(({ ctx, input }) => labs.acknowledgeResult(ctx.actor, input)),
});
