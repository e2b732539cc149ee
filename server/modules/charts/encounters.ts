/**
 * Encounters and their SOAP notes.
 *
 * An encounter opens from an arrived, roomed or in-visit appointment (at most one per appointment:
 * opening it again returns the existing one) or ad hoc (provider, type, reason). Its note starts
 * from the clinic's template for the encounter type.
 *
 * The note is co-edited live as a Yjs document (note-doc.ts, the collaboration layer's); this file
 * holds the plain save (whole fields, version-checked, fed into the live document so editors see
 * it), signing (the converged text is written to the columns and hashed; the database refuses
 * every change afterwards) and addenda (the only way to add to a signed note).
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { audit, type ScopedActor } from "../../audit/audit.ts";
import { db, type Db, type Prisma, type Tx } from "../../db.ts";
import { DomainError, notFound } from "../../errors.ts";
import { announce, people, person, personOrNull } from "./format.ts";
import { chartRootOf, checkVersion, lockRow, openChart, refusalsMapped, signedNoteMessage, userName, writablePatient } from "./guards.ts";
import { broadcastNoteSigned, broadcastNoteUpdate, loadNoteDocWithMeta, materializeNoteDoc, noteTexts, NOTE_FIELDS, replaceNoteText, type NoteTexts } from "./note-doc.ts";
import type { addAddendumInput, openEncounterInput, saveNoteInput, signNoteInput, timelineInput } from "./schemas.ts";
import { chosenTemplate, templateFor } from "./templates.ts";

type In<T extends z.ZodType> = z.output<T>;

/** Appointment statuses from which a visit can be documented. */
const OPEN_FROM = ["ARRIVED", "ROOMED", "IN_VISIT"];

// ---------------------------------------------------------------- shapes

const encounterSelect = {
  id: true,
  patientId: true,
  appointmentId: true,
  provider: { select: { id: true, user: { select: { name: true } } } },
  location: { select: { id: true, name: true } },
  type: true,
  reasonForVisit: true,
  startedAt: true,
  status: true,
  signedAt: true,
  signedById: true,
  version: true,
  notes: { select: { id: true }, orderBy: { createdAt: "asc" }, take: 1 },
} satisfies Prisma.EncounterSelect;
type EncounterRow = Prisma.EncounterGetPayload<{ select: typeof encounterSelect }>;

const encounterOut = (names: Map<string, { id: string; name: string }>, e: EncounterRow) => ({
  id: e.id,
  patientId: e.patientId,
  appointmentId: e.appointmentId,
  provider: { id: e.provider.id, name: e.provider.user.name },
  location: e.location,
  type: e.type,
  reasonForVisit: e.reasonForVisit,
  startedAt: e.startedAt,
  status: e.status,
  signedAt: e.signedAt,
  signedBy: personOrNull(names, e.signedById),
  noteId: e.notes[0]?.id ?? null,
  version: e.version,
});

async function encounterById(client: Db, id: string) {
  const row = await client.encounter.findUniqueOrThrow({ where: { id }, select: encounterSelect });
  return encounterOut(await people(client, [row.signedById]), row);
}

const noteSelect = {
  id: true,
  encounterId: true,
  patientId: true,
  templateId: true,
  subjective: true,
  objective: true,
  assessment: true,
  plan: true,
  docStateUpdateId: true,
  _count: { select: { docUpdates: true } },
  signedAt: true,
  signedById: true,
  contentHash: true,
  version: true,
  updatedAt: true,
  updatedById: true,
  createdById: true,
} satisfies Prisma.NoteSelect;
type NoteRow = Prisma.NoteGetPayload<{ select: typeof noteSelect }>;

/** The note has a live document: a compacted state or updates not yet folded in. */
const isLive = (n: NoteRow) => n.docStateUpdateId !== null || n._count.docUpdates > 0;

/**
 * What is hashed at signing: the note's identity, its four sections and the signature, as one
 * JSON array (fixed order, no whitespace). Stored as 64 lower-case hex; anyone with the row can
 * recompute it (contentHashValid in the output does).
 */
