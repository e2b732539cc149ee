/**
 * Note templates: the starting text of a note, per clinic and encounter type. Every clinic gets the
 * built-in set below the first time it needs one (inserted with ON CONFLICT DO NOTHING, so
 * concurrent first uses and the seed agree); a clinic may add its own rows beside them.
 */
import type { ScopedActor } from "../../audit/audit.ts";
import { db, type Db, type Tx } from "../../db.ts";
import { DomainError } from "../../errors.ts";
import type { ENCOUNTER_TYPES } from "./schemas.ts";

type EncounterType = (typeof ENCOUNTER_TYPES)[number];

interface TemplateText {
  name: string;
  subjective: string;
  objective: string;
  assessment: string;
  plan: string;
}

const SOAP: TemplateText = { name: "SOAP note", subjective: "", objective: "", assessment: "", plan: "" };

const VITALS_LINE = "Vitals: see vitals recorded this visit.";

export const BUILT_IN_TEMPLATES: Record<EncounterType, TemplateText> = {
  OFFICE_VISIT: {
    name: "Office visit",
    subjective: "Chief complaint:\nHistory of present illness:\nReview of systems:",
    objective: `${VITALS_LINE}\nExam:`,
    assessment: "",
    plan: "Follow-up:",
  },
  NEW_PATIENT: {
    name: "New patient",
    subjective:
      "Chief complaint:\nHistory of present illness:\nPast medical history: reviewed.\nMedications: reviewed.\nAllergies: reviewed.\nFamily history:\nSocial history:\nReview of systems:",
    objective: `${VITALS_LINE}\nGeneral:\nHEENT:\nCardiovascular:\nRespiratory:\nAbdomen:\nExtremities:\nNeurological:`,
    assessment: "",
    plan: "Follow-up:",
  },
  FOLLOW_UP: {
    name: "Follow-up",
    subjective: "Interval history since last visit:\nAdherence and side effects:",
    objective: `${VITALS_LINE}\nExam:`,
    assessment: "Status of problems addressed:",
    plan: "Changes to treatment:\nFollow-up:",
  },
  ANNUAL_PHYSICAL: {
    name: "Annual physical",
    subjective: "Interval history:\nPreventive care (screenings, immunizations) due:\nLifestyle (diet, exercise, tobacco, alcohol):\nReview of systems:",
    objective: `${VITALS_LINE}\nComplete exam:`,
    assessment: "Health maintenance:",
    plan: "Screenings ordered:\nImmunizations:\nCounselling:\nNext physical:",
  },
  ACUTE: {
    name: "Acute visit",
    subjective: "Chief complaint:\nOnset, duration, severity:\nAssociated symptoms:",
    objective: `${VITALS_LINE}\nFocused exam:`,
    assessment: "",
    plan: "Treatment:\nReturn precautions:",
  },
  TELEHEALTH: {
    name: "Telehealth visit",
    subjective: "Visit conducted by video with the patient's consent; patient location confirmed.\nChief complaint:\nHistory of present illness:",
    objective: "Observed by video:\nPatient-reported measurements:",
    assessment: "",
    plan: "Follow-up:",
  },
  PROCEDURE: {
    name: "Procedure note",
    subjective: "Indication:\nConsent: risks, benefits and alternatives discussed; consent obtained.",
    objective: "Procedure:\nAnesthesia:\nFindings:\nEstimated blood loss:\nComplications: none.",
    assessment: "",
    plan: "Aftercare instructions:\nFollow-up:",
  },
  OTHER: SOAP,
};

/** Gives the clinic the built-in templates it does not have yet (idempotent, race-safe). */
export async function ensureTemplates(client: Db, clinicId: string): Promise<void> {
  await client.noteTemplate.createMany({
    data: Object.entries(BUILT_IN_TEMPLATES).map(([encounterType, t]) => ({ clinicId, encounterType: encounterType as EncounterType, ...t })),
    skipDuplicates: true,
  });
}

const templateSelect = { id: true, encounterType: true, name: true, subjective: true, objective: true, assessment: true, plan: true } as const;

/** The template a new note starts from: the one asked for, else the type's built-in, else any of the type's. */
export async function templateFor(tx: Tx, clinicId: string, type: EncounterType, templateId?: string) {
  if (templateId) {
    const chosen = await tx.noteTemplate.findFirst({ where: { id: templateId, clinicId, active: true }, select: templateSelect });
    if (!chosen) throw new DomainError("BAD_REQUEST", "That note template is not available", { templateId: ["not a template of this clinic"] });
    return chosen;
  }
  const find = () =>
    tx.noteTemplate.findFirst({
      where: { clinicId, encounterType: type, active: true },
      select: templateSelect,
      // The built-in one first (by its name), then the oldest.
      orderBy: [{ createdAt: "asc" }],
    });
  let found = await tx.noteTemplate.findFirst({ where: { clinicId, encounterType: type, name: BUILT_IN_TEMPLATES[type].name, active: true }, select: templateSelect });
  if (!found) found = await find();
  if (!found) {
    await ensureTemplates(tx, clinicId);
    found = await tx.noteTemplate.findFirst({ where: { clinicId, encounterType: type, active: true }, select: templateSelect });
  }
  return found;
}

export async function listTemplates(actor: ScopedActor, encounterType?: EncounterType) {
  if ((await db.noteTemplate.count({ where: { clinicId: actor.clinicId } })) === 0) await ensureTemplates(db, actor.clinicId);
  return db.noteTemplate.findMany({
    where: { clinicId: actor.clinicId, active: true, ...(encounterType ? { encounterType } : {}) },
    select: templateSelect,
    orderBy: [{ encounterType: "asc" }, { name: "asc" }],
  });
}
