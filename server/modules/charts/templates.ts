/**
 * Note templates: the starting text of a note, per clinic and encounter type. Every clinic gets the
 * built-in set below the first time it needs one (inserted with ON CONFLICT DO NOTHING, so
 * concurrent first uses and the seed agree), each the default of its type; those with
 * template:manage add their own, edit them (version-checked), archive them (no delete: notes
 * reference templates) and choose each type's default. At most one default per clinic and type is
 * the database's rule (a partial unique index); making a template the default takes the flag off
 * the previous one in the same transaction.
 */
import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Db, type Prisma, type Tx } from "../../db.ts";
import { DomainError, notFound } from "../../errors.ts";
import { publish } from "../../realtime/publish.ts";
import { people, personOrNull, type People } from "./format.ts";
import { checkVersion, refusalsMapped } from "./guards.ts";
import type { addTemplateInput, ENCOUNTER_TYPES, updateTemplateInput } from "./schemas.ts";

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

/** Gives the clinic the built-in templates it does not have yet (idempotent, race-safe), each its type's default. */
export async function ensureTemplates(client: Db, clinicId: string): Promise<void> {
  await client.noteTemplate.createMany({
    // A type whose default the clinic already chose keeps it: ON CONFLICT DO NOTHING skips that built-in.
    data: Object.entries(BUILT_IN_TEMPLATES).map(([encounterType, t]) => ({ clinicId, encounterType: encounterType as EncounterType, isDefault: true, ...t })),
    skipDuplicates: true,
  });
}

const templateSelect = {
  id: true,
  encounterType: true,
  name: true,
  subjective: true,
  objective: true,
  assessment: true,
  plan: true,
  active: true,
  isDefault: true,
  version: true,
  updatedAt: true,
  updatedById: true,
  createdById: true,
} satisfies Prisma.NoteTemplateSelect;
type TemplateRow = Prisma.NoteTemplateGetPayload<{ select: typeof templateSelect }>;

const templateOut = (names: People, row: TemplateRow) => ({
  id: row.id,
  encounterType: row.encounterType,
  name: row.name,
  subjective: row.subjective,
  objective: row.objective,
  assessment: row.assessment,
  plan: row.plan,
  active: row.active,
  isDefault: row.isDefault,
  version: row.version,
  updatedAt: row.updatedAt,
  updatedBy: personOrNull(names, row.updatedById ?? row.createdById),
});

async function templatesOut(client: Db, rows: TemplateRow[]) {
  const names = await people(client, rows.map((r) => r.updatedById ?? r.createdById));
  return rows.map((r) => templateOut(names, r));
}

async function templateById(client: Db, id: string) {
  const [out] = await templatesOut(client, [await client.noteTemplate.findUniqueOrThrow({ where: { id }, select: templateSelect })]);
  return out!;
}

/**
 * The template a new note starts from: the one asked for (any active template of the clinic),
 * else the type's default, else the type's built-in, else the type's oldest.
 */
/** A template someone picked: an active one of this clinic, or BAD_REQUEST naming templateId. */
export async function chosenTemplate(tx: Tx, clinicId: string, templateId: string) {
  const chosen = await tx.noteTemplate.findFirst({ where: { id: templateId, clinicId, active: true }, select: templateSelect });
  if (!chosen) throw new DomainError("BAD_REQUEST", "That note template is not available", { templateId: ["not a template of this clinic"] });
  return chosen;
}

export async function templateFor(tx: Tx, clinicId: string, type: EncounterType, templateId?: string) {
  if (templateId) return chosenTemplate(tx, clinicId, templateId);
  const active = { clinicId, encounterType: type, active: true };
  const find = () =>
    tx.noteTemplate.findFirst({ where: active, select: templateSelect, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] });
  let found = await tx.noteTemplate.findFirst({ where: { ...active, isDefault: true }, select: templateSelect });
  found ??= await tx.noteTemplate.findFirst({ where: { ...active, name: BUILT_IN_TEMPLATES[type].name }, select: templateSelect });
  found ??= await find();
  if (!found) {
    await ensureTemplates(tx, clinicId);
    found = await find();
  }
  return found;
}

/** A clinic's first look at (or first addition to) its templates starts from the built-in set. */
async function ensureClinicTemplates(clinicId: string, client: Db = db) {
  if ((await client.noteTemplate.count({ where: { clinicId } })) === 0) await ensureTemplates(client, clinicId);
}

/** Active templates for the note picker: of one type (and those for any type), or all. */
export async function listTemplates(actor: ScopedActor, encounterType?: EncounterType) {
  await ensureClinicTemplates(actor.clinicId);
  const rows = await db.noteTemplate.findMany({
    where: { clinicId: actor.clinicId, active: true, ...(encounterType ? { OR: [{ encounterType }, { encounterType: null }] } : {}) },
    select: templateSelect,
    orderBy: [{ encounterType: "asc" }, { isDefault: "desc" }, { name: "asc" }],
  });
  return templatesOut(db, rows);
}