export function noteContentHash(n: { id: string; patientId: string; encounterId: string; signedById: string; signedAt: Date } & NoteTexts): string {
  const canonical = JSON.stringify(["carelane.note.v1", n.id, n.patientId, n.encounterId, n.subjective, n.objective, n.assessment, n.plan, n.signedById, n.signedAt.toISOString()]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

async function noteOut(client: Db, n: NoteRow, texts?: NoteTexts) {
  const names = await people(client, [n.signedById, n.updatedById ?? n.createdById]);
  const text = texts ?? { subjective: n.subjective, objective: n.objective, assessment: n.assessment, plan: n.plan };
  return {
    id: n.id,
    encounterId: n.encounterId,
    patientId: n.patientId,
    templateId: n.templateId,
    ...text,
    live: isLive(n),
    signedAt: n.signedAt,
    signedBy: personOrNull(names, n.signedById),
    contentHash: n.contentHash,
    contentHashValid:
      n.signedAt && n.signedById && n.contentHash ? noteContentHash({ ...n, signedById: n.signedById, signedAt: n.signedAt }) === n.contentHash : null,
    version: n.version,
    updatedAt: n.updatedAt,
    updatedBy: personOrNull(names, n.updatedById ?? n.createdById),
  };
}

async function noteById(client: Db, id: string) {
  return noteOut(client, await client.note.findUniqueOrThrow({ where: { id }, select: noteSelect }));
}

const addendumSelect = { id: true, noteId: true, text: true, contentHash: true, authorId: true, createdAt: true } as const;

// ---------------------------------------------------------------- open

async function lockAppointment(tx: Tx, clinicId: string, appointmentId: string) {
  const rows = await tx.$queryRaw<{ id: string; patient_id: string; provider_id: string; location_id: string; status: string; reason: string | null }[]>`
    SELECT id, patient_id, provider_id, location_id, status::text AS status, reason
      FROM appointment WHERE id = ${appointmentId}::uuid AND clinic_id = ${clinicId}::uuid FOR UPDATE`;
  if (!rows[0]) throw notFound("Appointment");
  return rows[0];
}

export async function openEncounter(actor: ScopedActor, input: In<typeof openEncounterInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      let patientId: string;
      let providerId: string;
      let locationId: string | null;
      let reason: string | null;
      if (input.appointmentId) {
        // The appointment row lock makes "one encounter per appointment" a queue, not a race (the
        // unique key on appointment_id is the database's word on it).
        const appointment = await lockAppointment(tx, actor.clinicId, input.appointmentId);
        const existing = await tx.encounter.findUnique({ where: { appointmentId: appointment.id }, select: { id: true } });
        if (existing) return { encounter: await encounterById(tx, existing.id), created: false };
        if (!OPEN_FROM.includes(appointment.status)) {
          const message = `This appointment is ${appointment.status.toLowerCase().replace("_", " ")}; open an encounter once the patient has arrived`;
          throw new DomainError("BAD_REQUEST", message, { appointmentId: [message] });
        }
        if (input.patientId && input.patientId !== appointment.patient_id) {
          throw new DomainError("BAD_REQUEST", "That appointment is another patient's", { appointmentId: ["appointment of another patient"] });
        }
        patientId = (await writablePatient(tx, actor, appointment.patient_id)).id;
        providerId = appointment.provider_id;
        locationId = appointment.location_id;
        reason = input.reasonForVisit ?? appointment.reason;
      } else {
        patientId = (await writablePatient(tx, actor, input.patientId!)).id;
        const provider = await tx.provider.findFirst({ where: { id: input.providerId!, clinicId: actor.clinicId, active: true }, select: { id: true } });
        if (!provider) throw new DomainError("BAD_REQUEST", "Choose an active provider of this clinic", { providerId: ["not an active provider of this clinic"] });
        providerId = provider.id;
        locationId = input.locationId ?? null;
        if (locationId && !(await tx.location.count({ where: { id: locationId, clinicId: actor.clinicId } }))) {
          throw new DomainError("BAD_REQUEST", "Choose a location of this clinic", { locationId: ["not a location of this clinic"] });
        }
        reason = input.reasonForVisit ?? null;
      }
      const type = input.type ?? "OFFICE_VISIT";
      const template = await templateFor(tx, actor.clinicId, type, input.templateId);
      const encounter = await tx.encounter.create({
        data: {
          clinicId: actor.clinicId,
          patientId,
          appointmentId: input.appointmentId ?? null,
          providerId,
          locationId,
          type,
          reasonForVisit: reason,
          createdById: actor.userId,
          updatedById: actor.userId,
        },
        select: { id: true },
      });
      await tx.note.create({
        data: {
          clinicId: actor.clinicId,
          patientId,
          encounterId: encounter.id,
          templateId: template?.id ?? null,
          subjective: template?.subjective ?? "",
          objective: template?.objective ?? "",
          assessment: template?.assessment ?? "",
          plan: template?.plan ?? "",
          createdById: actor.userId,
          updatedById: actor.userId,
        },
      });
      await audit(tx, actor, { action: "charts.openEncounter", resourceType: "Encounter", resourceId: encounter.id, patientId, reason: input.appointmentId ? "appointment" : "ad hoc" });
      return { encounter: await encounterById(tx, encounter.id), created: true };
    }),
  );
  if (saved.created) announce("encounters", { patientId: saved.encounter.patientId, encounterId: saved.encounter.id, version: saved.encounter.version });
  return saved;
}

// ---------------------------------------------------------------- reads

const encodeCursor = (e: { startedAt: Date; id: string }) => Buffer.from(`${e.startedAt.toISOString()}|${e.id}`).toString("base64url");

function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  const [when, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const startedAt = new Date(when ?? "");
  if (!id || Number.isNaN(startedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new DomainError("BAD_REQUEST", "cursor: not a cursor from a previous page", { cursor: ["not a cursor from a previous page"] });
  }
  return { startedAt, id };
}

/** Encounters, newest first, a page at a time (keyset on started_at, id). */
export async function timeline(actor: ScopedActor, input: In<typeof timelineInput>) {
  const scope = await openChart(actor, input.patientId);
  const after = input.cursor ? decodeCursor(input.cursor) : null;
  const rows = await db.encounter.findMany({
    where: {
      patientId: { in: scope.patientIds },
      ...(after ? { OR: [{ startedAt: { lt: after.startedAt } }, { startedAt: after.startedAt, id: { lt: after.id } }] } : {}),
    },
    select: encounterSelect,
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const names = await people(db, page.map((r) => r.signedById));
  return { items: page.map((r) => encounterOut(names, r)), nextCursor: rows.length > input.limit ? encodeCursor(page[page.length - 1]!) : null };
}

/** One encounter with its note (the live text while it is being co-edited) and the note's addenda. */
export async function encounter(actor: ScopedActor, encounterId: string) {
  const row = await db.encounter.findFirst({ where: { id: encounterId, clinicId: actor.clinicId }, select: encounterSelect });
  if (!row) throw notFound("Encounter");
  await openChart(actor, row.patientId);
  const noteId = row.notes[0]?.id;
  const note = noteId ? await db.note.findUniqueOrThrow({ where: { id: noteId }, select: noteSelect }) : null;
  // While a note is co-edited its document is the truth; the columns catch up at the next save or
  // at signing. A note with a document loads without writing anything.
  const texts = note && !note.signedAt && isLive(note) ? noteTexts((await loadNoteDocWithMeta(db, note.id)).doc) : undefined;
  const addenda = noteId ? await db.noteAddendum.findMany({ where: { noteId }, select: addendumSelect, orderBy: { createdAt: "asc" } }) : [];
  const names = await people(db, [row.signedById, ...addenda.map((a) => a.authorId)]);
  return {
    encounter: encounterOut(names, row),
    note: note ? await noteOut(db, note, texts) : null,
    addenda: addenda.map((a) => ({ ...a, author: person(names, a.authorId) })),
  };
}

// ---------------------------------------------------------------- save, sign, addenda

async function lockNote(tx: Tx, actor: ScopedActor, noteId: string) {
  const locked = await lockRow(tx, "note", actor.clinicId, noteId);
  const note = await tx.note.findUniqueOrThrow({ where: { id: noteId }, select: { encounterId: true, signedAt: true, signedById: true } });
  return { locked, note };
}

async function refuseSigned(tx: Tx, note: { signedAt: Date | null; signedById: string | null }) {
  if (!note.signedAt) return;
  const by = await userName(tx, note.signedById);
  throw new DomainError("CONFLICT", `${signedNoteMessage} It was signed by ${by ?? "someone"} at ${note.signedAt.toISOString()}.`, undefined, {
    signed: true,
    signedBy: by,
    signedAt: note.signedAt.toISOString(),
  });
}

/**
 * A plain save of whole sections (for clients that do not co-edit live). Version-checked like any
 * edit; when the note has a live document the change is applied to it too (one Yjs update,
 * broadcast after commit), so editors see the saved text appear.
 */
export async function saveNote(actor: ScopedActor, input: In<typeof saveNoteInput>) {
  const { noteId, version } = input;
  const fields: Partial<NoteTexts> = {};
  for (const f of NOTE_FIELDS) if (input[f] !== undefined) fields[f] = input[f];
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const { locked, note } = await lockNote(tx, actor, noteId);
      await refuseSigned(tx, note);
      await checkVersion(tx, "This note", locked, version, () => noteById(tx, noteId));
      // A template applied from the picker is recorded (it must be an active one of this clinic).
      const templateId = input.templateId ? (await chosenTemplate(tx, actor.clinicId, input.templateId)).id : undefined;
      await tx.note.update({ where: { id: noteId }, data: { ...fields, templateId, version: { increment: 1 }, updatedById: actor.userId } });
      const update = await replaceNoteText(tx, noteId, fields);
      const reason = [...Object.keys(fields), ...(templateId ? [`template ${templateId}`] : [])].join(",");
      await audit(tx, actor, { action: "charts.saveNote", resourceType: "Note", resourceId: noteId, patientId: locked.patientId, reason });
      return { out: await noteById(tx, noteId), update };
    }),
  );
  if (saved.update) broadcastNoteUpdate(noteId, saved.update);
  announce("note", { patientId: await rootFor(actor, saved.out.patientId), noteId, encounterId: saved.out.encounterId, version: saved.out.version });
  return saved.out;
}