/** Every template of the clinic, archived ones included, for the templates page (template:manage). */
export async function allTemplates(actor: ScopedActor, input: { includeArchived: boolean }) {
  await ensureClinicTemplates(actor.clinicId);
  const rows = await db.noteTemplate.findMany({
    where: { clinicId: actor.clinicId, ...(input.includeArchived ? {} : { active: true }) },
    select: templateSelect,
    orderBy: [{ active: "desc" }, { encounterType: "asc" }, { isDefault: "desc" }, { name: "asc" }],
  });
  return templatesOut(db, rows);
}

/** Templates are clinic rows (no patient): the same FOR UPDATE, then compare, as chart rows. */
async function lockTemplate(tx: Tx, clinicId: string, id: string) {
  const rows = await tx.$queryRaw<{ version: number; updated_by_id: string | null; updated_at: Date }[]>`
    SELECT version, updated_by_id, updated_at FROM note_template WHERE id = ${id}::uuid AND clinic_id = ${clinicId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound("Note template");
  return { version: row.version, updatedById: row.updated_by_id, updatedAt: row.updated_at };
}

/**
 * Takes the default flag off the type's current default (other than `exceptId`). Rows it changes
 * are returned so their change is announced too. Two transactions doing this at once both insert
 * or set their own default: the partial unique index lets one commit and refuses the other.
 */
async function clearDefault(tx: Tx, actor: ScopedActor, encounterType: EncounterType, exceptId?: string) {
  const previous = await tx.noteTemplate.findMany({
    where: { clinicId: actor.clinicId, encounterType, isDefault: true, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (!previous.length) return [];
  await tx.noteTemplate.updateMany({
    where: { id: { in: previous.map((p) => p.id) } },
    data: { isDefault: false, version: { increment: 1 }, updatedById: actor.userId },
  });
  return tx.noteTemplate.findMany({ where: { id: { in: previous.map((p) => p.id) } }, select: { id: true, version: true } });
}

function announceTemplates(clinicId: string, rows: { id: string; version: number }[]) {
  for (const row of rows) publish("charts.templates.changed", { clinicId, templateId: row.id, version: row.version }, [`clinic:${clinicId}`]);
}

export async function addTemplate(actor: ScopedActor, input: z.output<typeof addTemplateInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      await ensureClinicTemplates(actor.clinicId, tx);
      const encounterType = input.encounterType ?? null;
      const cleared = input.isDefault && encounterType ? await clearDefault(tx, actor, encounterType) : [];
      const row = await tx.noteTemplate.create({
        data: {
          clinicId: actor.clinicId,
          encounterType,
          name: input.name,
          subjective: input.subjective,
          objective: input.objective,
          assessment: input.assessment,
          plan: input.plan,
          active: input.active,
          isDefault: input.isDefault,
          createdById: actor.userId,
          updatedById: actor.userId,
        },
        select: { id: true },
      });
      await audit(tx, actor, { action: "charts.addTemplate", resourceType: "NoteTemplate", resourceId: row.id, reason: input.isDefault ? "default" : undefined });
      return { out: await templateById(tx, row.id), cleared };
    }),
  );
  announceTemplates(actor.clinicId, [saved.out, ...saved.cleared]);
  return saved.out;
}

export async function updateTemplate(actor: ScopedActor, input: z.output<typeof updateTemplateInput>) {
  const { id, version, isDefault, active, encounterType, ...text } = input;
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const locked = await lockTemplate(tx, actor.clinicId, id);
      await checkVersion(tx, "This template", locked, version, () => templateById(tx, id));
      const current = await tx.noteTemplate.findUniqueOrThrow({ where: { id }, select: { encounterType: true, active: true, isDefault: true } });
      const nextType = encounterType === undefined ? current.encounterType : encounterType;
      const nextActive = active ?? current.active;
      if (isDefault === true && !nextType) {
        throw new DomainError("BAD_REQUEST", "Only a template for one encounter type can be its default; choose the encounter type", { isDefault: ["choose the encounter type first"] });
      }
      if (isDefault === true && !nextActive) {
        throw new DomainError("BAD_REQUEST", "An archived template cannot be the default", { isDefault: ["unarchive it first"] });
      }
      // Archiving or leaving the type takes the default flag with it.
      const nextDefault = (isDefault ?? current.isDefault) && nextActive && nextType !== null;
      const cleared = nextDefault && nextType ? await clearDefault(tx, actor, nextType, id) : [];
      const data: Prisma.NoteTemplateUncheckedUpdateInput = {
        ...Object.fromEntries(Object.entries(text).filter(([, v]) => v !== undefined)),
        ...(encounterType !== undefined ? { encounterType } : {}),
        active: nextActive,
        isDefault: nextDefault,
        version: { increment: 1 },
        updatedById: actor.userId,
      };
      await tx.noteTemplate.update({ where: { id }, data });
      const reason = active === false && current.active ? "archived" : active === true && !current.active ? "unarchived" : nextDefault && !current.isDefault ? "default" : undefined;
      await audit(tx, actor, { action: "charts.updateTemplate", resourceType: "NoteTemplate", resourceId: id, reason });
      return { out: await templateById(tx, id), cleared };
    }),
  );
  announceTemplates(actor.clinicId, [saved.out, ...saved.cleared]);
  return saved.out;
}