/**
 * Signs the note: takes the row FOR UPDATE (a co-editing append waits, then is refused by the
 * database), folds the live document and writes its converged text into the columns, hashes it,
 * and marks the encounter signed. From the commit on, the database refuses every change.
 */
export async function signNote(actor: ScopedActor, input: In<typeof signNoteInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const { locked, note } = await lockNote(tx, actor, input.noteId);
      await refuseSigned(tx, note);
      await checkVersion(tx, "This note", locked, input.version, () => noteById(tx, input.noteId));
      const columns = await tx.note.findUniqueOrThrow({ where: { id: input.noteId }, select: { subjective: true, objective: true, assessment: true, plan: true } });
      const texts = (await materializeNoteDoc(tx, input.noteId)) ?? columns;
      if (NOTE_FIELDS.every((f) => texts[f].trim() === "")) {
        throw new DomainError("BAD_REQUEST", "The note is empty; write it before signing.", { subjective: ["nothing to sign"] });
      }
      const signedAt = new Date();
      const contentHash = noteContentHash({ id: input.noteId, patientId: locked.patientId, encounterId: note.encounterId, ...texts, signedById: actor.userId, signedAt });
      await tx.note.update({
        where: { id: input.noteId },
        data: { ...texts, signedAt, signedById: actor.userId, contentHash, version: { increment: 1 }, updatedById: actor.userId },
      });
      const encounterRow = await tx.encounter.update({
        where: { id: note.encounterId },
        data: { status: "SIGNED", signedAt, signedById: actor.userId, version: { increment: 1 }, updatedById: actor.userId },
        select: { version: true },
      });
      await audit(tx, actor, { action: "charts.signNote", resourceType: "Note", resourceId: input.noteId, patientId: locked.patientId });
      return { out: await noteById(tx, input.noteId), encounterVersion: encounterRow.version };
    }),
  );
  broadcastNoteSigned(input.noteId);
  const patientId = await rootFor(actor, saved.out.patientId);
  announce("note", { patientId, noteId: input.noteId, encounterId: saved.out.encounterId, version: saved.out.version });
  announce("encounters", { patientId, encounterId: saved.out.encounterId, version: saved.encounterVersion });
  return saved.out;
}

/** A correction or addition to a signed note; immutable once written (the database sees to it). */
export async function addAddendum(actor: ScopedActor, input: In<typeof addAddendumInput>) {
  const saved = await refusalsMapped(() =>
    db.$transaction(async (tx) => {
      const note = await tx.note.findFirst({ where: { id: input.noteId, clinicId: actor.clinicId }, select: { id: true, patientId: true, encounterId: true, signedAt: true, version: true } });
      if (!note) throw notFound("Note");
      if (!note.signedAt) {
        throw new DomainError("BAD_REQUEST", "Addenda are only for signed notes; edit the note itself until it is signed.", { noteId: ["note is not signed"] });
      }
      const row = await tx.noteAddendum.create({
        data: {
          clinicId: actor.clinicId,
          patientId: note.patientId,
          noteId: note.id,
          text: input.text,
          contentHash: createHash("sha256").update(input.text, "utf8").digest("hex"),
          authorId: actor.userId,
        },
        select: addendumSelect,
      });
      await audit(tx, actor, { action: "charts.addAddendum", resourceType: "NoteAddendum", resourceId: row.id, patientId: note.patientId });
      return { row, note, names: await people(tx, [row.authorId]) };
    }),
  );
  announce("note", { patientId: await rootFor(actor, saved.note.patientId), noteId: saved.note.id, encounterId: saved.note.encounterId, version: saved.note.version });
  return { ...saved.row, author: person(saved.names, saved.row.authorId) };
}

/** The room a change is announced in: the surviving record's (a note may sit on a merged record). */
function rootFor(actor: ScopedActor, patientId: string) {
  return chartRootOf(db, actor.clinicId, patientId);
}
